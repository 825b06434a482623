import type { Database, Executor } from '../../db/client.ts';
import type { Locale, MemberRole, Platform } from '../../db/schema/index.ts';
import { cleanText } from '../domain/text.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { CHAT_PLATFORMS, choiceOf } from '../domain/platforms.ts';
import { text } from '../i18n/text.ts';
import {
  findMemberByHandle,
  findMemberByIdentity,
  insertIdentity,
  insertMember,
  listMembers,
  type Member,
  type MemberIdentity,
  type MemberListRow,
} from '../repositories/members.ts';
import { findUnitByCode, insertUnit, listUnits, type Unit, type UnitListRow } from '../repositories/units.ts';

/** Unit and member administration: what `casedesk units …` and `casedesk members …` do. */

const UNIT_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const HANDLE = /^[a-z0-9][a-z0-9_.-]{1,31}$/;
export const MEMBER_ROLES = ['viewer', 'officer', 'lead', 'admin'] as const satisfies readonly MemberRole[];

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
  if (!(MEMBER_ROLES as readonly string[]).includes(role)) {
    return fail(
      'invalid',
      text(
        `Vai trò "${role}" không hợp lệ; chọn một trong: ${MEMBER_ROLES.join(', ')}.`,
        `Role "${role}" is not valid; choose one of: ${MEMBER_ROLES.join(', ')}.`,
      ),
    );
  }
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
  if (!(PLATFORMS_TO_LINK as readonly string[]).includes(platform)) {
    return fail(
      'invalid',
      text(
        `Nền tảng "${platform}" không hợp lệ; chọn ${choiceOf(PLATFORMS_TO_LINK, 'hoặc')}.`,
        `Platform "${platform}" is not valid; choose ${choiceOf(PLATFORMS_TO_LINK, 'or')}.`,
      ),
    );
  }
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
