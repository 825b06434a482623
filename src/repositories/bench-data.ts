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

/** Planner statistics and the visibility map (which index-only scans rely on) for the cases and the figures' journal. */
export async function vacuumAnalyzeCases(db: Executor): Promise<void> {
  await db.execute(sql`vacuum analyze cases`);
  await db.execute(sql`vacuum analyze case_ledger`);
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
export async function countRows(
  db: Executor,
  input: { table: 'cases' | 'case_events' | 'audit_log' | 'follow_ups' | 'checks' },
): Promise<number> {
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

/** How many cases are in their second spell or later: wanted again after an outcome. */
export async function countReopenedCases(db: Executor): Promise<number> {
  return (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from cases where spell > 1`))[0]!.n;
}

/**
 * History for the figures to work through, written as the application writes it (the database's
 * triggers journal each change): about `count` resolved cases wanted again by a new wanted decision
 * 30 days after their outcome (escapes); half of them resolved again 20 days later, with their
 * cancellation decision; and about a twentieth of the other outcomes corrected a day earlier. In
 * statements of 10,000 cases, each well within the statement timeout.
 */
export async function insertRandomHistory(db: Executor, input: { count: number; today: string }): Promise<void> {
  const batch = 10_000;
  for (let done = 0; done < input.count; done += batch) {
    await db.execute(sql`
      with picked as (
        select id, resolved_on + 30 as again from cases
        where spell = 1 and status <> 'wanted' and resolved_on + 30 <= ${input.today}::date
        order by md5(id::text) limit ${Math.min(batch, input.count - done)}
      ),
      decisions as (
        insert into case_decisions (case_id, kind, number, decided_on, actor_label)
        select id, 'wanted', 'R' || id || '/QĐ-CSĐT', again, 'bench' from picked
      )
      update cases c set status = 'wanted', resolved_on = null, outcome_note = null, wanted_on = p.again, spell = c.spell + 1,
                         version = c.version + 1, updated_at = now()
      from picked p where c.id = p.id`);
  }
  for (let done = 0; done < input.count / 2; done += batch) {
    await db.execute(sql`
      with picked as (
        select id, wanted_on + 20 as caught from cases
        where spell > 1 and status = 'wanted' and wanted_on + 20 <= ${input.today}::date
        order by md5(id::text) limit ${Math.min(batch, input.count / 2 - done)}
      ),
      decisions as (
        insert into case_decisions (case_id, kind, number, decided_on, actor_label)
        select id, 'cancellation', 'R' || id || '/QĐ-ĐN', caught, 'bench' from picked
      )
      update cases c set status = 'arrested', resolved_on = p.caught, version = c.version + 1, updated_at = now()
      from picked p where c.id = p.id`);
  }
  const maxId = await maxCaseId(db);
  for (let from = 1; from <= maxId; from += 100_000) {
    await db.execute(sql`
      update cases set resolved_on = resolved_on - 1, version = version + 1, updated_at = now()
      where id between ${from} and ${from + 99_999} and id % 20 = 7
        and spell = 1 and status <> 'wanted' and resolved_on > wanted_on`);
  }
}

/** Rows in the figures' journal and in the decisions, for the report of a benchmark. */
export async function countHistoryRows(db: Executor): Promise<{ journal: number; decisions: number }> {
  const [row] = await queryRows<{ journal: number; decisions: number }>(
    db,
    sql`select (select count(*) from case_ledger)::int as journal, (select count(*) from case_decisions)::int as decisions`,
  );
  return row!;
}

/**
 * The search-quality benchmark's baseline engine: a GiST trigram index on the folded search key,
 * made on a benchmark's own database only (never by a migration), with memory enough to build it
 * on a million cases without spilling.
 */
export async function createBaselineTrigramIndex(db: Executor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    await tx.execute(sql`create index if not exists bench_baseline_search_key_gist on cases using gist (search_key gist_trgm_ops)`);
  });
}

/** Removes the baseline's index, so that it never serves the engine under test. */
export async function dropBaselineTrigramIndex(db: Executor): Promise<void> {
  await db.execute(sql`drop index if exists bench_baseline_search_key_gist`);
}

/**
 * The baseline's answer: the `limit` cases whose folded key is nearest the query's in trigram
 * distance, k-nearest through the GiST index. Ties are broken by code among the nearest
 * 5 × `limit`, so that the answer does not depend on the order the index was built in.
 */
export async function baselineTrigramSearch(db: Executor, input: { text: string; limit: number }): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select code from (
          select code, search_key <-> casedesk_search_key(${input.text}) as distance
          from cases order by search_key <-> casedesk_search_key(${input.text}) limit ${5 * input.limit}
        ) nearest
        order by distance, code limit ${input.limit}`,
  );
  return rows.map((r) => r.code);
}

/** The confirmation requests of the newest check whose request id starts with `invocationPrefix`. */
export async function hitRequestsOfCheck(
  db: Executor,
  input: { invocationPrefix: string },
): Promise<Array<{ line: number; code: string; certain: boolean }>> {
  return queryRows(
    db,
    sql`select h.line, c.code, h.certain from hit_requests h join cases c on c.id = h.case_id
          where h.check_id = (select max(id) from checks where invocation_id like ${`${input.invocationPrefix}%`})
          order by h.line, c.code`,
  );
}
