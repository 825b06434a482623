import type { Database } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { ValidationPolicy } from '../domain/validation.ts';
import type { Logger } from '../logger.ts';
import { insertAudit } from '../repositories/audit.ts';
import { claimRun, dueRuns, giveUp, leaseAttempt, markBuilt, recordFailure, type DigestRun } from '../repositories/digest-runs.ts';
import { enqueueMessages } from '../repositories/outbox.ts';
import { latestSlot, listSchedules, type DigestSchedule } from '../services/digest/schedules.ts';
import { buildDigestRun } from './digest-run.ts';
import { remindOverdueFollowUps } from './overdue-run.ts';

/** A run whose build failed in this pass: to retry later, or given up after too many attempts. */
export interface RunFailure {
  key: string;
  platform: Platform;
  outcome: 'failed' | 'gave-up';
  error: string;
}

/** What became of one attempt to build a digest run: built and queued, failed (to be retried), or given up. */
export type DigestRunOutcome = 'built' | 'failed' | 'gave-up';

export interface ScheduleRunsInput {
  now: Date;
  /** The clock a run is marked built by (the pass's `now` moves on as the pass takes real time). */
  clock: () => Date;
  /** This instance, as the run ledger records who claimed and built a run. */
  instance: string;
  /**
   * The platforms this instance can post to, and whether it can message a user directly there. A
   * run is built by an instance that can post to its schedule's platform; the others leave it.
   */
  reach: Partial<Record<Platform, { direct: boolean }>>;
  /** How late a slot missed while every instance was down may still be caught up (0: never). */
  graceMs: number;
  /** How late a slot may be and still count as firing on time, whatever the grace. */
  onTimeMs: number;
  /** Attempts before a failing build is given up. */
  maxAttempts: number;
  /** The wait before the next attempt after the `attempt`th one. */
  retryDelayMs: (attempt: number) => number;
  /** Days late after which overdue follow-ups go to the unit's leads. */
  escalateDays: number;
  /** How often wanted records are reviewed: the digest's figures and the reminders of overdue reviews. */
  validation: ValidationPolicy;
  /** Told what became of each run this instance tried to build (the operator's metrics). */
  onRun?: (outcome: DigestRunOutcome) => void;
  logger: Logger;
}

const runKey = (schedule: DigestSchedule, slot: Date) => `${schedule.kind}:${schedule.id}@${slot.toISOString()}`;

/**
 * The slot of `schedule` to claim at `now`, if any: the latest one, when it is on time (it just
 * fired) or, after downtime, less than the grace late. Slots from before the schedule existed
 * are not "missed".
 */
function dueSlot(schedule: DigestSchedule, now: Date, input: Pick<ScheduleRunsInput, 'graceMs' | 'onTimeMs'>): Date | undefined {
  const slot = latestSlot(schedule.cron, schedule.timeZone, now);
  if (slot < schedule.createdAt) return undefined;
  const late = now.getTime() - slot.getTime();
  return late <= input.onTimeMs || late <= input.graceMs ? slot : undefined;
}

/**
 * One attempt at building a run and queueing what it posts, in one transaction with marking it
 * built and its audit entry: the digest, or the day's overdue reminders. Built once; retries of
 * its messages send them as built.
 */
async function attemptBuild(
  db: Database,
  run: DigestRun,
  schedule: DigestSchedule,
  input: ScheduleRunsInput,
): Promise<RunFailure | undefined> {
  const reach = input.reach[schedule.targetPlatform];
  // Built by an instance that can post there, so that it knows whether people can be messaged directly.
  if (!reach) return undefined;
  const { now, instance, logger: log } = input;
  const leased = await leaseAttempt(db, {
    runId: run.id,
    now,
    retryAt: new Date(now.getTime() + input.retryDelayMs(run.attempts + 1)),
    instance,
  });
  if (!leased) return undefined;
  const key = runKey(schedule, leased.slot);
  try {
    const built =
      schedule.kind === 'overdue'
        ? await remindOverdueFollowUps(db, {
            run: leased,
            schedule,
            key,
            canMessageDirectly: reach.direct,
            escalateDays: input.escalateDays,
            validationMonths: input.validation.months,
            logger: log,
          })
        : await buildDigestRun(db, { run: leased, schedule, key, validation: input.validation });
    const queued = await db.transaction(async (tx) => {
      const marked = await markBuilt(tx, {
        runId: leased.id,
        instance,
        at: input.clock(),
        period: built.period,
        report: built.report,
        delivered: built.messages.length === 0,
      });
      if (!marked) return false;
      await enqueueMessages(tx, { messages: built.messages, now });
      // What was built and for where, audited like a command's read: by no member.
      await insertAudit(tx, {
        memberId: null,
        platform: schedule.targetPlatform,
        channelId: schedule.targetChannel,
        command: schedule.kind === 'overdue' ? 'digest schedule run (overdue)' : 'digest schedule run',
        args: { schedule: schedule.id, slot: leased.slot.toISOString(), messages: built.messages.length },
        outcome: 'ok',
      });
      return true;
    });
    if (queued) {
      log.info({ schedule: schedule.id, slot: leased.slot.toISOString(), messages: built.messages.length }, 'digest run built');
      input.onRun?.('built');
    }
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await recordFailure(db, { runId: leased.id, error: message });
    const gaveUp = leased.attempts >= input.maxAttempts;
    if (gaveUp) await giveUp(db, leased.id);
    log.warn(
      { schedule: schedule.id, slot: leased.slot.toISOString(), attempt: leased.attempts, err: error },
      gaveUp ? 'digest run given up' : 'digest run failed; will retry',
    );
    input.onRun?.(gaveUp ? 'gave-up' : 'failed');
    return { key, platform: schedule.targetPlatform, outcome: gaveUp ? 'gave-up' : 'failed', error: message };
  }
}

/**
 * The scheduled digests' job: claims each enabled schedule's slot due at `now` (on time, or caught
 * up within the grace) in the run ledger, whose unique key makes a second instance or a retry a
 * no-op, then builds the runs that wait for a build and queues what they post in the outbox (see
 * {@link buildDigestRun} and {@link remindOverdueFollowUps}). A schedule whose cron expression
 * cannot be read is logged and skipped. Returns the builds that failed in this pass.
 */
export async function runDueSchedules(db: Database, input: ScheduleRunsInput): Promise<RunFailure[]> {
  const { now, logger: log } = input;
  const schedules = await listSchedules(db, { enabledOnly: true });
  for (const schedule of schedules) {
    let slot: Date | undefined;
    try {
      slot = dueSlot(schedule, now, input);
    } catch (error) {
      log.error({ schedule: schedule.id, cron: schedule.cron, err: error }, 'schedule skipped: its cron expression cannot be read');
      continue;
    }
    if (!slot) continue;
    const run = await claimRun(db, { scheduleId: schedule.id, slot, claimedBy: input.instance, now });
    if (run) log.info({ schedule: schedule.id, slot: slot.toISOString() }, 'digest slot claimed');
  }
  const byId = new Map(schedules.map((s) => [s.id, s]));
  const failures: RunFailure[] = [];
  for (const run of await dueRuns(db, now)) {
    const schedule = byId.get(run.scheduleId);
    if (!schedule) continue;
    const failure = await attemptBuild(db, run, schedule, input);
    if (failure) failures.push(failure);
  }
  return failures;
}
