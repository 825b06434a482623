import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { locale, platform, platformCheck } from './enums.ts';
import { members } from './members.ts';
import { units } from './units.ts';

/** How soon the owning unit must confirm a hit: urgent when the person is held (10 minutes), routine otherwise (an hour). */
export const HIT_PRIORITIES = ['urgent', 'routine'] as const;
export type HitPriority = (typeof HIT_PRIORITIES)[number];
export const HIT_STATUSES = ['open', 'confirmed', 'rejected'] as const;
export type HitStatus = (typeof HIT_STATUSES)[number];

/**
 * One list checked against the wanted list (`case check`): who checked it, the file's hash and
 * what was found. The list itself is not kept; the hits that became requests keep their rows.
 */
export const checks = pgTable(
  'checks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The request that ran it: one check a request, however many instances receive it. */
    invocationId: text('invocation_id').notNull().unique('checks_invocation_key'),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    /** The unit that checked the list (the checker's, or one in their scope): the digest counts its lookups. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    /** Where the checker asked, to tell them each answer. */
    platform: platform('platform').notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    locale: locale('locale').notNull(),
    fileName: text('file_name').notNull(),
    /** SHA-256 of the file's bytes, hex. */
    fileSha256: text('file_sha256').notNull(),
    priority: text('priority').$type<HitPriority>().notNull(),
    rows: integer('rows').notNull(),
    skipped: integer('skipped').notNull(),
    /** Rows with at least one candidate; candidates in all; certain hits (the same national ID); confirmation requests made. */
    rowsWithCandidates: integer('rows_with_candidates').notNull(),
    candidates: integer('candidates').notNull(),
    certain: integer('certain').notNull(),
    requests: integer('requests').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    check('checks_platform_name', platformCheck(t.platform)),
    check('checks_priority', sql`${t.priority} in ('urgent', 'routine')`),
    index('checks_created_idx').on(t.createdAt),
    index('checks_unit_idx').on(t.unitId),
  ],
);

/** What the person of a list row looked like, as written: for the owning unit's leads to compare. */
export interface CheckedPerson {
  fullName: string;
  birthYear: number | null;
  birthDate: string | null;
  nationalId: string | null;
  hometown: string | null;
}

/**
 * A candidate hit sent to the unit that owns the case to confirm (NCIC's hit confirmation): the
 * same person, and the case still stands? Unanswered by `due_at`, the ladder moves up a `stage`:
 * 0 asked, 1 asked again, 2 the unit's leads told, 3 overdue (counted in the digest).
 */
export const hitRequests = pgTable(
  'hit_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    checkId: bigint('check_id', { mode: 'number' })
      .notNull()
      .references(() => checks.id, { onDelete: 'restrict' }),
    /** The row of the file, as the checker sees it (the header is row 1). */
    line: integer('line').notNull(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    /** The owning unit when the check ran: the one asked. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    person: jsonb('person').$type<CheckedPerson>().notNull(),
    score: real('score').notNull(),
    certain: boolean('certain').notNull(),
    /** The reasons' codes (`name_same`, `year_near`, `id_differs`, …). */
    reasons: text('reasons').array().notNull(),
    priority: text('priority').$type<HitPriority>().notNull(),
    status: text('status').$type<HitStatus>().notNull().default('open'),
    stage: smallint('stage').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
    answeredByMemberId: integer('answered_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** The reason of a rejection. */
    answerNote: text('answer_note'),
    /** How many times the unit asked for more time. */
    waits: smallint('waits').notNull().default(0),
  },
  (t) => [
    check('hit_requests_priority', sql`${t.priority} in ('urgent', 'routine')`),
    check('hit_requests_status', sql`${t.status} in ('open', 'confirmed', 'rejected')`),
    check('hit_requests_stage', sql`${t.stage} between 0 and 3`),
    check('hit_requests_answer_consistent', sql`(${t.status} = 'open') = (${t.answeredAt} is null)`),
    unique('hit_requests_check_line_case_key').on(t.checkId, t.line, t.caseId),
    index('hit_requests_open_due_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open'`),
    index('hit_requests_case_idx').on(t.caseId),
    index('hit_requests_unit_idx').on(t.unitId),
    index('hit_requests_created_idx').on(t.createdAt),
  ],
);

/**
 * Where a unit is asked to confirm hits on its cases: one channel a platform. A unit without one is
 * asked in its nearest ancestor's.
 */
export const unitChannels = pgTable(
  'unit_channels',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    platform: platform('platform').notNull(),
    channelId: text('channel_id').notNull(),
    locale: locale('locale').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('unit_channels_platform_name', platformCheck(t.platform)),
    unique('unit_channels_unit_platform_key').on(t.unitId, t.platform),
  ],
);
