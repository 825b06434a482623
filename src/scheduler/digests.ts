import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Attachment, ReplyMessage } from '../core/invocation.ts';
import { dayIn } from '../domain/dates.ts';
import type { Logger } from '../logger.ts';
import { claimRun, dueRuns, giveUp, leaseAttempt, markDelivered, previousDelivered, recordFailure, recordPeriod, type DigestRun } from '../repositories/digest-runs.ts';
import { renderDigestChart } from '../services/digest/chart.ts';
import { buildDigest } from '../services/digest/digest.ts';
import { presetPeriod, type PeriodPreset } from '../services/digest/period.ts';
import { planOverdueReminders } from '../services/digest/reminders.ts';
import { digestMessage } from '../services/digest/render.ts';
import { latestSlot, listSchedules, type DigestSchedule } from '../services/digest/schedules.ts';
import { closeStaleMeetings, minutesMessage } from '../services/meetings.ts';
import { lastMeetingIn } from '../repositories/meetings.ts';
import type { Locale } from '../i18n/text.ts';

/**
 * Posts a message to a chat channel: an adapter's `post()`. `direct`, where the platform allows
 * it, messages one user.
 */
export type Poster = ((channel: string, message: ReplyMessage, attachments: Attachment[]) => Promise<void>) & {
  direct?: (userId: string, message: ReplyMessage) => Promise<void>;
};

export interface DigestRunnerDeps {
  db: Database;
  /** The platforms this process can post to. A run for another waits for an instance that can. */
  posters: Partial<Record<Platform, Poster>>;
  logger: Logger;
  clock?: () => Date;
  instanceId?: string;
  /** How late a missed slot may still be sent (default 6 hours). */
  graceMs?: number;
  /** Attempts before a failing delivery is given up (default 8). */
  maxAttempts?: number;
  /** Days late after which overdue follow-ups go to the unit's leads (default 3). */
  escalateDays?: number;
  /** How long a meeting may stay open before it is closed and its minutes posted (default 12 h). */
  meetingTimeoutMs?: number;
  /** The language of minutes posted when a meeting is closed automatically. */
  locale?: Locale;
  timeZone?: string;
}

export interface RunOutcome {
  scheduleId: number;
  slot: string;
  outcome: 'delivered' | 'failed' | 'gave-up';
  error?: string;
}

/** 1, 2, 4 … minutes, at most an hour, after the `attempt`th try. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * Sends scheduled digests exactly once. Every firing first claims (schedule, slot) in the run
 * ledger; only the instance that claimed it builds and posts. A delivery that fails is retried
 * with backoff, each attempt leased in the database, and never repeated once it succeeded.
 */
export function createDigestRunner(deps: DigestRunnerDeps) {
  const clock = deps.clock ?? (() => new Date());
  const instance = deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`;
  const graceMs = deps.graceMs ?? 6 * 60 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const log = deps.logger.child({ job: 'digests' });

  /** Claims `slot` for the schedule; true when this instance won it. */
  async function claim(schedule: DigestSchedule, slot: Date, now: Date): Promise<boolean> {
    const run = await claimRun(deps.db, { scheduleId: schedule.id, slot, claimedBy: instance, now });
    if (run) log.info({ schedule: schedule.id, slot: slot.toISOString() }, 'digest slot claimed');
    return run !== undefined;
  }

  /** One attempt at delivering a run. */
  async function attempt(run: DigestRun, schedule: DigestSchedule, now: Date): Promise<RunOutcome | undefined> {
    const poster = deps.posters[schedule.targetPlatform];
    if (!poster) return undefined;
    const leased = await leaseAttempt(deps.db, { runId: run.id, now, retryAt: new Date(now.getTime() + retryDelayMs(run.attempts + 1)), instance });
    if (!leased) return undefined;
    const slot = leased.slot;
    try {
      const today = dayIn(schedule.timeZone, slot);
      if (schedule.kind === 'overdue') {
        const plan = await planOverdueReminders(deps.db, {
          scopeUnitId: schedule.unitId,
          today,
          platform: schedule.targetPlatform,
          canMessageDirectly: poster.direct !== undefined,
          escalateDays: deps.escalateDays ?? 3,
          locale: schedule.locale,
        });
        for (const d of plan.direct) await poster.direct!(d.userId, d.message);
        if (plan.channel) await poster(schedule.targetChannel, plan.channel, []);
        await markDelivered(deps.db, { runId: leased.id, at: clock() });
        log.info({ schedule: schedule.id, slot: slot.toISOString(), overdue: plan.overdue, escalated: plan.escalated, direct: plan.direct.length }, 'overdue reminders sent');
        return { scheduleId: schedule.id, slot: slot.toISOString(), outcome: 'delivered' };
      }
      const previous = await previousDelivered(deps.db, { scheduleId: schedule.id, slot });
      let period = presetPeriod(schedule.period === 'since-meeting' ? 'since-last' : (schedule.period as PeriodPreset), today, previous?.periodTo ?? undefined);
      let since = previous?.slot;
      if (schedule.period === 'since-meeting') {
        // The committee's pre-read: everything since its last meeting in this channel.
        const meeting = await lastMeetingIn(deps.db, { platform: schedule.targetPlatform, channelId: schedule.targetChannel, unitId: schedule.unitId, before: slot });
        if (meeting) {
          const from = dayIn(schedule.timeZone, meeting.startedAt);
          period = { from: from <= period.to ? from : period.to, to: period.to };
          since = meeting.startedAt;
        }
      }
      await recordPeriod(deps.db, { runId: leased.id, from: period.from, to: period.to });
      const digest = await buildDigest(deps.db, { scopeUnitId: schedule.unitId, period, today, timeZone: schedule.timeZone, since, asOf: slot });
      const chart = await renderDigestChart(digest, schedule.locale);
      await poster(schedule.targetChannel, digestMessage(digest, schedule.locale), [
        { name: `digest-${period.to}.png`, data: chart, contentType: 'image/png', description: schedule.locale === 'vi' ? 'Biểu đồ kết quả theo tháng' : 'Results by month' },
      ]);
      await markDelivered(deps.db, { runId: leased.id, at: clock() });
      log.info({ schedule: schedule.id, slot: slot.toISOString(), attempt: leased.attempts }, 'digest delivered');
      return { scheduleId: schedule.id, slot: slot.toISOString(), outcome: 'delivered' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await recordFailure(deps.db, { runId: leased.id, error: message });
      const gaveUp = leased.attempts >= maxAttempts;
      if (gaveUp) await giveUp(deps.db, leased.id);
      log.warn({ schedule: schedule.id, slot: slot.toISOString(), attempt: leased.attempts, err: error }, gaveUp ? 'digest delivery given up' : 'digest delivery failed; will retry');
      return { scheduleId: schedule.id, slot: slot.toISOString(), outcome: gaveUp ? 'gave-up' : 'failed', error: message };
    }
  }

  /**
   * Runs what is due at `now`: claims each enabled schedule's latest slot if it is less than the
   * grace late (so a slot missed while every instance was down goes out once at start), then
   * attempts every undelivered run whose next attempt is due.
   */
  async function runDue(now: Date = clock()): Promise<RunOutcome[]> {
    const schedules = await listSchedules(deps.db, { enabledOnly: true });
    for (const schedule of schedules) {
      const slot = latestSlot(schedule.cron, schedule.timeZone, now);
      // Slots from before the schedule existed are not "missed".
      if (slot < schedule.createdAt) continue;
      if (now.getTime() - slot.getTime() <= graceMs) await claim(schedule, slot, now);
    }
    const byId = new Map(schedules.map((s) => [s.id, s]));
    const outcomes: RunOutcome[] = [];
    for (const run of await dueRuns(deps.db, now)) {
      const schedule = byId.get(run.scheduleId);
      if (!schedule) continue;
      const outcome = await attempt(run, schedule, now);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  /**
   * Closes meetings left open longer than the time-out and posts their minutes to their channels.
   * Each is closed by one UPDATE, so with several instances running it is closed, and posted, once.
   */
  async function closeStaleMeetingsAt(now: Date = clock()): Promise<number[]> {
    const closed = await closeStaleMeetings(deps.db, { now, timeoutMs: deps.meetingTimeoutMs ?? 12 * 60 * 60_000 });
    for (const { meeting, minutes } of closed) {
      const poster = deps.posters[meeting.platform];
      log.info({ meeting: meeting.id }, 'meeting closed after its time-out');
      if (!poster) continue;
      try {
        await poster(meeting.channelId, minutesMessage(minutes, deps.locale ?? 'vi', deps.timeZone ?? 'Asia/Ho_Chi_Minh'), []);
      } catch (error) {
        // The minutes are kept; `meeting minutes <id>` shows them.
        log.warn({ meeting: meeting.id, err: error }, 'could not post the minutes of a timed-out meeting');
      }
    }
    return closed.map((c) => c.meeting.id);
  }

  return { runDue, closeStaleMeetings: closeStaleMeetingsAt, instanceId: instance };
}

export type DigestRunner = ReturnType<typeof createDigestRunner>;
