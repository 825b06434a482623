import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import type { IsoDate } from '../domain/dates.ts';

/** What one unit's cases count for in a period, and what its records are today. */
export interface UnitFigures {
  unitId: number;
  arrested: number;
  surrendered: number;
  cleared: number;
  resolvedDangerous: number;
  resolvedEspeciallyDangerous: number;
  wantedDecisions: number;
  cancellations: number;
  outstanding: number;
  outstandingDangerous: number;
  outstandingEspeciallyDangerous: number;
  /** Cases recorded in the period. */
  newCases: number;
  /** Cases wanted today whose record lacks a photo, identifying marks, criminal history. */
  missingPhoto: number;
  missingMarks: number;
  missingHistory: number;
}

/** `unit_id = any(ids)`, or nothing when the scope is everything. */
const inUnits = (column: SQL, unitIds: number[] | null) =>
  unitIds === null ? sql`true` : sql`${column} = any(${`{${unitIds.join(',')}}`}::int[])`;

/**
 * A period's figures per unit, in one statement (one snapshot), each part a short read of an index:
 * - from the figures' journal, the outcomes whose day is in the period and the decisions dated in it;
 * - the subjects wanted on its last day: the sum of every `wanted` entry up to that day, which is
 *   the subjects wanted today (a case's `wanted` entries sum to 1 while it is wanted, in its current
 *   unit and danger) less the entries after that day, rather than all of the journal's history;
 * - the cases recorded in the period, and what the records of the cases wanted today lack.
 * The caller sums units into the rows of its report, and the rows into its totals, so that both agree.
 */
export async function caseFiguresByUnit(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<UnitFigures[]> {
  const { from, to, timeZone } = input;
  const cases = inUnits(sql`c.unit_id`, input.unitIds);
  const journal = inUnits(sql`l.unit_id`, input.unitIds);
  const resolved = sql`l.measure in ('arrested', 'surrendered', 'cleared')`;
  const sum = (where: SQL) => sql`coalesce(sum(l.delta) filter (where ${where}), 0)::int`;
  const wanted = (where: SQL) => sql`coalesce(sum(w.n) filter (where ${where}), 0)::int`;
  const count = (what: string) => sql`coalesce(sum(r.n) filter (where r.what = ${what}), 0)::int`;
  return queryRows<UnitFigures>(
    db,
    sql`with period as (
          select l.unit_id,
            ${sum(sql`l.measure = 'arrested'`)} as arrested,
            ${sum(sql`l.measure = 'surrendered'`)} as surrendered,
            ${sum(sql`l.measure = 'cleared'`)} as cleared,
            ${sum(sql`${resolved} and l.danger <> 'normal'`)} as resolved_dangerous,
            ${sum(sql`${resolved} and l.danger = 'especially_dangerous'`)} as resolved_especially,
            ${sum(sql`l.measure = 'wanted_decision'`)} as wanted_decisions,
            ${sum(sql`l.measure = 'cancellation_decision'`)} as cancellations
          from case_ledger l
          where l.measure in ('arrested', 'surrendered', 'cleared', 'wanted_decision', 'cancellation_decision')
            and l.day between ${from}::date and ${to}::date and ${journal}
          group by l.unit_id
        ),
        wanted as (
          select c.unit_id, c.danger, count(*)::int as n
          from cases c where c.status = 'wanted' and ${cases}
          group by c.unit_id, c.danger
          union all
          select l.unit_id, l.danger, -sum(l.delta)::int
          from case_ledger l where l.measure = 'wanted' and l.day > ${to}::date and ${journal}
          group by l.unit_id, l.danger
        ),
        outstanding as (
          select w.unit_id,
            ${wanted(sql`true`)} as total,
            ${wanted(sql`w.danger <> 'normal'`)} as dangerous,
            ${wanted(sql`w.danger = 'especially_dangerous'`)} as especially
          from wanted w
          group by w.unit_id
        ),
        records as (
          select c.unit_id, 'new' as what, count(*)::int as n from cases c
          where c.created_at >= (${from}::date)::timestamp at time zone ${timeZone}
            and c.created_at < (${to}::date + 1)::timestamp at time zone ${timeZone} and ${cases}
          group by c.unit_id
          union all
          select c.unit_id, 'photo', count(*)::int from cases c where c.status = 'wanted' and not c.has_photo and ${cases} group by c.unit_id
          union all
          select c.unit_id, 'marks', count(*)::int from cases c
          where c.status = 'wanted' and coalesce(c.identifying_marks, '') = '' and ${cases} group by c.unit_id
          union all
          select c.unit_id, 'history', count(*)::int from cases c
          where c.status = 'wanted' and coalesce(c.criminal_history, '') = '' and ${cases} group by c.unit_id
        ),
        record_counts as (
          select r.unit_id, ${count('new')} as new_cases, ${count('photo')} as photo, ${count('marks')} as marks, ${count('history')} as history
          from records r
          group by r.unit_id
        ),
        units as (select unit_id from period union select unit_id from outstanding union select unit_id from record_counts)
        select u.unit_id as "unitId",
          coalesce(p.arrested, 0) as "arrested",
          coalesce(p.surrendered, 0) as "surrendered",
          coalesce(p.cleared, 0) as "cleared",
          coalesce(p.resolved_dangerous, 0) as "resolvedDangerous",
          coalesce(p.resolved_especially, 0) as "resolvedEspeciallyDangerous",
          coalesce(p.wanted_decisions, 0) as "wantedDecisions",
          coalesce(p.cancellations, 0) as "cancellations",
          coalesce(o.total, 0) as "outstanding",
          coalesce(o.dangerous, 0) as "outstandingDangerous",
          coalesce(o.especially, 0) as "outstandingEspeciallyDangerous",
          coalesce(r.new_cases, 0) as "newCases",
          coalesce(r.photo, 0) as "missingPhoto",
          coalesce(r.marks, 0) as "missingMarks",
          coalesce(r.history, 0) as "missingHistory"
        from units u
        left join period p on p.unit_id = u.unit_id
        left join outstanding o on o.unit_id = u.unit_id
        left join record_counts r on r.unit_id = u.unit_id`,
  );
}

/**
 * The last entry of the figures' journal: a report remembers it, so that what was journalled
 * after it can be told apart, whatever the clocks say.
 */
export async function lastJournalEntry(db: Executor): Promise<number> {
  const [row] = await queryRows<{ id: number }>(db, sql`select coalesce(max(id), 0)::bigint::float8 as id from case_ledger`);
  return row?.id ?? 0;
}

/**
 * What corrections (another outcome or day, an outcome withdrawn, a case moved, a decision
 * corrected) journalled after entry `after` changed in a period's figures, by measure: the rest of
 * a change since then is late entries.
 */
export async function correctionsSince(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; after: number },
): Promise<Array<{ measure: string; delta: number }>> {
  return queryRows(
    db,
    sql`select l.measure, sum(l.delta)::int as delta
        from case_ledger l
        where l.id > ${input.after} and l.correction
          and l.day <= ${input.to}::date and (l.measure = 'wanted' or l.day >= ${input.from}::date)
          and ${inUnits(sql`l.unit_id`, input.unitIds)}
        group by l.measure`,
  );
}

/** Outcomes by month, outcome and danger, from the journal: for the chart and the comparison with last year. */
export async function outcomesByMonth(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate },
): Promise<Array<{ month: string; status: 'arrested' | 'surrendered' | 'cleared'; danger: string; n: number }>> {
  return queryRows(
    db,
    sql`select to_char(l.day, 'YYYY-MM') as month, l.measure as status, l.danger::text as danger, sum(l.delta)::int as n
        from case_ledger l
        where l.measure in ('arrested', 'surrendered', 'cleared')
          and l.day between ${input.from}::date and ${input.to}::date
          and ${inUnits(sql`l.unit_id`, input.unitIds)}
        group by 1, 2, 3
        having sum(l.delta) <> 0`,
  );
}

export interface OverdueFollowUp {
  id: number;
  caseCode: string | null;
  /** A member's handle or a unit's code: never personal data of a wanted person. */
  assignee: string;
  dueOn: IsoDate;
}

/**
 * Follow-ups in scope (on a case in scope, or assigned to a unit in scope or to a member of one):
 * opened and completed in the period, and those overdue today, oldest first.
 */
export async function followUpFigures(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; today: IsoDate; timeZone: string; overdueLimit: number },
): Promise<{ opened: number; completed: number; overdue: number; oldestOverdue: OverdueFollowUp[] }> {
  const fromTs = sql`(${input.from}::date)::timestamp at time zone ${input.timeZone}`;
  const toTs = sql`(${input.to}::date + 1)::timestamp at time zone ${input.timeZone}`;
  const inScope =
    input.unitIds === null
      ? sql`true`
      : sql`(${inUnits(sql`c.unit_id`, input.unitIds)} or ${inUnits(sql`f.assignee_unit_id`, input.unitIds)} or ${inUnits(sql`m.unit_id`, input.unitIds)})`;
  const from = sql`from follow_ups f
      left join cases c on c.id = f.case_id
      left join members m on m.id = f.assignee_member_id
      left join units au on au.id = f.assignee_unit_id
      where ${inScope}`;
  const [counts] = await queryRows<{ opened: number; completed: number; overdue: number }>(
    db,
    sql`        select count(*) filter (where f.created_at >= ${fromTs} and f.created_at < ${toTs})::int as opened,
               count(*) filter (where f.status = 'done' and f.completed_at >= ${fromTs} and f.completed_at < ${toTs})::int as completed,
               count(*) filter (where f.status = 'open' and f.due_on < ${input.today}::date)::int as overdue
        ${from}`,
  );
  const oldest = await queryRows<OverdueFollowUp>(
    db,
    sql`        select f.id, c.code as "caseCode", coalesce(m.handle, au.code) as assignee, f.due_on::text as "dueOn"
        ${from} and f.status = 'open' and f.due_on < ${input.today}::date
        order by f.due_on, f.id
        limit ${input.overdueLimit}`,
  );
  return { ...(counts ?? { opened: 0, completed: 0, overdue: 0 }), oldestOverdue: oldest };
}

/** Case lookups answered (`case find`, `case show`) in the period, by members in scope. */
export async function countLookups(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`        select count(*)::int as n
        from audit_log a
        ${input.unitIds === null ? sql`` : sql`join members m on m.id = a.member_id and ${inUnits(sql`m.unit_id`, input.unitIds)}`}
        where a.command in ('case find', 'case show') and a.outcome = 'ok'
          and a.at >= (${input.from}::date)::timestamp at time zone ${input.timeZone}
          and a.at < (${input.to}::date + 1)::timestamp at time zone ${input.timeZone}`,
  );
  return row?.n ?? 0;
}

/** What list checks did for the digest (see {@link checkFigures}). */
export interface CheckFigures {
  /** Lists checked, and their rows: each a lookup answered. */
  lists: number;
  rowsChecked: number;
  /** Candidate hits the checks found, and requests sent to confirm. */
  candidates: number;
  /** Hits confirmed in the period by the units that own the cases. */
  confirmed: number;
  /** Subjects resolved (arrested, surrendered, cleared) in the period after a confirmed hit. */
  resolvedAfterCheck: number;
  /** Confirmations still unanswered when the digest was built, past the whole ladder. */
  overdue: number;
}

/**
 * List checks in the period: the lists checked by units in scope, their rows and candidates; hits
 * confirmed by units in scope and their cases resolved after the confirmation; confirmations in
 * scope now overdue.
 */
export async function checkFigures(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<CheckFigures> {
  const start = sql`(${input.from}::date)::timestamp at time zone ${input.timeZone}`;
  const end = sql`(${input.to}::date + 1)::timestamp at time zone ${input.timeZone}`;
  const [row] = await queryRows<CheckFigures>(
    db,
    sql`select
          (select count(*)::int from checks k where ${inUnits(sql`k.unit_id`, input.unitIds)} and k.created_at >= ${start} and k.created_at < ${end}) as lists,
          (select coalesce(sum(k.rows), 0)::int from checks k where ${inUnits(sql`k.unit_id`, input.unitIds)} and k.created_at >= ${start} and k.created_at < ${end}) as "rowsChecked",
          (select coalesce(sum(k.candidates), 0)::int from checks k where ${inUnits(sql`k.unit_id`, input.unitIds)} and k.created_at >= ${start} and k.created_at < ${end}) as candidates,
          (select count(*)::int from hit_requests h where ${inUnits(sql`h.unit_id`, input.unitIds)} and h.status = 'confirmed'
             and h.answered_at >= ${start} and h.answered_at < ${end}) as confirmed,
          (select count(distinct c.id)::int from cases c join hit_requests h on h.case_id = c.id and h.status = 'confirmed'
             where ${inUnits(sql`c.unit_id`, input.unitIds)} and c.status in ('arrested', 'surrendered', 'cleared')
               and c.resolved_on between ${input.from}::date and ${input.to}::date
               and (h.answered_at at time zone ${input.timeZone})::date <= c.resolved_on) as "resolvedAfterCheck",
          (select count(*)::int from hit_requests h where ${inUnits(sql`h.unit_id`, input.unitIds)} and h.status = 'open' and h.stage = 3) as overdue`,
  );
  return row!;
}

/** Status changes and new cases recorded between two instants, in scope. */
export async function changesSince(
  db: Executor,
  input: { unitIds: number[] | null; since: Date; until: Date },
): Promise<{ statusChanges: number; newCases: number }> {
  const [row] = await queryRows<{ statusChanges: number; newCases: number }>(
    db,
    sql`select count(*) filter (where e.kind in ('status_changed', 'reopened'))::int as "statusChanges",
               count(*) filter (where e.kind = 'created')::int as "newCases"
        from case_events e
        where e.recorded_at >= ${input.since.toISOString()}::timestamptz and e.recorded_at < ${input.until.toISOString()}::timestamptz
          and e.kind in ('status_changed', 'reopened', 'created')
          ${input.unitIds === null ? sql`` : sql`and exists (select 1 from cases c where c.id = e.case_id and ${inUnits(sql`c.unit_id`, input.unitIds)})`}`,
  );
  return row ?? { statusChanges: 0, newCases: 0 };
}

export interface OverdueForReminder {
  id: number;
  caseCode: string | null;
  dueOn: IsoDate;
  daysOverdue: number;
  /** The member it is assigned to, or null for a unit. */
  memberId: number | null;
  memberHandle: string | null;
  /** The unit answerable for it: the assigned unit, or the assignee's own. */
  unitId: number;
  unitCode: string;
}

/** Open follow-ups overdue on `today` in scope, oldest first, with who answers for them. */
export async function overdueForReminders(
  db: Executor,
  input: { unitIds: number[] | null; today: IsoDate },
): Promise<OverdueForReminder[]> {
  const inScope =
    input.unitIds === null
      ? sql`true`
      : sql`(${inUnits(sql`c.unit_id`, input.unitIds)} or ${inUnits(sql`f.assignee_unit_id`, input.unitIds)} or ${inUnits(sql`m.unit_id`, input.unitIds)})`;
  return queryRows<OverdueForReminder>(
    db,
    sql`        select f.id, c.code as "caseCode", f.due_on::text as "dueOn", (${input.today}::date - f.due_on)::int as "daysOverdue",
               m.id as "memberId", m.handle as "memberHandle", u.id as "unitId", u.code as "unitCode"
        from follow_ups f
        left join cases c on c.id = f.case_id
        left join members m on m.id = f.assignee_member_id
        join units u on u.id = coalesce(f.assignee_unit_id, m.unit_id)
        where ${inScope} and f.status = 'open' and f.due_on < ${input.today}::date
        order by f.due_on, f.id`,
  );
}

/**
 * The leads who answer for a unit: its own members with the lead role or, when it has none, those
 * of the nearest unit above it that has some. Each with their chat account on `platform`, if any.
 * A disabled lead answers for nothing: they are passed over, as if the unit had no lead.
 */
export async function unitLeads(
  db: Executor,
  input: { unitId: number; platform: string },
): Promise<Array<{ id: number; handle: string; userId: string | null }>> {
  return queryRows(
    db,
    sql`with recursive up as (
          select id, parent_id, 0 as depth from units where id = ${input.unitId}
          union all
          select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
        ),
        leads as (select m.id, m.handle, up.depth from up join members m on m.unit_id = up.id and m.role = 'lead' and m.disabled_at is null)
        select l.id, l.handle, i.user_id as "userId"
        from leads l
        left join member_identities i on i.member_id = l.id and i.platform::text = ${input.platform}
        where l.depth = (select min(depth) from leads)
        order by l.handle`,
  );
}

/** A member's chat account on `platform`, for a direct message; none for a disabled member, who is sent nothing. */
export async function chatAccountOf(db: Executor, input: { memberId: number; platform: string }): Promise<string | null> {
  const [row] = await queryRows<{ userId: string }>(
    db,
    sql`select i.user_id as "userId" from member_identities i join members m on m.id = i.member_id
        where i.member_id = ${input.memberId} and i.platform::text = ${input.platform} and m.disabled_at is null
        order by i.user_id limit 1`,
  );
  return row?.userId ?? null;
}

/** What was added to the records in a period: photos, identifying marks and criminal history entries. */
export interface RecordAdditions {
  photos: number;
  marks: number;
  history: number;
}

/**
 * The photos (retired ones too: they were added) and the identifying-detail entries added from
 * `from` to `to` (days in `timeZone`) to the cases of `unitIds`, by the unit owning each case now.
 * Entries that came with the migration of the old free-text fields are not news and are left out.
 */
export async function recordAdditions(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<RecordAdditions> {
  const inPeriod = (column: SQL) =>
    sql`${column} >= (${input.from}::date)::timestamp at time zone ${input.timeZone}
      and ${column} < (${input.to}::date + 1)::timestamp at time zone ${input.timeZone}`;
  const [row] = await queryRows<RecordAdditions>(
    db,
    sql`select
          (select count(*) from case_photos p join cases c on c.id = p.case_id
            where ${inUnits(sql`c.unit_id`, input.unitIds)} and ${inPeriod(sql`p.added_at`)})::int as photos,
          (select count(*) from case_details d join cases c on c.id = d.case_id
            where d.kind = 'marks' and d.added_by_label is distinct from 'migration'
              and ${inUnits(sql`c.unit_id`, input.unitIds)} and ${inPeriod(sql`d.added_at`)})::int as marks,
          (select count(*) from case_details d join cases c on c.id = d.case_id
            where d.kind = 'history' and d.added_by_label is distinct from 'migration'
              and ${inUnits(sql`c.unit_id`, input.unitIds)} and ${inPeriod(sql`d.added_at`)})::int as history`,
  );
  return row!;
}
