import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, jsonb, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { locale, platform, platformCheck } from './enums.ts';
import { members } from './members.ts';
import { units } from './units.ts';

/**
 * When and where the steering committee's digest is posted: a cron expression in a time zone, a
 * chat channel, a scope (a unit and its descendants, or everything) and a period preset.
 */
export const digestSchedules = pgTable(
  'digest_schedules',
  {
    id: serial('id').primaryKey(),
    cron: text('cron').notNull(),
    timeZone: text('time_zone').notNull(),
    targetPlatform: platform('target_platform').notNull(),
    targetChannel: text('target_channel').notNull(),
    /** Null: every unit. */
    unitId: integer('unit_id').references(() => units.id, { onDelete: 'restrict' }),
    /** `week`, `month`, `quarter`, `ytd`, `since-last`, or `since-meeting` (the committee's last meeting in this channel). */
    period: text('period').notNull(),
    /**
     * `digest`: the progress report. `overdue`: reminders to assignees of overdue follow-ups, and
     * a summary to their unit's leads once they are `OVERDUE_ESCALATE_DAYS` late.
     */
    kind: text('kind').notNull().default('digest'),
    locale: locale('locale').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdByMemberId: integer('created_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('digest_schedules_target_platform_name', platformCheck(t.targetPlatform)),
    check('digest_schedules_period', sql`${t.period} in ('week', 'month', 'quarter', 'ytd', 'since-last', 'since-meeting')`),
    check('digest_schedules_kind', sql`${t.kind} in ('digest', 'overdue')`),
  ],
);

/**
 * The run ledger: one row per (schedule, slot), claimed by the instance that fires first. Its
 * unique key is what makes a digest go out once however many instances fire, restart or retry.
 * An instance that can post to the target builds the run once (`built_at`), putting its messages
 * in the outbox in the same transaction; `attempts`, `next_attempt_at` and `last_error` are about
 * building. `delivered_at` is set once every message of the run is delivered.
 */
export const digestRuns = pgTable(
  'digest_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    scheduleId: integer('schedule_id')
      .notNull()
      .references(() => digestSchedules.id, { onDelete: 'cascade' }),
    slot: timestamp('slot', { withTimezone: true, precision: 3 }).notNull(),
    /** The period the digest covered, set when it is built; `since-last` starts after it. */
    periodFrom: date('period_from', { mode: 'string' }),
    periodTo: date('period_to', { mode: 'string' }),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    /** When what it posts was built and put in the outbox; a run is built once. */
    builtAt: timestamp('built_at', { withTimezone: true, precision: 3 }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
    /**
     * What the digest counted, as built (the service's `Digest`): the report stays what it said,
     * and the schedule's next digest compares this period's figures today with these.
     */
    figures: jsonb('figures').$type<Record<string, unknown>>(),
    /** The message as built, without its chart: `casedesk digest --as-delivered RUN_ID` prints it. */
    message: jsonb('message').$type<Record<string, unknown>>(),
  },
  (t) => [
    unique('digest_runs_schedule_slot_key').on(t.scheduleId, t.slot),
    index('digest_runs_pending_idx').on(t.deliveredAt, t.nextAttemptAt),
  ],
);
