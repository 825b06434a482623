import type { Executor } from '../../../db/client.ts';
import type { Platform } from '../../../db/schema/index.ts';
import type { ReplyMessage } from '../../domain/reply.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { plural } from '../../i18n/plural.ts';
import { formatDate, formatNumber, type Locale } from '../../i18n/text.ts';
import { chatAccountOf, overdueForReminders, unitLeads, type OverdueForReminder } from '../../repositories/digest.ts';
import { unitSubtreeIds } from '../../repositories/units.ts';

export interface ReminderPlan {
  /** Direct messages, by chat user id. */
  direct: Array<{ userId: string; message: ReplyMessage }>;
  /** What goes to the schedule's channel: whoever could not be reached directly. */
  channel: ReplyMessage | null;
  overdue: number;
  escalated: number;
}

const line = (o: OverdueForReminder, locale: Locale) =>
  `#${o.id}${o.caseCode ? ` · ${o.caseCode}` : ''} · ${locale === 'vi' ? 'hạn' : 'due'} ${formatDate(locale, o.dueOn)} (${locale === 'vi' ? `quá ${formatNumber(locale, o.daysOverdue)} ngày` : plural(locale, o.daysOverdue, 'day late', 'days late')})`;

/**
 * The overdue ladder for one day: each assignee with overdue follow-ups is reminded (directly when
 * they have an account on the platform and it can message them, otherwise in the channel); those
 * `escalateDays` or more late are summed up for the leads of the unit that answers for them. Only
 * follow-up numbers, case codes and dates: never the task's text, which may name people.
 */
export async function planOverdueReminders(
  db: Executor,
  input: {
    scopeUnitId: number | null;
    today: IsoDate;
    platform: Platform;
    canMessageDirectly: boolean;
    escalateDays: number;
    locale: Locale;
  },
): Promise<ReminderPlan> {
  const l = input.locale;
  const vi = l === 'vi';
  const rows = await overdueForReminders(db, {
    unitIds: input.scopeUnitId === null ? null : await unitSubtreeIds(db, input.scopeUnitId),
    today: input.today,
  });
  const direct: ReminderPlan['direct'] = [];
  const channelLines: string[] = [];
  const account = async (memberId: number) => (input.canMessageDirectly ? chatAccountOf(db, { memberId, platform: input.platform }) : null);

  const byAssignee = new Map<string, OverdueForReminder[]>();
  for (const row of rows) {
    const key = row.memberId !== null ? `m${row.memberId}` : `u${row.unitId}`;
    byAssignee.set(key, [...(byAssignee.get(key) ?? []), row]);
  }
  for (const items of byAssignee.values()) {
    const first = items[0]!;
    const userId = first.memberId !== null ? await account(first.memberId) : null;
    if (userId) {
      direct.push({
        userId,
        message: {
          personal: false,
          title: vi
            ? `Bạn có ${formatNumber(l, items.length)} việc quá hạn`
            : `You have ${plural(l, items.length, 'overdue follow-up', 'overdue follow-ups')}`,
          blocks: [
            { kind: 'list', items: items.map((o) => line(o, l)) },
            {
              kind: 'text',
              tone: 'muted',
              text: vi
                ? 'Xem chi tiết: followup list overdue; báo xong: followup done <số>.'
                : 'Details: followup list overdue; to close one: followup done <number>.',
            },
          ],
        },
      });
    } else {
      const who = first.memberHandle ?? first.unitCode;
      channelLines.push(`${who}: ${items.map((o) => line(o, l)).join('; ')}`);
    }
  }

  const late = rows.filter((r) => r.daysOverdue >= input.escalateDays);
  const byUnit = new Map<number, OverdueForReminder[]>();
  for (const row of late) byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row]);
  const escalationLines: string[] = [];
  for (const [unitId, items] of byUnit) {
    const summary = `${items[0]!.unitCode}: ${items.map((o) => `${line(o, l)} · ${o.memberHandle ?? o.unitCode}`).join('; ')}`;
    const leads = input.canMessageDirectly ? (await unitLeads(db, { unitId, platform: input.platform })).filter((x) => x.userId) : [];
    if (leads.length === 0) {
      escalationLines.push(summary);
      continue;
    }
    for (const lead of leads) {
      direct.push({
        userId: lead.userId!,
        message: {
          personal: false,
          title: vi
            ? `${items[0]!.unitCode}: ${formatNumber(l, items.length)} việc quá hạn từ ${formatNumber(l, input.escalateDays)} ngày trở lên`
            : `${items[0]!.unitCode}: ${plural(l, items.length, 'follow-up', 'follow-ups')} ${formatNumber(l, input.escalateDays)} or more days late`,
          blocks: [{ kind: 'list', items: items.map((o) => `${line(o, l)} · ${o.memberHandle ?? o.unitCode}`) }],
        },
      });
    }
  }

  const blocks: ReplyMessage['blocks'] = [];
  if (channelLines.length)
    blocks.push({ kind: 'text', text: vi ? 'Việc quá hạn:' : 'Overdue follow-ups:' }, { kind: 'list', items: channelLines });
  if (escalationLines.length) {
    blocks.push(
      {
        kind: 'text',
        text: vi
          ? `Quá hạn từ ${formatNumber(l, input.escalateDays)} ngày trở lên, báo cáo lãnh đạo đơn vị:`
          : `${formatNumber(l, input.escalateDays)} or more days late, for the units' leads:`,
      },
      { kind: 'list', items: escalationLines },
    );
  }
  return {
    direct,
    channel: blocks.length
      ? {
          personal: false,
          toChannel: true,
          title: vi ? `Nhắc việc quá hạn ngày ${formatDate(l, input.today)}` : `Overdue follow-ups on ${formatDate(l, input.today)}`,
          blocks,
        }
      : null,
    overdue: rows.length,
    escalated: late.length,
  };
}
