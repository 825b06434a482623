import type { Command } from 'commander';
import type { DbHandle } from '../../db/client.ts';
import type { ChatAdapter, Platform, Poster } from '../core/platform.ts';
import { text } from '../i18n/text.ts';
import { prepareLocalConsole } from './console.ts';
import type { CliContext } from './context.ts';

// The core, the adapters (and their SDKs) and the scheduler load when `start` runs (`await
// import`), not when the command line is parsed: `casedesk --help` and every other command start without them.

/**
 * `casedesk start` (what `npm start` runs): opens the database, applies migrations, and serves.
 * In a terminal, with no chat platform configured, that means the console chat as the local
 * administrator; otherwise (a process manager, CI) it waits for SIGINT or SIGTERM. With Discord or
 * Slack configured (or both), it runs their adapters over one database and one dispatcher.
 */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description(ctx.describe('chạy casedesk (lệnh mà `npm start` chạy)', 'run casedesk (what `npm start` runs)'))
    .action(async () => {
      await ctx.withDb(async (handle, { ownerRights }) => {
        const { createCore } = await import('../app.ts');
        const { runConsole } = await import('../adapters/console/console-adapter.ts');
        const { PLATFORM_ADAPTERS } = await import('../adapters/index.ts');
        await ctx.auditStarted(handle);
        if (ownerRights) {
          ctx.print(
            ctx.say(
              text(
                'Cảnh báo: casedesk đang chạy với quyền của chủ sở hữu cơ sở dữ liệu (vai trò của DATABASE_URL sở hữu các bảng hoặc là superuser), nên ai lấy được thông tin đăng nhập này có thể sửa nhật ký kiểm toán. Hãy thiết lập `casedesk db roles` và DATABASE_MIGRATION_URL.',
                "Warning: casedesk runs with the database owner's rights (DATABASE_URL's role owns the tables or is a superuser), so whoever obtains this credential could rewrite the audit log. Set up `casedesk db roles` and DATABASE_MIGRATION_URL.",
              ),
            ),
          );
        }
        const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
        const configured = PLATFORM_ADAPTERS.flatMap((platform) => {
          const setUp = platform.configure(ctx.config);
          return setUp ? [{ platform, setUp }] : [];
        });
        if (configured.length > 0) {
          const shutdown = waitForShutdown();
          const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
          const running: Array<{ label: string; adapter: ChatAdapter }> = [];
          const posters: Partial<Record<Platform, Poster>> = {};
          const stopAll = () =>
            Promise.all(
              running
                .splice(0)
                .map(({ label, adapter }) =>
                  adapter.stop().catch((error) => ctx.logger.warn({ err: error, platform: label }, 'could not stop')),
                ),
            );
          for (const { platform, setUp } of configured) {
            const adapter = setUp.createAdapter({ dispatcher, logger: ctx.logger });
            running.push({ label: platform.label, adapter });
            try {
              await adapter.start();
            } catch (error) {
              await stopAll();
              const explained = platform.explainStartError(error);
              if (explained) ctx.fail(explained);
              throw error;
            }
            posters[adapter.platform] = adapter.poster;
          }
          // Scheduled digests go out through the adapters just started.
          const scheduler = await startJobs(ctx, handle, posters);
          const where = running.map((a) => a.label).join(ctx.say(text(' và ', ' and ')));
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
          const member = await prepareLocalConsole(ctx, handle);
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
              runConsole({ dispatcher, input: stdin as never, output: ctx.stdout, handle: member, prompt: true }),
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
async function startJobs(ctx: CliContext, handle: DbHandle, posters: Partial<Record<Platform, Poster>>) {
  const { startScheduler } = await import('../scheduler/index.ts');
  const { configuredDigestRunner } = await import('./runner.ts');
  const runner = configuredDigestRunner({ config: ctx.config, db: handle.db, posters, logger: ctx.logger });
  return startScheduler({ db: handle.db, runner, logger: ctx.logger, invocationRetentionDays: ctx.config.invocationRetentionDays });
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
