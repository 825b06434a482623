import type { Executor } from '../../db/client.ts';
import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { IsoDate } from '../domain/dates.ts';
import { formatDate, text } from '../i18n/text.ts';
import { STATUS_LABEL } from '../i18n/labels.ts';
import { closestCodes, looksLikeCode, searchCases, type CaseHit } from '../repositories/case-search.ts';
import {
  findCaseByCode,
  insertCaseEvents,
  latestCaseEvents,
  listCaseEvents,
  updateCaseAtVersion,
  type CaseRow,
} from '../repositories/cases.ts';
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
  openFollowUps: Array<{ id: number; task: string; dueOn: string | null; assignee: string }>;
  events: Array<{ kind: string; recordedAt: Date; occurredOn: string | null; actor: string; data: Record<string, unknown> }>;
}

export async function getCaseCard(db: Executor, scope: Scope, code: string): Promise<Result<CaseCard>> {
  const found = await getCaseInScope(db, scope, code);
  if (!found.ok) return found;
  const row = found.value;
  const unit = await findUnitById(db, row.unitId);
  const openFollowUps = await openFollowUpsOfCase(db, { caseId: row.id });
  const events = await latestCaseEvents(db, { caseId: row.id, limit: 5 });
  return ok({ row, unitCode: unit!.code, unitName: unit!.name, openFollowUps, events });
}

export type StatusTarget = CaseStatus;

/**
 * Changes a case's status: to an outcome (arrested, surrendered, cleared, cancelled) on the day it
 * happened, or back to wanted. Refuses a future day, a day before the wanted date, a change to the
 * status it already has, and a change to a case that was changed after `expectedVersion`.
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
): Promise<Result<{ before: CaseRow; after: CaseRow }>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const before = found.value;
  if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
    return changedMeanwhile(db, before, input.expectedVersion);
  }
  if (before.status === input.to) {
    return fail('conflict', (l) =>
      l === 'vi'
        ? `Hồ sơ ${before.code} đã ở trạng thái ${STATUS_LABEL[input.to](l)}; không có gì thay đổi.`
        : `Case ${before.code} is already ${STATUS_LABEL[input.to](l)}; nothing changed.`,
    );
  }
  const on = input.on ?? input.today;
  if (input.to !== 'wanted') {
    if (on > input.today) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} ở tương lai; hôm nay là ${formatDate(l, input.today)}.`
          : `${formatDate(l, on)} is in the future; today is ${formatDate(l, input.today)}.`,
      );
    }
    if (on < before.wantedOn) {
      return fail('invalid', (l) =>
        l === 'vi'
          ? `Ngày ${formatDate(l, on)} trước ngày ra quyết định truy nã (${formatDate(l, before.wantedOn)}).`
          : `${formatDate(l, on)} is before the wanted date (${formatDate(l, before.wantedOn)}).`,
      );
    }
  }
  const changes =
    input.to === 'wanted'
      ? { status: 'wanted' as const, resolvedOn: null, outcomeNote: null, cancellationDecisionNo: null, cancelledOn: null }
      : {
          status: input.to,
          resolvedOn: on,
          outcomeNote: input.reason ?? null,
          cancellationDecisionNo: input.to === 'cancelled' ? (input.decisionNo ?? before.cancellationDecisionNo) : null,
          cancelledOn: input.to === 'cancelled' ? on : null,
        };
  if (input.preview) return ok({ before, after: { ...before, ...changes } });
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes });
  if (!after) return changedMeanwhile(db, before, before.version);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: input.to === 'wanted' ? 'reopened' : 'status_changed',
      actorMemberId: input.actor.id,
      occurredOn: input.to === 'wanted' ? input.today : on,
      data: {
        version: after.version,
        changes: { status: [before.status, after.status], resolved_on: [before.resolvedOn, after.resolvedOn] },
        ...(input.reason ? { reason: input.reason } : {}),
      },
    },
  ]);
  return ok({ before, after });
}

/** The refusal for a stale change, saying what changed since the version the user read. */
async function changedMeanwhile(db: Executor, read: CaseRow, readVersion: number): Promise<Result<never>> {
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

/** Records a photo reference, identifying marks or criminal history: the record's completeness. */
export async function addCaseInfo(
  db: Executor,
  input: { scope: Scope; actor: Member; code: string; field: InfoField; value: string; expectedVersion?: number | undefined },
): Promise<Result<CaseRow>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const before = found.value;
  if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) {
    return changedMeanwhile(db, before, input.expectedVersion);
  }
  const changes =
    input.field === 'photo'
      ? { hasPhoto: true, photoNote: input.value }
      : input.field === 'marks'
        ? { identifyingMarks: input.value }
        : { criminalHistory: input.value };
  const previous = input.field === 'photo' ? before.photoNote : input.field === 'marks' ? before.identifyingMarks : before.criminalHistory;
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes });
  if (!after) return changedMeanwhile(db, before, before.version);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'info_added',
      actorMemberId: input.actor.id,
      data: { version: after.version, field: input.field, changes: { [input.field]: [previous, input.value] } },
    },
  ]);
  return ok(after);
}
