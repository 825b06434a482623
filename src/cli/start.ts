import type { Command } from 'commander';
import { createCore } from '../app.ts';
import { runConsole } from '../adapters/console/console-adapter.ts';
import { createDiscordAdapter } from '../adapters/discord/adapter.ts';
import { text } from '../i18n/text.ts';
import { ensureLocalAdmin } from './console.ts';
import type { CliContext } from './context.ts';

/**
 * `casedesk start` (what `npm start` runs): opens the database, applies migrations, and serves.
 * In a terminal, with no chat platform configured, that means the console chat as the local
 * administrator; otherwise (a process manager, CI) it waits for SIGINT or SIGTERM. The Discord and
 * Slack adapters attach here as they land.
 */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run casedesk (what `npm start` runs)')
    .action(async () => {
      await ctx.withDb(async (handle) => {
        const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
        const discord = ctx.config.discord;
        if (discord) {
          const shutdown = waitForShutdown();
          const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
          const adapter = createDiscordAdapter({ dispatcher, connection: discord, logger: ctx.logger });
          try {
            await adapter.start();
          } catch (error) {
            await adapter.stop();
            if ((error as { code?: string }).code === 'TokenInvalid') {
              ctx.fail(text(
                'Discord từ chối DISCORD_TOKEN. Hãy lấy mã mới trong Developer Portal → ứng dụng → Bot → Reset Token.',
                'Discord refused DISCORD_TOKEN. Get a new one in the Developer Portal → your application → Bot → Reset Token.',
              ));
            }
            throw error;
          }
          ctx.print(ctx.say(text(
            `casedesk đã sẵn sàng trên Discord (${handle.driver}, ${handle.location}). Dừng bằng SIGINT hoặc SIGTERM.`,
            `casedesk is ready on Discord (${handle.driver}, ${handle.location}). Stop it with SIGINT or SIGTERM.`,
          )));
          await shutdown;
          await adapter.stop();
          ctx.logger.info('casedesk stopping');
          return;
        }
        if (stdin.isTTY) ctx.quietLogsForTerminal();
        ctx.logger.info({ driver: handle.driver, location: handle.location }, 'casedesk ready');
        if (stdin.isTTY) {
          if (await ensureLocalAdmin(handle.db)) {
            ctx.print(ctx.say(text('Đã tạo quản trị viên cục bộ "admin".', 'Created the local administrator "admin".')));
          }
          const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          // Ctrl+C or a stop request closes the database cleanly, as the end of input does.
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          ctx.print(ctx.say(text(
            `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}). Gõ help để xem các lệnh; Ctrl+D để thoát.`,
            `casedesk is ready (${handle.driver}, ${handle.location}). Type help for the commands; Ctrl+D to quit.`,
          )));
          try {
            await Promise.race([
              runConsole({ dispatcher, input: stdin as never, output: ctx.stdout, handle: 'admin', prompt: true }),
              new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve())),
            ]);
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          return;
        }
        // Listen for the stop signals before saying "ready": a supervisor may send one at once.
        const shutdown = waitForShutdown();
        ctx.print(ctx.say(text(
          `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}); chưa cấu hình nền tảng chat nào và không có terminal, nên chỉ chờ. Dừng bằng SIGINT hoặc SIGTERM.`,
          `casedesk is ready (${handle.driver}, ${handle.location}); no chat platform is configured and there is no terminal, so it waits. Stop it with SIGINT or SIGTERM.`,
        )));
        await shutdown;
        ctx.logger.info('casedesk stopping');
      });
    });
}

function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
