import type { Executor } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import type { Block, ReplyMessage } from '../domain/reply.ts';
import { fail, ok, type Result } from '../core/result.ts';
import { dayIn, type IsoDate } from '../domain/dates.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatDateTime, formatNumber, text, type Locale } from '../i18n/text.ts';
import { FOLLOW_UP_STATUS_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import { insertAudit } from '../repositories/audit.ts';
import { insertFollowUp } from '../repositories/follow-ups.ts';
import {
  addAttendee,
  attendeesOf,
  closeMeeting,
  casesChangedSince,
  findMeeting,
  followUpsOf,
  insertItem,
  insertMeeting,
  itemsOf,
  linkFollowUp,
  openMeetingIn,
  previousMeeting,
  staleMeetings,
  type MeetingFollowUp,
  type MeetingRow,
} from '../repositories/meetings.ts';
import type { Member } from '../repositories/members.ts';
import { findUnitById, unitSubtreeIds } from '../repositories/units.ts';
import { buildDigest, type Digest } from './digest/digest.ts';
import { digestMessage } from './digest/render.ts';
import { resolveDigestRequest } from './digest/request.ts';
import { resolveAssignee } from './follow-ups.ts';
import type { CaseStatus } from '../../db/schema/index.ts';

/** What a meeting opens with, kept as shown so its minutes record the figures reviewed. */
export interface Agenda {
  digest: Digest;
  previous: { id: number; title: string; startedAt: string; followUps: Array<MeetingFollowUp & { overdue: boolean }> } | null;
  /** The cases whose status changed since the previous meeting: the first few codes, and how many in all. */
  statusChanges: Array<{ code: string; status: string }>;
  statusChangesTotal: number;
}

export interface Minutes {
  id: number;
  title: string;
  unit: { code: string; name: string };
  startedAt: string;
  endedAt: string | null;
  endedHow: string | null;
  attendees: string[];
  agenda: Agenda;
  items: Array<{ kind: string; text: string; followUp: MeetingFollowUp | null }>;
  /** Follow-ups on cases assigned in the meeting's channel while it was open (`followup add`). */
  followUps: MeetingFollowUp[];
}

/** How many status changes the agenda lists by code; the rest are counted. */
const STATUS_CHANGES_LISTED = 30;

const noOpenMeeting = text(
  'Không có cuộc họp nào đang mở ở kênh này. Mở họp bằng: meeting start <tiêu đề>',
  'No meeting is open in this channel. Start one with: meeting start <title>',
);

/** The open meeting in this channel, if the member's scope covers its unit. */
export async function currentMeeting(
  db: Executor,
  input: { platform: Platform; channelId: string; scope: Scope },
): Promise<Result<MeetingRow>> {
  const meeting = await openMeetingIn(db, input);
  if (!meeting) return fail('not_found', noOpenMeeting);
  if (!input.scope.unitIds.includes(meeting.unitId)) return fail('not_found', otherCommitteesMeeting);
  return ok(meeting);
}

/**
 * Opens a committee meeting in a channel and builds its agenda: the digest since the committee's
 * previous meeting (or for the period given), that meeting's directives and follow-ups with their
 * state, and the cases whose status changed since.
 */
export async function startMeeting(
  db: Executor,
  input: {
    actor: Member;
    scope: Scope;
    title?: string | undefined;
    unitCode?: string | undefined;
    from?: IsoDate | undefined;
    to?: IsoDate | undefined;
    platform: Platform;
    channelId: string;
    now: Date;
    today: IsoDate;
    timeZone: string;
    /** For the default title's date. */
    locale: Locale;
  },
): Promise<Result<{ meeting: MeetingRow; agenda: Agenda }>> {
  const open = await openMeetingIn(db, input);
  if (open) return alreadyOpen(open, input.scope);
  const request = await resolveDigestRequest(db, {
    scope: input.scope,
    unitCode: input.unitCode,
    from: input.from,
    to: input.to,
    today: input.today,
  });
  if (!request.ok) return request;
  const unitId = request.value.scopeUnitId!;
  const unit = (await findUnitById(db, unitId))!;
  const previous = await previousMeeting(db, { platform: input.platform, channelId: input.channelId, unitId, before: input.now });
  const period =
    input.from && input.to
      ? request.value.period
      : previous
        ? { from: dayIn(input.timeZone, previous.startedAt), to: input.today }
        : request.value.period;
  const digest = await buildDigest(db, {
    scopeUnitId: unitId,
    period,
    today: input.today,
    timeZone: input.timeZone,
    since: previous?.startedAt,
    asOf: input.now,
  });
  const followUps = previous ? await followUpsOf(db, previous.id) : [];
  const changed = previous
    ? await casesChangedSince(db, { unitIds: await unitSubtreeIds(db, unitId), since: previous.startedAt, limit: STATUS_CHANGES_LISTED })
    : { cases: [], total: 0 };
  const agenda: Agenda = {
    digest,
    previous: previous
      ? {
          id: previous.id,
          title: previous.title,
          startedAt: previous.startedAt.toISOString(),
          followUps: followUps.map((f) => ({ ...f, overdue: isOverdue(f, input.today) })),
        }
      : null,
    statusChanges: changed.cases,
    statusChangesTotal: changed.total,
  };
  const title = input.title?.trim() || `${unit.code} ${formatDate(input.locale, input.today)}`;
  const meeting = await insertMeeting(db, {
    title,
    unitId,
    platform: input.platform,
    channelId: input.channelId,
    startedByMemberId: input.actor.id,
    startedAt: input.now,
    agenda: agenda as unknown as Record<string, unknown>,
  });
  // Another member opened one here at the same moment.
  if (!meeting) return alreadyOpen((await openMeetingIn(db, input))!, input.scope);
  await addAttendee(db, { meetingId: meeting.id, memberId: input.actor.id, at: input.now });
  return ok({ meeting, agenda });
}

const otherCommitteesMeeting = text(
  'Kênh này đang có một cuộc họp khác (của đơn vị ngoài phạm vi của bạn). Hãy họp ở kênh khác.',
  'Another meeting (of a unit outside yours) is open in this channel. Hold yours in another channel.',
);

/** One meeting at a time in a channel. Another committee's meeting is not named to those outside it. */
function alreadyOpen(open: MeetingRow, scope: Scope): Result<never> {
  if (!scope.unitIds.includes(open.unitId)) return fail('conflict', otherCommitteesMeeting);
  return fail(
    'conflict',
    text(
      `Đang có cuộc họp #${open.id} "${open.title}" ở kênh này; kết thúc bằng: meeting end`,
      `Meeting #${open.id} "${open.title}" is already open in this channel; end it with: meeting end`,
    ),
  );
}

/**
 * Records a note, a conclusion, or (with an assignee) a directive that also becomes a follow-up
 * linked to the meeting, so the next meeting reviews it.
 */
export async function recordItem(
  db: Executor,
  input: {
    meeting: MeetingRow;
    actor: Member;
    scope: Scope;
    kind: 'note' | 'conclusion';
    text: string;
    assignee?: string | undefined;
    dueOn?: IsoDate | undefined;
    today: IsoDate;
    now: Date;
    platform: Platform;
    workspaceId: string;
  },
): Promise<Result<{ kind: 'note' | 'conclusion' | 'directive'; followUpId: number | null; assignee: string | null }>> {
  if (input.dueOn && input.dueOn < input.today) {
    return fail('invalid', (l) =>
      l === 'vi'
        ? `Hạn ${formatDate(l, input.dueOn!)} đã qua; hôm nay là ${formatDate(l, input.today)}.`
        : `The due date ${formatDate(l, input.dueOn!)} has passed; today is ${formatDate(l, input.today)}.`,
    );
  }
  // Whoever writes into a meeting took part in it.
  await addAttendee(db, { meetingId: input.meeting.id, memberId: input.actor.id, at: input.now });
  if (input.kind === 'note' || !input.assignee) {
    if (input.dueOn)
      return fail(
        'invalid',
        text('Hạn (due) chỉ dùng cho chỉ đạo có người hoặc đơn vị nhận.', 'A due date needs an assignee: unit:CODE or a member.'),
      );
    await insertItem(db, { meetingId: input.meeting.id, kind: input.kind, text: input.text, createdByMemberId: input.actor.id });
    return ok({ kind: input.kind, followUpId: null, assignee: null });
  }
  const assignee = await resolveAssignee(db, {
    raw: input.assignee,
    scope: input.scope,
    platform: input.platform,
    workspaceId: input.workspaceId,
  });
  if (!assignee.ok) return assignee;
  const followUp = await insertFollowUp(db, {
    caseId: null,
    assigneeMemberId: assignee.value.memberId,
    assigneeUnitId: assignee.value.unitId,
    task: input.text,
    dueOn: input.dueOn ?? null,
    createdByMemberId: input.actor.id,
  });
  await linkFollowUp(db, { meetingId: input.meeting.id, followUpId: followUp.id });
  await insertItem(db, {
    meetingId: input.meeting.id,
    kind: 'directive',
    text: input.text,
    followUpId: followUp.id,
    createdByMemberId: input.actor.id,
  });
  return ok({ kind: 'directive', followUpId: followUp.id, assignee: assignee.value.label });
}

export async function minutesOf(db: Executor, meeting: MeetingRow): Promise<Minutes> {
  const [items, attendees, followUps, unit] = await Promise.all([
    itemsOf(db, meeting.id),
    attendeesOf(db, meeting.id),
    followUpsOf(db, meeting.id),
    findUnitById(db, meeting.unitId),
  ]);
  const byId = new Map(followUps.map((f) => [f.id, f]));
  const directives = new Set(items.flatMap((i) => (i.followUpId ? [i.followUpId] : [])));
  return {
    id: meeting.id,
    title: meeting.title,
    unit: { code: unit!.code, name: unit!.name },
    startedAt: meeting.startedAt.toISOString(),
    endedAt: meeting.endedAt?.toISOString() ?? null,
    endedHow: meeting.endedHow,
    attendees,
    agenda: meeting.agenda as unknown as Agenda,
    items: items.map((i) => ({ kind: i.kind, text: i.text, followUp: i.followUpId ? (byId.get(i.followUpId) ?? null) : null })),
    followUps: followUps.filter((f) => !directives.has(f.id)),
  };
}

/** Closes the meeting once and returns its minutes; not found when it was closed meanwhile. */
export async function endMeeting(
  db: Executor,
  input: { meeting: MeetingRow; at: Date; how: 'ended' | 'timeout'; byMemberId: number | null },
): Promise<Result<Minutes>> {
  const closed = await closeMeeting(db, { id: input.meeting.id, at: input.at, how: input.how, byMemberId: input.byMemberId });
  if (!closed) return fail('not_found', noOpenMeeting);
  return ok(await minutesOf(db, closed));
}

/**
 * Meetings open longer than `timeoutMs`, each closed by exactly one caller. `onClosed` runs in the
 * transaction that closes it (the scheduler queues the minutes for posting there): if it fails,
 * the meeting stays open for the next pass, so closed minutes are never left unsent.
 */
export async function closeStaleMeetings(
  db: Executor,
  input: { now: Date; timeoutMs: number; onClosed?: (tx: Executor, closed: { meeting: MeetingRow; minutes: Minutes }) => Promise<void> },
): Promise<Array<{ meeting: MeetingRow; minutes: Minutes }>> {
  const closed: Array<{ meeting: MeetingRow; minutes: Minutes }> = [];
  for (const meeting of await staleMeetings(db, new Date(input.now.getTime() - input.timeoutMs))) {
    const done = await db.transaction(async (tx) => {
      const ended = await endMeeting(tx, { meeting, at: input.now, how: 'timeout', byMemberId: null });
      if (!ended.ok) return undefined;
      // A write by no member: audited like one, in the same transaction.
      await insertAudit(tx, {
        memberId: null,
        platform: meeting.platform,
        channelId: meeting.channelId,
        command: 'meeting end (timeout)',
        args: { meeting: meeting.id },
        outcome: 'ok',
        detail: 'timeout',
      });
      await input.onClosed?.(tx, { meeting, minutes: ended.value });
      return { meeting, minutes: ended.value };
    });
    if (done) closed.push(done);
  }
  return closed;
}

export async function findMeetingInScope(db: Executor, input: { id: number; scope: Scope }): Promise<Result<MeetingRow>> {
  const meeting = await findMeeting(db, input.id);
  if (!meeting || !input.scope.unitIds.includes(meeting.unitId)) {
    return fail(
      'not_found',
      text(`Không có cuộc họp #${input.id} trong phạm vi của bạn.`, `There is no meeting #${input.id} within your units.`),
    );
  }
  return ok(meeting);
}

const isOverdue = (f: MeetingFollowUp, today: IsoDate) => f.status === 'open' && f.dueOn !== null && f.dueOn < today;

const stateLabel = (f: MeetingFollowUp & { overdue?: boolean }, l: Locale) =>
  f.overdue ? (l === 'vi' ? 'quá hạn' : 'overdue') : FOLLOW_UP_STATUS_LABEL[f.status](l);

const dueLabel = (f: MeetingFollowUp, l: Locale) => (f.dueOn ? ` · ${l === 'vi' ? 'hạn' : 'due'} ${formatDate(l, f.dueOn)}` : '');

/**
 * A follow-up as the channel may see it. A directive's text was spoken in the meeting and is in
 * its minutes; a follow-up on a case shows its case code only, since its task may name the person.
 */
const followUpLine = (f: MeetingFollowUp & { overdue?: boolean }, l: Locale) =>
  f.caseCode
    ? `#${f.id} · ${f.caseCode} · ${f.assignee}${dueLabel(f, l)} · ${stateLabel(f, l)}`
    : `#${f.id} · ${f.assignee}${dueLabel(f, l)} · ${stateLabel(f, l)}: ${f.task}`;

/** The previous meeting's directives and follow-ups with their state: for the agenda and the pre-read. */
function previousMeetingBlocks(previous: NonNullable<Agenda['previous']>, locale: Locale, timeZone: string): Block[] {
  const vi = locale === 'vi';
  const when = formatDateTime(locale, new Date(previous.startedAt), timeZone);
  return [
    {
      kind: 'text',
      text: vi
        ? `Chỉ đạo và việc cần làm của cuộc họp trước (#${previous.id} "${previous.title}", ${when}):`
        : `Directives and follow-ups of the previous meeting (#${previous.id} "${previous.title}", ${when}):`,
    },
    previous.followUps.length
      ? { kind: 'list', items: previous.followUps.map((f) => followUpLine(f, locale)) }
      : { kind: 'text', tone: 'muted', text: vi ? '(không có)' : '(none)' },
  ];
}

/**
 * What a committee's pre-read adds to its digest: the directives of its last meeting (in the
 * schedule's channel, for its unit) with their state today, so members come prepared.
 */
export async function preReadBlocks(
  db: Executor,
  input: { meeting: MeetingRow; today: IsoDate; locale: Locale; timeZone: string },
): Promise<Block[]> {
  const followUps = await followUpsOf(db, input.meeting.id);
  const previous = {
    id: input.meeting.id,
    title: input.meeting.title,
    startedAt: input.meeting.startedAt.toISOString(),
    followUps: followUps.map((f) => ({ ...f, overdue: isOverdue(f, input.today) })),
  };
  return previousMeetingBlocks(previous, input.locale, input.timeZone);
}

/** The agenda as posted to the committee's channel: aggregates, case codes, and its own directives. */
export function agendaMessage(meeting: MeetingRow, agenda: Agenda, locale: Locale, timeZone: string): ReplyMessage {
  const vi = locale === 'vi';
  const digest = digestMessage(agenda.digest, locale, { since: 'meeting' });
  const blocks: Block[] = [
    {
      kind: 'text',
      tone: 'muted',
      text: vi
        ? `Cuộc họp #${meeting.id} đã mở lúc ${formatDateTime(locale, meeting.startedAt, timeZone)}.`
        : `Meeting #${meeting.id} opened at ${formatDateTime(locale, meeting.startedAt, timeZone)}.`,
    },
    { kind: 'text', text: digest.title ?? '' },
    ...digest.blocks,
  ];
  if (agenda.previous) blocks.push(...previousMeetingBlocks(agenda.previous, locale, timeZone));
  if (agenda.statusChanges.length) {
    const total = agenda.statusChangesTotal;
    const more = total - agenda.statusChanges.length;
    blocks.push(
      {
        kind: 'text',
        text: vi
          ? `Hồ sơ thay đổi trạng thái từ cuộc họp trước: ${formatNumber(locale, total)}`
          : `Cases whose status changed since the previous meeting: ${formatNumber(locale, total)}`,
      },
      {
        kind: 'list',
        items: [
          agenda.statusChanges.map((c) => `${c.code} (${STATUS_LABEL[c.status as CaseStatus](locale)})`).join(', ') +
            (more > 0 ? (vi ? ` và ${formatNumber(locale, more)} hồ sơ khác` : ` and ${formatNumber(locale, more)} more`) : ''),
        ],
      },
    );
  }
  return { personal: false, toChannel: true, title: vi ? `Họp: ${meeting.title}` : `Meeting: ${meeting.title}`, blocks };
}

/** The minutes: title, time, scope, attendees, figures reviewed, conclusions and directives, notes. */
export function minutesMessage(m: Minutes, locale: Locale, timeZone: string): ReplyMessage {
  const vi = locale === 'vi';
  const at = (iso: string) => formatDateTime(locale, new Date(iso), timeZone);
  const n = (value: number) => formatNumber(locale, value);
  const { digest, previous } = m.agenda;
  const period = `${formatDate(locale, digest.period.from)} – ${formatDate(locale, digest.period.to)}`;
  const overdue = digest.followUps.overdue;
  const fields = [
    {
      label: vi ? 'Thời gian' : 'Time',
      value: `${at(m.startedAt)} – ${m.endedAt ? at(m.endedAt) : vi ? 'đang họp' : 'open'}${m.endedHow === 'timeout' ? (vi ? ' (tự đóng)' : ' (closed automatically)') : ''}`,
    },
    { label: vi ? 'Phạm vi' : 'Scope', value: `${m.unit.code} ${m.unit.name}` },
    { label: vi ? 'Thành phần tham dự' : 'Attendees', value: m.attendees.join(', ') || '-' },
    {
      label: vi ? 'Số liệu đã xem xét' : 'Figures reviewed',
      value: vi
        ? `${period}: bắt, vận động đầu thú, thanh loại ${n(digest.resolved.total)} đối tượng; còn truy nã ${n(digest.outstanding.total)}; ${n(overdue)} việc cần làm quá hạn`
        : `${period}: ${n(digest.resolved.total)} resolved; ${n(digest.outstanding.total)} still wanted; ${plural(locale, overdue, 'follow-up', 'follow-ups')} overdue`,
    },
  ];
  if (previous) {
    const count = (status: 'done' | 'open' | 'overdue') =>
      previous.followUps.filter((f) =>
        status === 'overdue' ? f.overdue : status === 'open' ? f.status === 'open' && !f.overdue : f.status === 'done',
      ).length;
    fields.push({
      label: vi ? 'Rà soát cuộc họp trước' : 'Previous meeting reviewed',
      value: vi
        ? `#${previous.id}: ${n(previous.followUps.length)} chỉ đạo, việc cần làm (xong ${n(count('done'))}, đang làm ${n(count('open'))}, quá hạn ${n(count('overdue'))})`
        : `#${previous.id}: ${plural(locale, previous.followUps.length, 'directive or follow-up', 'directives and follow-ups')} (${n(count('done'))} done, ${n(count('open'))} open, ${n(count('overdue'))} overdue)`,
    });
  }
  const blocks: Block[] = [{ kind: 'fields', fields }];
  const section = (label: string, items: string[]) => {
    if (items.length) blocks.push({ kind: 'text', text: label }, { kind: 'list', ordered: true, items });
  };
  section(
    vi ? 'Kết luận:' : 'Conclusions:',
    m.items.filter((i) => i.kind === 'conclusion').map((i) => i.text),
  );
  section(
    vi ? 'Chỉ đạo:' : 'Directives:',
    m.items
      .filter((i) => i.kind === 'directive')
      .map(
        (i) =>
          `${i.text} → ${i.followUp ? `${i.followUp.assignee}${i.followUp.dueOn ? ` (${vi ? 'hạn' : 'due'} ${formatDate(locale, i.followUp.dueOn)})` : ''} · #${i.followUp.id}` : '?'}`,
      ),
  );
  section(
    vi ? 'Việc cần làm đã giao trong cuộc họp:' : 'Follow-ups assigned during the meeting:',
    (m.followUps ?? []).map((f) => followUpLine(f, locale)),
  );
  section(
    vi ? 'Ghi chú:' : 'Notes:',
    m.items.filter((i) => i.kind === 'note').map((i) => i.text),
  );
  return {
    personal: false,
    toChannel: true,
    title: vi ? `Biên bản họp #${m.id}: ${m.title}` : `Minutes of meeting #${m.id}: ${m.title}`,
    blocks,
  };
}
