import type { ReplyMessage } from '../domain/reply.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { OverdueForReminder, OverdueReminder, ReminderPlan } from '../services/digest/reminders.ts';

/** `#12 · TN-2021-000001 · hạn 01/09/2024 (quá 3 ngày)`: numbers, codes and dates, never the task. */
const line = (o: OverdueForReminder, locale: Locale) =>
  `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${text('hạn', 'due')(locale)} ${formatDate(locale, o.dueOn)} (${text(
    `quá ${formatNumber('vi', o.daysOverdue)} ngày`,
    plural('en', o.daysOverdue, 'day late', 'days late'),
  )(locale)})`;

/** A late follow-up as its unit's leads see it: with who it is assigned to. */
const escalatedLine = (o: OverdueForReminder, locale: Locale) => `${line(o, locale)} · ${o.memberHandle ?? o.unitCode}`;

/** The direct message of one reminder: to the assignee, or to one of the unit's leads. */
export function overdueReminderMessage(reminder: OverdueReminder, locale: Locale, escalateDays: number): ReplyMessage {
  const count = reminder.items.length;
  if (reminder.kind === 'assignee') {
    return {
      personal: false,
      title: text(
        `Bạn có ${formatNumber('vi', count)} việc quá hạn`,
        `You have ${plural('en', count, 'overdue follow-up', 'overdue follow-ups')}`,
      )(locale),
      blocks: [
        { kind: 'list', items: reminder.items.map((o) => line(o, locale)) },
        {
          kind: 'text',
          tone: 'muted',
          text: text(
            'Xem chi tiết: followup list overdue; báo xong: followup done <số>.',
            'Details: followup list overdue; to close one: followup done <number>.',
          )(locale),
        },
      ],
    };
  }
  return {
    personal: false,
    title: text(
      `${reminder.unitCode}: ${formatNumber('vi', count)} việc quá hạn từ ${formatNumber('vi', escalateDays)} ngày trở lên`,
      `${reminder.unitCode}: ${plural('en', count, 'follow-up', 'follow-ups')} ${formatNumber('en', escalateDays)} or more days late`,
    )(locale),
    blocks: [{ kind: 'list', items: reminder.items.map((o) => escalatedLine(o, locale)) }],
  };
}

/** What goes to the schedule's channel for those who could not be reached directly. */
export function overdueChannelMessage(plan: ReminderPlan, locale: Locale): ReplyMessage | null {
  if (!plan.channel) return null;
  const { assignees, escalations } = plan.channel;
  const blocks: ReplyMessage['blocks'] = [];
  if (assignees.length)
    blocks.push(
      { kind: 'text', text: text('Việc quá hạn:', 'Overdue follow-ups:')(locale) },
      { kind: 'list', items: assignees.map((a) => `${a.who}: ${a.items.map((o) => line(o, locale)).join('; ')}`) },
    );
  if (escalations.length) {
    blocks.push(
      {
        kind: 'text',
        text: text(
          `Quá hạn từ ${formatNumber('vi', plan.escalateDays)} ngày trở lên, báo cáo lãnh đạo đơn vị:`,
          `${formatNumber('en', plan.escalateDays)} or more days late, for the units' leads:`,
        )(locale),
      },
      { kind: 'list', items: escalations.map((e) => `${e.unitCode}: ${e.items.map((o) => escalatedLine(o, locale)).join('; ')}`) },
    );
  }
  return {
    personal: false,
    toChannel: true,
    title: text(`Nhắc việc quá hạn ngày ${formatDate('vi', plan.today)}`, `Overdue follow-ups on ${formatDate('en', plan.today)}`)(locale),
    blocks,
  };
}
