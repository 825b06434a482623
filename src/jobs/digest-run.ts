import type { Executor } from '../../db/client.ts';
import type { Block, ReplyMessage } from '../domain/reply.ts';
import { dayIn } from '../domain/dates.ts';
import type { ValidationPolicy } from '../domain/validation.ts';
import { digestChartDescription, digestMessage } from '../presenters/digest.ts';
import { renderDigestChart } from '../presenters/digest-chart.ts';
import { previousMeetingBlocks } from '../presenters/meeting.ts';
import { previousDelivered, type DigestRun } from '../repositories/digest-runs.ts';
import { lastMeetingIn } from '../repositories/meetings.ts';
import type { OutboxMessage } from '../repositories/outbox.ts';
import { buildDigest, type Digest } from '../services/digest/digest.ts';
import { earlierReportOf } from '../services/digest/revision.ts';
import { presetPeriod, type Period, type PeriodPreset } from '../services/digest/period.ts';
import type { DigestSchedule } from '../services/digest/schedules.ts';
import { preReadOf } from '../services/meetings.ts';

/** What a run puts in the outbox, the period it covered (none for reminders), and the report it made. */
export interface BuiltRun {
  messages: OutboxMessage[];
  period: Period | null;
  /** A digest's figures and message as built, kept with the run: the report stays what it said. */
  report?: { figures: Digest; message: ReplyMessage };
}

/**
 * Builds a digest run: the digest of the schedule's period (since the previous delivered run for
 * `since-last`; since the committee's last meeting in the channel, with that meeting's directives
 * as a pre-read, for `since-meeting`), with its chart, as one message for the schedule's channel.
 * When the previous delivered run kept its figures, the digest says how that run's period has been
 * revised since.
 */
export async function buildDigestRun(
  db: Executor,
  input: { run: DigestRun; schedule: DigestSchedule; key: string; validation?: ValidationPolicy },
): Promise<BuiltRun> {
  const { run, schedule } = input;
  const slot = run.slot;
  const today = dayIn(schedule.timeZone, slot);
  const previous = await previousDelivered(db, { scheduleId: schedule.id, slot });
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
    const meeting = await lastMeetingIn(db, {
      platform: schedule.targetPlatform,
      channelId: schedule.targetChannel,
      unitId: schedule.unitId,
      before: slot,
    });
    if (meeting) {
      const from = dayIn(schedule.timeZone, meeting.startedAt);
      period = { from: from <= period.to ? from : period.to, to: period.to };
      since = meeting.startedAt;
      preRead = previousMeetingBlocks(await preReadOf(db, { meeting, today }), schedule.locale, schedule.timeZone);
    }
  }
  const earlier = earlierReportOf(previous?.figures);
  const digest = await buildDigest(db, {
    scopeUnitId: schedule.unitId,
    period,
    today,
    timeZone: schedule.timeZone,
    since,
    asOf: slot,
    earlier,
    ...(input.validation ? { validation: input.validation } : {}),
  });
  const chart = await renderDigestChart(digest, schedule.locale);
  const attachments = [
    { name: `digest-${period.to}.png`, data: chart, contentType: 'image/png', description: digestChartDescription(schedule.locale) },
  ];
  const rendered = digestMessage(digest, schedule.locale, { since: schedule.period === 'since-meeting' ? 'meeting' : 'digest' });
  const message = { ...rendered, blocks: [...rendered.blocks, ...preRead] };
  return {
    messages: [
      {
        platform: schedule.targetPlatform,
        runId: run.id,
        key: input.key,
        target: { channelId: schedule.targetChannel },
        message,
        attachments,
      },
    ],
    period,
    report: { figures: digest, message },
  };
}
