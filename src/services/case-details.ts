import type { Executor } from '../../db/client.ts';
import type { CaseDetailKind } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { Scope } from '../domain/scope.ts';
import { cleanMultilineText, cleanText } from '../domain/text.ts';
import { DETAIL_KIND_LABEL } from '../i18n/labels.ts';
import { formatDate } from '../i18n/text.ts';
import { caseDetailsOfCase, countDetailsAddedByUnit, insertCaseDetails } from '../repositories/case-details.ts';
import { insertCaseEvents, updateCaseAtVersion, type CaseRow } from '../repositories/cases.ts';
import type { Member } from '../repositories/members.ts';
import { caseToChange, changedMeanwhile } from './cases.ts';

/**
 * Identifying marks and criminal history as entries: each added with its source and the source's
 * day, never changed, so the records department sees what came since a case's last review. The
 * case's `identifying_marks` and `criminal_history` keep the latest entry's text.
 */

/** How many entries of each kind. */
export type DetailCounts = Record<CaseDetailKind, number>;

export interface DetailAdded {
  /** The case after the entry: its summary column holds the entry's text, its version bumped. */
  row: CaseRow;
  detail: { id: number; kind: CaseDetailKind; source: string | null; notedOn: IsoDate | null };
  /** How many entries of this kind the case has now, this one included. */
  count: number;
}

/**
 * Adds an identifying marks or criminal history entry to a case in the scope, with its source (a
 * judgment's number, a document) and the source's day, and makes its text the case's latest.
 * Refuses an empty text, a day in the future, the very entry the case has as its latest, and a
 * case changed after `expectedVersion`.
 */
export async function addCaseDetail(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    kind: CaseDetailKind;
    text: string | undefined;
    source?: string | undefined;
    on?: IsoDate | undefined;
    expectedVersion?: number | undefined;
    /** When it is added: the entry's time. */
    now: Date;
    today: IsoDate;
  },
): Promise<Result<DetailAdded>> {
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const code = before.code;
  const body = cleanMultilineText(input.text ?? '');
  const source = input.source === undefined ? null : cleanText(input.source) || null;
  const on = input.on ?? null;
  if (body === '') return emptyText(code, input.kind);
  if (on !== null && on > input.today) return futureSourceDay(code, on, input.today);
  const existing = (await caseDetailsOfCase(db, { caseId: before.id })).filter((d) => d.kind === input.kind);
  const latest = existing[0];
  if (latest && latest.text === body && latest.source === source && latest.notedOn === on) {
    return fail('conflict', (l) =>
      l === 'vi'
        ? `Mục ${DETAIL_KIND_LABEL[input.kind](l)} mới nhất của hồ sơ ${code} đã đúng như vậy (cùng nội dung, nguồn và ngày); không có gì thay đổi. Xem: case show ${code}.`
        : `The latest ${DETAIL_KIND_LABEL[input.kind](l)} entry of case ${code} is already this one (same text, source and day); nothing changed. See: case show ${code}.`,
    );
  }
  const changes = input.kind === 'marks' ? { identifyingMarks: body } : { criminalHistory: body };
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes });
  if (!after) return changedMeanwhile(db, before, before.version);
  const [detail] = await insertCaseDetails(db, [
    { caseId: before.id, kind: input.kind, text: body, source, notedOn: on, addedByMemberId: input.actor.id, addedAt: input.now },
  ]);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'info_added',
      actorMemberId: input.actor.id,
      data: { version: after.version, field: input.kind, detail: detail!.id, ...(source ? { source } : {}), ...(on ? { on } : {}) },
    },
  ]);
  return ok({ row: after, detail: { id: detail!.id, kind: input.kind, source, notedOn: on }, count: existing.length + 1 });
}

function emptyText(code: string, kind: CaseDetailKind): Result<never> {
  return fail('invalid', (l) =>
    l === 'vi'
      ? `Chưa có nội dung ${DETAIL_KIND_LABEL[kind](l)}. Hãy ghi nội dung, ví dụ: case info ${code} ${kind} "sẹo dài ở cằm" source:"bản án 12/2020/HS-ST" on:2020-05-01.`
      : `There is no ${DETAIL_KIND_LABEL[kind](l)} to record. Write it after the kind, e.g. case info ${code} ${kind} "scar on the chin" source:"judgment 12/2020/HS-ST" on:2020-05-01.`,
  );
}

function futureSourceDay(code: string, on: IsoDate, today: IsoDate): Result<never> {
  return fail('invalid', (l) =>
    l === 'vi'
      ? `Ngày của nguồn (${formatDate(l, on)}) ở tương lai; hôm nay là ${formatDate(l, today)}. Hãy ghi ngày của văn bản nguồn (on:YYYY-MM-DD), hoặc bỏ on: nếu không rõ; không có gì được ghi vào hồ sơ ${code}.`
      : `The source's day (${formatDate(l, on)}) is in the future; today is ${formatDate(l, today)}. Give the day of the source document (on:YYYY-MM-DD), or leave on: out if it is unknown; nothing was recorded for ${code}.`,
  );
}

const noCounts = (): DetailCounts => ({ marks: 0, history: 0 });

/**
 * How many entries of each kind were added to the cases of each of `unitIds` (by the unit owning
 * each case now) from `from` to `to` (or now): the records department's figures. Units without an
 * entry are left out.
 */
export async function detailsAddedByUnit(
  db: Executor,
  input: { unitIds: number[]; from: Date; to?: Date | undefined },
): Promise<Map<number, DetailCounts>> {
  const byUnit = new Map<number, DetailCounts>();
  for (const row of await countDetailsAddedByUnit(db, input)) {
    const counts = byUnit.get(row.unitId) ?? noCounts();
    counts[row.kind] = row.n;
    byUnit.set(row.unitId, counts);
  }
  return byUnit;
}

/**
 * How many entries of each kind were added to the cases of `unitIds` since `since`, all units
 * together: e.g. what a digest says came in since the last one.
 *
 * @example
 *   await detailsAddedSince(db, { unitIds: scope.unitIds, since: lastDigestAt }) // { marks: 3, history: 1 }
 */
export async function detailsAddedSince(db: Executor, input: { unitIds: number[]; since: Date }): Promise<DetailCounts> {
  const total = noCounts();
  for (const counts of (await detailsAddedByUnit(db, { unitIds: input.unitIds, from: input.since })).values()) {
    total.marks += counts.marks;
    total.history += counts.history;
  }
  return total;
}
