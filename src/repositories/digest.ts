import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import type { IsoDate } from '../domain/dates.ts';

/** What one unit's cases count for in a period, from the figures' journal (`case_ledger`). */
export interface UnitHistoryFigures {
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
}

/** What one unit's records are today: new in the period, and what the wanted ones lack. */
export interface UnitRecordFigures {
  unitId: number;
  newCases: number;
  missingPhoto: number;
  missingMarks: number;
  missingHistory: number;
}

/** `unit_id = any(ids)`, or nothing when the scope is everything. */
const inUnits = (column: SQL, unitIds: number[] | null) =>
  unitIds === null ? sql`true` : sql`${column} = any(${`{${unitIds.join(',')}}`}::int[])`;

/** The journal entries a period's figures add up: its days, and every `wanted` entry up to its end. */
const periodEntries = (from: IsoDate, to: IsoDate) => sql`l.day <= ${to}::date and (l.measure = 'wanted' or l.day >= ${from}::date)`;

/**
 * A period's figures per unit, from the journal (one statement, one snapshot): the outcomes whose
 * day is in the period, the decisions dated in it, and the subjects wanted on its last day. Every
 * later correction or late entry is an entry of its own, so `knownAt` gives the figures as they
 * stood at that instant. The caller sums units into the rows of its report, and the rows into its
 * totals, so that both agree.
 */
export async function historyFiguresByUnit(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; knownAt?: Date },
): Promise<UnitHistoryFigures[]> {
  const inPeriod = sql`l.day >= ${input.from}::date`;
  const resolved = sql`l.measure in ('arrested', 'surrendered', 'cleared') and ${inPeriod}`;
  const sum = (where: SQL) => sql`coalesce(sum(l.delta) filter (where ${where}), 0)::int`;
  return queryRows<UnitHistoryFigures>(
    db,
    sql`select l.unit_id as "unitId",
          ${sum(sql`l.measure = 'arrested' and ${inPeriod}`)} as "arrested",
          ${sum(sql`l.measure = 'surrendered' and ${inPeriod}`)} as "surrendered",
          ${sum(sql`l.measure = 'cleared' and ${inPeriod}`)} as "cleared",
          ${sum(sql`${resolved} and l.danger <> 'normal'`)} as "resolvedDangerous",
          ${sum(sql`${resolved} and l.danger = 'especially_dangerous'`)} as "resolvedEspeciallyDangerous",
          ${sum(sql`l.measure = 'wanted_decision' and ${inPeriod}`)} as "wantedDecisions",
          ${sum(sql`l.measure = 'cancellation_decision' and ${inPeriod}`)} as "cancellations",
          ${sum(sql`l.measure = 'wanted'`)} as "outstanding",
          ${sum(sql`l.measure = 'wanted' and l.danger <> 'normal'`)} as "outstandingDangerous",
          ${sum(sql`l.measure = 'wanted' and l.danger = 'especially_dangerous'`)} as "outstandingEspeciallyDangerous"
        from case_ledger l
        where ${periodEntries(input.from, input.to)}
          and ${inUnits(sql`l.unit_id`, input.unitIds)}
          ${input.knownAt ? sql`and l.recorded_at <= ${input.knownAt.toISOString()}::timestamptz` : sql``}
        group by l.unit_id`,
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
          and ${periodEntries(input.from, input.to)}
          and ${inUnits(sql`l.unit_id`, input.unitIds)}
        group by l.measure`,
  );
}

/**
 * Cases recorded in the period, and what the records of the cases wanted today lack (a photo,
 * identifying marks, criminal history), per unit.
 */
export async function recordFiguresByUnit(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<UnitRecordFigures[]> {
  return queryRows<UnitRecordFigures>(
    db,
    sql`select c.unit_id as "unitId",
          count(*) filter (where c.created_at >= (${input.from}::date)::timestamp at time zone ${input.timeZone}
                             and c.created_at < (${input.to}::date + 1)::timestamp at time zone ${input.timeZone})::int as "newCases",
          count(*) filter (where c.status = 'wanted' and not c.has_photo)::int as "missingPhoto",
          count(*) filter (where c.status = 'wanted' and coalesce(c.identifying_marks, '') = '')::int as "missingMarks",
          count(*) filter (where c.status = 'wanted' and coalesce(c.criminal_history, '') = '')::int as "missingHistory"
        from cases c
        where ${inUnits(sql`c.unit_id`, input.unitIds)}
        group by c.unit_id`,
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
        leads as (select m.id, m.handle, up.depth from up join members m on m.unit_id = up.id and m.role = 'lead')
        select l.id, l.handle, i.user_id as "userId"
        from leads l
        left join member_identities i on i.member_id = l.id and i.platform::text = ${input.platform}
        where l.depth = (select min(depth) from leads)
        order by l.handle`,
  );
}

/** A member's chat account on `platform`, for a direct message. */
export async function chatAccountOf(db: Executor, input: { memberId: number; platform: string }): Promise<string | null> {
  const [row] = await queryRows<{ userId: string }>(
    db,
    sql`select user_id as "userId" from member_identities where member_id = ${input.memberId} and platform::text = ${input.platform} order by user_id limit 1`,
  );
  return row?.userId ?? null;
}
