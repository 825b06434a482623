import type { Executor } from '../../db/client.ts';
import type { CaseStatus, Danger, DecisionKind } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { IsoDate } from '../domain/dates.ts';
import { formatDate, text } from '../i18n/text.ts';
import { STATUS_LABEL } from '../i18n/labels.ts';
import { closestCodes, looksLikeCode, searchCases, type CaseHit } from '../repositories/case-search.ts';
import {
  countCaseEvents,
  findCaseByCode,
  insertCaseEvents,
  keyCaseEvents,
  latestCaseEvents,
  listCaseEvents,
  updateCaseAtVersion,
  type CaseEventView,
  type CaseFields,
  type CaseRow,
} from '../repositories/cases.ts';
import { caseDetailsOfCase, type CaseDetailView } from '../repositories/case-details.ts';
import { decisionsOfCase, insertDecisions, type DecisionRow } from '../repositories/case-decisions.ts';
import { openFollowUpsOfCase } from '../repositories/follow-ups.ts';
import { findMemberHandle, type Member } from '../repositories/members.ts';
import { findUnitByCode, findUnitById, unitSubtreeIds } from '../repositories/units.ts';

/** Case use cases: find, show, change status, add notes and record information. Always within a scope. */

export const caseNotFound = (code: string) =>
  fail<never>('not_found', text(`Không tìm thấy hồ sơ ${code} trong phạm vi của bạn.`, `No case ${code} within your units.`));

/** A case by code, or not-found when it is outside the scope: out-of-scope cases do not exist. */
export async function getCaseInScope(db: Executor, scope: Scope, rawCode: string): Promise<Result<CaseRow>> {
  const code = rawCode.trim().toUpperCase();
  const found = await findCaseByCode(db, code);
  if (!found || !scope.unitIds.includes(found.unitId)) return caseNotFound(code);
  return ok(found);
}

export interface FindResult {
  hits: CaseHit[];
  /** When nothing matched text that looks like a code: the nearest codes within scope. */
  suggestions: string[];
}

export async function findCases(
  db: Executor,
  scope: Scope,
  input: { text: string; status?: CaseStatus; danger?: Danger; unitCode?: string; limit?: number },
): Promise<Result<FindResult>> {
  let unitIds = scope.unitIds;
  if (input.unitCode) {
    const code = input.unitCode.toUpperCase();
    const unit = await findUnitByCode(db, code);
    if (!unit || !scope.unitIds.includes(unit.id)) {
      return fail('not_found', text(`Không có đơn vị ${code} trong phạm vi của bạn.`, `No unit ${code} within your units.`));
    }
    const subtree = new Set(await unitSubtreeIds(db, unit.id));
    unitIds = scope.unitIds.filter((id) => subtree.has(id));
  }
  const hits = await searchCases(db, {
    text: input.text,
    unitIds,
    status: input.status,
    danger: input.danger,
    limit: input.limit ?? 10,
  });
  const suggestions = hits.length === 0 && looksLikeCode(input.text) ? await closestCodes(db, { text: input.text, unitIds, limit: 3 }) : [];
  return ok({ hits, suggestions });
}

export interface CaseCard {
  row: CaseRow;
  unitCode: string;
  unitName: string;
  /** Its wanted and cancellation decisions, oldest first. */
  decisions: DecisionRow[];
  openFollowUps: Array<{ id: number; task: string; dueOn: string | null; assignee: string }>;
  /**
   * Its latest events, newest first, with its latest status change and its latest note always
   * among them (see {@link CARD_EVENTS}).
   */
  events: CaseEventView[];
  /** How many events its whole history holds (`case history` shows them). */
  eventCount: number;
  /** Its identifying marks and criminal history entries, newest first. */
  details: CaseDetailView[];
}

/** How many of its latest events a case's card shows, besides its latest status change and note. */
export const CARD_EVENTS = 5;

export async function getCaseCard(db: Executor, scope: Scope, code: string): Promise<Result<CaseCard>> {
  const found = await getCaseInScope(db, scope, code);
  if (!found.ok) return found;
  const row = found.value;
  const unit = await findUnitById(db, row.unitId);
  const decisions = await decisionsOfCase(db, { caseId: row.id });
  const openFollowUps = await openFollowUpsOfCase(db, { caseId: row.id });
  const latest = await latestCaseEvents(db, { caseId: row.id, limit: CARD_EVENTS });
  // Follow-up entries come often and would push the last outcome and note out of sight.
  const kept = (await keyCaseEvents(db, { caseId: row.id })).filter((e) => !latest.some((l) => l.id === e.id));
  const events = [...latest, ...kept].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime() || b.id - a.id);
  const eventCount = await countCaseEvents(db, { caseId: row.id });
  const details = await caseDetailsOfCase(db, { caseId: row.id });
  return ok({ row, unitCode: unit!.code, unitName: unit!.name, decisions, openFollowUps, events, eventCount, details });
}

/** A page of a case's history: its events, newest first, and how many there are in all. */
export interface CaseHistory {
  row: CaseRow;
  events: CaseEventView[];
  /** How many events the case has in all. */
  total: number;
  /** Where this page starts among them, from 0. */
  offset: number;
}

/**
 * The whole history of a case within the scope (status changes, decisions, notes, information
 * added, follow-up entries), newest first, `limit` events from `offset`.
 */
export async function getCaseHistory(
  db: Executor,
  input: { scope: Scope; code: string; limit: number; offset?: number },
): Promise<Result<CaseHistory>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const row = found.value;
  const offset = input.offset ?? 0;
  const events = await latestCaseEvents(db, { caseId: row.id, limit: input.limit, offset });
  return ok({ row, events, total: await countCaseEvents(db, { caseId: row.id }), offset });
}

export type StatusTarget = CaseStatus;

/**
 * What a status change is:
 * - `resolved`: a wanted case gets its outcome;
 * - `corrected`: a resolved case's outcome or its day is changed;
 * - `withdrawn`: a resolved case's outcome was recorded in error and is withdrawn, so the subject is
 *   wanted as before. A subject wanted again after an outcome (an escape) has a new wanted decision
 *   instead ({@link recordDecision}), and the outcome stays in the figures of its day.
 */
export type StatusChangeKind = 'resolved' | 'corrected' | 'withdrawn';

export interface StatusChange {
  before: CaseRow;
  after: CaseRow;
  kind: StatusChangeKind;
  /** The cancellation decision recorded with the outcome, when one was given. */
  decision: { number: string; on: IsoDate } | null;
}

const futureDay = (on: IsoDate, today: IsoDate) =>
  fail<never>('invalid', (l) =>
    l === 'vi'
      ? `Ngày ${formatDate(l, on)} ở tương lai; hôm nay là ${formatDate(l, today)}.`
      : `${formatDate(l, on)} is in the future; today is ${formatDate(l, today)}.`,
  );

/**
 * Changes a case's status (see {@link StatusChangeKind}): to an outcome on the day it happened (a
 * resolved case's own day unless another is given), or back to wanted. With `decisionNo`, records
 * the outcome's cancellation decision too, dated on the outcome's day. Refuses a future day, a day
 * before the wanted date, a change that changes nothing, and a change to a case that was changed
 * after `expectedVersion`.
 */
export async function changeCaseStatus(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    to: StatusTarget;
    on?: IsoDate | undefined;
    reason?: string | undefined;
    decisionNo?: string | undefined;
    expectedVersion?: number | undefined;
    today: IsoDate;
    /** Check the change and show what it would be, without making it. */
    preview?: boolean;
  },
): Promise<Result<StatusChange>> {
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const code = before.code;
  if (input.to === 'wanted') {
    if (before.status === 'wanted') {
      return fail('conflict', (l) =>
        l === 'vi' ? `Hồ sơ ${code} đang truy nã; không có gì thay đổi.` : `Case ${code} is already wanted; nothing changed.`,
      );
    }
    if (input.decisionNo !== undefined || input.on !== undefined) {
      // A day or a decision number means a new wanted decision, which is its own command.
      return fail('invalid', (l) =>
        l === 'vi'
          ? `"case status ${code} wanted" rút lại kết quả đã ghi nhầm. Nếu đối tượng bị truy nã lại (ví dụ bỏ trốn), hãy ghi quyết định truy nã mới: case decision ${code} wanted SỐ on:NGÀY.`
          : `"case status ${code} wanted" withdraws an outcome recorded in error. If the subject is wanted again (after an escape, say), record the new wanted decision: case decision ${code} wanted NUMBER on:DATE.`,
      );
    }
  }
  const on = input.to === 'wanted' ? null : (input.on ?? (before.status === 'wanted' ? input.today : before.resolvedOn!));
  if (input.to !== 'wanted' && before.status === input.to && on === before.resolvedOn) {
    return fail('conflict', (l) => {
      const already =
        l === 'vi'
          ? `Hồ sơ ${code} đã ở trạng thái ${STATUS_LABEL[input.to](l)} từ ngày ${formatDate(l, on!)}; không có gì thay đổi.`
          : `Case ${code} is already ${STATUS_LABEL[input.to](l)} since ${formatDate(l, on!)}; nothing changed.`;
      if (input.decisionNo === undefined) return already;
      return l === 'vi'
        ? `${already} Để ghi quyết định đình nã: case decision ${code} cancel ${input.decisionNo} on:NGÀY.`
        : `${already} To record the cancellation decision: case decision ${code} cancel ${input.decisionNo} on:DATE.`;
    });
  }
  if (on !== null) {
    if (on > input.today) return futureDay(on, input.today);
    if (on < before.wantedOn) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} trước ngày ra quyết định truy nã (${formatDate(l, before.wantedOn)}).`
          : `${formatDate(l, on)} is before the wanted date (${formatDate(l, before.wantedOn)}).`,
      );
    }
  }
  const kind: StatusChangeKind = before.status === 'wanted' ? 'resolved' : input.to === 'wanted' ? 'withdrawn' : 'corrected';
  const changes =
    input.to === 'wanted'
      ? { status: 'wanted' as const, resolvedOn: null, outcomeNote: null }
      : { status: input.to, resolvedOn: on, outcomeNote: input.reason ?? (kind === 'corrected' ? before.outcomeNote : null) };
  const decision = on !== null && input.decisionNo !== undefined ? { number: input.decisionNo, on } : null;
  if (input.preview) return ok({ before, after: { ...before, ...changes }, kind, decision });
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes });
  if (!after) return changedMeanwhile(db, before, before.version);
  if (decision) {
    await insertDecisions(db, [
      { caseId: before.id, kind: 'cancellation', number: decision.number, decidedOn: decision.on, actorMemberId: input.actor.id },
    ]);
  }
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: input.to === 'wanted' ? 'reopened' : 'status_changed',
      actorMemberId: input.actor.id,
      occurredOn: on ?? before.resolvedOn,
      data: {
        version: after.version,
        ...(kind !== 'resolved' ? { [kind]: true } : {}),
        changes: { status: [before.status, after.status], resolved_on: [before.resolvedOn, after.resolvedOn] },
        ...(input.reason ? { reason: input.reason } : {}),
        ...(decision ? { decision: { kind: 'cancellation', number: decision.number, on: decision.on } } : {}),
      },
    },
  ]);
  return ok({ before, after, kind, decision });
}

export interface DecisionRecorded {
  before: CaseRow;
  after: CaseRow;
  kind: DecisionKind;
  number: string;
  on: IsoDate;
  /** A wanted decision for a resolved case: the subject is wanted again, in a new spell. */
  reopens: boolean;
}

/**
 * Records a decision as its own document:
 * - a cancellation decision (đình nã) for a case that has its outcome, often days after it;
 * - a wanted decision (truy nã): for a resolved case, the subject is wanted again from its day (a
 *   new spell; the earlier outcome stays in the figures of its day); for a wanted case, one more
 *   decision about the same subject.
 * Refuses a future day, a cancellation before the wanted decision or the outcome, a new wanted
 * decision before the outcome, the same decision twice, and a case changed after `expectedVersion`.
 */
export async function recordDecision(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    kind: DecisionKind;
    number: string;
    on?: IsoDate | undefined;
    authority?: string | undefined;
    expectedVersion?: number | undefined;
    today: IsoDate;
    preview?: boolean;
  },
): Promise<Result<DecisionRecorded>> {
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const code = before.code;
  const on = input.on ?? input.today;
  if (on > input.today) return futureDay(on, input.today);
  const existing = await decisionsOfCase(db, { caseId: before.id });
  const same = existing.find((d) => d.kind === input.kind && d.number === input.number);
  if (same) {
    return fail('conflict', (l) =>
      l === 'vi'
        ? `Quyết định ${input.number} đã được ghi cho hồ sơ ${code} (ngày ${formatDate(l, same.decidedOn)}); không có gì thay đổi.`
        : `Decision ${input.number} is already recorded for case ${code} (dated ${formatDate(l, same.decidedOn)}); nothing changed.`,
    );
  }
  let changes: Partial<CaseFields> = {};
  if (input.kind === 'cancellation') {
    if (before.status === 'wanted') {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Hồ sơ ${code} đang truy nã. Quyết định đình nã đi sau kết quả: hãy ghi kết quả kèm số quyết định, ví dụ case status ${code} arrested on:NGÀY decision:${input.number} (hoặc dinh-na nếu không còn cần truy nã).`
          : `Case ${code} is still wanted. A cancellation decision follows an outcome: record the outcome with its number, e.g. case status ${code} arrested on:DATE decision:${input.number} (or cancelled if wanting them is no longer needed).`,
      );
    }
    if (on < before.wantedOn) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} trước quyết định truy nã của hồ sơ ${code} (${formatDate(l, before.wantedOn)}).`
          : `${formatDate(l, on)} is before case ${code}'s wanted decision (${formatDate(l, before.wantedOn)}).`,
      );
    }
    if (on < before.resolvedOn!) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} trước ngày có kết quả (${formatDate(l, before.resolvedOn!)}): quyết định đình nã ban hành sau kết quả.`
          : `${formatDate(l, on)} is before the outcome (${formatDate(l, before.resolvedOn!)}): a cancellation decision follows it.`,
      );
    }
  } else if (before.status !== 'wanted') {
    if (on < before.resolvedOn!) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} trước ngày có kết quả (${formatDate(l, before.resolvedOn!)}); quyết định truy nã mới phải sau kết quả. Nếu kết quả ghi nhầm, hãy rút lại: case status ${code} wanted.`
          : `${formatDate(l, on)} is before the outcome (${formatDate(l, before.resolvedOn!)}); a new wanted decision comes after it. If the outcome was recorded in error, withdraw it: case status ${code} wanted.`,
      );
    }
    changes = { status: 'wanted', resolvedOn: null, outcomeNote: null, wantedOn: on, spell: before.spell + 1 };
  }
  const reopens = input.kind === 'wanted' && before.status !== 'wanted';
  const result = (after: CaseRow): DecisionRecorded => ({ before, after, kind: input.kind, number: input.number, on, reopens });
  if (input.preview) return ok(result({ ...before, ...changes }));
  // Every change bumps the version, a document alone too: a confirmation shown before it is stale.
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes });
  if (!after) return changedMeanwhile(db, before, before.version);
  await insertDecisions(db, [
    {
      caseId: before.id,
      kind: input.kind,
      number: input.number,
      decidedOn: on,
      authority: input.authority ?? null,
      actorMemberId: input.actor.id,
    },
  ]);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: reopens ? 'reopened' : 'decision',
      actorMemberId: input.actor.id,
      occurredOn: on,
      data: {
        version: after.version,
        decision: { kind: input.kind, number: input.number, on, ...(input.authority ? { authority: input.authority } : {}) },
        ...(reopens ? { spell: after.spell, changes: { status: [before.status, 'wanted'], wanted_on: [before.wantedOn, on] } } : {}),
      },
    },
  ]);
  return ok(result(after));
}

/** A case in scope to change, or the refusal when it changed after the version the user read. */
export async function caseToChange(
  db: Executor,
  input: { scope: Scope; code: string; expectedVersion?: number | undefined },
): Promise<Result<CaseRow>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok || input.expectedVersion === undefined || input.expectedVersion === found.value.version) return found;
  return changedMeanwhile(db, found.value, input.expectedVersion);
}

/** The refusal for a stale change, saying what changed since the version the user read. */
export async function changedMeanwhile(db: Executor, read: CaseRow, readVersion: number): Promise<Result<never>> {
  const current = (await findCaseByCode(db, read.code)) ?? read;
  const recent = await listCaseEvents(db, read.id, { limit: 20 });
  const since = recent.filter((e) => Number((e.data as { version?: number }).version ?? 0) > readVersion);
  const who = since.length ? await findMemberHandle(db, { id: since[0]!.actorMemberId ?? -1 }) : undefined;
  // The status the user saw is the one before the first change made after their version.
  const firstChange = [...since].reverse().find((e) => (e.data as { changes?: { status?: unknown[] } }).changes?.status);
  const seenStatus = (firstChange?.data as { changes?: { status?: CaseStatus[] } } | undefined)?.changes?.status?.[0] ?? read.status;
  return fail('conflict', (l) => {
    const what = `${STATUS_LABEL[seenStatus](l)} → ${STATUS_LABEL[current.status](l)}`;
    const by = who ?? (l === 'vi' ? 'người khác' : 'someone else');
    return l === 'vi'
      ? `Hồ sơ ${read.code} vừa được ${by} thay đổi sau khi bạn xem (phiên bản ${readVersion} → ${current.version}; trạng thái ${what}). ` +
          `Không có gì bị ghi đè. Hãy xem lại bằng "case show ${read.code}" rồi thử lại.`
      : `Case ${read.code} was changed by ${by} after you read it (version ${readVersion} → ${current.version}; status ${what}). ` +
          `Nothing was overwritten. Check it with "case show ${read.code}" and try again.`;
  });
}

export async function addCaseNote(
  db: Executor,
  input: { scope: Scope; actor: Member; code: string; note: string },
): Promise<Result<CaseRow>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  await insertCaseEvents(db, [{ caseId: found.value.id, kind: 'note', actorMemberId: input.actor.id, data: { note: input.note } }]);
  return ok(found.value);
}

export type InfoField = 'photo' | 'marks' | 'history';

/**
 * Records where a photo of the subject is filed (a print in a cabinet) when no image is attached:
 * the case then counts as having a photo. Marks and history are entries (`addCaseDetail`), images
 * are photos (`addCasePhoto`).
 */
export async function addPhotoReference(
  db: Executor,
  input: { scope: Scope; actor: Member; code: string; reference: string; expectedVersion?: number | undefined },
): Promise<Result<CaseRow>> {
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const after = await updateCaseAtVersion(db, {
    id: before.id,
    expectedVersion: before.version,
    changes: { hasPhoto: true, photoNote: input.reference },
  });
  if (!after) return changedMeanwhile(db, before, before.version);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'info_added',
      actorMemberId: input.actor.id,
      data: { version: after.version, field: 'photo', changes: { photo: [before.photoNote, input.reference] } },
    },
  ]);
  return ok(after);
}
