import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import type { Database, DbHandle } from './client.ts';
import { queryRows } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** An arbitrary constant: the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 7_291_046_331;

/**
 * Applies the committed migrations; applying them again is a no-op. On a server, several
 * instances starting at once take turns under an advisory lock on one dedicated connection,
 * so no migration runs twice.
 */
export async function migrateDb(handle: DbHandle): Promise<{ applied: number }> {
  if (handle.driver === 'pglite') {
    const before = await appliedCount(handle.db);
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return { applied: (await appliedCount(handle.db)) - before };
  }
  if (!handle.url) throw new Error('migrateDb: a server handle without its URL');
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      // Counted under the lock: what this instance applied, not what another did meanwhile.
      const db = drizzlePostgres({ client });
      const before = await appliedCount(db);
      await migratePostgres(db, { migrationsFolder });
      return { applied: (await appliedCount(db)) - before };
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

async function appliedCount(db: Pick<Database, 'execute'>): Promise<number> {
  const [row] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`);
  if (!row?.exists) return 0;
  const [count] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return count?.n ?? 0;
}
