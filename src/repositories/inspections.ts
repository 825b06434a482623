import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { inspectionRecords, inspections } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

export type InspectionRow = typeof inspections.$inferSelect;

/** An inspection with its unit's code, for lists and answers. */
export type InspectionView = InspectionRow & { unitCode: string };

/** A record of a sample: its case code and its completeness when drawn, and the inspector's mark. */
export interface InspectionRecordView {
  caseId: number;
  caseCode: string;
  position: number;
  hasPhoto: boolean;
  hasMarks: boolean;
  hasHistory: boolean;
  validatedAt: Date | null;
  result: 'ok' | 'finding' | null;
  finding: string | null;
  markedBy: string | null;
  followUpId: number | null;
}

/** `{1,2,3}`: an int[] parameter both drivers take. */
const intArray = (ids: number[]) => `{${ids.join(',')}}`;

/**
 * Locks the unit's row until the transaction ends, so that two leads opening an inspection of the
 * same unit at once are taken one after the other, and the second sees the first's. A no-key lock:
 * rows that merely refer to the unit (a case, a follow-up) are still written meanwhile.
 */
export async function lockUnitForInspection(db: Executor, unitId: number): Promise<void> {
  await queryRows(db, sql`select id from units where id = ${unitId} for no key update`);
}

export async function findOpenInspectionOfUnit(db: Executor, unitId: number): Promise<InspectionRow | undefined> {
  const [row] = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.unitId, unitId), isNull(inspections.closedAt)))
    .limit(1);
  return row;
}

/** How many wanted cases a unit has of its own (not its sub-units'): what an inspection of all of them draws. */
export async function countOwnWantedCases(db: Executor, unitId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where unit_id = ${unitId} and status = 'wanted'`,
  );
  return row?.n ?? 0;
}

export async function insertInspection(
  db: Executor,
  input: Omit<typeof inspections.$inferInsert, 'id' | 'closedAt' | 'closedByMemberId' | 'summary'>,
): Promise<InspectionRow> {
  const [row] = await db.insert(inspections).values(input).returning();
  return row!;
}

/**
 * Draws the sample of an inspection from the unit's own wanted cases (not its sub-units'): all of
 * them, or the first `size` in the order of `md5(seed:case id)`, so the same seed over the same
 * cases draws the same ones. Each is numbered by case code and stored with its completeness now
 * and its latest validation. Returns how many were drawn.
 */
export async function drawInspectionSample(
  db: Executor,
  input: { inspectionId: number; unitId: number; seed: string; size: number | null; timeZone: string },
): Promise<number> {
  const limit = input.size === null ? sql`` : sql`limit ${input.size}`;
  const rows = await queryRows<{ caseId: number }>(
    db,
    sql`insert into inspection_records (inspection_id, case_id, position, has_photo, has_marks, has_history, validated_at)
        select ${input.inspectionId}, s.id, row_number() over (order by s.code), s.has_photo, s.has_marks, s.has_history, s.validated_at
        from (
          select c.id, c.code, c.has_photo,
            coalesce(c.identifying_marks, '') <> '' as has_marks,
            coalesce(c.criminal_history, '') <> '' as has_history,
            coalesce((select max(v.validated_at) from case_validations v where v.case_id = c.id),
                     c.validated_on::timestamp at time zone ${input.timeZone}) as validated_at
          from cases c
          where c.unit_id = ${input.unitId} and c.status = 'wanted'
          order by md5(${input.seed} || ':' || c.id::text), c.id
          ${limit}
        ) s
        returning case_id as "caseId"`,
  );
  return rows.length;
}

/** An inspection by id with its unit's code; `forUpdate` locks it until the transaction ends. */
export async function findInspection(db: Executor, input: { id: number; forUpdate?: boolean }): Promise<InspectionView | undefined> {
  const [row] = await queryRows<InspectionView>(
    db,
    sql`select i.id, i.unit_id as "unitId", u.code as "unitCode", i.opened_by_member_id as "openedByMemberId",
          i.opened_at as "openedAt", i.sample_size as "sampleSize", i.seed, i.platform, i.channel_id as "channelId",
          i.closed_at as "closedAt", i.closed_by_member_id as "closedByMemberId", i.summary
        from inspections i join units u on u.id = i.unit_id
        where i.id = ${input.id}
        ${input.forUpdate ? sql`for no key update of i` : sql``}`,
  );
  return row && { ...row, openedAt: new Date(row.openedAt), closedAt: row.closedAt ? new Date(row.closedAt) : null };
}

/** The records of an inspection's sample in order, with their case codes and marks. */
export async function recordsOfInspection(db: Executor, inspectionId: number): Promise<InspectionRecordView[]> {
  const rows = await queryRows<InspectionRecordView>(
    db,
    sql`select r.case_id as "caseId", c.code as "caseCode", r.position, r.has_photo as "hasPhoto", r.has_marks as "hasMarks",
          r.has_history as "hasHistory", r.validated_at as "validatedAt", r.result, r.finding, m.handle as "markedBy",
          r.follow_up_id as "followUpId"
        from inspection_records r
        join cases c on c.id = r.case_id
        left join members m on m.id = r.marked_by_member_id
        where r.inspection_id = ${inspectionId}
        order by r.position`,
  );
  return rows.map((r) => ({ ...r, validatedAt: r.validatedAt ? new Date(r.validatedAt) : null }));
}

/** Marks a record (`ok`, or a finding), replacing an earlier mark. False when the record is not in the sample. */
export async function markInspectionRecord(
  db: Executor,
  input: { inspectionId: number; caseId: number; result: 'ok' | 'finding'; finding: string | null; byMemberId: number; at: Date },
): Promise<boolean> {
  const rows = await db
    .update(inspectionRecords)
    .set({ result: input.result, finding: input.finding, markedByMemberId: input.byMemberId, markedAt: input.at })
    .where(and(eq(inspectionRecords.inspectionId, input.inspectionId), eq(inspectionRecords.caseId, input.caseId)))
    .returning({ caseId: inspectionRecords.caseId });
  return rows.length === 1;
}

/** Closes an inspection once, keeping its summary: undefined when it was closed already. */
export async function closeInspectionRow(
  db: Executor,
  input: { id: number; at: Date; byMemberId: number; summary: Record<string, unknown> },
): Promise<InspectionRow | undefined> {
  const [row] = await db
    .update(inspections)
    .set({ closedAt: input.at, closedByMemberId: input.byMemberId, summary: input.summary })
    .where(and(eq(inspections.id, input.id), isNull(inspections.closedAt)))
    .returning();
  return row;
}

/** Links a record's finding to the follow-up it became. */
export async function linkFindingFollowUp(
  db: Executor,
  input: { inspectionId: number; caseId: number; followUpId: number },
): Promise<void> {
  await db
    .update(inspectionRecords)
    .set({ followUpId: input.followUpId })
    .where(and(eq(inspectionRecords.inspectionId, input.inspectionId), eq(inspectionRecords.caseId, input.caseId)));
}

/** An inspection in a list: its unit, when, and how far its marking has got. */
export interface InspectionListRow {
  id: number;
  unitCode: string;
  openedAt: Date;
  openedBy: string;
  closedAt: Date | null;
  sampled: number;
  marked: number;
  findings: number;
}

/** The inspections of these units, open ones first, then the latest. */
export async function listInspectionsOfUnits(db: Executor, input: { unitIds: number[]; limit: number }): Promise<InspectionListRow[]> {
  const rows = await queryRows<InspectionListRow>(
    db,
    sql`select i.id, u.code as "unitCode", i.opened_at as "openedAt", m.handle as "openedBy", i.closed_at as "closedAt",
          (select count(*)::int from inspection_records r where r.inspection_id = i.id) as sampled,
          (select count(*)::int from inspection_records r where r.inspection_id = i.id and r.result is not null) as marked,
          (select count(*)::int from inspection_records r where r.inspection_id = i.id and r.result = 'finding') as findings
        from inspections i
        join units u on u.id = i.unit_id
        join members m on m.id = i.opened_by_member_id
        where i.unit_id = any(${intArray(input.unitIds)}::int[])
        order by i.closed_at is null desc, i.opened_at desc, i.id desc
        limit ${input.limit}`,
  );
  return rows.map((r) => ({ ...r, openedAt: new Date(r.openedAt), closedAt: r.closedAt ? new Date(r.closedAt) : null }));
}

/** Inspections held (closed) in a period by inspected unit, for the digest. */
export interface InspectionsHeld {
  unitCode: string;
  held: number;
  /** Records sampled, and the findings made, in those inspections. */
  sampled: number;
  findings: number;
}

/**
 * The inspections closed in a period (by the day of `closed_at` in `timeZone`) of units among
 * `unitIds` (null: all), by inspected unit, most held first.
 */
export async function inspectionsHeldByUnit(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; timeZone: string },
): Promise<InspectionsHeld[]> {
  const inScope = input.unitIds === null ? sql`true` : sql`i.unit_id = any(${intArray(input.unitIds)}::int[])`;
  return queryRows<InspectionsHeld>(
    db,
    sql`select u.code as "unitCode", count(*)::int as held,
          coalesce(sum((select count(*) from inspection_records r where r.inspection_id = i.id)), 0)::int as sampled,
          coalesce(sum((select count(*) from inspection_records r where r.inspection_id = i.id and r.result = 'finding')), 0)::int as findings
        from inspections i join units u on u.id = i.unit_id
        where ${inScope}
          and i.closed_at >= (${input.from}::date)::timestamp at time zone ${input.timeZone}
          and i.closed_at < (${input.to}::date + 1)::timestamp at time zone ${input.timeZone}
        group by u.code
        order by held desc, u.code`,
  );
}

/** A follow-up made from an inspection's finding that is still open. */
export interface OpenFinding {
  followUpId: number;
  inspectionId: number;
  caseCode: string;
  /** The inspected unit, which the follow-up is assigned to. */
  unitCode: string;
  dueOn: IsoDate | null;
}

/**
 * The open follow-ups made from findings of inspections of units among `unitIds`: the first
 * `limit`, soonest due first, and how many there are in all.
 */
export async function openFindingsOfUnits(
  db: Executor,
  input: { unitIds: number[]; limit: number },
): Promise<{ findings: OpenFinding[]; total: number }> {
  const rows = await queryRows<OpenFinding & { total: number }>(
    db,
    sql`select f.id as "followUpId", r.inspection_id as "inspectionId", c.code as "caseCode", u.code as "unitCode",
          f.due_on::text as "dueOn", count(*) over ()::int as total
        from inspection_records r
        join inspections i on i.id = r.inspection_id
        join follow_ups f on f.id = r.follow_up_id
        join cases c on c.id = r.case_id
        join units u on u.id = i.unit_id
        where f.status = 'open' and i.unit_id = any(${intArray(input.unitIds)}::int[])
        order by f.due_on nulls last, f.id
        limit ${input.limit}`,
  );
  return { findings: rows.map(({ total: _t, ...f }) => f), total: rows[0]?.total ?? 0 };
}
