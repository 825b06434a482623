import { sql } from 'drizzle-orm';
import { createDb, type Database, type DbHandle } from '../../db/client.ts';
import { addSchedule } from '../../src/services/digest/schedules.ts';
import type { TestDb } from './db.ts';

/**
 * A Slack digest schedule to channel C0DIGEST (or `channel`) over every unit, in Hanoi's time (or `timeZone`), made as if on 1 January 2024 (or
 * `createdAt`), so that the slots the tests ask for are not "from before it existed".
 */
export async function addTestSchedule(
  t: TestDb,
  input: {
    cron?: string;
    period?: 'week' | 'month' | 'ytd' | 'since-last' | 'since-meeting';
    timeZone?: string;
    channel?: string;
    createdAt?: Date;
  } = {},
) {
  const added = await addSchedule(t.db, {
    cron: input.cron ?? '0 7 * * 1',
    timeZone: input.timeZone ?? 'Asia/Ho_Chi_Minh',
    platform: 'slack',
    channel: input.channel ?? 'C0DIGEST',
    unitId: null,
    period: input.period ?? 'week',
    locale: 'vi',
    createdByMemberId: null,
  });
  if (!added.ok) throw new Error('schedule refused');
  await t.db.execute(
    sql`update digest_schedules set created_at = ${(input.createdAt ?? new Date('2024-01-01T00:00:00Z')).toISOString()} where id = ${added.value.id}`,
  );
  return added.value;
}

/**
 * Database handles for several "instances": on a server one pool each, as separate processes
 * have; on PGlite, which one process owns, the test's own handle. `close()` ends the extra pools.
 */
export function instanceHandles(t: TestDb) {
  const opened: DbHandle[] = [];
  return {
    async dbs(n: number): Promise<Database[]> {
      if (!t.url) return Array.from({ length: n }, () => t.db);
      const handles = await Promise.all(Array.from({ length: n }, () => createDb({ databaseUrl: t.url, dataDir: '', databasePoolMax: 2 })));
      opened.push(...handles);
      return handles.map((h) => h.db);
    },
    close: () => Promise.all(opened.splice(0).map((h) => h.close())),
  };
}
