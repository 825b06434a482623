import type { Command } from 'commander';
import { text } from '../i18n/text.ts';
import type { CliContext } from './context.ts';

export function registerDiscordCommands(program: Command, ctx: CliContext): void {
  const discord = program.command('discord').description(ctx.describe('bot trên Discord', 'the Discord bot'));
  discord
    .command('deploy')
    .description(
      ctx.describe(
        'đăng ký các lệnh slash với Discord (chạy lại nhiều lần vẫn an toàn); với các máy chủ được chỉ định thì có hiệu lực ngay, nếu không thì đăng ký toàn cục',
        'register the slash commands with Discord (safe to re-run); in the given servers at once, else globally',
      ),
    )
    .option(
      '--guild <id...>',
      ctx.describe(
        'mã các máy chủ (guild); mặc định: DISCORD_GUILD_IDS, hoặc toàn cục nếu biến này chưa đặt',
        'server (guild) ids; default: DISCORD_GUILD_IDS, or global when unset',
      ),
    )
    .action(async (opts: { guild?: string[] }) => {
      const discordConfig = ctx.config.discord;
      if (!discordConfig) {
        ctx.fail(
          text(
            'Chưa cấu hình Discord: hãy đặt DISCORD_TOKEN và DISCORD_APPLICATION_ID (xem README, mục "Kết nối Discord").',
            'Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see the README, "Connect to Discord").',
          ),
        );
      }
      // discord.js and the commands load when the command runs, not to parse the command line.
      const { commandGroups, commands } = await import('../../commands/index.ts');
      const { deployDiscordCommands, DiscordDeployError } = await import('../adapters/discord/deploy.ts');
      const guildIds = opts.guild ?? discordConfig.guildIds;
      if (guildIds.some((id) => !/^\d{17,20}$/.test(id))) {
        ctx.fail(text('--guild phải là mã số máy chủ Discord.', '--guild takes numeric Discord server ids.'));
      }
      try {
        const done = await deployDiscordCommands(discordConfig, { registry: commands, groups: commandGroups, guildIds });
        for (const { guildId, commands: count } of done) {
          ctx.print(
            ctx.say(
              guildId === undefined
                ? text(`Đã đăng ký ${count} lệnh toàn cục.`, `Registered ${count} commands (global).`)
                : text(`Đã đăng ký ${count} lệnh trên máy chủ ${guildId}.`, `Registered ${count} commands (guild ${guildId}).`),
            ),
          );
        }
      } catch (error) {
        if (error instanceof DiscordDeployError && error.status === 401) {
          ctx.fail(
            text(
              'Discord từ chối DISCORD_TOKEN (401). Hãy lấy mã mới trong Developer Portal → ứng dụng → Bot → Reset Token.',
              'Discord refused DISCORD_TOKEN (401). Get a new one in the Developer Portal → your application → Bot → Reset Token.',
            ),
          );
        }
        if (error instanceof DiscordDeployError) {
          const { message, reason, guildId } = error;
          const where = guildId === undefined ? 'toàn cục' : `trên máy chủ ${guildId}`;
          ctx.fail(text(`Discord từ chối đăng ký lệnh ${where}: ${reason}`, `Discord refused the commands: ${message}`));
        }
        throw error;
      }
    });
}
