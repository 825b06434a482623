import { and, count, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { outbox, type Platform, type StoredAttachment, type StoredReplyTo } from '../../db/schema/index.ts';
import type { Attachment, ReplyMessage } from '../domain/reply.ts';

export type OutboxRow = typeof outbox.$inferSelect;

/** A message to post: to a channel, or (where the platform allows) directly to a user. */
export interface OutboxMessage {
  key: string;
  platform: Platform;
  target: { channelId: string } | { userId: string };
  message: ReplyMessage;
  attachments?: Attachment[];
  runId?: number;
}

export const storeAttachment = (a: Attachment): StoredAttachment => ({
  name: a.name,
  contentType: a.contentType,
  ...(a.description ? { description: a.description } : {}),
  base64: Buffer.from(a.data).toString('base64'),
});

export const loadAttachment = (a: StoredAttachment): Attachment => ({
  name: a.name,
  contentType: a.contentType,
  ...(a.description ? { description: a.description } : {}),
  data: new Uint8Array(Buffer.from(a.base64, 'base64')),
});

/**
 * Puts messages in the outbox, due at once. Call it in the transaction of the change that causes
 * them. A key already there is left as it is: the message was queued before, and is sent once.
 */
export async function enqueueMessages(db: Executor, input: { messages: OutboxMessage[]; now: Date }): Promise<number> {
  if (input.messages.length === 0) return 0;
  const rows = await db
    .insert(outbox)
    .values(
      input.messages.map((m) => ({
        key: m.key,
        platform: m.platform,
        channelId: 'channelId' in m.target ? m.target.channelId : null,
        userId: 'userId' in m.target ? m.target.userId : null,
        message: m.message as unknown as Record<string, unknown>,
        attachments: (m.attachments ?? []).map(storeAttachment),
        runId: m.runId ?? null,
        createdAt: input.now,
        nextAttemptAt: input.now,
      })),
    )
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * What an answer row keeps once delivered or given up: not the platform's handle (a credential) nor
 * the message (which may be personal); a channel post or a direct message is kept as it was.
 */
const SCRUBBED = {
  replyTo: sql`case when ${outbox.replyTo} is null then null else '{}'::jsonb end`,
  message: sql`case when ${outbox.replyTo} is null then ${outbox.message} else '{}'::jsonb end`,
  attachments: sql`case when ${outbox.replyTo} is null then ${outbox.attachments} else '[]'::jsonb end`,
};

/** The answer to one request, to deliver through the platform's handle for it. */
export interface OutboxAnswer {
  /** `answer:<invocation id>`. */
  key: string;
  platform: Platform;
  /** The platform's handle (a credential: never logged). */
  replyTo: StoredReplyTo;
  /** When the platform stops taking it. */
  expiresAt: Date;
  /** The message as the dispatcher answers it; its files go to `attachments`. */
  message: ReplyMessage;
}

/**
 * Puts the answer to a request in the outbox, leased to `owner` (the instance that is about to send
 * it live) until `leaseUntil`: call it in the command's transaction. Gives the row's id, or
 * undefined when the key was there already (the request was answered before).
 */
export async function enqueueAnswer(
  db: Executor,
  input: { answer: OutboxAnswer; now: Date; owner: string; leaseUntil: Date },
): Promise<number | undefined> {
  const { files, ...message } = input.answer.message;
  const [row] = await db
    .insert(outbox)
    .values({
      key: input.answer.key,
      platform: input.answer.platform,
      replyTo: input.answer.replyTo,
      expiresAt: input.answer.expiresAt,
      message,
      attachments: (files ?? []).map(storeAttachment),
      createdAt: input.now,
      nextAttemptAt: input.now,
      leaseOwner: input.owner,
      leaseUntil: input.leaseUntil,
      attempts: 1,
    })
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return row?.id;
}

/** The message a row holds, with its files back in it (an answer keeps them apart, as attachments). */
export function storedMessage(row: OutboxRow): ReplyMessage {
  const message = row.message as unknown as ReplyMessage;
  return row.replyTo !== null && row.attachments.length > 0 ? { ...message, files: row.attachments.map(loadAttachment) } : message;
}

/**
 * Leases the answer under `key` if it is still to be delivered and nobody holds it: the answer a
 * duplicate of a request finds when the instance that committed it died before answering.
 */
export async function leaseAnswer(
  db: Executor,
  input: { key: string; owner: string; now: Date; leaseMs: number },
): Promise<OutboxRow | undefined> {
  const [row] = await db
    .update(outbox)
    .set({ leaseOwner: input.owner, leaseUntil: new Date(input.now.getTime() + input.leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.key, input.key), isNotNull(outbox.replyTo), leasable(input.now)))
    .returning();
  return row;
}

/** Due, undelivered, not held by a live lease, and still taken by the platform. */
function leasable(now: Date) {
  return and(
    isNull(outbox.deliveredAt),
    isNotNull(outbox.nextAttemptAt),
    lte(outbox.nextAttemptAt, now),
    or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now)),
    or(isNull(outbox.expiresAt), gt(outbox.expiresAt, now)),
  );
}

/**
 * Gives up the answers the platform no longer takes (their handle expired before they could be
 * delivered), forgetting the handle and the message: neither is of use any more, and the message
 * may hold personal data. Those leased right now are left to their lessee. Gives how many.
 */
export async function giveUpExpiredAnswers(db: Executor, now: Date): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ ...SCRUBBED, nextAttemptAt: null, lastError: 'expired: the platform no longer takes this answer' })
    .where(
      and(
        isNotNull(outbox.replyTo),
        isNull(outbox.deliveredAt),
        isNotNull(outbox.nextAttemptAt),
        lte(outbox.expiresAt, now),
        or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now)),
      ),
    )
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * Leases the next due message for one of `platforms` (only answers, with `answersOnly`): one whose
 * attempt is due, whose lease, if any, has run out, and that has not expired. `FOR UPDATE SKIP
 * LOCKED` lets instances lease side by side without waiting on each other; the outer conditions are
 * checked again on the row as locked.
 */
export async function leaseNext(
  db: Executor,
  input: { platforms: Platform[]; owner: string; now: Date; leaseMs: number; answersOnly?: boolean },
): Promise<OutboxRow | undefined> {
  if (input.platforms.length === 0) return undefined;
  const now = input.now.toISOString();
  const due = and(leasable(input.now), inArray(outbox.platform, input.platforms));
  const answers = input.answersOnly ? sql`and o.reply_to is not null` : sql``;
  const [row] = await db
    .update(outbox)
    .set({ leaseOwner: input.owner, leaseUntil: new Date(input.now.getTime() + input.leaseMs), attempts: sql`${outbox.attempts} + 1` })
    .where(
      and(
        due,
        sql`${outbox.id} = (select o.id from outbox o
          where o.delivered_at is null and o.next_attempt_at <= ${now}::timestamptz
            and o.platform::text = any(${`{${input.platforms.join(',')}}`}::text[])
            and (o.lease_until is null or o.lease_until < ${now}::timestamptz)
            and (o.expires_at is null or o.expires_at > ${now}::timestamptz) ${answers}
          order by o.next_attempt_at, o.id limit 1 for update skip locked)`,
      ),
    )
    .returning();
  return row;
}

/**
 * Records that the first `partsDone` parts went out, and extends the lease. False when this
 * owner no longer holds the row: another instance took it over, and this one must stop.
 */
export async function recordProgress(
  db: Executor,
  input: { id: number; owner: string; partsDone: number; leaseUntil: Date },
): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ partsDone: input.partsDone, leaseUntil: input.leaseUntil })
    .where(and(eq(outbox.id, input.id), eq(outbox.leaseOwner, input.owner), isNull(outbox.deliveredAt)))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/** Extends the lease while a slow part is being posted; false when it was lost. */
export async function renewLease(db: Executor, input: { id: number; owner: string; leaseUntil: Date }): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({ leaseUntil: input.leaseUntil })
    .where(and(eq(outbox.id, input.id), eq(outbox.leaseOwner, input.owner), isNull(outbox.deliveredAt)))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/** Every part went out: delivered, for good. False when the lease was lost meanwhile. */
export async function markMessageDelivered(
  db: Executor,
  input: { id: number; owner: string; partsDone: number; at: Date },
): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({
      ...SCRUBBED,
      partsDone: input.partsDone,
      deliveredAt: input.at,
      nextAttemptAt: null,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
    })
    .where(and(eq(outbox.id, input.id), eq(outbox.leaseOwner, input.owner), isNull(outbox.deliveredAt)))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

/**
 * A failed attempt: the error is kept and the lease released, to be tried again at `retryAt`, or
 * never (null: given up, and an answer's handle and message are forgotten).
 */
export async function recordMessageFailure(
  db: Executor,
  input: { id: number; owner: string; error: string; retryAt: Date | null },
): Promise<boolean> {
  const rows = await db
    .update(outbox)
    .set({
      ...(input.retryAt === null ? SCRUBBED : {}),
      lastError: input.error.slice(0, 2000),
      nextAttemptAt: input.retryAt,
      leaseOwner: null,
      leaseUntil: null,
    })
    .where(and(eq(outbox.id, input.id), eq(outbox.leaseOwner, input.owner), isNull(outbox.deliveredAt)))
    .returning({ id: outbox.id });
  return rows.length === 1;
}

export interface UndeliveredCount {
  platform: Platform;
  /** Still to be tried. */
  waiting: number;
  /** Given up after the last attempt; `last_error` says why. */
  givenUp: number;
}

/**
 * Messages not delivered, by platform: what operators are shown. Those an instance is posting
 * right now (leased at `now`) are left out.
 */
export async function undeliveredByPlatform(db: Executor, now: Date): Promise<UndeliveredCount[]> {
  const rows = await db
    .select({ platform: outbox.platform, givenUp: sql<boolean>`${outbox.nextAttemptAt} is null`, n: count() })
    .from(outbox)
    .where(and(isNull(outbox.deliveredAt), or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now))))
    .groupBy(outbox.platform, sql`${outbox.nextAttemptAt} is null`)
    .orderBy(outbox.platform);
  const byPlatform = new Map<Platform, UndeliveredCount>();
  for (const r of rows) {
    const entry = byPlatform.get(r.platform) ?? { platform: r.platform, waiting: 0, givenUp: 0 };
    if (r.givenUp) entry.givenUp += Number(r.n);
    else entry.waiting += Number(r.n);
    byPlatform.set(r.platform, entry);
  }
  return [...byPlatform.values()];
}

/** Forgets messages delivered before `before`; the undelivered stay for operators. */
export async function forgetDeliveredBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(isNotNull(outbox.deliveredAt), lt(outbox.deliveredAt, before)))
    .returning({ id: outbox.id });
  return rows.length;
}

/**
 * Lets go of every message `owner` holds and has not delivered, so that another instance may take
 * it over at once rather than when the lease runs out; the parts recorded as sent are kept, and it
 * resumes after them. Called by an instance that is stopping. Returns how many were released.
 */
export async function releaseLeases(db: Executor, input: { owner: string }): Promise<number> {
  const rows = await db
    .update(outbox)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(outbox.leaseOwner, input.owner), isNull(outbox.deliveredAt)))
    .returning({ id: outbox.id });
  return rows.length;
}

export interface OutboxBacklog {
  platform: Platform;
  /** Undelivered and still to be tried, those being posted now included. */
  waiting: number;
  /** Given up after the last attempt. */
  givenUp: number;
  /** When the oldest message still to be tried was queued; null when none is. */
  oldestWaitingSince: Date | null;
}

/** What the outbox holds undelivered, by platform: the operator's backlog gauges, read at each scrape. */
export async function outboxBacklog(db: Executor): Promise<OutboxBacklog[]> {
  const waiting = sql`${outbox.nextAttemptAt} is not null`;
  const rows = await db
    .select({
      platform: outbox.platform,
      waiting: sql<number>`count(*) filter (where ${waiting})`.mapWith(Number),
      givenUp: sql<number>`count(*) filter (where ${outbox.nextAttemptAt} is null)`.mapWith(Number),
      oldest: sql<Date | null>`min(${outbox.createdAt}) filter (where ${waiting})`.mapWith(outbox.createdAt),
    })
    .from(outbox)
    .where(isNull(outbox.deliveredAt))
    .groupBy(outbox.platform)
    .orderBy(outbox.platform);
  return rows.map((r) => ({
    platform: r.platform,
    waiting: r.waiting,
    givenUp: r.givenUp,
    oldestWaitingSince: r.oldest ?? null,
  }));
}
