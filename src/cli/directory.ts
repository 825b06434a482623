import type { Command } from 'commander';
import { text } from '../i18n/text.ts';
import { addMember, addUnit, getMembers, getUnits, linkMember, MEMBER_ROLES } from '../services/directory.ts';
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
    .description('list members with their roles, units and linked accounts')
    .action(async () => {
      await ctx.withDb(async ({ db }) => {
        const rows = await getMembers(db);
        ctx.print(
          table(
            ctx.config.locale === 'vi'
              ? ['TÊN ĐĂNG NHẬP', 'VAI TRÒ', 'ĐƠN VỊ', 'NGÔN NGỮ', 'HỌ TÊN', 'TÀI KHOẢN']
              : ['HANDLE', 'ROLE', 'UNIT', 'LOCALE', 'NAME', 'ACCOUNTS'],
            rows.map((m) => [
              m.handle,
              m.role,
              m.unitCode,
              m.locale ?? '-',
              m.displayName,
              m.identities.map((i) => `${i.platform}:${i.workspaceId}/${i.userId}`).join(' ') || '-',
            ]),
          ),
        );
      });
    });
}
