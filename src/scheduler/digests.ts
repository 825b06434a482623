import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Block } from '../domain/reply.ts';
import { dayIn } from '../domain/dates.ts';
import type { Logger } from '../logger.ts';
import {
  claimRun,
  dueRuns,
  giveUp,
  leaseAttempt,
  markBuilt,
  previousDelivered,
  recordFailure,
  type DigestRun,
} from '../repositories/digest-runs.ts';
import { insertAudit } from '../repositories/audit.ts';
import { enqueueMessages, type OutboxMessage } from '../repositories/outbox.ts';
import { renderDigestChart } from '../services/digest/chart.ts';
import { buildDigest } from '../services/digest/digest.ts';
import { presetPeriod, type PeriodPreset } from '../services/digest/period.ts';
import { planOverdueReminders } from '../services/digest/reminders.ts';
import { digestMessage } from '../services/digest/render.ts';
import { latestSlot, listSchedules, type DigestSchedule } from '../services/digest/schedules.ts';
import { closeStaleMeetings, minutesMessage, preReadBlocks } from '../services/meetings.ts';
import { lastMeetingIn } from '../repositories/meetings.ts';
import type { Locale } from '../i18n/text.ts';
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
  /** How long a meeting may stay open before it is closed and its minutes posted (default 12 h). */
  meetingTimeoutMs?: number;
  /** The language of minutes posted when a meeting is closed automatically. */
  locale?: Locale;
  timeZone?: string;
}

/**
 * Sends scheduled digests and overdue reminders exactly once, and closes meetings left open.
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
  const runKey = (schedule: DigestSchedule, slot: Date) => `${schedule.kind}:${schedule.id}@${slot.toISOString()}`;

  /**
   * The slot of `schedule` to claim at `now`, if any: the latest one, when it is on time (it just
   * fired) or, after downtime, less than the grace late. Slots from before the schedule existed
   * are not "missed".
   */
  function dueSlot(schedule: DigestSchedule, now: Date): Date | undefined {
    const slot = latestSlot(schedule.cron, schedule.timeZone, now);
    if (slot < schedule.createdAt) return undefined;
    const late = now.getTime() - slot.getTime();
    return late <= onTimeMs || late <= graceMs ? slot : undefined;
  }

  /** What a run posts: the digest, or the day's overdue reminders. Built once; retries send it as built. */
  async function build(
    run: DigestRun,
    schedule: DigestSchedule,
    poster: Poster,
  ): Promise<{ messages: OutboxMessage[]; period: { from: string; to: string } | null }> {
    const slot = run.slot;
    const key = runKey(schedule, slot);
    const today = dayIn(schedule.timeZone, slot);
    const target = { platform: schedule.targetPlatform, runId: run.id };
    if (schedule.kind === 'overdue') {
      const plan = await planOverdueReminders(deps.db, {
        scopeUnitId: schedule.unitId,
        today,
        platform: schedule.targetPlatform,
        canMessageDirectly: canMessageDirectly(poster),
        escalateDays: deps.escalateDays ?? 3,
        locale: schedule.locale,
      });
      const seen = new Map<string, number>();
      const messages: OutboxMessage[] = plan.direct.map((d) => {
        // A lead of two units gets two summaries: each its own message.
        const n = (seen.get(d.userId) ?? 0) + 1;
        seen.set(d.userId, n);
        return { ...target, key: `${key}:${d.userId}${n > 1 ? `:${n}` : ''}`, target: { userId: d.userId }, message: d.message };
      });
      if (plan.channel)
        messages.push({ ...target, key: `${key}:channel`, target: { channelId: schedule.targetChannel }, message: plan.channel });
      log.info(
        { schedule: schedule.id, slot: slot.toISOString(), overdue: plan.overdue, escalated: plan.escalated, direct: plan.direct.length },
        'overdue reminders built',
      );
      return { messages, period: null };
    }
    const previous = await previousDelivered(deps.db, { scheduleId: schedule.id, slot });
    let period = presetPeriod(
      schedule.period === 'since-meeting' ? 'since-last' : (schedule.period as PeriodPreset),
      today,
      previous?.periodTo ?? undefined,
    );
    let since = previous?.slot;
    let preRead: Block[] = [];
    if (schedule.period === 'since-meeting') {
      // The committee's pre-read: everything since its last meeting in this channel, and what
      // that meeting directed, with its state today.
      const meeting = await lastMeetingIn(deps.db, {
        platform: schedule.targetPlatform,
        channelId: schedule.targetChannel,
        unitId: schedule.unitId,
        before: slot,
      });
      if (meeting) {
        const from = dayIn(schedule.timeZone, meeting.startedAt);
        period = { from: from <= period.to ? from : period.to, to: period.to };
        since = meeting.startedAt;
        preRead = await preReadBlocks(deps.db, { meeting, today, locale: schedule.locale, timeZone: schedule.timeZone });
      }
    }
    const digest = await buildDigest(deps.db, {
      scopeUnitId: schedule.unitId,
      period,
      today,
      timeZone: schedule.timeZone,
      since,
      asOf: slot,
    });
    const chart = await renderDigestChart(digest, schedule.locale);
    const attachments = [
      {
        name: `digest-${period.to}.png`,
        data: chart,
        contentType: 'image/png',
        description: schedule.locale === 'vi' ? 'Biểu đồ kết quả theo tháng' : 'Results by month',
      },
    ];
    const rendered = digestMessage(digest, schedule.locale, { since: schedule.period === 'since-meeting' ? 'meeting' : 'digest' });
    const message = { ...rendered, blocks: [...rendered.blocks, ...preRead] };
    return { messages: [{ ...target, key, target: { channelId: schedule.targetChannel }, message, attachments }], period };
  }

  /** One attempt at building a run and queueing what it posts. */
  async function attemptBuild(run: DigestRun, schedule: DigestSchedule, now: Date): Promise<Delivery | undefined> {
    const poster = deps.posters[schedule.targetPlatform];
    // Built by an instance that can post there, so that it knows whether people can be messaged directly.
    if (!poster) return undefined;
    const leased = await leaseAttempt(deps.db, {
      runId: run.id,
      now,
      retryAt: new Date(now.getTime() + retryDelayMs(run.attempts + 1)),
      instance,
    });
    if (!leased) return undefined;
    const key = runKey(schedule, leased.slot);
    try {
      const built = await build(leased, schedule, poster);
      const queued = await deps.db.transaction(async (tx) => {
        const at = clock();
        const marked = await markBuilt(tx, {
          runId: leased.id,
          instance,
          at,
          period: built.period,
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
      if (queued) log.info({ schedule: schedule.id, slot: leased.slot.toISOString(), messages: built.messages.length }, 'digest run built');
      return undefined;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await recordFailure(deps.db, { runId: leased.id, error: message });
      const gaveUp = leased.attempts >= maxAttempts;
      if (gaveUp) await giveUp(deps.db, leased.id);
      log.warn(
        { schedule: schedule.id, slot: leased.slot.toISOString(), attempt: leased.attempts, err: error },
        gaveUp ? 'digest run given up' : 'digest run failed; will retry',
      );
      return { key, platform: schedule.targetPlatform, outcome: gaveUp ? 'gave-up' : 'failed', error: message };
    }
  }

  /**
   * Claims the slots due at `now` (on time, or caught up within the grace) and builds the runs
   * that wait for a build. A schedule whose cron expression cannot be read is logged and skipped.
   */
  async function claimAndBuild(now: Date): Promise<Delivery[]> {
    const schedules = await listSchedules(deps.db, { enabledOnly: true });
    for (const schedule of schedules) {
      let slot: Date | undefined;
      try {
        slot = dueSlot(schedule, now);
      } catch (error) {
        log.error({ schedule: schedule.id, cron: schedule.cron, err: error }, 'schedule skipped: its cron expression cannot be read');
        continue;
      }
      if (!slot) continue;
      const run = await claimRun(deps.db, { scheduleId: schedule.id, slot, claimedBy: instance, now });
      if (run) log.info({ schedule: schedule.id, slot: slot.toISOString() }, 'digest slot claimed');
    }
    const byId = new Map(schedules.map((s) => [s.id, s]));
    const failures: Delivery[] = [];
    for (const run of await dueRuns(deps.db, now)) {
      const schedule = byId.get(run.scheduleId);
      if (!schedule) continue;
      const failure = await attemptBuild(run, schedule, now);
      if (failure) failures.push(failure);
    }
    return failures;
  }

  /**
   * Runs what is due at `now`: claims each enabled schedule's latest slot if it is on time or, after
   * downtime, within the grace; builds what was claimed; posts what the outbox holds for the
   * platforms this instance can post to.
   */
  async function runDue(now: Date = clock()): Promise<Delivery[]> {
    const failures = await claimAndBuild(now);
    return [...failures, ...(await worker.deliverDue(now))];
  }

  /**
   * Closes meetings left open longer than the time-out. Each is closed by one UPDATE, and its
   * minutes go into the outbox in the same transaction, so with several instances running it is
   * closed, and posted, once, by an instance that can post to its platform. Console meetings have
   * no channel to post to: they are closed, and their minutes kept.
   */
  async function closeStaleMeetingsAt(now: Date = clock()): Promise<number[]> {
    const locale = deps.locale ?? 'vi';
    const timeZone = deps.timeZone ?? 'Asia/Ho_Chi_Minh';
    const closed = await closeStaleMeetings(deps.db, {
      now,
      timeoutMs: deps.meetingTimeoutMs ?? 12 * 60 * 60_000,
      onClosed: async (tx, { meeting, minutes }) => {
        if (meeting.platform === 'console') return;
        await enqueueMessages(tx, {
          messages: [
            {
              key: `minutes:${meeting.id}`,
              platform: meeting.platform,
              target: { channelId: meeting.channelId },
              message: minutesMessage(minutes, locale, timeZone),
            },
          ],
          now,
        });
      },
    });
    for (const { meeting } of closed) log.info({ meeting: meeting.id, platform: meeting.platform }, 'meeting closed after its time-out');
    return closed.map((c) => c.meeting.id);
  }

  /** Posts what the outbox holds for this instance's platforms. */

  return { runDue, closeStaleMeetings: closeStaleMeetingsAt, instanceId: instance };
}

export type DigestRunner = ReturnType<typeof createDigestRunner>;
