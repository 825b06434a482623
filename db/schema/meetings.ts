import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { platform, platformCheck } from './enums.ts';
import { followUps } from './follow-ups.ts';
import { members } from './members.ts';
import { units } from './units.ts';

/**
 * A committee's meeting: held in one chat channel for one unit's scope. At most one is open per
 * channel. The agenda is kept as it was shown; the minutes are built from it and the items.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    platform: platform('platform').notNull(),
    channelId: text('channel_id').notNull(),
    startedByMemberId: integer('started_by_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
    /** The figures reviewed: the digest and the previous meeting's directives, as shown. */
    agenda: jsonb('agenda').$type<Record<string, unknown>>().notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, precision: 3 }),
    /** `ended` by a member, or `timeout` when left open too long. */
    endedHow: text('ended_how'),
    endedByMemberId: integer('ended_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
  },
  (t) => [
    check('meetings_platform_name', platformCheck(t.platform)),
    uniqueIndex('meetings_one_open_per_channel')
      .on(t.platform, t.channelId)
      .where(sql`${t.endedAt} is null`),
    index('meetings_unit_started_idx').on(t.unitId, t.startedAt),
    check(
      'meetings_ended_how',
      sql`(${t.endedAt} is null) = (${t.endedHow} is null) and (${t.endedHow} is null or ${t.endedHow} in ('ended', 'timeout'))`,
    ),
  ],
);

/** What is recorded during a meeting: notes, conclusions, and directives (with an assignee). */
export const meetingItems = pgTable(
  'meeting_items',
  {
    id: serial('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    /** A directive's follow-up: its assignee, due date and state live there. */
    followUpId: integer('follow_up_id').references(() => followUps.id, { onDelete: 'restrict' }),
    createdByMemberId: integer('created_by_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('meeting_items_meeting_idx').on(t.meetingId, t.id),
    check(
      'meeting_items_kind',
      sql`${t.kind} in ('note', 'conclusion', 'directive') and ((${t.kind} = 'directive') = (${t.followUpId} is not null))`,
    ),
  ],
);

export const meetingAttendees = pgTable(
  'meeting_attendees',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    joinedAt: timestamp('joined_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.memberId] })],
);

/** Follow-ups assigned during a meeting (`followup add` in its channel) point back to it. */
export const meetingFollowUps = pgTable(
  'meeting_follow_ups',
  {
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    followUpId: integer('follow_up_id')
      .notNull()
      .references(() => followUps.id, { onDelete: 'restrict' }),
  },
  // The meetings a follow-up came from, looked up from the follow-up's side too.
  (t) => [primaryKey({ columns: [t.meetingId, t.followUpId] }), index('meeting_follow_ups_follow_up_idx').on(t.followUpId)],
);
