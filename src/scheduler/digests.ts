import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import { DEFAULT_VALIDATION_POLICY, type ValidationPolicy } from '../domain/validation.ts';
import type { Logger } from '../logger.ts';
import type { Locale } from '../i18n/text.ts';
import { runDueSchedules, type DigestRunOutcome } from '../jobs/schedule-runs.ts';
import { releaseLeases } from '../repositories/outbox.ts';
import { timeOutStaleMeetings } from '../jobs/stale-meetings.ts';
import { runHitLadder, type LadderPass } from '../jobs/hit-ladder.ts';
import { canMessageDirectly, createOutboxWorker, retryDelayMs, type Delivery, type Poster } from './outbox.ts';

export type { Poster } from './outbox.ts';
export { retryDelayMs } from './outbox.ts';

export interface DigestRunnerDeps {
  db: Database;
  /** The platforms this process can post to. What is meant for another waits for an instance that can. */
  posters: Partial<Record<Platform, Poster>>;
  logger: Logger;
  clock?: () => Date;
  instanceId?: string;
  /** How late a slot missed while every instance was down may still be caught up (default 6 hours; 0: never). */
  graceMs?: number;
  /** How late a slot may be and still count as firing on time, whatever the grace (default 5 minutes). */
  onTimeMs?: number;
  /** Attempts before a failing build or message is given up (default 8). */
  maxAttempts?: number;
  /** How long an instance holds a message it is posting before another may take it over (default 10 minutes, renewed while posting). */
  leaseMs?: number;
  /** Days late after which overdue follow-ups go to the unit's leads (default 3). */
  escalateDays?: number;
  /** How often wanted records are reviewed (default: every 12 months, listed 30 days ahead). */
  validation?: ValidationPolicy;
  /** How long a meeting may stay open before it is closed and its minutes posted (default 12 h). */
  meetingTimeoutMs?: number;
  /** The language of minutes posted when a meeting is closed automatically. */
  locale?: Locale;
  timeZone?: string;
  /** Told what became of each digest run built and each message posted (the operator's metrics). */
  observe?: {
    digestRun(outcome: DigestRunOutcome): void;
    delivery(delivery: Delivery): void;
  };
}

/**
 * Sends scheduled digests and overdue reminders exactly once, and closes meetings left open: the
 * wiring of the jobs in `src/services/jobs/` to this instance's posters and to the outbox worker.
 *
 * Every firing first claims (schedule, slot) in the run ledger. An instance that can post to the
 * schedule's platform then builds the run once and, in the same transaction, puts what it built
 * in the outbox: the digest with its chart, or each reminder as its own message. The outbox
 * worker posts them part by part under a lease (see {@link createOutboxWorker}), so a retry sends
 * the same message, resumes after the parts that went out, and never repeats a delivered one.
 */
export function createDigestRunner(deps: DigestRunnerDeps) {
  const clock = deps.clock ?? (() => new Date());
  const instance = deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`;
  const graceMs = deps.graceMs ?? 6 * 60 * 60_000;
  const onTimeMs = deps.onTimeMs ?? 5 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const log = deps.logger.child({ job: 'digests' });
  const worker = createOutboxWorker({
    db: deps.db,
    posters: deps.posters,
    logger: deps.logger,
    instanceId: instance,
    maxAttempts,
    ...(deps.leaseMs ? { leaseMs: deps.leaseMs } : {}),
  });
  /** Where this instance can post, and whether it can message people directly there. */
  const reach = Object.fromEntries(
    (Object.entries(deps.posters) as Array<[Platform, Poster | undefined]>).flatMap(([platform, poster]) =>
      poster ? [[platform, { direct: canMessageDirectly(poster) }]] : [],
    ),
  ) as Partial<Record<Platform, { direct: boolean }>>;

  /**
   * Runs what is due at `now`: claims each enabled schedule's latest slot if it is on time or, after
   * downtime, within the grace; builds what was claimed; posts what the outbox holds for the
   * platforms this instance can post to.
   */
  async function runDue(now: Date = clock()): Promise<Delivery[]> {
    const failures = await runDueSchedules(deps.db, {
      now,
      clock,
      instance,
      reach,
      graceMs,
      onTimeMs,
      maxAttempts,
      retryDelayMs,
      escalateDays: deps.escalateDays ?? 3,
      validation: deps.validation ?? DEFAULT_VALIDATION_POLICY,
      logger: log,
      ...(deps.observe ? { onRun: (outcome: DigestRunOutcome) => deps.observe?.digestRun(outcome) } : {}),
    });
    if (stopping) return failures;
    const deliveries = await worker.deliverDue(now, { until: () => stopping });
    for (const delivery of deliveries) deps.observe?.delivery(delivery);
    return [...failures, ...deliveries];
  }

  /** Set by {@link stop}: a pass under way posts no further message. */
  let stopping = false;

  /**
   * The instance is stopping: the pass under way finishes the message it is posting and takes no
   * other (the next instance posts them).
   */
  function stop(): void {
    stopping = true;
  }

  /**
   * Lets go of the outbox messages this instance holds, so that another instance posts them at
   * once instead of when the lease runs out (see {@link releaseLeases}).
   */
  function releaseHeld(): Promise<number> {
    return releaseLeases(deps.db, { owner: instance });
  }

  /** Closes meetings left open longer than the time-out and queues their minutes (see {@link timeOutStaleMeetings}). */
  async function closeStaleMeetingsAt(now: Date = clock()): Promise<number[]> {
    return timeOutStaleMeetings(deps.db, {
      now,
      timeoutMs: deps.meetingTimeoutMs ?? 12 * 60 * 60_000,
      locale: deps.locale ?? 'vi',
      timeZone: deps.timeZone ?? 'Asia/Ho_Chi_Minh',
      logger: log,
    });
  }

  /** Moves unanswered hit confirmations up their ladder (see {@link runHitLadder}); their messages go out with the outbox. */
  async function advanceHits(now: Date = clock()): Promise<LadderPass> {
    return runHitLadder(deps.db, { now, timeZone: deps.timeZone ?? 'Asia/Ho_Chi_Minh', logger: log });
  }

  /**
   * Delivers the answers to requests left by an instance that died (see the outbox worker's
   * `deliverAnswers`); none once the instance is stopping.
   */
  async function deliverAnswers(now: Date = clock()): Promise<Delivery[]> {
    if (stopping) return [];
    const deliveries = await worker.deliverAnswers(now, { until: () => stopping });
    for (const delivery of deliveries) deps.observe?.delivery(delivery);
    return deliveries;
  }

  return { instanceId: instance, runDue, closeStaleMeetings: closeStaleMeetingsAt, advanceHits, deliverAnswers, stop, releaseHeld };
}

export type DigestRunner = ReturnType<typeof createDigestRunner>;
