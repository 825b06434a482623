import type { Command } from 'commander';
import { text, type Text } from '../i18n/text.ts';
import { dayIn } from '../domain/dates.ts';
import type { Result } from '../domain/result.ts';
import { memberChangedText } from '../presenters/member.ts';
import { setHitChannel } from '../services/checks.ts';
import {
  addMember,
  addUnit,
  changeRole,
  disableMember,
  enableMember,
  getMembers,
  getUnits,
  linkMember,
  type MemberChange,
  moveMember,
  unlinkAccount,
} from '../services/directory.ts';
import type { Database } from '../../db/client.ts';
import { MEMBER_ROLES } from '../domain/roles.ts';
import { ROLE_LABEL } from '../i18n/labels.ts';
import { table, type CliContext } from './context.ts';

export function registerDirectoryCommands(program: Command, ctx: CliContext): void {
  // Said of several commands' arguments and options alike.
  const platformHelp = ctx.describe('discord hoặc slack', 'discord or slack');
  const handleHelp = ctx.describe('tên đăng nhập của thành viên', "the member's handle");
  const roleHelp = ctx.describe(
    `một trong ${MEMBER_ROLES.map((role) => `${role} (${ROLE_LABEL[role]('vi')})`).join(', ')}`,
    `one of ${MEMBER_ROLES.join(', ')}`,
  );
  const [workspaceVi, workspaceEn] = [
    'mã máy chủ (guild) Discord hoặc mã team Slack',
    'the Discord guild (server) id or the Slack team id',
  ];
  const [userVi, userEn] = ['mã người dùng Discord hoặc Slack', 'the Discord or Slack user id'];
  const workspaceHelp = ctx.describe(workspaceVi, workspaceEn);
  const userHelp = ctx.describe(userVi, userEn);
  const units = program
    .command('units')
    .description(
      ctx.describe(
        'quản lý đơn vị: cây đơn vị từ cục nghiệp vụ của Bộ đến công an cấp huyện',
        'manage units (đơn vị): a tree from ministry department to district',
      ),
    );
  const unitCode = ctx.describe('mã đơn vị, ví dụ CA-HN', 'unit code, e.g. CA-HN');
  units
    .command('add')
    .description(ctx.describe('thêm một đơn vị', 'add a unit'))
    .argument('<code>', unitCode)
    .argument('<name>', ctx.describe('tên đơn vị, ví dụ "Công an TP Hà Nội"', 'unit name, e.g. "Công an TP Hà Nội"'))
    .option('--parent <code>', ctx.describe('mã của đơn vị cấp trên', "the parent unit's code"))
    .action(async (code: string, name: string, opts: { parent?: string }) => {
      await ctx.withDb(async ({ db }) => {
        const result = await addUnit(db, { code, name, parentCode: opts.parent });
        if (!result.ok) ctx.fail(result.failure);
        ctx.print(ctx.say(text(`Đã thêm đơn vị ${result.value.code}.`, `Added unit ${result.value.code}.`)));
      });
    });
  units
    .command('list')
    .description(ctx.describe('liệt kê các đơn vị', 'list units'))
    .action(async () => {
      await ctx.withDb(async ({ db }) => {
        const rows = await getUnits(db);
        const header = ctx.config.locale === 'vi' ? ['MÃ', 'CẤP TRÊN', 'TÊN'] : ['CODE', 'PARENT', 'NAME'];
        ctx.print(
          table(
            header,
            rows.map((u) => [u.code, u.parentCode ?? '-', u.name]),
          ),
        );
      });
    });

  units
    .command('channel')
    .description(
      ctx.describe(
        'đặt kênh nhận yêu cầu xác nhận kết quả đối chiếu trùng với hồ sơ của một đơn vị (các đơn vị cấp dưới chưa có kênh riêng cũng nhận ở đó)',
        'set the channel where a unit is asked to confirm hits on its cases (its sub-units without one are asked there too)',
      ),
    )
    .argument('<code>', unitCode)
    .argument('<platform>', platformHelp)
    .argument(
      '<channel>',
      ctx.describe(
        'mã kênh trên nền tảng đó (Discord: dãy số; Slack: dạng C0123ABCD)',
        "the platform's channel id (Discord: digits; Slack: C0123ABCD)",
      ),
    )
    .option(
      '--locale <locale>',
      ctx.describe(
        'ngôn ngữ của các yêu cầu gửi vào kênh: vi hoặc en (mặc định: CASEDESK_LOCALE)',
        'the language of the requests posted there: vi or en (default: CASEDESK_LOCALE)',
      ),
    )
    .action(async (code: string, platform: string, channel: string, opts: { locale?: string }) => {
      const locale = opts.locale === undefined ? ctx.config.locale : opts.locale === 'vi' || opts.locale === 'en' ? opts.locale : undefined;
      if (!locale) ctx.fail({ code: 'invalid', text: text('--locale nhận vi hoặc en.', '--locale takes vi or en.') });
      await ctx.withDb(async ({ db }) => {
        const result = await setHitChannel(db, { unitCode: code, platform, channelId: channel, locale: locale });
        if (!result.ok) ctx.fail(result.failure);
        const { unitCode, platform: p, channelId } = result.value;
        ctx.print(
          ctx.say(
            text(
              `Yêu cầu xác nhận kết quả đối chiếu của ${unitCode} sẽ gửi tới kênh ${channelId} trên ${p}.`,
              `Hit confirmation requests for ${unitCode} will go to channel ${channelId} on ${p}.`,
            ),
          ),
        );
      });
    });

  const members = program
    .command('members')
    .description(
      ctx.describe(
        'quản lý thành viên (cán bộ dùng casedesk) và tài khoản chat của họ',
        'manage members (thành viên) and their chat accounts',
      ),
    );
  members
    .command('add')
    .description(ctx.describe('thêm một thành viên', 'add a member'))
    .argument('<handle>', ctx.describe('tên đăng nhập ngắn, không trùng, ví dụ duc.nv', 'a short unique name, e.g. duc.nv'))
    .requiredOption('--role <role>', roleHelp)
    .requiredOption('--unit <code>', ctx.describe('mã đơn vị của thành viên', "the member's unit code"))
    .option('--name <display name>', ctx.describe('họ tên hiển thị cho người khác', 'the name shown to others'))
    .option('--locale <vi|en>', ctx.describe('ngôn ngữ trả lời (mặc định: CASEDESK_LOCALE)', 'reply language (default: CASEDESK_LOCALE)'))
    .action(async (handle: string, opts: { role: string; unit: string; name?: string; locale?: string }) => {
      await ctx.withDb(async ({ db }) => {
        const result = await addMember(db, { handle, role: opts.role, unitCode: opts.unit, displayName: opts.name, locale: opts.locale });
        if (!result.ok) ctx.fail(result.failure);
        ctx.print(ctx.say(text(`Đã thêm thành viên ${result.value.handle}.`, `Added member ${result.value.handle}.`)));
      });
    });
  members
    .command('link')
    .description(ctx.describe('liên kết một tài khoản Discord hoặc Slack với thành viên', 'link a Discord or Slack account to a member'))
    .argument('<handle>', handleHelp)
    .requiredOption('--platform <platform>', platformHelp)
    .requiredOption('--workspace <id>', workspaceHelp)
    .requiredOption('--user <id>', userHelp)
    .action(async (handle: string, opts: { platform: string; workspace: string; user: string }) => {
      await ctx.withDb(async ({ db }) => {
        const result = await linkMember(db, { handle, platform: opts.platform, workspaceId: opts.workspace, userId: opts.user });
        if (!result.ok) ctx.fail(result.failure);
        const { platform, workspaceId, userId } = result.value;
        ctx.print(
          ctx.say(
            text(
              `Đã liên kết ${platform} ${workspaceId}/${userId} với ${handle}.`,
              `Linked ${platform} ${workspaceId}/${userId} to ${handle}.`,
            ),
          ),
        );
      });
    });
  members
    .command('list')
    .description(
      ctx.describe(
        'liệt kê thành viên cùng vai trò, đơn vị và tài khoản đã liên kết; thành viên bị vô hiệu hoá được đánh dấu',
        'list members with their roles, units and linked accounts; disabled members are marked',
      ),
    )
    .action(async () => {
      await ctx.withDb(async ({ db }) => {
        const rows = await getMembers(db);
        const disabled = ctx.say(text('vô hiệu hoá', 'disabled'));
        ctx.print(
          table(
            ctx.config.locale === 'vi'
              ? ['TÊN ĐĂNG NHẬP', 'VAI TRÒ', 'ĐƠN VỊ', 'NGÔN NGỮ', 'HỌ TÊN', 'TÀI KHOẢN', 'TRẠNG THÁI']
              : ['HANDLE', 'ROLE', 'UNIT', 'LOCALE', 'NAME', 'ACCOUNTS', 'STATUS'],
            rows.map((m) => [
              m.handle,
              // In Vietnamese, the role's name with the word `--role` takes.
              ctx.config.locale === 'vi' ? `${ROLE_LABEL[m.role]('vi')} (${m.role})` : m.role,
              m.unitCode,
              m.locale ?? '-',
              m.displayName,
              m.identities.map((i) => `${i.platform}:${i.workspaceId}/${i.userId}`).join(' ') || '-',
              m.disabledAt ? `${disabled} ${dayIn(ctx.config.timeZone, m.disabledAt)}` : '',
            ]),
          ),
        );
      });
    });

  /** Runs one lifecycle change: its answer on standard output, its before and after in the audit row. */
  const change = <S>(work: (db: Database) => Promise<Result<MemberChange<S>>>, done: (change: MemberChange<S>) => Text) =>
    ctx.withDb(async ({ db }) => {
      const result = await work(db);
      if (!result.ok) ctx.fail(result.failure);
      ctx.noteAudit({ args: { before: result.value.before, after: result.value.after } });
      ctx.print(ctx.say(done(result.value)));
    });
  members
    .command('role')
    .description(ctx.describe('đổi vai trò của thành viên', "change a member's role"))
    .argument('<handle>', handleHelp)
    .argument('<role>', roleHelp)
    .action((handle: string, role: string) =>
      change(
        (db) => changeRole(db, { handle, role }),
        (c) => memberChangedText({ kind: 'role', change: c }),
      ),
    );
  members
    .command('move')
    .description(
      ctx.describe(
        'chuyển thành viên sang đơn vị khác: từ lệnh tiếp theo, họ thấy dữ liệu của đơn vị đó và các đơn vị cấp dưới',
        'move a member to another unit: from their next command they see that unit and its sub-units',
      ),
    )
    .argument('<handle>', handleHelp)
    .argument('<unit>', ctx.describe('mã của đơn vị mới', "the new unit's code"))
    .action((handle: string, unit: string) =>
      change(
        (db) => moveMember(db, { handle, unitCode: unit }),
        (c) => memberChangedText({ kind: 'move', change: c }),
      ),
    );
  members
    .command('disable')
    .description(
      ctx.describe(
        'vô hiệu hoá thành viên (đã chuyển công tác, bị đình chỉ): mọi lệnh của họ bị từ chối ngay; lịch sử vẫn được giữ',
        'disable a member (left, suspended): refused on every command at once; their history stays',
      ),
    )
    .argument('<handle>', handleHelp)
    .option('--reason <text>', ctx.describe('lý do, lưu trong nhật ký kiểm toán', 'why, kept in the audit log'))
    .action((handle: string) =>
      change(
        (db) => disableMember(db, { handle, now: new Date() }),
        (c) => memberChangedText({ kind: 'disable', change: c }),
      ),
    );
  members
    .command('enable')
    .description(ctx.describe('cho thành viên đã bị vô hiệu hoá dùng lại casedesk', 'let a disabled member use casedesk again'))
    .argument('<handle>', handleHelp)
    .action((handle: string) =>
      change(
        (db) => enableMember(db, { handle }),
        (c) => memberChangedText({ kind: 'enable', change: c }),
      ),
    );
  members
    .command('unlink')
    .description(
      ctx.describe(
        'gỡ liên kết tài khoản chat của thành viên: tài khoản được chỉ định, hoặc mọi tài khoản của họ trên nền tảng đó',
        "unlink a member's chat account: the one given, or all of theirs on the platform",
      ),
    )
    .argument('<handle>', handleHelp)
    .requiredOption('--platform <platform>', platformHelp)
    .option('--workspace <id>', ctx.describe(`${workspaceVi} (dùng cùng --user)`, `${workspaceEn} (with --user)`))
    .option('--user <id>', ctx.describe(`${userVi} (dùng cùng --workspace)`, `${userEn} (with --workspace)`))
    .action((handle: string, opts: { platform: string; workspace?: string; user?: string }) =>
      change(
        (db) => unlinkAccount(db, { handle, platform: opts.platform, workspaceId: opts.workspace, userId: opts.user }),
        (c) => memberChangedText({ kind: 'unlink', change: c }),
      ),
    );
}
