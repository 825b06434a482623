import { and, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { digestRuns } from '../../db/schema/index.ts';

export type DigestRun = typeof digestRuns.$inferSelect;

/**
 * Claims a schedule's slot. Only one instance, once, gets the row back: the unique key on
 * (schedule, slot) turns every other claim into nothing.
 */
export async function claimRun(db: Executor, input: { scheduleId: number; slot: Date; claimedBy: string; now: Date }): Promise<DigestRun | undefined> {
  const [row] = await db
    .insert(digestRuns)
    .values({ scheduleId: input.scheduleId, slot: input.slot, claimedBy: input.claimedBy, claimedAt: input.now, nextAttemptAt: input.now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/**
 * Takes the next attempt at an undelivered run: bumps its attempt count and pushes its next
 * attempt to `retryAt` in one statement, so that two instances never attempt it at once. Undefined
 * when it was delivered, is not due, or another instance took it first.
 */
export async function leaseAttempt(db: Executor, input: { runId: number; now: Date; retryAt: Date | null; instance: string }): Promise<DigestRun | undefined> {
  const [row] = await db
    .update(digestRuns)
    .set({ attempts: sql`${digestRuns.attempts} + 1`, nextAttemptAt: input.retryAt, claimedBy: input.instance })
    .where(and(eq(digestRuns.id, input.runId), isNull(digestRuns.deliveredAt), isNotNull(digestRuns.nextAttemptAt), lte(digestRuns.nextAttemptAt, input.now)))
    .returning();
  return row;
}

export async function dueRuns(db: Executor, now: Date): Promise<DigestRun[]> {
  return db
    .select()
    .from(digestRuns)
    .where(and(isNull(digestRuns.deliveredAt), isNotNull(digestRuns.nextAttemptAt), lte(digestRuns.nextAttemptAt, now)))
    .orderBy(digestRuns.nextAttemptAt);
}

export async function recordPeriod(db: Executor, input: { runId: number; from: string; to: string }): Promise<void> {
  await db.update(digestRuns).set({ periodFrom: input.from, periodTo: input.to }).where(eq(digestRuns.id, input.runId));
}

export async function markDelivered(db: Executor, input: { runId: number; at: Date }): Promise<void> {
  await db.update(digestRuns).set({ deliveredAt: input.at, nextAttemptAt: null, lastError: null }).where(eq(digestRuns.id, input.runId));
}

export async function recordFailure(db: Executor, input: { runId: number; error: string }): Promise<void> {
  await db.update(digestRuns).set({ lastError: input.error.slice(0, 2000) }).where(eq(digestRuns.id, input.runId));
}

/** The schedule's last delivered run before `slot`: where `since-last` starts. */
export async function previousDelivered(db: Executor, input: { scheduleId: number; slot: Date }): Promise<DigestRun | undefined> {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(and(eq(digestRuns.scheduleId, input.scheduleId), isNotNull(digestRuns.deliveredAt), sql`${digestRuns.slot} < ${input.slot.toISOString()}::timestamptz`))
    .orderBy(desc(digestRuns.slot))
    .limit(1);
  return row;
}

export async function runsOf(db: Executor, scheduleId: number): Promise<DigestRun[]> {
  return db.select().from(digestRuns).where(eq(digestRuns.scheduleId, scheduleId)).orderBy(digestRuns.slot);
}

/** Stops retrying a run; its last error stays for operators to read. */
export async function giveUp(db: Executor, runId: number): Promise<void> {
  await db.update(digestRuns).set({ nextAttemptAt: null }).where(eq(digestRuns.id, runId));
}
