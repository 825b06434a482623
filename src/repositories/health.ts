import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';

/** `select 1`: the database answers. Rejects when it cannot be reached (readiness). */
export async function pingDatabase(db: Pick<Executor, 'execute'>): Promise<void> {
  await db.execute(sql`select 1`);
}
