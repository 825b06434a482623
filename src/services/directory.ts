import type { Database, Executor } from '../../db/client.ts';
import type { Locale, MemberRole, Platform } from '../../db/schema/index.ts';
import { MEMBER_ROLES } from '../domain/roles.ts';
import { cleanText } from '../domain/text.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { CHAT_PLATFORMS, choiceOf } from '../domain/platforms.ts';
import { ROLE_LABEL } from '../i18n/labels.ts';
import { text, type Text } from '../i18n/text.ts';
import type { Scope } from '../domain/scope.ts';
import {
  deleteIdentities,
  findActiveAdminIds,
  findIdentitiesOfMember,
  findMemberByHandle,
  findMemberByIdentity,
  findMemberForChange,
  insertIdentity,
  insertMember,
  listMembers,
  serializeMemberChanges,
  updateMember,
  type Member,
  type MemberForChange,
  type MemberIdentity,
  type MemberListRow,
} from '../repositories/members.ts';
import { deletePendingActionsOfferedTo } from '../repositories/pending-actions.ts';
import { findUnitByCode, insertUnit, listUnits, type Unit, type UnitListRow } from '../repositories/units.ts';

/**
 * Unit and member administration: what `casedesk units …` and `casedesk members …` do, and the
 * members' lifecycle (role, unit, disabling, unlinking), which admins may also do from chat.
 */

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const HANDLE = /^[a-z0-9][a-z0-9_.-]{1,31}$/;

const unknownRoleText = (role: string): Text =>
  text(
    `Vai trò "${role}" không hợp lệ; chọn một trong: ${MEMBER_ROLES.join(', ')}.`,
    `Role "${role}" is not valid; choose one of: ${MEMBER_ROLES.join(', ')}.`,
  );

const unknownPlatformText = (platform: string): Text =>
  text(
    `Nền tảng "${platform}" không hợp lệ; chọn ${choiceOf(PLATFORMS_TO_LINK, 'hoặc')}.`,
    `Platform "${platform}" is not valid; choose ${choiceOf(PLATFORMS_TO_LINK, 'or')}.`,
  );

export async function addUnit(db: Executor, input: { code: string; name: string; parentCode?: string | undefined }): Promise<Result<Unit>> {
  const code = cleanText(input.code).toUpperCase();
  const name = cleanText(input.name);
  if (!UNIT_CODE.test(code)) {
    return fail(
      'invalid',
      text(
        `Mã đơn vị "${code}" không hợp lệ: dùng chữ, số, dấu chấm, gạch ngang hoặc gạch dưới, tối đa 32 ký tự.`,
        `Unit code "${code}" is not valid: use letters, digits, dots, hyphens or underscores, 32 at most.`,
      ),
    );
  }
  if (!name) return fail('invalid', text('Tên đơn vị không được để trống.', 'The unit name must not be empty.'));
  return db.transaction(async (tx) => {
    let parentId: number | null = null;
    if (input.parentCode !== undefined) {
      const parentCode = cleanText(input.parentCode).toUpperCase();
      const parent = await findUnitByCode(tx, parentCode);
      if (!parent) return fail<Unit>('not_found', text(`Không có đơn vị cấp trên "${parentCode}".`, `No parent unit "${parentCode}".`));
      parentId = parent.id;
    }
    if (await findUnitByCode(tx, code)) {
      return fail<Unit>('conflict', text(`Đơn vị "${code}" đã có.`, `Unit "${code}" already exists.`));
    }
    return ok(await insertUnit(tx, { code, name, parentId }));
  });
}

export const getUnits = (db: Database): Promise<UnitListRow[]> => listUnits(db);

export async function addMember(
  db: Database,
  input: { handle: string; role: string; unitCode: string; displayName?: string | undefined; locale?: string | undefined },
): Promise<Result<Member>> {
  const handle = cleanText(input.handle).toLowerCase();
  if (!HANDLE.test(handle)) {
    return fail(
      'invalid',
      text(
        `Tên đăng nhập "${handle}" không hợp lệ: 2–32 ký tự chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới.`,
        `Handle "${handle}" is not valid: 2–32 lower-case letters, digits, dots, hyphens or underscores.`,
      ),
    );
  }
  const role = input.role.trim().toLowerCase();
  if (!(MEMBER_ROLES as readonly string[]).includes(role)) return fail('invalid', unknownRoleText(role));
  let locale: Locale | null = null;
  if (input.locale !== undefined) {
    if (input.locale !== 'vi' && input.locale !== 'en') {
      return fail(
        'invalid',
        text(`Ngôn ngữ "${input.locale}" không hợp lệ; chọn vi hoặc en.`, `Locale "${input.locale}" is not valid; choose vi or en.`),
      );
    }
    locale = input.locale;
  }
  const displayName = cleanText(input.displayName ?? handle) || handle;
  const unitCode = cleanText(input.unitCode).toUpperCase();
  return db.transaction(async (tx) => {
    const unit = await findUnitByCode(tx, unitCode);
    if (!unit) return fail<Member>('not_found', text(`Không có đơn vị "${unitCode}".`, `No unit "${unitCode}".`));
    if (await findMemberByHandle(tx, handle)) {
      return fail<Member>('conflict', text(`Thành viên "${handle}" đã có.`, `Member "${handle}" already exists.`));
    }
    return ok(await insertMember(tx, { handle, displayName, role: role as MemberRole, unitId: unit.id, locale }));
  });
}

/** The platforms a member's chat account can be on: the chat platforms. */
export const PLATFORMS_TO_LINK: readonly Platform[] = CHAT_PLATFORMS;

export async function linkMember(
  db: Database,
  input: { handle: string; platform: string; workspaceId: string; userId: string },
): Promise<Result<MemberIdentity>> {
  const platform = input.platform.trim().toLowerCase();
  if (!(PLATFORMS_TO_LINK as readonly string[]).includes(platform)) return fail('invalid', unknownPlatformText(platform));
  const workspaceId = input.workspaceId.trim();
  const userId = input.userId.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(workspaceId) || !/^[A-Za-z0-9_-]{1,64}$/.test(userId)) {
    return fail(
      'invalid',
      text(
        'Mã máy chủ/không gian làm việc và mã người dùng phải là mã số của nền tảng (chữ và số, không có dấu cách).',
        "The workspace or guild id and the user id must be the platform's ids (letters and digits, no spaces).",
      ),
    );
  }
  const handle = cleanText(input.handle).toLowerCase();
  return db.transaction(async (tx) => {
    const member = await findMemberByHandle(tx, handle);
    if (!member) return fail<MemberIdentity>('not_found', text(`Không có thành viên "${handle}".`, `No member "${handle}".`));
    const account = { platform: platform as Platform, workspaceId, userId };
    const identity = await insertIdentity(tx, { memberId: member.id, ...account });
    if (!identity) {
      // Linking the same account to the same member again is a no-op, so scripts can re-run.
      const holder = await findMemberByIdentity(tx, account);
      if (holder?.id === member.id) return ok({ id: 0, memberId: member.id, ...account, createdAt: new Date() });
      return fail<MemberIdentity>(
        'conflict',
        text(
          `Tài khoản ${platform} ${workspaceId}/${userId} đã được liên kết với một thành viên.`,
          `The ${platform} account ${workspaceId}/${userId} is already linked to a member.`,
        ),
      );
    }
    return ok(identity);
  });
}

export const getMembers = (db: Database): Promise<MemberListRow[]> => listMembers(db);

/**
 * An admin changing members from chat: only members of units within their scope (and, for a move,
 * into one), and never their own account, so that no one locks themself out or raises their own
 * role. The command line, run by whoever operates the server, may change anyone.
 */
export interface ChatAdmin {
  memberId: number;
  scope: Scope;
}

/** What a lifecycle change did (or, previewed, would do): its answer and its audit row's before and after. */
export interface MemberChange<S> {
  handle: string;
  displayName: string;
  before: S;
  after: S;
}

interface ChangeRequest {
  handle: string;
  /** The admin asking from chat; undefined from the command line. */
  by?: ChatAdmin | undefined;
  /** Checks everything and says what would change, writing nothing: the confirmation question. */
  preview?: boolean | undefined;
}

/**
 * Gives a member another role. Refused when it is the role they have, and for the last active
 * admin of a root unit, who would leave nobody to administer the whole tree from chat.
 */
export function changeRole(db: Executor, input: ChangeRequest & { role: string }): Promise<Result<MemberChange<{ role: MemberRole }>>> {
  const role = cleanText(input.role).toLowerCase();
  if (!(MEMBER_ROLES as readonly string[]).includes(role)) return Promise.resolve(fail('invalid', unknownRoleText(role)));
  return changeMember(db, input, async (tx, member) => {
    if (member.role === role) {
      return fail(
        'conflict',
        text(
          `${member.handle} đã có vai trò ${role} (${ROLE_LABEL[member.role]('vi')}).`,
          `${member.handle} already has the ${role} role.`,
        ),
      );
    }
    if (role !== 'admin') {
      const kept = await keepsRootAdmin(tx, member);
      if (!kept.ok) return kept;
    }
    if (!input.preview) await updateMember(tx, { id: member.id, role: role as MemberRole });
    return ok({ before: { role: member.role }, after: { role: role as MemberRole } });
  });
}

/**
 * Moves a member to another unit: from their next command, they see that unit's cases and no longer
 * their old one's. From chat, the new unit must be within the admin's scope too.
 */
export function moveMember(db: Executor, input: ChangeRequest & { unitCode: string }): Promise<Result<MemberChange<{ unit: string }>>> {
  const unitCode = cleanText(input.unitCode).toUpperCase();
  return changeMember(db, input, async (tx, member) => {
    const unit = await findUnitByCode(tx, unitCode);
    if (!unit || (input.by && !input.by.scope.unitIds.includes(unit.id))) {
      return fail(
        'not_found',
        input.by
          ? text(`Không có đơn vị "${unitCode}" trong phạm vi của bạn.`, `No unit "${unitCode}" within your units.`)
          : text(`Không có đơn vị "${unitCode}".`, `No unit "${unitCode}".`),
      );
    }
    if (unit.id === member.unitId) {
      return fail('conflict', text(`${member.handle} đã thuộc đơn vị ${unit.code}.`, `${member.handle} is already in ${unit.code}.`));
    }
    const kept = await keepsRootAdmin(tx, member);
    if (!kept.ok) return kept;
    if (!input.preview) await updateMember(tx, { id: member.id, unitId: unit.id });
    return ok({ before: { unit: member.unitCode }, after: { unit: unit.code } });
  });
}

/**
 * Disables a member who left or is suspended: every instance refuses them from their next command,
 * since each command reads the member afresh, and the confirm buttons offered to them are voided,
 * so that pressed later (by anyone) they answer "expired". Nothing of theirs is deleted: their
 * notes, follow-ups and audit rows stay as they are, readable by others.
 */
export function disableMember(
  db: Executor,
  input: ChangeRequest & { now: Date },
): Promise<Result<MemberChange<{ disabledAt: string | null }>>> {
  return changeMember(db, input, async (tx, member) => {
    if (member.disabledAt) {
      return fail(
        'conflict',
        text(
          `${member.handle} đã bị vô hiệu hoá từ ${instant(member.disabledAt)}.`,
          `${member.handle} is already disabled (since ${instant(member.disabledAt)}).`,
        ),
      );
    }
    const kept = await keepsRootAdmin(tx, member);
    if (!kept.ok) return kept;
    if (!input.preview) {
      await updateMember(tx, { id: member.id, disabledAt: input.now });
      await deletePendingActionsOfferedTo(tx, { memberId: member.id });
    }
    return ok({ before: { disabledAt: null }, after: { disabledAt: input.now.toISOString() } });
  });
}

/** Lets a disabled member use casedesk again, with the role and unit they had. */
export function enableMember(db: Executor, input: ChangeRequest): Promise<Result<MemberChange<{ disabledAt: string | null }>>> {
  return changeMember(db, input, async (tx, member) => {
    if (!member.disabledAt) {
      return fail('conflict', text(`${member.handle} không bị vô hiệu hoá.`, `${member.handle} is not disabled.`));
    }
    if (!input.preview) await updateMember(tx, { id: member.id, disabledAt: null });
    return ok({ before: { disabledAt: member.disabledAt.toISOString() }, after: { disabledAt: null } });
  });
}

/**
 * Unlinks a member's chat account on a platform: the one given by workspace and user, or every one
 * they have there. The account is a stranger from then on; the member and their history stay.
 */
export function unlinkAccount(
  db: Executor,
  input: ChangeRequest & { platform: string; workspaceId?: string | undefined; userId?: string | undefined },
): Promise<Result<MemberChange<{ accounts: string[] }>>> {
  const platform = input.platform.trim().toLowerCase();
  if (!(PLATFORMS_TO_LINK as readonly string[]).includes(platform)) return Promise.resolve(fail('invalid', unknownPlatformText(platform)));
  const workspaceId = input.workspaceId?.trim();
  const userId = input.userId?.trim();
  if ((workspaceId === undefined) !== (userId === undefined)) {
    return Promise.resolve(
      fail(
        'invalid',
        text(
          'Hãy cho cả mã máy chủ/không gian làm việc và mã người dùng, hoặc không cho cả hai để gỡ mọi tài khoản trên nền tảng đó.',
          'Give both the workspace and the user id, or neither to unlink every account on that platform.',
        ),
      ),
    );
  }
  return changeMember(db, input, async (tx, member) => {
    const accounts = await findIdentitiesOfMember(tx, { memberId: member.id });
    const leaving = accounts.filter(
      (a) => a.platform === platform && (workspaceId === undefined || (a.workspaceId === workspaceId && a.userId === userId)),
    );
    if (leaving.length === 0) {
      const which = workspaceId === undefined ? platform : `${platform} ${workspaceId}/${userId}`;
      return fail(
        'not_found',
        text(`${member.handle} không có tài khoản ${which} nào được liên kết.`, `${member.handle} has no linked ${which} account.`),
      );
    }
    if (!input.preview) await deleteIdentities(tx, { memberId: member.id, platform: platform as Platform, workspaceId, userId });
    return ok({
      before: { accounts: accounts.map(accountName) },
      after: { accounts: accounts.filter((a) => !leaving.includes(a)).map(accountName) },
    });
  });
}

/** An instant as operators read it in a message: to the minute, in UTC. */
const instant = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const accountName = (a: { platform: Platform; workspaceId: string; userId: string }) => `${a.platform}:${a.workspaceId}/${a.userId}`;

/**
 * The frame of every lifecycle change: one at a time, the member found (within the chat admin's
 * scope, and not the admin), then `change`, in one transaction.
 */
function changeMember<S>(
  db: Executor,
  input: ChangeRequest,
  change: (tx: Executor, member: MemberForChange) => Promise<Result<{ before: S; after: S }>>,
): Promise<Result<MemberChange<S>>> {
  const handle = cleanText(input.handle).toLowerCase().replace(/^@/, '');
  return db.transaction(async (tx) => {
    await serializeMemberChanges(tx);
    const member = await findMemberForChange(tx, handle);
    if (!member || (input.by && !input.by.scope.unitIds.includes(member.unitId))) {
      return fail<MemberChange<S>>(
        'not_found',
        input.by
          ? text(`Không có thành viên "${handle}" trong phạm vi của bạn.`, `No member "${handle}" within your units.`)
          : text(`Không có thành viên "${handle}".`, `No member "${handle}".`),
      );
    }
    if (input.by?.memberId === member.id) {
      return fail<MemberChange<S>>(
        'denied',
        text(
          'Bạn không thể tự thay đổi tài khoản của mình từ chat; hãy nhờ một quản trị viên khác, hoặc dùng dòng lệnh: casedesk members …',
          'You cannot change your own account from chat; ask another administrator, or use the command line: casedesk members …',
        ),
      );
    }
    const changed = await change(tx, member);
    if (!changed.ok) return changed;
    return ok({ handle: member.handle, displayName: member.displayName, ...changed.value });
  });
}

/**
 * Refuses to take away the last active admin of a root unit (by a role change, a move or
 * disabling): nobody would be left to administer the whole tree from chat.
 */
async function keepsRootAdmin(tx: Executor, member: MemberForChange): Promise<Result<void>> {
  if (member.role !== 'admin' || member.disabledAt || !member.unitIsRoot) return ok(undefined);
  const admins = await findActiveAdminIds(tx, { unitId: member.unitId });
  if (admins.some((id) => id !== member.id)) return ok(undefined);
  return fail(
    'conflict',
    text(
      `${member.handle} là quản trị viên cuối cùng còn hoạt động của đơn vị gốc ${member.unitCode}; hãy thêm hoặc chỉ định một quản trị viên khác trước (casedesk members add … --role admin --unit ${member.unitCode}).`,
      `${member.handle} is the last active admin of the root unit ${member.unitCode}; add or appoint another admin first (casedesk members add … --role admin --unit ${member.unitCode}).`,
    ),
  );
}
