import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { caseValidations } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

export type ValidationRow = typeof caseValidations.$inferSelect;

/** `unit_id = any(ids)`, or nothing when the scope is everything. */
const inUnits = (column: SQL, unitIds: number[] | null) =>
  unitIds === null ? sql`true` : sql`${column} = any(${`{${unitIds.join(',')}}`}::int[])`;

/** The day a wanted case's review runs from: its latest validation, or its wanted date. */
const since = sql`coalesce(c.validated_on, c.wanted_on)`;

/** The day its review is due, `months` after {@link since} (the month's last day when shorter). */
const dueOn = (months: number) => sql`(${since} + make_interval(months => ${months}::int))::date`;

/**
 * Wanted cases whose review is due on or before `bound`. The first condition is what
 * `cases_validation_due_idx` answers (adding months to a date moves a day back by at most three at
 * a month's end, hence the slack); the second is the exact one.
 */
const dueBy = (months: number, bound: SQL) =>
  sql`c.status = 'wanted'
    and ${since} <= (${bound} - make_interval(months => ${months}::int))::date + 3
    and ${dueOn(months)} <= ${bound}`;

/** Records one review of a case by its owning unit. Append-only. */
export async function insertValidation(
  db: Executor,
  input: { caseId: number; unitId: number; memberId: number; complete: boolean; note: string | null; validatedAt: Date },
): Promise<ValidationRow> {
  const [row] = await db.insert(caseValidations).values(input).returning();
  return row!;
}

/** A wanted record whose review is due or overdue: case codes and dates only. */
export interface DueValidation {
  caseId: number;
  code: string;
  unitCode: string;
  /** Its latest validation, or null when it was never reviewed (then its review runs from its wanted date). */
  validatedOn: IsoDate | null;
  dueOn: IsoDate;
  /** Days past its due date on `today`: negative while it is still ahead. */
  daysOverdue: number;
}

/**
 * The wanted records of these units whose review is due by `today` + `windowDays`, the one due
 * earliest first (then by code), `limit` from `offset`.
 */
export async function listDueValidations(
  db: Executor,
  input: { unitIds: number[] | null; today: IsoDate; months: number; windowDays: number; limit: number; offset: number },
): Promise<DueValidation[]> {
  const bound = sql`(${input.today}::date + ${input.windowDays}::int)`;
  return queryRows<DueValidation>(
    db,
    sql`select c.id as "caseId", c.code, u.code as "unitCode", c.validated_on::text as "validatedOn",
               ${dueOn(input.months)}::text as "dueOn", (${input.today}::date - ${dueOn(input.months)})::int as "daysOverdue"
        from cases c join units u on u.id = c.unit_id
        where ${dueBy(input.months, bound)} and ${inUnits(sql`c.unit_id`, input.unitIds)}
        order by ${dueOn(input.months)}, c.code
        limit ${input.limit} offset ${input.offset}`,
  );
}

/** How many wanted records of a unit are due for review (within the window) and overdue on `today`. */
export interface DueValidationCounts {
  unitId: number;
  due: number;
  overdue: number;
}

/** {@link DueValidationCounts} per unit of these units (all when null), units with none left out. */
export async function countDueValidations(
  db: Executor,
  input: { unitIds: number[] | null; today: IsoDate; months: number; windowDays: number },
): Promise<DueValidationCounts[]> {
  const bound = sql`(${input.today}::date + ${input.windowDays}::int)`;
  return queryRows<DueValidationCounts>(
    db,
    sql`select c.unit_id as "unitId",
               count(*) filter (where ${dueOn(input.months)} >= ${input.today}::date)::int as due,
               count(*) filter (where ${dueOn(input.months)} < ${input.today}::date)::int as overdue
        from cases c
        where ${dueBy(input.months, bound)} and ${inUnits(sql`c.unit_id`, input.unitIds)}
        group by c.unit_id`,
  );
}

/**
 * Records reviewed between `from` and `to` (days in `timeZone`), per unit that owned them when
 * reviewed, from the reviews themselves: each record once, `incomplete` when its latest review of
 * the period found it incomplete.
 */
export async function validatedInPeriod(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<Array<{ unitId: number; validated: number; incomplete: number }>> {
  return queryRows(
    db,
    sql`select latest.unit_id as "unitId", count(*)::int as validated, count(*) filter (where not latest.complete)::int as incomplete
        from (
          select distinct on (v.case_id) v.case_id, v.unit_id, v.complete
          from case_validations v
          where v.validated_at >= (${input.from}::date)::timestamp at time zone ${input.timeZone}
            and v.validated_at < (${input.to}::date + 1)::timestamp at time zone ${input.timeZone}
            and ${inUnits(sql`v.unit_id`, input.unitIds)}
          order by v.case_id, v.validated_at desc, v.id desc
        ) latest
        group by latest.unit_id`,
  );
}

/** One of a unit's oldest overdue reviews, with the unit's counts (see {@link overdueValidationsForReminders}). */
export interface OverdueValidationRow {
  unitId: number;
  unitCode: string;
  /** The unit's records overdue for review on `today`, and those `escalateDays` or more late. */
  overdue: number;
  escalated: number;
  code: string;
  dueOn: IsoDate;
  daysOverdue: number;
}

/**
 * Each unit's wanted records overdue for review on `today` (of these units, all when null): its
 * counts, and its `listed` most overdue records (a record's code and dates), by unit code then the
 * oldest first.
 */
export async function overdueValidationsForReminders(
  db: Executor,
  input: { unitIds: number[] | null; today: IsoDate; months: number; escalateDays: number; listed: number },
): Promise<OverdueValidationRow[]> {
  const yesterday = sql`(${input.today}::date - 1)`;
  return queryRows<OverdueValidationRow>(
    db,
    sql`select o.unit_id as "unitId", u.code as "unitCode", o.overdue, o.escalated, o.code, o.due_on::text as "dueOn",
               o.days_overdue as "daysOverdue"
        from (
          select c.unit_id, c.code, d.due_on, d.days_overdue,
                 row_number() over (partition by c.unit_id order by d.due_on, c.code) as rank,
                 count(*) over (partition by c.unit_id)::int as overdue,
                 count(*) filter (where d.days_overdue >= ${input.escalateDays}::int) over (partition by c.unit_id)::int as escalated
          from cases c
          cross join lateral (
            select ${dueOn(input.months)} as due_on, (${input.today}::date - ${dueOn(input.months)})::int as days_overdue
          ) d
          where ${dueBy(input.months, yesterday)} and ${inUnits(sql`c.unit_id`, input.unitIds)}
        ) o
        join units u on u.id = o.unit_id
        where o.rank <= ${input.listed}
        order by u.code, o.due_on, o.code`,
  );
}
