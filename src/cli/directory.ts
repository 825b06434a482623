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
  const units = program.command('units').description('manage units (đơn vị): a tree from ministry department to district');
  units
    .command('add')
    .description('add a unit')
    .argument('<code>', 'unit code, e.g. CA-HN')
    .argument('<name>', 'unit name, e.g. "Công an TP Hà Nội"')
    .option('--parent <code>', "the parent unit's code")
    .action(async (code: string, name: string, opts: { parent?: string }) => {
      await ctx.withDb(async ({ db }) => {
        const result = await addUnit(db, { code, name, parentCode: opts.parent });
        if (!result.ok) ctx.fail(result.failure);
        ctx.print(ctx.say(text(`Đã thêm đơn vị ${result.value.code}.`, `Added unit ${result.value.code}.`)));
      });
    });
  units
    .command('list')
    .description('list units')
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
    .description('set the channel where a unit is asked to confirm hits on its cases (its sub-units without one are asked there too)')
    .argument('<code>', 'unit code, e.g. CA-HN')
    .argument('<platform>', 'discord or slack')
    .argument('<channel>', "the platform's channel id (Discord: digits; Slack: C0123ABCD)")
    .option('--locale <locale>', 'the language of the requests posted there: vi or en (default: CASEDESK_LOCALE)')
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

  const members = program.command('members').description('manage members (thành viên) and their chat accounts');
  members
    .command('add')
    .description('add a member')
    .argument('<handle>', 'a short unique name, e.g. duc.nv')
    .requiredOption('--role <role>', `one of ${MEMBER_ROLES.join(', ')}`)
    .requiredOption('--unit <code>', "the member's unit code")
    .option('--name <display name>', 'the name shown to others')
    .option('--locale <vi|en>', 'reply language (default: CASEDESK_LOCALE)')
    .action(async (handle: string, opts: { role: string; unit: string; name?: string; locale?: string }) => {
      await ctx.withDb(async ({ db }) => {
        const result = await addMember(db, { handle, role: opts.role, unitCode: opts.unit, displayName: opts.name, locale: opts.locale });
        if (!result.ok) ctx.fail(result.failure);
        ctx.print(ctx.say(text(`Đã thêm thành viên ${result.value.handle}.`, `Added member ${result.value.handle}.`)));
      });
    });
  members
    .command('link')
    .description('link a Discord or Slack account to a member')
    .argument('<handle>', "the member's handle")
    .requiredOption('--platform <platform>', 'discord or slack')
    .requiredOption('--workspace <id>', 'the Discord guild (server) id or the Slack team id')
    .requiredOption('--user <id>', 'the Discord or Slack user id')
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
    .description('list members with their roles, units and linked accounts; disabled members are marked')
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
    .description("change a member's role")
    .argument('<handle>', "the member's handle")
    .argument('<role>', `one of ${MEMBER_ROLES.join(', ')}`)
    .action((handle: string, role: string) =>
      change(
        (db) => changeRole(db, { handle, role }),
        (c) => memberChangedText({ kind: 'role', change: c }),
      ),
    );
  members
    .command('move')
    .description('move a member to another unit: from their next command they see that unit and its sub-units')
    .argument('<handle>', "the member's handle")
    .argument('<unit>', "the new unit's code")
    .action((handle: string, unit: string) =>
      change(
        (db) => moveMember(db, { handle, unitCode: unit }),
        (c) => memberChangedText({ kind: 'move', change: c }),
      ),
    );
  members
    .command('disable')
    .description('disable a member (left, suspended): refused on every command at once; their history stays')
    .argument('<handle>', "the member's handle")
    .option('--reason <text>', 'why, kept in the audit log')
    .action((handle: string) =>
      change(
        (db) => disableMember(db, { handle, now: new Date() }),
        (c) => memberChangedText({ kind: 'disable', change: c }),
      ),
    );
  members
    .command('enable')
    .description('let a disabled member use casedesk again')
    .argument('<handle>', "the member's handle")
    .action((handle: string) =>
      change(
        (db) => enableMember(db, { handle }),
        (c) => memberChangedText({ kind: 'enable', change: c }),
      ),
    );
  members
    .command('unlink')
    .description("unlink a member's chat account: the one given, or all of theirs on the platform")
    .argument('<handle>', "the member's handle")
    .requiredOption('--platform <platform>', 'discord or slack')
    .option('--workspace <id>', 'the Discord guild (server) id or the Slack team id (with --user)')
    .option('--user <id>', 'the Discord or Slack user id (with --workspace)')
    .action((handle: string, opts: { platform: string; workspace?: string; user?: string }) =>
      change(
        (db) => unlinkAccount(db, { handle, platform: opts.platform, workspaceId: opts.workspace, userId: opts.user }),
        (c) => memberChangedText({ kind: 'unlink', change: c }),
      ),
    );
}
