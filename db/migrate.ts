import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import postgres from 'postgres';
import type { DbHandle } from './client.ts';
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
  const before = await appliedCount(handle);
  if (handle.driver === 'pglite') {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
  } else {
    if (!handle.url) throw new Error('migrateDb: a server handle without its URL');
    const client = postgres(handle.url, { max: 1, onnotice: () => {} });
    try {
      await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
      try {
        await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
      } finally {
        await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
      }
    } finally {
      await client.end({ timeout: 5 });
    }
  }
  return { applied: (await appliedCount(handle)) - before };
}

async function appliedCount(handle: DbHandle): Promise<number> {
  const [row] = await queryRows<{ exists: boolean }>(
    handle.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "exists"`,
  );
  if (!row?.exists) return 0;
  const [count] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return count?.n ?? 0;
}
