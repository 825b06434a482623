import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pLimit from 'p-limit';
import * as schema from './schema/index.ts';
import { DatabaseLockedError } from './locked.ts';

export { DatabaseLockedError };

export type Schema = typeof schema;
/** A drizzle database on either driver. Code above `db/` sees only this type. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A database or an open transaction on it: what repository functions accept. */
export type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute' | 'transaction'>;

export interface DbConfig {
  /** A PostgreSQL server; unset means the embedded PGlite database in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  databasePoolMax?: number;
  databaseStatementTimeoutMs?: number;
  /** The template a new embedded data folder starts from; {@link PGLITE_TEMPLATE} if unset. */
  pgliteTemplate?: string | undefined;
}

export interface DbHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  /** Where the data lives, for log lines: a folder, or the server URL without its password. */
  location: string;
  /** The server URL, for work that needs a dedicated connection (the migration lock). */
  url: string | undefined;
  /**
   * Runs one command's database work in its turn, so that waiting commands do not crowd out the
   * rest. PGlite runs each query on the main thread, one at a time: there one command works at a
   * time, each turn starting after a pass of the event loop so that requests waiting to be
   * acknowledged are read in between. On a server, at most the pool's size at once.
   */
  turn: <T>(work: () => Promise<T>) => Promise<T>;
  /**
   * Where invocations are accepted (their ids claimed) before the platform is acknowledged: on a
   * server a connection of its own, so that an acknowledgement never waits for a pool connection
   * that running commands hold; on PGlite the one database.
   */
  acceptDb: Database;
  /**
   * How busy {@link DbHandle.turn} is, for the operator's metrics: `size` commands may hold the
   * database at once (the pool's size on a server, 1 on PGlite), `active` do, `waiting` wait for a
   * turn. postgres.js exposes no count of its pool's connections, and PGlite has no pool; the
   * commands' turns are what both drivers can report truthfully.
   */
  turns(): { size: number; active: number; waiting: number };
  close(): Promise<void>;
}

/** One piece of work at a time, each after a pass of the event loop (see {@link DbHandle.turn}). */
function embeddedTurns(): Pick<DbHandle, 'turn' | 'turns'> {
  const limit = pLimit(1);
  return {
    turn: (work) =>
      limit(async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        return work();
      }),
    turns: () => ({ size: 1, active: limit.activeCount, waiting: limit.pendingCount }),
  };
}

// The drivers load when a database is opened: every repository imports this module (for its types
// and queryRows), and a command line that only parses its arguments should not pay for PGlite's
// WebAssembly loader or postgres.js.

/** PGlite, its extensions and drizzle's PGlite driver. */
async function embeddedDriver() {
  const [{ PGlite }, { fuzzystrmatch }, { pg_trgm }, { unaccent }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/fuzzystrmatch'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('drizzle-orm/pglite'),
  ]);
  return { PGlite, extensions: { fuzzystrmatch, pg_trgm, unaccent }, drizzle };
}

/**
 * Opens the database: PGlite persisted under `dataDir` when `databaseUrl` is unset (the folder is
 * created if missing), otherwise a bounded postgres.js pool with a statement timeout.
 *
 * @example
 *   const { db, close } = await createDb({ dataDir: './data' });
 *   try { await migrateDb(handle); ... } finally { await close(); }
 */
export async function createDb(config: DbConfig): Promise<DbHandle> {
  if (config.databaseUrl) return openServer(config.databaseUrl, config);
  return openEmbedded(resolve(config.dataDir), config.pgliteTemplate);
}

/**
 * A sequential scan of a large table otherwise starts where the last one on that table left off
 * (on a server, wherever a concurrent one is), so a query with a limit and no order (the search's
 * candidates) would meet other rows on every call. PGlite has a session of its own; on a server
 * it is a connection parameter (see `openServer`).
 */
const SCANS_FROM_THE_START = 'set synchronize_seqscans = off';

/** An in-memory PGlite, for tests and benchmarks. */
export async function createMemoryDb(options: { loadDataDir?: Blob } = {}): Promise<DbHandle & { client: PGlite }> {
  const { PGlite, extensions, drizzle } = await embeddedDriver();
  const client = await PGlite.create({ extensions, ...options });
  await client.exec(SCANS_FROM_THE_START);
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    location: 'memory',
    url: undefined,
    ...embeddedTurns(),
    acceptDb: db,
    client,
    close: () => client.close(),
  };
}

/**
 * Where `npm run build` leaves the embedded database's template (see `writePgliteTemplate` in
 * db/migrate.ts): beside the compiled client, in dist/db/. Running the sources, there is none.
 */
export const PGLITE_TEMPLATE = fileURLToPath(new URL('./pglite-template.tar.gz', import.meta.url));

/**
 * A new data folder starts from the template when there is one: an empty database with the
 * migrations of its build applied. Unpacking it takes about a second; PostgreSQL's own set-up
 * (initdb) and the migrations take several on a small machine. A folder that holds a database
 * (PG_VERSION) is opened as it is.
 */
function templateFor(pgdata: string, template: string): Blob | undefined {
  if (existsSync(join(pgdata, 'PG_VERSION')) || !existsSync(template)) return undefined;
  return new Blob([readFileSync(template)]);
}

async function openEmbedded(dataDir: string, template: string = PGLITE_TEMPLATE): Promise<DbHandle> {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  try {
    const { PGlite, extensions, drizzle } = await embeddedDriver();
    const pgdata = join(dataDir, 'pgdata');
    const loadDataDir = templateFor(pgdata, template);
    const client = await PGlite.create(pgdata, { extensions, ...(loadDataDir ? { loadDataDir } : {}) });
    await client.exec(SCANS_FROM_THE_START);
    const db = drizzle({ client, schema }) as unknown as Database;
    return {
      db,
      driver: 'pglite',
      location: dataDir,
      url: undefined,
      ...embeddedTurns(),
      acceptDb: db,
      close: async () => {
        try {
          await client.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openServer(url: string, config: DbConfig): Promise<DbHandle> {
  const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
  const poolMax = config.databasePoolMax ?? 10;
  const connect = (max: number, name: string) =>
    postgres(url, {
      max,
      idle_timeout: 60,
      connect_timeout: 10,
      onnotice: () => {},
      connection: {
        application_name: name,
        statement_timeout: config.databaseStatementTimeoutMs ?? 15_000,
        // See SCANS_FROM_THE_START.
        synchronize_seqscans: 'off',
      },
    });
  const client = connect(poolMax, 'casedesk');
  // Fail now, with the server's own reason, rather than at the first command.
  await client`select 1`;
  const acceptClient = connect(1, 'casedesk-accept');
  const limit = pLimit(poolMax);
  return {
    db: drizzlePostgres({ client, schema }) as unknown as Database,
    driver: 'postgres',
    location: redactUrl(url),
    url,
    turn: (work) => limit(work),
    turns: () => ({ size: poolMax, active: limit.activeCount, waiting: limit.pendingCount }),
    acceptDb: drizzlePostgres({ client: acceptClient, schema }) as unknown as Database,
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), acceptClient.end({ timeout: 5 })]);
    },
  };
}

/**
 * PGlite is one process's database: two processes writing the same folder would corrupt it.
 * A lock file with the owner's pid says so clearly; a stale one (dead pid) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'casedesk.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      // Our own pid means another handle in this process has it open: just as unsafe.
      if (Number.isInteger(pid) && isAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Runs a raw query and returns its rows on either driver (PGlite answers `{ rows }`, postgres.js
 * an array).
 */
export async function queryRows<T extends object>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  const executed: unknown = await db.execute(query);
  const result = executed as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

/**
 * The SQLSTATE of a failed query (`42501` for a missing privilege), on either driver: drizzle wraps
 * the driver's error in its own, with the original as `cause`.
 */
export function databaseErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** The server's own message for a failed query (without the query and its parameters). */
export function databaseErrorMessage(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof (e as { code?: unknown }).code === 'string' && e instanceof Error) return e.message;
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}
