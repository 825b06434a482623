import { and, desc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { digestRuns } from '../../db/schema/index.ts';

export type DigestRun = typeof digestRuns.$inferSelect;

/**
 * Claims a schedule's slot. Only one instance, once, gets the row back: the unique key on
 * (schedule, slot) turns every other claim into nothing.
 */
export async function claimRun(
  db: Executor,
  input: { scheduleId: number; slot: Date; claimedBy: string; now: Date },
): Promise<DigestRun | undefined> {
  const [row] = await db
    .insert(digestRuns)
    .values({ scheduleId: input.scheduleId, slot: input.slot, claimedBy: input.claimedBy, claimedAt: input.now, nextAttemptAt: input.now })
    .onConflictDoNothing()
    .returning();
  return row;
}

/**
 * Takes the next attempt at building a run: bumps its attempt count and pushes its next attempt to
 * `retryAt` in one statement, so that two instances never build it at once. Undefined when it was
 * built, is not due, or another instance took it first.
 */
export async function leaseAttempt(
  db: Executor,
  input: { runId: number; now: Date; retryAt: Date | null; instance: string },
): Promise<DigestRun | undefined> {
  const [row] = await db
    .update(digestRuns)
    .set({ attempts: sql`${digestRuns.attempts} + 1`, nextAttemptAt: input.retryAt, claimedBy: input.instance })
    .where(
      and(
        eq(digestRuns.id, input.runId),
        isNull(digestRuns.builtAt),
        isNotNull(digestRuns.nextAttemptAt),
        lte(digestRuns.nextAttemptAt, input.now),
      ),
    )
    .returning();
  return row;
}

/** Runs claimed but not built yet whose next attempt is due. */
export async function dueRuns(db: Executor, now: Date): Promise<DigestRun[]> {
  return db
    .select()
    .from(digestRuns)
    .where(and(isNull(digestRuns.builtAt), isNotNull(digestRuns.nextAttemptAt), lte(digestRuns.nextAttemptAt, now)))
    .orderBy(digestRuns.nextAttemptAt);
}

/**
 * Marks a run built, with the period it covered, if `instance` still holds its attempt. Call it in
 * the transaction that puts the run's messages in the outbox. Undefined when it was built already
 * or another instance took the attempt over: then its messages must not be queued.
 */
export async function markBuilt(
  db: Executor,
  input: {
    runId: number;
    instance: string;
    at: Date;
    period: { from: string; to: string } | null;
    /** A digest's figures and message, as built. */
    report?: { figures: object; message: object } | undefined;
    delivered: boolean;
  },
): Promise<DigestRun | undefined> {
  const [row] = await db
    .update(digestRuns)
    .set({
      builtAt: input.at,
      nextAttemptAt: null,
      lastError: null,
      ...(input.period ? { periodFrom: input.period.from, periodTo: input.period.to } : {}),
      ...(input.report
        ? { figures: input.report.figures as Record<string, unknown>, message: input.report.message as Record<string, unknown> }
        : {}),
      ...(input.delivered ? { deliveredAt: input.at } : {}),
    })
    .where(and(eq(digestRuns.id, input.runId), isNull(digestRuns.builtAt), eq(digestRuns.claimedBy, input.instance)))
    .returning();
  return row;
}

/** Sets `delivered_at` once every message of the run has been delivered. */
export async function markDeliveredIfComplete(db: Executor, input: { runId: number; at: Date }): Promise<boolean> {
  const rows = await db
    .update(digestRuns)
    .set({ deliveredAt: input.at })
    .where(
      and(
        eq(digestRuns.id, input.runId),
        isNull(digestRuns.deliveredAt),
        isNotNull(digestRuns.builtAt),
        sql`not exists (select 1 from outbox o where o.run_id = ${digestRuns.id} and o.delivered_at is null)`,
      ),
    )
    .returning({ id: digestRuns.id });
  return rows.length === 1;
}

export async function recordFailure(db: Executor, input: { runId: number; error: string }): Promise<void> {
  await db
    .update(digestRuns)
    .set({ lastError: input.error.slice(0, 2000) })
    .where(eq(digestRuns.id, input.runId));
}

/** The schedule's last delivered run before `slot`: where `since-last` starts. */
export async function previousDelivered(db: Executor, input: { scheduleId: number; slot: Date }): Promise<DigestRun | undefined> {
  const [row] = await db
    .select()
    .from(digestRuns)
    .where(
      and(
        eq(digestRuns.scheduleId, input.scheduleId),
        isNotNull(digestRuns.deliveredAt),
        sql`${digestRuns.slot} < ${input.slot.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(desc(digestRuns.slot))
    .limit(1);
  return row;
}

/** A built run: what a digest said, for reprinting it as delivered. */
export async function findRun(db: Executor, input: { runId: number }): Promise<DigestRun | undefined> {
  const [row] = await db.select().from(digestRuns).where(eq(digestRuns.id, input.runId)).limit(1);
  return row;
}

/** Stops retrying a run; its last error stays for operators to read. */
export async function giveUp(db: Executor, runId: number): Promise<void> {
  await db.update(digestRuns).set({ nextAttemptAt: null }).where(eq(digestRuns.id, runId));
}
