import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { followUps, members, units, type FollowUpStatus } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';

export type FollowUpRow = typeof followUps.$inferSelect;

export async function insertFollowUp(db: Executor, input: Omit<typeof followUps.$inferInsert, 'id' | 'createdAt'>): Promise<FollowUpRow> {
  const [row] = await db.insert(followUps).values(input).returning();
  return row!;
}

/** Writes many follow-ups at once (the demo seed). */
export async function insertFollowUps(db: Executor, rows: Array<Omit<typeof followUps.$inferInsert, 'id' | 'createdAt'>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(followUps).values(rows);
}

/** A case's open follow-ups, soonest due first, each with its assignee's handle or unit code. */
export async function openFollowUpsOfCase(
  db: Executor,
  input: { caseId: number },
): Promise<Array<{ id: number; task: string; dueOn: string | null; assignee: string }>> {
  return db
    .select({
      id: followUps.id,
      task: followUps.task,
      dueOn: followUps.dueOn,
      assignee: sql<string>`coalesce((select handle from ${members} where id = ${followUps.assigneeMemberId}),
                                     (select code from ${units} where id = ${followUps.assigneeUnitId}))`,
    })
    .from(followUps)
    .where(and(eq(followUps.caseId, input.caseId), eq(followUps.status, 'open')))
    .orderBy(sql`${followUps.dueOn} nulls last`, followUps.id);
}

/** How many follow-ups are open, open and overdue on `today`, and done. */
export async function countFollowUpsByState(
  db: Executor,
  input: { today: IsoDate },
): Promise<{ open: number; overdue: number; done: number }> {
  const [row] = await db
    .select({
      open: sql<number>`count(*) filter (where ${followUps.status} = 'open')::int`,
      overdue: sql<number>`count(*) filter (where ${followUps.status} = 'open' and ${followUps.dueOn} < ${input.today})::int`,
      done: sql<number>`count(*) filter (where ${followUps.status} = 'done')::int`,
    })
    .from(followUps);
  return row!;
}

/** A follow-up with what deciding who may see and close it needs. */
export interface FollowUpView {
  id: number;
  task: string;
  dueOn: string | null;
  status: FollowUpStatus;
  caseId: number | null;
  caseCode: string | null;
  caseUnitId: number | null;
  assigneeMemberId: number | null;
  assigneeMemberUnitId: number | null;
  assigneeUnitId: number | null;
  /** The member's handle or the unit's code. */
  assignee: string;
  completedAt: Date | null;
}

const viewColumns = sql`f.id, f.task, f.due_on::text as "dueOn", f.status, f.case_id as "caseId", c.code as "caseCode",
  c.unit_id as "caseUnitId", f.assignee_member_id as "assigneeMemberId", m.unit_id as "assigneeMemberUnitId",
  f.assignee_unit_id as "assigneeUnitId", coalesce(m.handle, u.code) as assignee, f.completed_at as "completedAt"`;
const viewFrom = sql`follow_ups f
  left join cases c on c.id = f.case_id
  left join members m on m.id = f.assignee_member_id
  left join units u on u.id = f.assignee_unit_id`;

export async function findFollowUpView(db: Executor, id: number): Promise<FollowUpView | undefined> {
  const [row] = await queryRows<FollowUpView>(db, sql`select ${viewColumns} from ${viewFrom} where f.id = ${id}`);
  return row;
}

export interface FollowUpQuery {
  /** The units the reader may see: a follow-up shows when its case, or its assignee, is in them. */
  scopeUnitIds: number[];
  /** Only those assigned to this member or to one of these units. */
  assignedTo?: { memberId: number; unitIds: number[] };
  /**
   * Those whose case is outside the scope (another unit's, seen through its assignee) only when
   * assigned to this member or to one of these units.
   */
  crossingOnlyIfAssignedTo?: { memberId: number; unitIds: number[] };
  /** Today, in the configured time zone: what "overdue" is measured against. */
  today: IsoDate;
  overdueOnly: boolean;
  openOnly: boolean;
  caseId?: number;
  /** Only those whose case or assignee belongs to these units. */
  unitIds?: number[];
  limit: number;
}

/** Follow-ups a reader may see, overdue first, then by due date; and how many there are in all. */
export async function listFollowUpViews(db: Executor, q: FollowUpQuery): Promise<{ rows: FollowUpView[]; total: number }> {
  const scope = sql.param(q.scopeUnitIds);
  const conditions: SQL[] = [
    sql`(c.unit_id = any(${scope}::int[]) or f.assignee_unit_id = any(${scope}::int[]) or m.unit_id = any(${scope}::int[]))`,
  ];
  if (q.openOnly) conditions.push(sql`f.status = 'open'`);
  if (q.overdueOnly) conditions.push(sql`f.status = 'open' and f.due_on < ${q.today}`);
  if (q.assignedTo) {
    conditions.push(
      sql`(f.assignee_member_id = ${q.assignedTo.memberId} or f.assignee_unit_id = any(${sql.param(q.assignedTo.unitIds)}::int[]))`,
    );
  }
  if (q.crossingOnlyIfAssignedTo) {
    const own = q.crossingOnlyIfAssignedTo;
    conditions.push(
      sql`(c.unit_id = any(${scope}::int[]) or f.assignee_member_id = ${own.memberId} or f.assignee_unit_id = any(${sql.param(own.unitIds)}::int[]))`,
    );
  }
  if (q.caseId !== undefined) conditions.push(sql`f.case_id = ${q.caseId}`);
  if (q.unitIds) {
    const units = sql.param(q.unitIds);
    conditions.push(
      sql`(c.unit_id = any(${units}::int[]) or f.assignee_unit_id = any(${units}::int[]) or m.unit_id = any(${units}::int[]))`,
    );
  }
  const where = sql.join(conditions, sql` and `);
  const rows = await queryRows<FollowUpView & { total: number }>(
    db,
    sql`select ${viewColumns}, count(*) over ()::int as total from ${viewFrom}
        where ${where}
        order by (f.status = 'open' and f.due_on < ${q.today}) desc, f.status = 'open' desc, f.due_on nulls last, f.id
        limit ${q.limit}`,
  );
  return { rows: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}

/** Closes an open follow-up. Undefined when it was no longer open (closed meanwhile). */
export async function closeFollowUp(
  db: Executor,
  input: { id: number; status: 'done' | 'cancelled'; byMemberId: number; at: Date; note: string | null },
): Promise<FollowUpRow | undefined> {
  const [row] = await db
    .update(followUps)
    .set({ status: input.status, completedAt: input.at, completedByMemberId: input.byMemberId, completionNote: input.note })
    .where(and(eq(followUps.id, input.id), eq(followUps.status, 'open')))
    .returning();
  return row;
}
