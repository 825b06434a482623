import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, createMemoryDb, type Database, type DbHandle } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';

/** Which driver this run tests: the server when TEST_DATABASE_URL is set, PGlite otherwise. */
export const testDriver: 'pglite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDb {
  handle: DbHandle;
  db: Database;
  /** Empties every table (the append-only ones too) and restarts their ids. */
  reset(): Promise<void>;
  /** A URL for a second, independent connection to the same database (server runs only). */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A migrated database of its own for one test file.
 *
 * @example
 *   let t: TestDb;
 *   beforeAll(async () => { t = await openTestDb(); });
 *   beforeEach(() => t.reset());
 *   afterAll(() => t.close());
 */
export async function openTestDb(): Promise<TestDb> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await createMemoryDb();
    await migrateDb(handle);
    return { handle, db: handle.db, url: undefined, reset: () => truncateAll(handle.db), close: () => handle.close() };
  }
  // Named after the run's database, so that CI can drop whatever a crashed run left behind.
  const base = new URL(serverUrl).pathname.slice(1) || 'casedesk';
  const name = `${base.slice(0, 40)}_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = withDatabase(serverUrl, name);
  const handle = await createDb({ databaseUrl: url, dataDir: '', databasePoolMax: 5 });
  await migrateDb(handle);
  return {
    handle,
    db: handle.db,
    url,
    reset: () => truncateAll(handle.db),
    close: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function truncateAll(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    // The append-only triggers refuse TRUNCATE; replica mode skips ordinary triggers for this
    // transaction only (tests run as a superuser; the application never does this).
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql`
      do $$ declare tables text;
      begin
        select string_agg(format('%I.%I', schemaname, tablename), ', ') into tables
          from pg_tables where schemaname = 'public';
        if tables is not null then execute 'truncate ' || tables || ' restart identity cascade'; end if;
      end $$`);
    // The audit chain starts again from its first link.
    await tx.execute(sql`insert into audit_chain (id, seq, hash) values (true, 0, casedesk_audit_genesis())`);
  });
}

/** How many migrations the project has, from drizzle-kit's journal. */
export const migrationCount: number = (
  JSON.parse(readFileSync(new URL('../../db/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }
).entries.length;
