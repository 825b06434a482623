import type { Command } from 'commander';
import type { DbHandle } from '../../db/client.ts';
import type { ChatAdapter, Platform, Poster } from '../core/platform.ts';
import { text } from '../i18n/text.ts';
import { prepareLocalConsole } from './console.ts';
import type { CliContext } from './context.ts';
import type { Operations } from '../ops/index.ts';

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
          const running: Array<{ label: string; adapter: ChatAdapter }> = [];
          const { createOperations } = await import('../ops/index.ts');
          const ops = createOperations({ handle, logger: ctx.logger, adapters: () => running.map((r) => r.adapter) });
          const core = createCore({ handle, config: ctx.config, logger: ctx.logger });
          const dispatcher = ops.instrument(core.dispatcher);
          // Slack over HTTP serves the operator's routes on its own port; otherwise casedesk does.
          const server = configured.some(({ setUp }) => setUp.listensOnPort) ? undefined : await serveOps(ctx, ops);
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
            const adapter = await setUp.createAdapter({
              dispatcher,
              logger: ctx.logger,
              routes: ops.routes,
              onAcknowledged: ops.metrics.onAcknowledged,
            });
            running.push({ label: platform.label, adapter });
            try {
              await adapter.start();
            } catch (error) {
              await stopAll();
              await server?.close();
              const explained = platform.explainStartError(error);
              if (explained) ctx.fail(explained);
              throw error;
            }
            posters[adapter.platform] = adapter.poster;
          }
          // Scheduled digests go out through the adapters just started.
          const scheduler = await startJobs(ctx, handle, posters, core.instanceId, ops);
          const where = running.map((a) => a.label).join(ctx.say(text(' và ', ' and ')));
          ctx.print(
            ctx.say(
              text(
                `casedesk đã sẵn sàng trên ${where} (${handle.driver}, ${handle.location}${portNote(server, 'vi')}). Dừng bằng SIGINT hoặc SIGTERM.`,
                `casedesk is ready on ${where} (${handle.driver}, ${handle.location}${portNote(server, 'en')}). Stop it with SIGINT or SIGTERM.`,
              ),
            ),
          );
          await shutdown;
          await stopGracefully(ctx, { ops, scheduler, adapters: running.splice(0).map((r) => r.adapter), server });
          return;
        }
        if (stdin.isTTY) ctx.quietLogsForTerminal();
        ctx.logger.info({ driver: handle.driver, location: handle.location }, 'casedesk ready');
        if (stdin.isTTY) {
          const member = await prepareLocalConsole(ctx, handle);
          const { dispatcher, instanceId } = createCore({ handle, config: ctx.config, logger: ctx.logger });
          // Nothing to post to, but meetings still time out and housekeeping still runs.
          const scheduler = await startJobs(ctx, handle, {}, instanceId);
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
        // A service still: its readiness (the database) and metrics are served.
        const { createOperations } = await import('../ops/index.ts');
        const ops = createOperations({ handle, logger: ctx.logger, adapters: () => [] });
        const server = await serveOps(ctx, ops);
        const scheduler = await startJobs(ctx, handle, {}, undefined, ops);
        ctx.print(
          ctx.say(
            text(
              `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}${portNote(server, 'vi')}); chưa cấu hình nền tảng chat nào và không có terminal, nên chỉ chạy các việc định kỳ (đóng cuộc họp quá giờ, dọn dẹp dữ liệu). Dừng bằng SIGINT hoặc SIGTERM.`,
              `casedesk is ready (${handle.driver}, ${handle.location}${portNote(server, 'en')}); no chat platform is configured and there is no terminal, so it only runs the scheduled jobs (closing meetings left open, housekeeping). Stop it with SIGINT or SIGTERM.`,
            ),
          ),
        );
        await shutdown;
        await stopGracefully(ctx, { ops, scheduler, adapters: [], server });
      });
    });
}

/**
 * The scheduled jobs, in every mode: digests and minutes go out through `posters` (none on the
 * console: then only meetings left open are closed, and housekeeping runs).
 */
async function startJobs(
  ctx: CliContext,
  handle: DbHandle,
  posters: Partial<Record<Platform, Poster>>,
  instanceId: string | undefined,
  ops?: Operations,
) {
  const { startScheduler } = await import('../scheduler/index.ts');
  const { configuredDigestRunner } = await import('./runner.ts');
  // The dispatcher's name: the answers it leased are let go of with the scheduler's messages.
  const runner = configuredDigestRunner({
    config: ctx.config,
    db: handle.db,
    posters,
    logger: ctx.logger,
    ...(instanceId ? { instanceId } : {}),
    ...(ops ? { observe: ops.metrics.scheduler } : {}),
  });
  const scheduler = await startScheduler({
    db: handle.db,
    runner,
    logger: ctx.logger,
    invocationRetentionDays: ctx.config.invocationRetentionDays,
  });
  return { ...scheduler, releaseHeld: () => runner.releaseHeld() };
}

type OpsServer = Awaited<ReturnType<Operations['serve']>>;

/** The operator's routes on PORT; a port already taken stops the start with a one-line reason. */
async function serveOps(ctx: CliContext, ops: Operations): Promise<OpsServer> {
  const port = ctx.config.httpPort;
  try {
    return await ops.serve(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return ctx.fail(
      text(
        `cổng ${port} (PORT) đang được chương trình khác dùng; hãy đặt PORT là một cổng còn trống (0 để tự chọn).`,
        `port ${port} (PORT) is in use by another program; set PORT to a free port (0 picks one).`,
      ),
    );
  }
}

/** `; health and metrics on port N` when casedesk serves them itself (Slack over HTTP says where it listens). */
function portNote(server: OpsServer | undefined, locale: 'vi' | 'en'): string {
  if (!server) return '';
  return text(`; kiểm tra sức khỏe và số liệu ở cổng ${server.port}`, `; health and metrics on port ${server.port}`)(locale);
}

/**
 * SIGTERM or SIGINT: the graceful stop (see {@link drainAndStop}); the database is closed after it,
 * by `withDb`. Requests still running when CASEDESK_SHUTDOWN_TIMEOUT_MS ran out make the exit code 1.
 */
async function stopGracefully(
  ctx: CliContext,
  input: {
    ops: Operations;
    scheduler: { stop(): Promise<void>; releaseHeld(): Promise<number> };
    adapters: ChatAdapter[];
    server: OpsServer | undefined;
  },
): Promise<void> {
  ctx.logger.info('casedesk stopping');
  const { drainAndStop } = await import('../ops/index.ts');
  const result = await drainAndStop({
    health: input.ops.health,
    adapters: input.adapters,
    scheduler: input.scheduler,
    timeoutMs: ctx.config.shutdownTimeoutMs,
    logger: ctx.logger,
  });
  await input.server?.close();
  if (!result.drained) ctx.setExitCode(1);
  ctx.logger.info({ drained: result.drained, released: result.released }, 'casedesk stopped');
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
