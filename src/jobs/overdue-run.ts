import type { Executor } from '../../db/client.ts';
import { dayIn } from '../domain/dates.ts';
import type { ReplyMessage } from '../domain/reply.ts';
import type { Logger } from '../logger.ts';
import { overdueChannelMessage, overdueReminderMessage } from '../presenters/overdue-reminders.ts';
import type { DigestRun } from '../repositories/digest-runs.ts';
import type { OutboxMessage } from '../repositories/outbox.ts';
import { planOverdueReminders } from '../services/digest/reminders.ts';
import { planValidationReminders } from '../services/validations.ts';
import { validationChannelMessage, validationEscalationMessage } from '../presenters/validations.ts';
import type { DigestSchedule } from '../services/digest/schedules.ts';
import type { BuiltRun } from './digest-run.ts';

/**
 * Reminds overdue follow-ups: the day's overdue ladder for the schedule's scope (see
 * {@link planOverdueReminders}), each direct reminder as its own message and whoever could not be
 * reached directly in one message to the schedule's channel; then the records overdue for review
 * (see {@link remindOverdueValidations}).
 */
export async function remindOverdueFollowUps(
  db: Executor,
  input: {
    run: DigestRun;
    schedule: DigestSchedule;
    key: string;
    /** Whether this instance's poster for the schedule's platform can message a user directly. */
    canMessageDirectly: boolean;
    escalateDays: number;
    /** Months between two reviews of a wanted record (CASEDESK_VALIDATION_MONTHS). */
    validationMonths: number;
    logger: Logger;
  },
): Promise<BuiltRun> {
  const { run, schedule, key } = input;
  const plan = await planOverdueReminders(db, {
    scopeUnitId: schedule.unitId,
    today: dayIn(schedule.timeZone, run.slot),
    platform: schedule.targetPlatform,
    canMessageDirectly: input.canMessageDirectly,
    escalateDays: input.escalateDays,
  });
  const target = { platform: schedule.targetPlatform, runId: run.id };
  const messages = directMessages(target, key, plan.direct, (d) => overdueReminderMessage(d.reminder, schedule.locale, plan.escalateDays));
  const channel = overdueChannelMessage(plan, schedule.locale);
  if (channel) messages.push({ ...target, key: `${key}:channel`, target: { channelId: schedule.targetChannel }, message: channel });
  messages.push(...(await remindOverdueValidations(db, { ...input, months: input.validationMonths })));
  input.logger.info(
    { schedule: schedule.id, slot: run.slot.toISOString(), overdue: plan.overdue, escalated: plan.escalated, direct: plan.direct.length },
    'overdue reminders built',
  );
  return { messages, period: null };
}

/**
 * The overdue ladder of reviews (see {@link planValidationReminders}) as the run's messages: each
 * lead's summary of a unit as its own direct message, and the units' reminders with the escalations
 * no lead could be sent in one message to the schedule's channel. Keyed apart from the follow-ups'
 * messages of the same run, so that each goes out once.
 */
export async function remindOverdueValidations(
  db: Executor,
  input: {
    run: DigestRun;
    schedule: DigestSchedule;
    key: string;
    canMessageDirectly: boolean;
    escalateDays: number;
    months: number;
    logger: Logger;
  },
): Promise<OutboxMessage[]> {
  const { run, schedule } = input;
  const plan = await planValidationReminders(db, {
    scopeUnitId: schedule.unitId,
    today: dayIn(schedule.timeZone, run.slot),
    platform: schedule.targetPlatform,
    canMessageDirectly: input.canMessageDirectly,
    escalateDays: input.escalateDays,
    months: input.months,
  });
  const key = `${input.key}:validation`;
  const target = { platform: schedule.targetPlatform, runId: run.id };
  const messages = directMessages(target, key, plan.direct, (d) => validationEscalationMessage(d.unit, schedule.locale, plan.escalateDays));
  const channel = validationChannelMessage(plan, schedule.locale);
  if (channel) messages.push({ ...target, key: `${key}:channel`, target: { channelId: schedule.targetChannel }, message: channel });
  input.logger.info(
    { schedule: schedule.id, slot: run.slot.toISOString(), units: plan.units.length, direct: plan.direct.length },
    'validation reminders built',
  );
  return messages;
}

/**
 * One outbox message per direct reminder, keyed by `key` and the user: a lead of two units gets two
 * summaries, each its own message (`…:U1`, `…:U1:2`), so that each goes out once.
 */
function directMessages<T extends { userId: string }>(
  target: { platform: DigestSchedule['targetPlatform']; runId: number },
  key: string,
  reminders: readonly T[],
  messageOf: (reminder: T) => ReplyMessage,
): OutboxMessage[] {
  const seen = new Map<string, number>();
  return reminders.map((reminder) => {
    const n = (seen.get(reminder.userId) ?? 0) + 1;
    seen.set(reminder.userId, n);
    return {
      ...target,
      key: `${key}:${reminder.userId}${n > 1 ? `:${n}` : ''}`,
      target: { userId: reminder.userId },
      message: messageOf(reminder),
    };
  });
}
