import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Database, DbHandle } from './client.ts';
import { createMemoryDb, queryRows } from './client.ts';
import { applyAppObjectRights } from './roles.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** An arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 7_291_046_331;

export interface MigrateOptions {
  /** Apply the migrations with this server URL (DATABASE_MIGRATION_URL, the owner's) instead of the handle's. */
  url?: string | undefined;
  /**
   * After migrating, set this role's rights on casedesk's tables and sequences (see
   * `applyAppObjectRights`), so that the tables a new migration added are covered too.
   */
  grantTo?: string | undefined;
}

/**
 * Applies the committed migrations; applying them again is a no-op. On a server, several
 * instances starting at once take turns under an advisory lock on one dedicated connection,
 * so no migration runs twice.
 */
export async function migrateDb(handle: DbHandle, options: MigrateOptions = {}): Promise<{ applied: number }> {
  if (handle.driver === 'pglite') {
    // The usual start, with nothing pending: two small queries, rather than drizzle's migrator reading
    // and hashing every migration file and querying its table.
    if ((await pendingMigrations(handle.db)) === 0) return { applied: 0 };
    const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
    const before = await appliedCount(handle.db);
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return { applied: (await appliedCount(handle.db)) - before };
  }
  const url = options.url ?? handle.url;
  if (!url) throw new Error('migrateDb: a server handle without its URL');
  return withMigrationLock(url, async (db) => {
    const applied = await applyMigrations(db);
    if (options.grantTo) await applyAppObjectRights(db, options.grantTo);
    return { applied };
  });
}

/**
 * Runs `work` on a connection of its own to the server at `url`, holding the migration lock: what
 * changes the schema or its rights (migrations, `casedesk db roles`) runs one at a time.
 */
export async function withMigrationLock<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
  // Loaded here, as db/client.ts loads its drivers: the command line imports this module to parse its arguments.
  const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import('postgres'), import('drizzle-orm/postgres-js')]);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      return await work(drizzlePostgres({ client }) as unknown as Database);
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * Applies the pending migrations on a server connection that holds the migration lock, and says
 * how many it applied (counted under the lock: what this instance applied, not what another did).
 */
export async function applyMigrations(db: Database): Promise<number> {
  const { migrate: migratePostgres } = await import('drizzle-orm/postgres-js/migrator');
  const before = await appliedCount(db);
  await migratePostgres(db as unknown as PostgresJsDatabase, { migrationsFolder });
  return (await appliedCount(db)) - before;
}

/** The committed migrations, from drizzle-kit's journal: each one's tag and creation time. */
function journal(): Array<{ tag: string; when: number }> {
  const path = fileURLToPath(new URL('./migrations/meta/_journal.json', import.meta.url));
  return (JSON.parse(readFileSync(path, 'utf8')) as { entries: Array<{ tag: string; when: number }> }).entries;
}

/**
 * How many committed migrations the database lacks, without applying any: read from drizzle's
 * record as its migrator reads it (those created after the last one applied). For a role that may
 * not migrate: the migrator itself starts with `create schema if not exists`, which needs CREATE
 * on the database.
 */
export async function pendingMigrations(db: Pick<Database, 'execute'>): Promise<number> {
  const [row] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`);
  let last = -Infinity;
  if (row?.exists) {
    const [latest] = await queryRows<{ at: string | null }>(
      db,
      sql`select max(created_at)::text as "at" from drizzle.__drizzle_migrations`,
    );
    if (latest?.at) last = Number(latest.at);
  }
  return journal().filter((entry) => entry.when > last).length;
}

async function appliedCount(db: Pick<Database, 'execute'>): Promise<number> {
  const [row] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`);
  if (!row?.exists) return 0;
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return count?.n ?? 0;
}

/**
 * Writes the embedded database's template to `path` (gzipped tar of its data folder): an empty
 * database with every committed migration applied, which a new data folder then starts from (see
 * `PGLITE_TEMPLATE` in db/client.ts) instead of running PostgreSQL's set-up and the migrations.
 * `npm run build` makes it with the PGlite it installed, so the two always match. It holds no data:
 * the migrations write none.
 */
export async function writePgliteTemplate(path: string): Promise<{ migrations: number }> {
  const handle = await createMemoryDb();
  try {
    const { applied } = await migrateDb(handle);
    const dump = await handle.client.dumpDataDir('gzip');
    // Written whole, then renamed: an interrupted build leaves no half a template to start from.
    writeFileSync(`${path}.part`, Buffer.from(await dump.arrayBuffer()));
    renameSync(`${path}.part`, path);
    return { migrations: applied };
  } finally {
    await handle.close();
  }
}
