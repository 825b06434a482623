import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { digestRuns } from './digests.ts';
import { platform, platformCheck } from './enums.ts';

/** An attachment as stored in the outbox: the bytes in base64, so that jsonb can hold them. */
export interface StoredAttachment {
  name: string;
  contentType: string;
  description?: string;
  base64: string;
}

/**
 * The platform's handle for answering one request, as its adapter built it (Slack's
 * `{ responseUrl }`, Discord's `{ applicationId, token }`): opaque to the core, and a credential,
 * so never logged, and emptied (`{}`) once the answer is delivered or given up.
 */
export type StoredReplyTo = Record<string, string>;

/**
 * The transactional outbox: each chat message the scheduler must post, written in the same
 * transaction as the change that causes it (a digest run built, a meeting closed by its time-out,
 * a command's answer), so that what was decided is posted, once, even if the process dies in between.
 *
 * A message is several platform calls (pages, a chart upload). `parts_done` counts those that
 * succeeded: a retry resumes after them instead of resending. A row is leased (`lease_owner`,
 * `lease_until`) by the one instance posting it, and every write of progress checks the lease.
 * `next_attempt_at` is null once the row is delivered or given up.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /**
     * What the message is, unique: `digest:<schedule>@<slot>`, `overdue:<schedule>@<slot>:<user>`,
     * `minutes:<meeting>`, `answer:<invocation id>`.
     */
    key: text('key').notNull().unique('outbox_key_key'),
    platform: platform('platform').notNull(),
    /** Exactly one of a channel, a user (a direct message) and the handle of a request to answer. */
    channelId: text('channel_id'),
    userId: text('user_id'),
    replyTo: jsonb('reply_to').$type<StoredReplyTo>(),
    /** When the platform stops taking the answer through `reply_to`: it is given up then, not retried. */
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }),
    /** The ReplyMessage as built: a retry sends this, not a rebuilt one. */
    message: jsonb('message').$type<Record<string, unknown>>().notNull(),
    attachments: jsonb('attachments').$type<StoredAttachment[]>().notNull().default([]),
    /** The digest run it belongs to: removing the schedule drops what it had not sent yet. */
    runId: bigint('run_id', { mode: 'number' }).references(() => digestRuns.id, { onDelete: 'cascade' }),
    partsDone: integer('parts_done').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    check('outbox_platform_name', platformCheck(t.platform)),
    check('outbox_one_target', sql`num_nonnulls(${t.channelId}, ${t.userId}, ${t.replyTo}) = 1`),
    index('outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.nextAttemptAt} is not null`),
    index('outbox_run_idx').on(t.runId),
    // The answer pass looks every few seconds: it reads this small index, not the whole queue.
    index('outbox_answers_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.replyTo} is not null and ${t.nextAttemptAt} is not null`),
  ],
);
