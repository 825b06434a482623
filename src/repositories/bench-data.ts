import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { cases } from '../../db/schema/index.ts';

/**
 * Queries of the benchmarks (bench/) only: sampling the data they load, topping up a kept database
 * with synthetic rows, and refreshing the planner's statistics as autovacuum would in time.
 */

/** Planner statistics for every table, after a large load. */
export async function analyzeAll(db: Executor): Promise<void> {
  await db.execute(sql`analyze`);
}

/** Planner statistics and the visibility map (which index-only scans rely on) for the cases table. */
export async function vacuumAnalyzeCases(db: Executor): Promise<void> {
  await db.execute(sql`vacuum analyze cases`);
}

/** About `limit` cases drawn at random, the same ones for the same `seed`: what benchmark queries are made from. */
export async function sampleCases(
  db: Executor,
  input: { seed: number; limit: number },
): Promise<Array<{ code: string; search_key: string; national_id: string | null; aliases: string[] }>> {
  return queryRows(
    db,
    sql`select code, search_key, national_id, aliases from cases tablesample bernoulli (5) repeatable (${input.seed}) limit ${input.limit}`,
  );
}

/** The codes of the cases with these ids, in the order of `ids` (ids without a case left out). */
export async function caseCodesByIds(db: Executor, input: { ids: number[] }): Promise<string[]> {
  if (input.ids.length === 0) return [];
  const rows = await db.select({ id: cases.id, code: cases.code }).from(cases).where(inArray(cases.id, input.ids));
  const codeOf = new Map(rows.map((r) => [r.id, r.code]));
  return input.ids.flatMap((id) => codeOf.get(id) ?? []);
}

/** How many rows a table the benchmarks top up has. */
export async function countRows(db: Executor, input: { table: 'cases' | 'case_events' | 'audit_log' | 'follow_ups' }): Promise<number> {
  return (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(input.table)}`))[0]!.n;
}

/** The highest case id (cases are numbered from 1 in a benchmark database). */
export async function maxCaseId(db: Executor): Promise<number> {
  return (await queryRows<{ maxId: number }>(db, sql`select max(id)::int as "maxId" from cases`))[0]!.maxId;
}

/** `count` case events on random cases up to `maxId`, spread over 2024 to 2026. */
export async function insertRandomCaseEvents(db: Executor, input: { count: number; maxId: number }): Promise<void> {
  await db.execute(sql`
    insert into case_events (case_id, kind, occurred_on, recorded_at, data)
    select 1 + (random() * (${input.maxId} - 1))::int,
           (array['updated', 'note', 'info_added', 'status_changed']::case_event_kind[])[1 + (random() * 3)::int],
           d::date, d, '{}'::jsonb
    from (select timestamptz '2024-01-01' + random() * interval '1040 days' as d from generate_series(1, ${input.count})) s`);
}

/** `count` audit rows of lookups by one member, spread over 2024 to 2026. */
export async function insertRandomLookups(db: Executor, input: { count: number }): Promise<void> {
  await db.execute(sql`
    insert into audit_log (at, member_id, platform, command, outcome)
    select timestamptz '2024-01-01' + random() * interval '1040 days', (select id from members limit 1), 'slack',
           (array['case find', 'case show', 'followup list'])[1 + (random() * 2)::int], 'ok'
    from generate_series(1, ${input.count})`);
}

/** `count` follow-ups on random cases up to `maxId`, assigned to and by one member. */
export async function insertRandomFollowUps(db: Executor, input: { count: number; maxId: number }): Promise<void> {
  await db.execute(sql`
    insert into follow_ups (case_id, assignee_member_id, task, due_on, created_by_member_id, created_at)
    select 1 + (random() * (${input.maxId} - 1))::int, m.id, 'Xác minh', (timestamptz '2025-06-01' + random() * interval '500 days')::date, m.id,
           timestamptz '2025-01-01' + random() * interval '600 days'
    from generate_series(1, ${input.count}), (select id from members limit 1) m`);
}
