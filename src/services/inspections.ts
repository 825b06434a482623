import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import { addDays, type IsoDate } from '../domain/dates.ts';
import type { ReplyMessage } from '../domain/reply.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { hasRole } from '../domain/roles.ts';
import type { Scope } from '../domain/scope.ts';
import { text, type Locale } from '../i18n/text.ts';
import { insertCaseEvents } from '../repositories/cases.ts';
import { insertFollowUp } from '../repositories/follow-ups.ts';
import {
  closeInspectionRow,
  countOwnWantedCases,
  drawInspectionSample,
  findInspection,
  findOpenInspectionOfUnit,
  insertInspection,
  linkFindingFollowUp,
  listInspectionsOfUnits,
  lockUnitForInspection,
  markInspectionRecord,
  recordsOfInspection,
  type InspectionListRow,
  type InspectionRecordView,
  type InspectionView,
} from '../repositories/inspections.ts';
import type { Member } from '../repositories/members.ts';
import { enqueueMessages } from '../repositories/outbox.ts';
import { findUnitByCode, unitSubtreeIds } from '../repositories/units.ts';

/**
 * Inspections of how a unit keeps its records: a lead of a unit above it opens one on a sample of
 * the unit's own wanted records, inspectors of units above it mark each record, and closing it
 * posts its counts where it was opened and turns each finding into a follow-up for the unit.
 */

/** How long the inspected unit has to act on a finding. */
export const FINDING_DUE_DAYS = 30;

/** What closing an inspection counts, and posts: counts only, never a case code or a finding's text. */
export interface InspectionSummary {
  sampled: number;
  ok: number;
  findings: number;
  unmarked: number;
  /** Records with a photo, identifying marks and criminal history when drawn, and those lacking any. */
  complete: number;
  incomplete: number;
  missingPhoto: number;
  missingMarks: number;
  missingHistory: number;
  neverValidated: number;
}

/** An inspection with its sample. */
export interface InspectionDetail {
  inspection: InspectionView;
  records: InspectionRecordView[];
}

const inspectionNotFound = (id: number) =>
  fail<never>(
    'not_found',
    text(
      `Không có cuộc kiểm tra #${id} trong phạm vi của bạn. Xem danh sách: inspection list`,
      `No inspection #${id} within your units. See them with: inspection list`,
    ),
  );

const unitNotFound = (code: string) =>
  fail<never>('not_found', text(`Không có đơn vị ${code} trong phạm vi của bạn.`, `No unit ${code} within your units.`));

const leadsOnly = fail<never>(
  'denied',
  text('Chỉ chỉ huy (lead) trở lên mới mở hoặc kết thúc được cuộc kiểm tra.', 'Only leads and admins can open or close an inspection.'),
);

/** An inspection is made from above: nobody inspects, or marks, their own unit's records. */
const ownUnit = (code: string) =>
  fail<never>(
    'denied',
    text(
      `Đơn vị ${code} là đơn vị của bạn: việc kiểm tra hồ sơ do đơn vị cấp trên thực hiện.`,
      `${code} is your own unit: its records are inspected by a unit above it.`,
    ),
  );

/**
 * Opens an inspection of a unit's records and draws its sample: all the unit's own wanted cases
 * (not its sub-units', which are inspected on their own), or `sampleSize` of them drawn from
 * `seed` (random when not given), so the same seed over the same cases draws the same sample.
 * One open inspection per unit.
 */
export async function startInspection(
  db: Executor,
  input: {
    actor: Member;
    scope: Scope;
    unitCode: string;
    sampleSize?: number | undefined;
    seed?: string | undefined;
    platform: Platform;
    channelId: string;
    now: Date;
    timeZone: string;
  },
): Promise<Result<InspectionDetail>> {
  if (!hasRole(input.actor.role, 'lead')) return leadsOnly;
  const code = input.unitCode.trim().toUpperCase();
  const unit = await findUnitByCode(db, code);
  if (!unit || !input.scope.unitIds.includes(unit.id)) return unitNotFound(code);
  if (unit.id === input.actor.unitId) return ownUnit(unit.code);
  await lockUnitForInspection(db, unit.id);
  const open = await findOpenInspectionOfUnit(db, unit.id);
  if (open) {
    return fail(
      'conflict',
      text(
        `Đơn vị ${unit.code} đang có cuộc kiểm tra #${open.id} chưa kết thúc; xem: inspection show ${open.id}, hoặc kết thúc: inspection close ${open.id}`,
        `${unit.code} already has inspection #${open.id} open; see it with: inspection show ${open.id}, or close it: inspection close ${open.id}`,
      ),
    );
  }
  if ((await countOwnWantedCases(db, unit.id)) === 0) {
    return fail(
      'invalid',
      text(
        `Đơn vị ${unit.code} không có hồ sơ đang truy nã nào của riêng mình để kiểm tra (hồ sơ của đơn vị cấp dưới được kiểm tra riêng).`,
        `${unit.code} has no wanted records of its own to inspect (its sub-units' records are inspected on their own).`,
      ),
    );
  }
  const seed = input.seed?.trim() || randomBytes(6).toString('hex');
  const inspection = await insertInspection(db, {
    unitId: unit.id,
    openedByMemberId: input.actor.id,
    openedAt: input.now,
    sampleSize: input.sampleSize ?? null,
    seed,
    platform: input.platform,
    channelId: input.channelId,
  });
  await drawInspectionSample(db, {
    inspectionId: inspection.id,
    unitId: unit.id,
    seed,
    size: input.sampleSize ?? null,
    timeZone: input.timeZone,
  });
  return ok({ inspection: { ...inspection, unitCode: unit.code }, records: await recordsOfInspection(db, inspection.id) });
}

/** The inspection if its unit is within the scope; `forUpdate` holds it until the transaction ends. */
async function inspectionInScope(db: Executor, input: { id: number; scope: Scope; forUpdate?: boolean }): Promise<Result<InspectionView>> {
  const inspection = await findInspection(db, { id: input.id, forUpdate: input.forUpdate ?? false });
  if (!inspection || !input.scope.unitIds.includes(inspection.unitId)) return inspectionNotFound(input.id);
  return ok(inspection);
}

const alreadyClosed = (id: number) =>
  fail<never>(
    'conflict',
    text(
      `Cuộc kiểm tra #${id} đã kết thúc; kết quả không sửa được nữa. Xem lại: inspection show ${id}`,
      `Inspection #${id} is closed; its marks can no longer change. See it with: inspection show ${id}`,
    ),
  );

/** The words that mark a record as found in order (`ok`, `đạt`), compared without case. */
const OK_WORDS = new Set(['ok', 'đạt', 'dat']);

/**
 * Marks a record of an open inspection, by its position in the sample or its case code: `ok`, or
 * the text of a finding. Marking it again before closing replaces the mark. Officers and above of
 * a unit above the inspected one may mark; the inspected unit may not mark its own.
 */
export async function markInspection(
  db: Executor,
  input: { actor: Member; scope: Scope; id: number; record: string; mark: string; now: Date },
): Promise<Result<{ inspection: InspectionView; record: InspectionRecordView }>> {
  if (!hasRole(input.actor.role, 'officer')) {
    return fail(
      'denied',
      text('Chỉ cán bộ (officer) trở lên mới ghi kết quả kiểm tra.', 'Only officers and above can mark an inspection.'),
    );
  }
  const found = await inspectionInScope(db, { id: input.id, scope: input.scope, forUpdate: true });
  if (!found.ok) return found;
  const inspection = found.value;
  if (inspection.unitId === input.actor.unitId) return ownUnit(inspection.unitCode);
  if (inspection.closedAt) return alreadyClosed(inspection.id);
  const wanted = input.record.trim().toUpperCase();
  const records = await recordsOfInspection(db, inspection.id);
  const record = /^\d+$/.test(wanted) ? records.find((r) => r.position === Number(wanted)) : records.find((r) => r.caseCode === wanted);
  if (!record) {
    return fail(
      'not_found',
      text(
        `Hồ sơ "${wanted}" không có trong mẫu của cuộc kiểm tra #${inspection.id} (${records.length} hồ sơ, số thứ tự 1–${records.length}). Xem mẫu: inspection show ${inspection.id}`,
        `"${wanted}" is not in the sample of inspection #${inspection.id} (${records.length} records, numbered 1–${records.length}). See the sample with: inspection show ${inspection.id}`,
      ),
    );
  }
  const mark = input.mark.trim();
  const isOk = OK_WORDS.has(mark.toLowerCase());
  await markInspectionRecord(db, {
    inspectionId: inspection.id,
    caseId: record.caseId,
    result: isOk ? 'ok' : 'finding',
    finding: isOk ? null : mark,
    byMemberId: input.actor.id,
    at: input.now,
  });
  return ok({
    inspection,
    record: { ...record, result: isOk ? 'ok' : 'finding', finding: isOk ? null : mark, markedBy: input.actor.handle },
  });
}

/** The counts of a sample as marked. */
export function summarize(records: InspectionRecordView[]): InspectionSummary {
  const count = (test: (r: InspectionRecordView) => boolean) => records.filter(test).length;
  const complete = count((r) => r.hasPhoto && r.hasMarks && r.hasHistory);
  return {
    sampled: records.length,
    ok: count((r) => r.result === 'ok'),
    findings: count((r) => r.result === 'finding'),
    unmarked: count((r) => r.result === null),
    complete,
    incomplete: records.length - complete,
    missingPhoto: count((r) => !r.hasPhoto),
    missingMarks: count((r) => !r.hasMarks),
    missingHistory: count((r) => !r.hasHistory),
    neverValidated: count((r) => r.validatedAt === null),
  };
}

/** A closed inspection: its counts, and the follow-ups its findings became. */
export interface ClosedInspection {
  inspection: InspectionView;
  summary: InspectionSummary;
  followUps: Array<{ id: number; caseCode: string; dueOn: IsoDate }>;
}

/**
 * Closes an inspection: each finding becomes a follow-up for the inspected unit, due in
 * {@link FINDING_DUE_DAYS} days, and the summary (counts only, built by `channelMessage`) is queued
 * in the outbox for the channel where it was opened, in this transaction, so it is posted once.
 * Records left unmarked are refused unless `partial`, and then counted as unmarked. A console has
 * no channel to post to: its summary is the closer's answer alone.
 */
export async function closeInspection(
  db: Executor,
  input: {
    actor: Member;
    scope: Scope;
    id: number;
    partial: boolean;
    now: Date;
    today: IsoDate;
    /** The language of the follow-ups' tasks. */
    locale: Locale;
    channelMessage: (closed: ClosedInspection) => ReplyMessage;
  },
): Promise<Result<ClosedInspection>> {
  if (!hasRole(input.actor.role, 'lead')) return leadsOnly;
  const found = await inspectionInScope(db, { id: input.id, scope: input.scope, forUpdate: true });
  if (!found.ok) return found;
  const inspection = found.value;
  if (inspection.unitId === input.actor.unitId) return ownUnit(inspection.unitCode);
  if (inspection.closedAt) return alreadyClosed(inspection.id);
  const records = await recordsOfInspection(db, inspection.id);
  const unmarked = records.filter((r) => r.result === null);
  if (unmarked.length > 0 && !input.partial) {
    const positions = unmarked.map((r) => r.position).join(', ');
    return fail(
      'invalid',
      text(
        `Còn ${unmarked.length} hồ sơ chưa có kết quả (số ${positions}). Ghi kết quả: inspection mark ${inspection.id} <số> <ok | phát hiện>, hoặc kết thúc vẫn tính là chưa kiểm tra: inspection close ${inspection.id} partial:yes`,
        `${unmarked.length} of the records are not marked yet (${positions}). Mark them: inspection mark ${inspection.id} <number> <ok | finding>, or close anyway, counting them as unmarked: inspection close ${inspection.id} partial:yes`,
      ),
    );
  }
  const dueOn = addDays(input.today, FINDING_DUE_DAYS);
  const followUps: ClosedInspection['followUps'] = [];
  for (const record of records.filter((r) => r.result === 'finding')) {
    const task = text(
      `Khắc phục phát hiện của cuộc kiểm tra #${inspection.id}, hồ sơ ${record.caseCode}: ${record.finding}`,
      `Act on the finding of inspection #${inspection.id}, case ${record.caseCode}: ${record.finding}`,
    )(input.locale);
    const followUp = await insertFollowUp(db, {
      caseId: record.caseId,
      assigneeMemberId: null,
      assigneeUnitId: inspection.unitId,
      task,
      dueOn,
      createdByMemberId: input.actor.id,
    });
    await linkFindingFollowUp(db, { inspectionId: inspection.id, caseId: record.caseId, followUpId: followUp.id });
    await insertCaseEvents(db, [
      {
        caseId: record.caseId,
        kind: 'note',
        actorMemberId: input.actor.id,
        data: { followUp: followUp.id, action: 'assigned', task, assignee: inspection.unitCode, inspection: inspection.id },
      },
    ]);
    followUps.push({ id: followUp.id, caseCode: record.caseCode, dueOn });
  }
  const summary = summarize(records);
  const closedRow = await closeInspectionRow(db, {
    id: inspection.id,
    at: input.now,
    byMemberId: input.actor.id,
    summary: { ...summary },
  });
  if (!closedRow) return alreadyClosed(inspection.id);
  const closed: ClosedInspection = { inspection: { ...closedRow, unitCode: inspection.unitCode }, summary, followUps };
  if (inspection.platform !== 'console') {
    await enqueueMessages(db, {
      messages: [
        {
          key: `inspection:${inspection.id}`,
          platform: inspection.platform,
          target: { channelId: inspection.channelId },
          message: input.channelMessage(closed),
        },
      ],
      now: input.now,
    });
  }
  return ok(closed);
}

/** An inspection and its sample, with each record's mark: for those whose scope covers its unit. */
export async function showInspection(db: Executor, input: { scope: Scope; id: number }): Promise<Result<InspectionDetail>> {
  const found = await inspectionInScope(db, input);
  if (!found.ok) return found;
  return ok({ inspection: found.value, records: await recordsOfInspection(db, found.value.id) });
}

/** The inspections in scope, or of one unit in scope and its sub-units: open ones first, then the latest. */
export async function listInspections(
  db: Executor,
  input: { scope: Scope; unitCode?: string | undefined; limit: number },
): Promise<Result<InspectionListRow[]>> {
  let unitIds = input.scope.unitIds;
  if (input.unitCode) {
    const code = input.unitCode.trim().toUpperCase();
    const unit = await findUnitByCode(db, code);
    if (!unit || !input.scope.unitIds.includes(unit.id)) return unitNotFound(code);
    unitIds = await unitSubtreeIds(db, unit.id);
  }
  return ok(await listInspectionsOfUnits(db, { unitIds, limit: input.limit }));
}
