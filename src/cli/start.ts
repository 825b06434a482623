import type { Command } from 'commander';
import { createCore } from '../app.ts';
import { runConsole } from '../adapters/console/console-adapter.ts';
import { createDiscordAdapter } from '../adapters/discord/adapter.ts';
import { createSlackAdapter } from '../adapters/slack/adapter.ts';
import type { DbHandle } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Poster } from '../scheduler/digests.ts';
import { startScheduler } from '../scheduler/index.ts';
import { text } from '../i18n/text.ts';
import { ensureLocalAdmin } from './console.ts';
import type { CliContext } from './context.ts';
import { configuredDigestRunner } from './runner.ts';

/**
 * `casedesk start` (what `npm start` runs): opens the database, applies migrations, and serves.
 * In a terminal, with no chat platform configured, that means the console chat as the local
 * administrator; otherwise (a process manager, CI) it waits for SIGINT or SIGTERM. With Discord or
 * Slack configured (or both), it runs their adapters over one database and one dispatcher.
 */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run casedesk (what `npm start` runs)')
    .action(async () => {
      await ctx.withDb(async (handle) => {
        const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
        const { discord, slack } = ctx.config;
        if (discord || slack) {
          const shutdown = waitForShutdown();
          const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
          const running: Array<{ name: string; stop(): Promise<void> }> = [];
          const posters: Partial<Record<Platform, Poster>> = {};
          const stopAll = () => Promise.all(running.splice(0).map((a) => a.stop()));
          try {
            if (discord) {
              const adapter = createDiscordAdapter({ dispatcher, connection: discord, logger: ctx.logger });
              running.push({ name: 'Discord', stop: () => adapter.stop() });
              await adapter.start();
              posters.discord = adapter.poster;
            }
            if (slack) {
              const adapter = createSlackAdapter({ dispatcher, connection: slack, logger: ctx.logger, locale: ctx.config.locale });
              running.push({ name: 'Slack', stop: () => adapter.stop().catch(() => {}) });
              try {
                await adapter.start();
              } catch (error) {
                // Not started: nothing to stop, and Bolt's stop() would throw.
                running.pop();
                throw error;
              }
              posters.slack = adapter.poster;
            }
          } catch (error) {
            await stopAll();
            if ((error as { code?: string }).code === 'TokenInvalid') {
              ctx.fail(
                text(
                  'Discord từ chối DISCORD_TOKEN. Hãy lấy mã mới trong Developer Portal → ứng dụng → Bot → Reset Token.',
                  'Discord refused DISCORD_TOKEN. Get a new one in the Developer Portal → your application → Bot → Reset Token.',
                ),
              );
            }
            // The Slack adapter says which token was refused (SlackTokenRefused).
            const refused = error as { code?: string; variable?: string; data?: { error?: string } };
            const slackError = refused.code === 'SlackTokenRefused' ? refused.data?.error : undefined;
            if (slackError && refused.variable === 'SLACK_APP_TOKEN') {
              ctx.fail(
                text(
                  `Slack từ chối SLACK_APP_TOKEN (${slackError}). Tạo mã cấp ứng dụng (App-Level Token, bắt đầu bằng xapp-) có quyền connections:write trong api.slack.com/apps → ứng dụng → Basic Information → App-Level Tokens.`,
                  `Slack refused SLACK_APP_TOKEN (${slackError}). Generate an App-Level Token (starting xapp-) with the connections:write scope in api.slack.com/apps → your app → Basic Information → App-Level Tokens.`,
                ),
              );
            }
            if (slackError) {
              ctx.fail(
                text(
                  `Slack từ chối SLACK_BOT_TOKEN (${slackError}). Lấy Bot User OAuth Token trong api.slack.com/apps → ứng dụng → OAuth & Permissions.`,
                  `Slack refused SLACK_BOT_TOKEN (${slackError}). Get the Bot User OAuth Token from api.slack.com/apps → your app → OAuth & Permissions.`,
                ),
              );
            }
            throw error;
          }
          // Scheduled digests go out through the adapters just started.
          const scheduler = await startJobs(ctx, handle, posters);
          const where = running.map((a) => a.name).join(vi(ctx) ? ' và ' : ' and ');
          ctx.print(
            ctx.say(
              text(
                `casedesk đã sẵn sàng trên ${where} (${handle.driver}, ${handle.location}). Dừng bằng SIGINT hoặc SIGTERM.`,
                `casedesk is ready on ${where} (${handle.driver}, ${handle.location}). Stop it with SIGINT or SIGTERM.`,
              ),
            ),
          );
          await shutdown;
          await scheduler.stop();
          await stopAll();
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
          // Nothing to post to, but meetings still time out and housekeeping still runs.
          const scheduler = await startJobs(ctx, handle, {});
          const stop = new AbortController();
          const onSignal = () => stop.abort();
          // Ctrl+C or a stop request closes the database cleanly, as the end of input does.
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          ctx.print(
            ctx.say(
              text(
                `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}). Gõ help để xem các lệnh; Ctrl+D để thoát.`,
                `casedesk is ready (${handle.driver}, ${handle.location}). Type help for the commands; Ctrl+D to quit.`,
              ),
            ),
          );
          try {
            await Promise.race([
              runConsole({ dispatcher, input: stdin as never, output: ctx.stdout, handle: 'admin', prompt: true }),
              new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve())),
            ]);
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            await scheduler.stop();
          }
          return;
        }
        // Listen for the stop signals before saying "ready": a supervisor may send one at once.
        const shutdown = waitForShutdown();
        const scheduler = await startJobs(ctx, handle, {});
        ctx.print(
          ctx.say(
            text(
              `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}); chưa cấu hình nền tảng chat nào và không có terminal, nên chỉ chạy các việc định kỳ (đóng cuộc họp quá giờ, dọn dẹp dữ liệu). Dừng bằng SIGINT hoặc SIGTERM.`,
              `casedesk is ready (${handle.driver}, ${handle.location}); no chat platform is configured and there is no terminal, so it only runs the scheduled jobs (closing meetings left open, housekeeping). Stop it with SIGINT or SIGTERM.`,
            ),
          ),
        );
        await shutdown;
        await scheduler.stop();
        ctx.logger.info('casedesk stopping');
      });
    });
}

/**
 * The scheduled jobs, in every mode: digests and minutes go out through `posters` (none on the
 * console: then only meetings left open are closed, and housekeeping runs).
 */
function startJobs(ctx: CliContext, handle: DbHandle, posters: Partial<Record<Platform, Poster>>) {
  const runner = configuredDigestRunner({ config: ctx.config, db: handle.db, posters, logger: ctx.logger });
  return startScheduler({ db: handle.db, runner, logger: ctx.logger });
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

function vi(ctx: CliContext): boolean {
  return ctx.config.locale === 'vi';
}
