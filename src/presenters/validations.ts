import type { ReplyMessage } from '../domain/reply.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { DueValidation, DueValidations, UnitOverdueValidations, ValidationReminderPlan } from '../services/validations.ts';

/** `hạn 15/03/2021 (quá 3 ngày)` / `due 2024-09-20 (in 19 days)` / `due today`. */
function dueText(dueOn: string, daysOverdue: number, locale: Locale): string {
  const when =
    daysOverdue > 0
      ? text(`quá ${formatNumber('vi', daysOverdue)} ngày`, plural('en', daysOverdue, 'day late', 'days late'))
      : daysOverdue === 0
        ? text('hôm nay', 'today')
        : text(`còn ${formatNumber('vi', -daysOverdue)} ngày`, `in ${plural('en', -daysOverdue, 'day', 'days')}`);
  return `${text('hạn', 'due')(locale)} ${formatDate(locale, dueOn)} (${when(locale)})`;
}

/**
 * `TN-2020-000001 · CAQ-HK · hạn 15/03/2021 (quá 1.266 ngày) · chưa rà soát`: a record due for
 * review, by code, unit and dates only.
 */
export function dueValidationLine(row: DueValidation, locale: Locale): string {
  const last = row.validatedOn
    ? text(`rà soát lần cuối ${formatDate('vi', row.validatedOn)}`, `last validated ${formatDate('en', row.validatedOn)}`)
    : text('chưa rà soát lần nào', 'never validated');
  return `${row.code} · ${row.unitCode} · ${dueText(row.dueOn, row.daysOverdue, locale)} · ${last(locale)}`;
}

/**
 * The list of records due for review (`validation due`): case codes, units and dates, which a
 * channel may see; the counts in the title, and the next page's button when there is one.
 */
export function dueValidationsMessage(
  list: DueValidations,
  locale: Locale,
  options: { windowDays: number; page: number; interactive: boolean },
): ReplyMessage {
  const n = (value: number) => formatNumber(locale, value);
  const total = list.due + list.overdue;
  const where = list.unitCode ? ` · ${list.unitCode}` : '';
  if (total === 0) {
    return {
      personal: false,
      blocks: [
        {
          kind: 'text',
          text: text(
            `Không có hồ sơ nào${list.unitCode ? ` của ${list.unitCode}` : ''} quá hạn hay đến hạn rà soát ${options.windowDays === 0 ? 'hôm nay' : `trong ${formatNumber('vi', options.windowDays)} ngày tới`}.`,
            `No record${list.unitCode ? ` of ${list.unitCode}` : ''} is overdue or due for validation ${options.windowDays === 0 ? 'today' : `in the next ${plural('en', options.windowDays, 'day', 'days')}`}.`,
          )(locale),
        },
      ],
    };
  }
  const within =
    options.windowDays === 0
      ? text('hôm nay', 'today')
      : text(`trong ${formatNumber('vi', options.windowDays)} ngày tới`, `in the next ${plural('en', options.windowDays, 'day', 'days')}`);
  const title = text(
    `Hồ sơ cần rà soát${where}: ${n(list.overdue)} quá hạn, ${n(list.due)} đến hạn ${within('vi')}`,
    `Records to validate${where}: ${n(list.overdue)} overdue, ${n(list.due)} due ${within('en')}`,
  )(locale);
  const blocks: ReplyMessage['blocks'] = [];
  if (list.rows.length) blocks.push({ kind: 'list', items: list.rows.map((r) => dueValidationLine(r, locale)) });
  const first = list.offset + 1;
  const last = list.offset + list.rows.length;
  const hasMore = last < total;
  blocks.push({
    kind: 'text',
    tone: 'muted',
    text:
      list.rows.length === 0
        ? text(`Trang ${n(options.page)} không còn hồ sơ nào.`, `Page ${n(options.page)} is past the end of the list.`)(locale)
        : text(
            `Hồ sơ ${n(first)}–${n(last)} trên ${n(total)}, hạn sớm nhất trước.${hasMore ? ` Trang sau: validation due page:${options.page + 1}` : ''} Ghi nhận: case validate <mã>.`,
            `Records ${n(first)}–${n(last)} of ${n(total)}, earliest due first.${hasMore ? ` Next page: validation due page:${options.page + 1}` : ''} To record one: case validate <code>.`,
          )(locale),
  });
  return {
    personal: false,
    title,
    blocks,
    ...(hasMore && options.interactive
      ? {
          actions: [
            {
              label: text('Trang sau', 'Next page')(locale),
              command: 'validation due',
              options: { page: String(options.page + 1), ...(list.unitCode ? { unit: list.unitCode } : {}) },
            },
          ],
        }
      : {}),
  };
}

/** `TN-2020-000001 · hạn 15/03/2021 (quá 3 ngày)`. */
const reminderLine = (o: UnitOverdueValidations['oldest'][number], locale: Locale) =>
  `${o.code} · ${dueText(o.dueOn, o.daysOverdue, locale)}`;

/** A unit's records on one line: `CAQ-HK: 12 hồ sơ — TN-…, TN-… và 2 hồ sơ khác`. */
function unitLine(unit: UnitOverdueValidations, count: number, locale: Locale): string {
  const more = count - unit.oldest.length;
  const items = unit.oldest.map((o) => reminderLine(o, locale)).join('; ');
  const rest = more > 0 ? text(`; và ${formatNumber('vi', more)} hồ sơ khác`, `; and ${formatNumber('en', more)} more`)(locale) : '';
  return `${unit.unitCode}: ${text(`${formatNumber('vi', count)} hồ sơ`, plural('en', count, 'record', 'records'))(locale)} — ${items}${rest}`;
}

/** The direct message to one of a unit's leads: its records `escalateDays` or more overdue for review. */
export function validationEscalationMessage(unit: UnitOverdueValidations, locale: Locale, escalateDays: number): ReplyMessage {
  const more = unit.escalated - unit.oldest.length;
  return {
    personal: false,
    title: text(
      `${unit.unitCode}: ${formatNumber('vi', unit.escalated)} hồ sơ quá hạn rà soát từ ${formatNumber('vi', escalateDays)} ngày trở lên`,
      `${unit.unitCode}: ${plural('en', unit.escalated, 'record', 'records')} ${formatNumber('en', escalateDays)} or more days overdue for validation`,
    )(locale),
    blocks: [
      {
        kind: 'list',
        items: [
          ...unit.oldest.map((o) => reminderLine(o, locale)),
          ...(more > 0 ? [text(`… và ${formatNumber('vi', more)} hồ sơ khác`, `… and ${formatNumber('en', more)} more`)(locale)] : []),
        ],
      },
      {
        kind: 'text',
        tone: 'muted',
        text: text(
          `Danh sách đầy đủ: validation due unit:${unit.unitCode}; ghi nhận: case validate <mã>.`,
          `The whole list: validation due unit:${unit.unitCode}; to record one: case validate <code>.`,
        )(locale),
      },
    ],
  };
}

/** What goes to the schedule's channel: each unit's overdue reviews, and escalations no lead could be sent. */
export function validationChannelMessage(plan: ValidationReminderPlan, locale: Locale): ReplyMessage | null {
  if (plan.units.length === 0) return null;
  const blocks: ReplyMessage['blocks'] = [
    { kind: 'text', text: text('Hồ sơ quá hạn rà soát, theo đơn vị quản lý:', 'Records overdue for validation, by owning unit:')(locale) },
    { kind: 'list', items: plan.units.map((u) => unitLine(u, u.overdue, locale)) },
  ];
  if (plan.escalations.length) {
    blocks.push(
      {
        kind: 'text',
        text: text(
          `Quá hạn từ ${formatNumber('vi', plan.escalateDays)} ngày trở lên, báo cáo lãnh đạo đơn vị:`,
          `${formatNumber('en', plan.escalateDays)} or more days overdue, for the units' leads:`,
        )(locale),
      },
      { kind: 'list', items: plan.escalations.map((u) => unitLine(u, u.escalated, locale)) },
    );
  }
  blocks.push({
    kind: 'text',
    tone: 'muted',
    text: text(
      'Danh sách đầy đủ: validation due unit:<mã>; ghi nhận: case validate <mã hồ sơ>.',
      'The whole list: validation due unit:<code>; to record one: case validate <case code>.',
    )(locale),
  });
  return {
    personal: false,
    toChannel: true,
    title: text(
      `Nhắc rà soát hồ sơ ngày ${formatDate('vi', plan.today)}`,
      `Validations overdue on ${formatDate('en', plan.today)}`,
    )(locale),
    blocks,
  };
}
