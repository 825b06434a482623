import type { Executor } from '../../db/client.ts';
import type { ValidationPolicy } from '../domain/validation.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { dayIn, type IsoDate } from '../domain/dates.ts';
import { formatDate, text, type Locale } from '../i18n/text.ts';
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
import { openFindingsOfUnits, type OpenFinding } from '../repositories/inspections.ts';
import type { Member } from '../repositories/members.ts';
import { findUnitById, unitSubtreeIds } from '../repositories/units.ts';
import { buildDigest, type Digest } from './digest/digest.ts';
import { resolveDigestRequest } from './digest/request.ts';
import { refusePastDueDate, resolveAssignee } from './follow-ups.ts';

/** A meeting's directives and follow-ups, each with whether it is overdue on the day they are reviewed. */
export interface PreviousMeeting {
  id: number;
  title: string;
  startedAt: string;
  followUps: Array<MeetingFollowUp & { overdue: boolean }>;
}

/** What a meeting opens with, kept as shown so its minutes record the figures reviewed. */
export interface Agenda {
  digest: Digest;
  previous: PreviousMeeting | null;
  /** The cases whose status changed since the previous meeting: the first few codes, and how many in all. */
  statusChanges: Array<{ code: string; status: string }>;
  statusChangesTotal: number;
  /**
   * The follow-ups made from records inspections' findings within the committee's units that are
   * still open: the first few, soonest due first, and how many in all. Absent from agendas kept
   * before inspections.
   */
  openFindings?: { findings: Array<OpenFinding & { overdue: boolean }>; total: number };
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
/** How many open inspection findings the agenda lists; the rest are counted. */
const OPEN_FINDINGS_LISTED = 30;

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
    /** How often records are reviewed, for the agenda's digest. */
    validation?: ValidationPolicy;
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
    ...(input.validation ? { validation: input.validation } : {}),
  });
  const followUps = previous ? await followUpsOf(db, previous.id) : [];
  const unitIds = await unitSubtreeIds(db, unitId);
  const changed = previous
    ? await casesChangedSince(db, { unitIds, since: previous.startedAt, limit: STATUS_CHANGES_LISTED })
    : { cases: [], total: 0 };
  const openFindings = await openFindingsOfUnits(db, { unitIds, limit: OPEN_FINDINGS_LISTED });
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
    openFindings: {
      findings: openFindings.findings.map((f) => ({ ...f, overdue: f.dueOn !== null && f.dueOn < input.today })),
      total: openFindings.total,
    },
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
  const pastDue = refusePastDueDate(input.dueOn, input.today);
  if (pastDue) return pastDue;
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
 * transaction that closes it (the time-out job in `src/services/jobs/stale-meetings.ts` queues the
 * minutes for posting there): if it fails, the meeting stays open for the next pass, so closed
 * minutes are never left unsent.
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
      await input.onClosed?.(tx, { meeting, minutes: ended.value });
      // A write by no member: audited like one, in the same transaction, as its last statement (an
      // audit row holds the chain's head until the transaction commits).
      await insertAudit(tx, {
        memberId: null,
        platform: meeting.platform,
        channelId: meeting.channelId,
        command: 'meeting end (timeout)',
        args: { meeting: meeting.id },
        outcome: 'ok',
        detail: 'timeout',
      });
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

/**
 * What a committee's pre-read adds to its digest: the directives of its last meeting (in the
 * schedule's channel, for its unit) with their state today, so members come prepared.
 */
export async function preReadOf(db: Executor, input: { meeting: MeetingRow; today: IsoDate }): Promise<PreviousMeeting> {
  const followUps = await followUpsOf(db, input.meeting.id);
  return {
    id: input.meeting.id,
    title: input.meeting.title,
    startedAt: input.meeting.startedAt.toISOString(),
    followUps: followUps.map((f) => ({ ...f, overdue: isOverdue(f, input.today) })),
  };
}
