import type { CaseStatus } from '../../db/schema/index.ts';
import type { Block, ReplyMessage } from '../domain/reply.ts';
import { FOLLOW_UP_STATUS_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatDateTime, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { MeetingFollowUp, MeetingRow } from '../repositories/meetings.ts';
import type { Agenda, Minutes, PreviousMeeting } from '../services/meetings.ts';
import { digestMessage } from './digest.ts';

const stateLabel = (f: MeetingFollowUp & { overdue?: boolean }, l: Locale) =>
  f.overdue ? text('quá hạn', 'overdue')(l) : FOLLOW_UP_STATUS_LABEL[f.status](l);

const dueLabel = (f: MeetingFollowUp, l: Locale) => (f.dueOn ? ` · ${text('hạn', 'due')(l)} ${formatDate(l, f.dueOn)}` : '');

/**
 * A follow-up as the channel may see it. A directive's text was spoken in the meeting and is in
 * its minutes; a follow-up on a case shows its case code only, since its task may name the person.
 */
const followUpLine = (f: MeetingFollowUp & { overdue?: boolean }, l: Locale) =>
  f.caseCode
    ? `#${f.id} · ${f.caseCode} · ${f.assignee}${dueLabel(f, l)} · ${stateLabel(f, l)}`
    : `#${f.id} · ${f.assignee}${dueLabel(f, l)} · ${stateLabel(f, l)}: ${f.task}`;

/**
 * The previous meeting's directives and follow-ups with their state: for the agenda, and for the
 * pre-read a committee's digest adds so that members come prepared.
 */
export function previousMeetingBlocks(previous: PreviousMeeting, locale: Locale, timeZone: string): Block[] {
  const when = formatDateTime(locale, new Date(previous.startedAt), timeZone);
  return [
    {
      kind: 'text',
      text: text(
        `Chỉ đạo và việc cần làm của cuộc họp trước (#${previous.id} "${previous.title}", ${when}):`,
        `Directives and follow-ups of the previous meeting (#${previous.id} "${previous.title}", ${when}):`,
      )(locale),
    },
    previous.followUps.length
      ? { kind: 'list', items: previous.followUps.map((f) => followUpLine(f, locale)) }
      : { kind: 'text', tone: 'muted', text: text('(không có)', '(none)')(locale) },
  ];
}

/**
 * The open follow-ups from records inspections' findings: how many, and each by its number, case
 * code, the unit to act and its due date. Never the finding's text, which may name the person.
 */
function openFindingsBlocks(open: NonNullable<Agenda['openFindings']>, locale: Locale): Block[] {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const more = open.total - open.findings.length;
  const items = open.findings.map((f) => {
    const due = f.dueOn ? ` · ${t('hạn', 'due')} ${formatDate(locale, f.dueOn)}` : '';
    const late = f.overdue ? ` · ${t('quá hạn', 'overdue')}` : '';
    return `#${f.followUpId} · ${f.caseCode} · ${f.unitCode}${due}${late} (${t('kiểm tra', 'inspection')} #${f.inspectionId})`;
  });
  if (more > 0) items.push(t(`… và ${formatNumber(locale, more)} phát hiện khác`, `… and ${formatNumber(locale, more)} more`));
  return [
    {
      kind: 'text',
      text: t(
        `Phát hiện kiểm tra hồ sơ chưa khắc phục: ${formatNumber(locale, open.total)}`,
        `Records inspection findings still open: ${formatNumber(locale, open.total)}`,
      ),
    },
    { kind: 'list', items },
  ];
}

/** The agenda as posted to the committee's channel: aggregates, case codes, and its own directives. */
export function agendaMessage(meeting: MeetingRow, agenda: Agenda, locale: Locale, timeZone: string): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const digest = digestMessage(agenda.digest, locale, { since: 'meeting' });
  const opened = formatDateTime(locale, meeting.startedAt, timeZone);
  const blocks: Block[] = [
    { kind: 'text', tone: 'muted', text: t(`Cuộc họp #${meeting.id} đã mở lúc ${opened}.`, `Meeting #${meeting.id} opened at ${opened}.`) },
    { kind: 'text', text: digest.title ?? '' },
    ...digest.blocks,
  ];
  if (agenda.previous) blocks.push(...previousMeetingBlocks(agenda.previous, locale, timeZone));
  if (agenda.statusChanges.length) {
    const total = formatNumber(locale, agenda.statusChangesTotal);
    const more = agenda.statusChangesTotal - agenda.statusChanges.length;
    const others = formatNumber(locale, more);
    blocks.push(
      {
        kind: 'text',
        text: t(`Hồ sơ thay đổi trạng thái từ cuộc họp trước: ${total}`, `Cases whose status changed since the previous meeting: ${total}`),
      },
      {
        kind: 'list',
        items: [
          agenda.statusChanges.map((c) => `${c.code} (${STATUS_LABEL[c.status as CaseStatus](locale)})`).join(', ') +
            (more > 0 ? t(` và ${others} hồ sơ khác`, ` and ${others} more`) : ''),
        ],
      },
    );
  }
  if (agenda.openFindings?.total) blocks.push(...openFindingsBlocks(agenda.openFindings, locale));
  return { personal: false, toChannel: true, title: t(`Họp: ${meeting.title}`, `Meeting: ${meeting.title}`), blocks };
}

/** The minutes: title, time, scope, attendees, figures reviewed, conclusions and directives, notes. */
export function minutesMessage(m: Minutes, locale: Locale, timeZone: string): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const at = (iso: string) => formatDateTime(locale, new Date(iso), timeZone);
  const n = (value: number) => formatNumber(locale, value);
  const { digest, previous } = m.agenda;
  const period = `${formatDate(locale, digest.period.from)} – ${formatDate(locale, digest.period.to)}`;
  const overdue = digest.followUps.overdue;
  const fields = [
    {
      label: t('Thời gian', 'Time'),
      value: `${at(m.startedAt)} – ${m.endedAt ? at(m.endedAt) : t('đang họp', 'open')}${m.endedHow === 'timeout' ? t(' (tự đóng)', ' (closed automatically)') : ''}`,
    },
    { label: t('Phạm vi', 'Scope'), value: `${m.unit.code} ${m.unit.name}` },
    { label: t('Thành phần tham dự', 'Attendees'), value: m.attendees.join(', ') || '-' },
    {
      label: t('Số liệu đã xem xét', 'Figures reviewed'),
      value: t(
        `${period}: bắt, vận động đầu thú, thanh loại ${n(digest.resolved.total)} đối tượng; còn truy nã ${n(digest.outstanding.total)}; ${n(overdue)} việc cần làm quá hạn`,
        `${period}: ${n(digest.resolved.total)} resolved; ${n(digest.outstanding.total)} still wanted; ${plural('en', overdue, 'follow-up', 'follow-ups')} overdue`,
      ),
    },
  ];
  if (previous) {
    const count = (status: 'done' | 'open' | 'overdue') =>
      n(
        previous.followUps.filter((f) =>
          status === 'overdue' ? f.overdue : status === 'open' ? f.status === 'open' && !f.overdue : f.status === 'done',
        ).length,
      );
    fields.push({
      label: t('Rà soát cuộc họp trước', 'Previous meeting reviewed'),
      value: t(
        `#${previous.id}: ${n(previous.followUps.length)} chỉ đạo, việc cần làm (xong ${count('done')}, đang làm ${count('open')}, quá hạn ${count('overdue')})`,
        `#${previous.id}: ${plural('en', previous.followUps.length, 'directive or follow-up', 'directives and follow-ups')} (${count('done')} done, ${count('open')} open, ${count('overdue')} overdue)`,
      ),
    });
  }
  const blocks: Block[] = [{ kind: 'fields', fields }];
  const section = (label: string, items: string[]) => {
    if (items.length) blocks.push({ kind: 'text', text: label }, { kind: 'list', ordered: true, items });
  };
  section(
    t('Kết luận:', 'Conclusions:'),
    m.items.filter((i) => i.kind === 'conclusion').map((i) => i.text),
  );
  section(
    t('Chỉ đạo:', 'Directives:'),
    m.items
      .filter((i) => i.kind === 'directive')
      .map(
        (i) =>
          `${i.text} → ${i.followUp ? `${i.followUp.assignee}${i.followUp.dueOn ? ` (${t('hạn', 'due')} ${formatDate(locale, i.followUp.dueOn)})` : ''} · #${i.followUp.id}` : '?'}`,
      ),
  );
  section(
    t('Việc cần làm đã giao trong cuộc họp:', 'Follow-ups assigned during the meeting:'),
    (m.followUps ?? []).map((f) => followUpLine(f, locale)),
  );
  section(
    t('Ghi chú:', 'Notes:'),
    m.items.filter((i) => i.kind === 'note').map((i) => i.text),
  );
  return {
    personal: false,
    toChannel: true,
    title: t(`Biên bản họp #${m.id}: ${m.title}`, `Minutes of meeting #${m.id}: ${m.title}`),
    blocks,
  };
}
