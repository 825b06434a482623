import { sql } from 'drizzle-orm';
import { queryRows, type DbHandle } from '../db/client.ts';
import { findUnitByCode } from '../src/repositories/units.ts';
import { buildDigest } from '../src/services/digest/digest.ts';
import { presetPeriod } from '../src/services/digest/period.ts';
import { openServerBenchDb } from './case-find.ts';
import { summarise, time, type Summary } from './stats.ts';

export interface DigestBenchResult {
  cases: number;
  events: number;
  auditRows: number;
  followUps: number;
  period: { from: string; to: string };
  everything: Summary;
  province: Summary;
}

/**
 * Brings the kept benchmark database up to `events` case events, `auditRows` audit rows (lookups)
 * and `followUps` follow-ups, spread over the cases and the last three years. Idempotent: it tops
 * up what is missing.
 */
async function topUp(handle: DbHandle, input: { events: number; auditRows: number; followUps: number }): Promise<void> {
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
  const [{ maxId }] = (await queryRows<{ maxId: number }>(handle.db, sql`select max(id)::int as "maxId" from cases`)) as [
    { maxId: number },
  ];
  const missingEvents = input.events - (await count('case_events'));
  for (let left = missingEvents; left > 0; left -= 100_000) {
    const n = Math.min(100_000, left);
    await handle.db.execute(sql`
      insert into case_events (case_id, kind, occurred_on, recorded_at, data)
      select 1 + (random() * (${maxId} - 1))::int,
             (array['updated', 'note', 'info_added', 'status_changed']::case_event_kind[])[1 + (random() * 3)::int],
             d::date, d, '{}'::jsonb
      from (select timestamptz '2024-01-01' + random() * interval '1040 days' as d from generate_series(1, ${n})) s`);
    process.stderr.write(`  events: ${(missingEvents - left + n).toLocaleString('en')} added\n`);
  }
  const missingAudit = input.auditRows - (await count('audit_log'));
  if (missingAudit > 0) {
    await handle.db.execute(sql`
      insert into audit_log (at, member_id, platform, command, outcome)
      select timestamptz '2024-01-01' + random() * interval '1040 days', (select id from members limit 1), 'slack',
             (array['case find', 'case show', 'followup list'])[1 + (random() * 2)::int], 'ok'
      from generate_series(1, ${missingAudit})`);
  }
  const missingFollowUps = input.followUps - (await count('follow_ups'));
  if (missingFollowUps > 0) {
    await handle.db.execute(sql`
      insert into follow_ups (case_id, assignee_member_id, task, due_on, created_by_member_id, created_at)
      select 1 + (random() * (${maxId} - 1))::int, m.id, 'Xác minh', (timestamptz '2025-06-01' + random() * interval '500 days')::date, m.id,
             timestamptz '2025-01-01' + random() * interval '600 days'
      from generate_series(1, ${missingFollowUps}), (select id from members limit 1) m`);
  }
  // As autovacuum would in time: statistics, and the visibility map index-only scans rely on.
  await handle.db.execute(sql`vacuum analyze cases`);
  await handle.db.execute(sql`analyze`);
}

/** The digest for an 8-month period on the server, for everything and for one province. */
export async function benchDigest(input: { serverUrl: string; cases: number; events: number; runs: number }): Promise<DigestBenchResult> {
  const { handle } = await openServerBenchDb(input.serverUrl, input.cases);
  try {
    const auditRows = 500_000;
    const followUps = 20_000;
    await topUp(handle, { events: input.events, auditRows, followUps });
    // Sent on 1 September: "the first 8 months" of 2026.
    const today = '2026-09-01';
    const period = presetPeriod('ytd', today);
    const since = new Date('2026-08-25T00:00:00Z');
    const province = (await findUnitByCode(handle.db, 'CA-HN'))!;
    const asOf = new Date('2026-09-01T00:00:00Z');
    const run = (scopeUnitId: number | null) =>
      buildDigest(handle.db, { scopeUnitId, period, today, timeZone: 'Asia/Ho_Chi_Minh', since, asOf });
    await run(null);
    await run(province.id);
    const everything: number[] = [];
    const scoped: number[] = [];
    for (let i = 0; i < input.runs; i++) {
      everything.push((await time(() => run(null)))[1]);
      scoped.push((await time(() => run(province.id)))[1]);
    }
    const [{ events }] = (await queryRows<{ events: number }>(handle.db, sql`select count(*)::int as events from case_events`)) as [
      { events: number },
    ];
    return { cases: input.cases, events, auditRows, followUps, period, everything: summarise(everything), province: summarise(scoped) };
  } finally {
    await handle.close();
  }
}
