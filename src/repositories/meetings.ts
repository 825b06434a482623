import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { meetingAttendees, meetingFollowUps, meetingItems, meetings, type Platform } from '../../db/schema/index.ts';

export type MeetingRow = typeof meetings.$inferSelect;
export type MeetingItemRow = typeof meetingItems.$inferSelect;

/** Opens a meeting; undefined when one is already open in the channel (the unique index says so). */
export async function insertMeeting(
  db: Executor,
  input: Omit<typeof meetings.$inferInsert, 'id' | 'endedAt' | 'endedHow' | 'endedByMemberId'>,
): Promise<MeetingRow | undefined> {
  const [row] = await db.insert(meetings).values(input).onConflictDoNothing().returning();
  return row;
}

export async function openMeetingIn(db: Executor, input: { platform: Platform; channelId: string }): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.platform, input.platform), eq(meetings.channelId, input.channelId), isNull(meetings.endedAt)));
  return row;
}

export async function findMeeting(db: Executor, id: number): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.id, id));
  return row;
}

/** The committee's last meeting before `before`: same channel and unit. */
export async function previousMeeting(
  db: Executor,
  input: { platform: Platform; channelId: string; unitId: number; before: Date },
): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.platform, input.platform),
        eq(meetings.channelId, input.channelId),
        eq(meetings.unitId, input.unitId),
        lt(meetings.startedAt, input.before),
      ),
    )
    .orderBy(desc(meetings.startedAt))
    .limit(1);
  return row;
}

/** The last meeting held in a channel before `before`, for any unit or for one. */
export async function lastMeetingIn(
  db: Executor,
  input: { platform: Platform; channelId: string; unitId: number | null; before: Date },
): Promise<MeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.platform, input.platform),
        eq(meetings.channelId, input.channelId),
        input.unitId === null ? undefined : eq(meetings.unitId, input.unitId),
        lt(meetings.startedAt, input.before),
      ),
    )
    .orderBy(desc(meetings.startedAt))
    .limit(1);
  return row;
}

export async function insertItem(db: Executor, input: Omit<typeof meetingItems.$inferInsert, 'id'>): Promise<MeetingItemRow> {
  const [row] = await db.insert(meetingItems).values(input).returning();
  return row!;
}

export async function itemsOf(db: Executor, meetingId: number): Promise<MeetingItemRow[]> {
  return db.select().from(meetingItems).where(eq(meetingItems.meetingId, meetingId)).orderBy(meetingItems.id);
}

/** True when the member was added now, false when already there. */
export async function addAttendee(db: Executor, input: { meetingId: number; memberId: number; at: Date }): Promise<boolean> {
  const rows = await db
    .insert(meetingAttendees)
    .values({ meetingId: input.meetingId, memberId: input.memberId, joinedAt: input.at })
    .onConflictDoNothing()
    .returning();
  return rows.length === 1;
}

export async function attendeesOf(db: Executor, meetingId: number): Promise<string[]> {
  const rows = await queryRows<{ handle: string }>(
    db,
    sql`select m.handle from meeting_attendees a join members m on m.id = a.member_id where a.meeting_id = ${meetingId} order by a.joined_at, m.handle`,
  );
  return rows.map((r) => r.handle);
}

export async function linkFollowUp(db: Executor, input: { meetingId: number; followUpId: number }): Promise<void> {
  await db.insert(meetingFollowUps).values(input).onConflictDoNothing();
}

export interface MeetingFollowUp {
  id: number;
  task: string;
  caseCode: string | null;
  assignee: string;
  dueOn: string | null;
  status: 'open' | 'done' | 'cancelled';
}

/** The follow-ups a meeting assigned, with their state now. */
export async function followUpsOf(db: Executor, meetingId: number): Promise<MeetingFollowUp[]> {
  return queryRows<MeetingFollowUp>(
    db,
    sql`select f.id, f.task, c.code as "caseCode", coalesce(m.handle, u.code) as assignee, f.due_on::text as "dueOn", f.status::text as status
        from meeting_follow_ups l
        join follow_ups f on f.id = l.follow_up_id
        left join cases c on c.id = f.case_id
        left join members m on m.id = f.assignee_member_id
        left join units u on u.id = f.assignee_unit_id
        where l.meeting_id = ${meetingId}
        order by f.id`,
  );
}

/** Closes a meeting once: undefined when it was closed already (by a member or another instance). */
export async function closeMeeting(
  db: Executor,
  input: { id: number; at: Date; how: 'ended' | 'timeout'; byMemberId: number | null },
): Promise<MeetingRow | undefined> {
  const [row] = await db
    .update(meetings)
    .set({ endedAt: input.at, endedHow: input.how, endedByMemberId: input.byMemberId })
    .where(and(eq(meetings.id, input.id), isNull(meetings.endedAt)))
    .returning();
  return row;
}

/** Open meetings started before `before`: those left open too long. */
export async function staleMeetings(db: Executor, before: Date): Promise<MeetingRow[]> {
  return db
    .select()
    .from(meetings)
    .where(and(isNull(meetings.endedAt), lt(meetings.startedAt, before)));
}

export async function meetingsInUnits(
  db: Executor,
  input: { unitIds: number[]; limit: number },
): Promise<Array<MeetingRow & { unitCode: string }>> {
  return queryRows(
    db,
    sql`select m.id, m.title, m.unit_id as "unitId", u.code as "unitCode", m.platform, m.channel_id as "channelId", m.started_at as "startedAt", m.ended_at as "endedAt", m.ended_how as "endedHow"
        from meetings m join units u on u.id = m.unit_id
        where m.unit_id = any(${`{${input.unitIds.join(',')}}`}::int[])
        order by m.started_at desc limit ${input.limit}`,
  );
}

/**
 * The cases within `unitIds` whose status changed (or that were reopened) since `since`: the first
 * `limit` by code, with their status now, and how many there are in all.
 */
export async function casesChangedSince(
  db: Executor,
  input: { unitIds: number[]; since: Date; limit: number },
): Promise<{ cases: Array<{ code: string; status: string }>; total: number }> {
  const rows = await queryRows<{ code: string; status: string; total: number }>(
    db,
    sql`select code, status, count(*) over ()::int as total
        from (select distinct c.code, c.status::text as status
              from case_events e join cases c on c.id = e.case_id
              where e.kind in ('status_changed', 'reopened')
                and e.recorded_at >= ${input.since.toISOString()}::timestamptz
                and c.unit_id = any(${`{${input.unitIds.join(',')}}`}::int[])) changed
        order by code
        limit ${input.limit}`,
  );
  return { cases: rows.map(({ code, status }) => ({ code, status })), total: rows[0]?.total ?? 0 };
}
