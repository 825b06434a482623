import type { Executor } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { Scope } from '../domain/scope.ts';
import { validationDueOn, type ValidationPolicy } from '../domain/validation.ts';
import { STATUS_LABEL } from '../i18n/labels.ts';
import { formatDate, text } from '../i18n/text.ts';
import { insertCaseEvents, updateCaseAtVersion } from '../repositories/cases.ts';
import { unitLeads } from '../repositories/digest.ts';
import type { Member } from '../repositories/members.ts';
import { findUnitByCode, unitSubtreeIds } from '../repositories/units.ts';
import {
  countDueValidations,
  insertValidation,
  listDueValidations,
  overdueValidationsForReminders,
  validatedInPeriod,
  type DueValidation,
} from '../repositories/validations.ts';
import { changedMeanwhile, getCaseInScope } from './cases.ts';

export type { DueValidation } from '../repositories/validations.ts';

/**
 * Validation: each wanted record reviewed by its owning unit every `months` (see
 * {@link ValidationPolicy}). A review is recorded by a member whose units hold the case (its own
 * unit or one above it); the record's next review runs from that day.
 */

/** A review recorded: the case's code, what was found, and when the next review is due. */
export interface CaseValidated {
  code: string;
  complete: boolean;
  validatedOn: IsoDate;
  /** The review before this one, or null when this is the record's first. */
  previousOn: IsoDate | null;
  nextDueOn: IsoDate;
}

/**
 * Records that a member reviewed a wanted record against its documents: complete, or incomplete
 * with a note saying what is missing. The case's `validated_on` becomes today (a change that bumps
 * its version) and its history says who reviewed it. Refuses a case outside the scope (it does not
 * exist), a case no longer wanted, and an incomplete finding without a note.
 */
export async function validateCase(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    complete: boolean;
    note?: string | undefined;
    now: Date;
    today: IsoDate;
    policy: ValidationPolicy;
  },
): Promise<Result<CaseValidated>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const before = found.value;
  const code = before.code;
  if (before.status !== 'wanted') {
    return fail('invalid', (l) =>
      l === 'vi'
        ? `Hồ sơ ${code} không còn truy nã (${STATUS_LABEL[before.status](l)} ngày ${formatDate(l, before.resolvedOn!)}); chỉ rà soát hồ sơ đang truy nã. Chưa ghi gì. Nếu đối tượng bị truy nã lại, hãy ghi quyết định truy nã mới trước: case decision ${code} wanted SỐ on:NGÀY.`
        : `Case ${code} is no longer wanted (${STATUS_LABEL[before.status](l)} on ${formatDate(l, before.resolvedOn!)}); only wanted records are validated. Nothing was recorded. If the subject is wanted again, record the new wanted decision first: case decision ${code} wanted NUMBER on:DATE.`,
    );
  }
  const note = input.note?.trim() || null;
  if (!input.complete && note === null) {
    return fail(
      'invalid',
      text(
        `Hãy ghi hồ sơ ${code} thiếu gì, ví dụ: case validate ${code} incomplete thiếu ảnh, chưa có tiền án.`,
        `Say what case ${code} lacks, e.g. case validate ${code} incomplete no photo, criminal history missing.`,
      ),
    );
  }
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes: { validatedOn: input.today } });
  if (!after) return changedMeanwhile(db, before, before.version);
  const validation = await insertValidation(db, {
    caseId: before.id,
    unitId: before.unitId,
    memberId: input.actor.id,
    complete: input.complete,
    note,
    validatedAt: input.now,
  });
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'validated',
      actorMemberId: input.actor.id,
      occurredOn: input.today,
      data: {
        version: after.version,
        validation: validation.id,
        complete: input.complete,
        ...(note ? { note } : {}),
        changes: { validated_on: [before.validatedOn, input.today] },
      },
    },
  ]);
  return ok({
    code,
    complete: input.complete,
    validatedOn: input.today,
    previousOn: before.validatedOn,
    nextDueOn: validationDueOn(input.today, input.policy.months),
  });
}

/** A page of the records due for review, with how many are due and overdue in all. */
export interface DueValidations {
  rows: DueValidation[];
  /** Due within the window (or today), and past their due date: the whole list, not the page. */
  due: number;
  overdue: number;
  /** Where the page starts, from 0. */
  offset: number;
  /** The unit asked for, when one was. */
  unitCode: string | null;
}

/**
 * The wanted records of the scope (or of one unit in it and its sub-units) whose review is due
 * within the policy's window or overdue on `today`, the one due earliest first, `limit` from
 * `offset`. A unit outside the scope does not exist.
 */
export async function dueValidations(
  db: Executor,
  input: { scope: Scope; unitCode?: string | undefined; today: IsoDate; policy: ValidationPolicy; limit: number; offset?: number },
): Promise<Result<DueValidations>> {
  let unitIds = input.scope.unitIds;
  let unitCode: string | null = null;
  if (input.unitCode) {
    const code = input.unitCode.trim().toUpperCase();
    const unit = await findUnitByCode(db, code);
    if (!unit || !input.scope.unitIds.includes(unit.id)) {
      return fail('not_found', text(`Không có đơn vị ${code} trong phạm vi của bạn.`, `No unit ${code} within your units.`));
    }
    const subtree = new Set(await unitSubtreeIds(db, unit.id));
    unitIds = input.scope.unitIds.filter((id) => subtree.has(id));
    unitCode = unit.code;
  }
  const offset = input.offset ?? 0;
  const { months, windowDays } = input.policy;
  const rows = await listDueValidations(db, { unitIds, today: input.today, months, windowDays, limit: input.limit, offset });
  const counts = await countDueValidations(db, { unitIds, today: input.today, months, windowDays });
  const due = counts.reduce((n, c) => n + c.due, 0);
  const overdue = counts.reduce((n, c) => n + c.overdue, 0);
  return ok({ rows, due, overdue, offset, unitCode });
}

/** What the digest says of validation: records reviewed in its period, and reviews due and overdue on its day. */
export interface ValidationFigures {
  /** Records reviewed in the period (each once), by the unit that owned them then. */
  validated: number;
  /** Of them, those whose latest review in the period found them incomplete. */
  incomplete: number;
  /** Wanted records due for review within the window, and overdue, on the digest's day. */
  due: number;
  overdue: number;
}

/**
 * {@link ValidationFigures} for these units (all when null), in all and per unit: the period's from
 * the reviews recorded in it (`case_validations`), the due and overdue as of `today`.
 */
export async function validationFigures(
  db: Executor,
  input: { unitIds: number[] | null; from: IsoDate; to: IsoDate; today: IsoDate; timeZone: string; policy: ValidationPolicy },
): Promise<ValidationFigures & { byUnit: Array<ValidationFigures & { unitId: number }> }> {
  const [reviewed, due] = await Promise.all([
    validatedInPeriod(db, { unitIds: input.unitIds, from: input.from, to: input.to, timeZone: input.timeZone }),
    countDueValidations(db, { unitIds: input.unitIds, today: input.today, ...input.policy }),
  ]);
  const byUnit = new Map<number, ValidationFigures & { unitId: number }>();
  const of = (unitId: number) => {
    const existing = byUnit.get(unitId);
    if (existing) return existing;
    const created = { unitId, validated: 0, incomplete: 0, due: 0, overdue: 0 };
    byUnit.set(unitId, created);
    return created;
  };
  for (const r of reviewed) Object.assign(of(r.unitId), { validated: r.validated, incomplete: r.incomplete });
  for (const d of due) Object.assign(of(d.unitId), { due: d.due, overdue: d.overdue });
  const units = [...byUnit.values()];
  const sum = (key: keyof ValidationFigures) => units.reduce((n, u) => n + u[key], 0);
  return { validated: sum('validated'), incomplete: sum('incomplete'), due: sum('due'), overdue: sum('overdue'), byUnit: units };
}

/** A unit's records overdue for review, as a reminder lists them: counts, and its oldest records' codes and dates. */
export interface UnitOverdueValidations {
  unitCode: string;
  overdue: number;
  /** Those `escalateDays` or more overdue, for the unit's leads. */
  escalated: number;
  oldest: Array<{ code: string; dueOn: IsoDate; daysOverdue: number }>;
}

export interface ValidationReminderPlan {
  today: IsoDate;
  escalateDays: number;
  /** Each unit with records overdue for review: reminded in the schedule's channel. */
  units: UnitOverdueValidations[];
  /** Its leads, told directly of the unit's records `escalateDays` or more overdue. */
  direct: Array<{ userId: string; unit: UnitOverdueValidations }>;
  /** Units with records that late whose leads cannot be reached directly: told in the channel. */
  escalations: UnitOverdueValidations[];
}

/** How many of a unit's most overdue records a reminder lists; the rest are counted. */
export const REMINDER_LISTED = 10;

/**
 * The overdue ladder for reviews on one day, as for follow-ups: each unit with records overdue for
 * review is reminded (in the schedule's channel: a unit has no account of its own); records
 * `escalateDays` or more overdue are summed up for the unit's leads (the nearest above when it has
 * none), directly when they have an account the platform can message, otherwise in the channel.
 * Case codes, counts and dates only.
 */
export async function planValidationReminders(
  db: Executor,
  input: {
    scopeUnitId: number | null;
    today: IsoDate;
    platform: Platform;
    canMessageDirectly: boolean;
    escalateDays: number;
    months: number;
  },
): Promise<ValidationReminderPlan> {
  const rows = await overdueValidationsForReminders(db, {
    unitIds: input.scopeUnitId === null ? null : await unitSubtreeIds(db, input.scopeUnitId),
    today: input.today,
    months: input.months,
    escalateDays: input.escalateDays,
    listed: REMINDER_LISTED,
  });
  const byUnit = new Map<number, UnitOverdueValidations>();
  for (const row of rows) {
    const unit = byUnit.get(row.unitId) ?? { unitCode: row.unitCode, overdue: row.overdue, escalated: row.escalated, oldest: [] };
    unit.oldest.push({ code: row.code, dueOn: row.dueOn, daysOverdue: row.daysOverdue });
    byUnit.set(row.unitId, unit);
  }
  const direct: ValidationReminderPlan['direct'] = [];
  const escalations: UnitOverdueValidations[] = [];
  for (const [unitId, unit] of byUnit) {
    if (unit.escalated === 0) continue;
    // The oldest come first: the listed ones that are late enough are the unit's most late.
    const late = { ...unit, oldest: unit.oldest.filter((o) => o.daysOverdue >= input.escalateDays) };
    const leads = input.canMessageDirectly ? (await unitLeads(db, { unitId, platform: input.platform })).filter((x) => x.userId) : [];
    if (leads.length === 0) escalations.push(late);
    for (const lead of leads) direct.push({ userId: lead.userId!, unit: late });
  }
  return { today: input.today, escalateDays: input.escalateDays, units: [...byUnit.values()], direct, escalations };
}
