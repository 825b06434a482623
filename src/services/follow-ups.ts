import type { Executor } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { hasRole } from '../domain/roles.ts';
import type { IsoDate } from '../domain/dates.ts';
import { formatDate, text } from '../i18n/text.ts';
import { insertCaseEvents } from '../repositories/cases.ts';
import {
  closeFollowUp,
  findFollowUpView,
  insertFollowUp,
  listFollowUpViews,
  type FollowUpRow,
  type FollowUpView,
} from '../repositories/follow-ups.ts';
import { findMemberByHandle, findMemberByIdentity, type Member } from '../repositories/members.ts';
import { findUnitByCode, unitSubtreeIds } from '../repositories/units.ts';
import { getCaseInScope } from './cases.ts';

/** Follow-ups: tasks assigned to a member or a unit, usually about a case, with a due date. */

type Assignee = { memberId: number; unitId: null; label: string } | { memberId: null; unitId: number; label: string };

/** Discord `<@123>` / `<@!123>`, Slack `<@U123ABC>` / `<@U123ABC|name>`. */
const MENTION = /^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$/;

/**
 * Reads an assignee: a member handle, a platform mention, or `unit:CODE`. Members and units
 * outside the scope are "not found", like cases.
 */
export async function resolveAssignee(
  db: Executor,
  input: { raw: string; scope: Scope; platform: Platform; workspaceId: string },
): Promise<Result<Assignee>> {
  const raw = input.raw.trim();
  const notFound = () =>
    fail<Assignee>(
      'not_found',
      text(
        `Không có thành viên hoặc đơn vị "${raw}" trong phạm vi của bạn. Giao cho thành viên bằng tên đăng nhập, hoặc cho đơn vị bằng unit:MÃ.`,
        `No member or unit "${raw}" within your units. Assign to a member by handle, or to a unit with unit:CODE.`,
      ),
    );
  if (/^unit:/i.test(raw)) {
    const unit = await findUnitByCode(db, raw.slice(5).trim().toUpperCase());
    if (!unit || !input.scope.unitIds.includes(unit.id)) return notFound();
    return ok({ memberId: null, unitId: unit.id, label: unit.code });
  }
  const mention = MENTION.exec(raw);
  const member = mention
    ? input.platform === 'console'
      ? undefined
      : await findMemberByIdentity(db, { platform: input.platform, workspaceId: input.workspaceId, userId: mention[1]! })
    : await findMemberByHandle(db, raw.replace(/^@/, '').toLowerCase());
  if (!member || !input.scope.unitIds.includes(member.unitId)) return notFound();
  return ok({ memberId: member.id, unitId: null, label: member.handle });
}

export async function addFollowUp(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    assignee: string;
    task: string;
    dueOn?: IsoDate | undefined;
    today: IsoDate;
    platform: Platform;
    workspaceId: string;
  },
): Promise<Result<{ followUp: FollowUpRow; caseCode: string; assignee: string }>> {
  const pastDue = refusePastDueDate(input.dueOn, input.today);
  if (pastDue) return pastDue;
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const assignee = await resolveAssignee(db, {
    raw: input.assignee,
    scope: input.scope,
    platform: input.platform,
    workspaceId: input.workspaceId,
  });
  if (!assignee.ok) return assignee;
  const followUp = await insertFollowUp(db, {
    caseId: found.value.id,
    assigneeMemberId: assignee.value.memberId,
    assigneeUnitId: assignee.value.unitId,
    task: input.task,
    dueOn: input.dueOn ?? null,
    createdByMemberId: input.actor.id,
  });
  await insertCaseEvents(db, [
    {
      caseId: found.value.id,
      kind: 'note',
      actorMemberId: input.actor.id,
      data: { followUp: followUp.id, action: 'assigned', task: input.task, assignee: assignee.value.label },
    },
  ]);
  return ok({ followUp, caseCode: found.value.code, assignee: assignee.value.label });
}

/** Whether a follow-up shows to a member: its case, or its assignee, is within their units. */
export function isVisible(view: FollowUpView, member: Member, scope: Scope): boolean {
  return (
    view.assigneeMemberId === member.id ||
    [view.caseUnitId, view.assigneeUnitId, view.assigneeMemberUnitId].some((id) => id !== null && scope.unitIds.includes(id))
  );
}

/** Whether a member may mark it done: their own, their units', or any they see as a lead. */
export function mayComplete(view: FollowUpView, member: Member, scope: Scope): boolean {
  if (view.assigneeMemberId === member.id) return true;
  if (view.assigneeUnitId !== null && scope.unitIds.includes(view.assigneeUnitId)) return true;
  return hasRole(member.role, 'lead') && isVisible(view, member, scope);
}

export type ListFilter = 'mine' | 'overdue' | 'all';

/**
 * The open follow-ups a member asks for:
 * - without a case or a unit: their own and their unit's (`mine`, the default), their own overdue
 *   ones (`overdue`; a lead's cover the scope), or, for leads, every one in scope (`all`);
 * - naming a case or a unit (`case:CODE`, `unit:CODE`: that unit and its sub-units): every one
 *   within it that the member may see (`overdue`: only those late, `mine`: only their own). A
 *   lead sees those whose case or assignee is in scope; an officer those on the cases of their
 *   units and those assigned to them or their unit, as across units (README) only the assignee
 *   and the leads over them see another unit's case code and task.
 */
export async function listFollowUps(
  db: Executor,
  input: {
    scope: Scope;
    member: Member;
    filter?: ListFilter | undefined;
    caseCode?: string | undefined;
    unitCode?: string | undefined;
    today: IsoDate;
    limit: number;
  },
): Promise<Result<{ rows: FollowUpView[]; total: number }>> {
  const isLead = hasRole(input.member.role, 'lead');
  const within = Boolean(input.caseCode || input.unitCode);
  const filter = input.filter ?? (within ? 'all' : 'mine');
  if (filter === 'all' && !isLead && !within) {
    return fail(
      'denied',
      text(
        'Chỉ chỉ huy và quản trị xem được mọi việc cần làm trong phạm vi; cán bộ xem việc của mình (mine), việc quá hạn của mình (overdue), hoặc mọi việc của một hồ sơ (case:MÃ) hay một đơn vị (unit:MÃ).',
        'Only leads and admins see every follow-up in scope; officers see their own (mine), their own overdue ones (overdue), or every one of a case (case:CODE) or a unit (unit:CODE).',
      ),
    );
  }
  let caseId: number | undefined;
  if (input.caseCode) {
    const found = await getCaseInScope(db, input.scope, input.caseCode);
    if (!found.ok) return found;
    caseId = found.value.id;
  }
  let unitIds: number[] | undefined;
  if (input.unitCode) {
    const code = input.unitCode.toUpperCase();
    const unit = await findUnitByCode(db, code);
    if (!unit || !input.scope.unitIds.includes(unit.id)) {
      return fail('not_found', text(`Không có đơn vị ${code} trong phạm vi của bạn.`, `No unit ${code} within your units.`));
    }
    unitIds = await unitSubtreeIds(db, unit.id);
  }
  const own = { memberId: input.member.id, unitIds: [input.member.unitId] };
  // Without a case or a unit, officers see their own; a lead's "overdue" covers the whole scope.
  const mineOnly = filter === 'mine' || (filter === 'overdue' && !isLead && !within);
  return ok(
    await listFollowUpViews(db, {
      scopeUnitIds: input.scope.unitIds,
      ...(mineOnly ? { assignedTo: own } : {}),
      // An officer sees another unit's case only through a follow-up assigned to them or their unit.
      ...(!mineOnly && !isLead ? { crossingOnlyIfAssignedTo: own } : {}),
      today: input.today,
      overdueOnly: filter === 'overdue',
      openOnly: true,
      ...(caseId !== undefined ? { caseId } : {}),
      ...(unitIds ? { unitIds } : {}),
      limit: input.limit,
    }),
  );
}

const followUpNotFound = (id: number) =>
  fail<never>('not_found', text(`Không có việc cần làm #${id} trong phạm vi của bạn.`, `No follow-up #${id} within your units.`));

/** Marks a follow-up done (`done`) or withdraws it (`cancelled`), recording who and when. */
export async function closeFollowUpAs(
  db: Executor,
  input: { scope: Scope; member: Member; id: number; status: 'done' | 'cancelled'; note: string | null; now: Date },
): Promise<Result<FollowUpView>> {
  const view = await findFollowUpView(db, input.id);
  if (!view || !isVisible(view, input.member, input.scope)) return followUpNotFound(input.id);
  const allowed = input.status === 'done' ? mayComplete(view, input.member, input.scope) : hasRole(input.member.role, 'lead');
  if (!allowed) {
    return fail(
      'denied',
      text(
        `Việc #${view.id} được giao cho ${view.assignee}; chỉ người được giao, đơn vị được giao hoặc chỉ huy mới đánh dấu xong được.`,
        `Follow-up #${view.id} is assigned to ${view.assignee}; only the assignee, the assigned unit or a lead can mark it done.`,
      ),
    );
  }
  const closed = await closeFollowUp(db, {
    id: view.id,
    status: input.status,
    byMemberId: input.member.id,
    at: input.now,
    note: input.note,
  });
  if (!closed) {
    return fail('conflict', text(`Việc #${view.id} đã được đóng trước đó.`, `Follow-up #${view.id} was already closed.`));
  }
  if (view.caseId !== null) {
    await insertCaseEvents(db, [
      {
        caseId: view.caseId,
        kind: 'note',
        actorMemberId: input.member.id,
        data: { followUp: view.id, action: input.status, task: view.task, ...(input.note ? { note: input.note } : {}) },
      },
    ]);
  }
  return ok({ ...view, status: closed.status, completedAt: closed.completedAt });
}

/** A refusal of a due date before today, for every way a follow-up is given one; undefined when it is fine. */
export function refusePastDueDate(dueOn: IsoDate | null | undefined, today: IsoDate): Result<never> | undefined {
  if (!dueOn || dueOn >= today) return undefined;
  return fail(
    'invalid',
    text(
      `Hạn ${formatDate('vi', dueOn)} đã qua; hôm nay là ${formatDate('vi', today)}.`,
      `The due date ${formatDate('en', dueOn)} has passed; today is ${formatDate('en', today)}.`,
    ),
  );
}
