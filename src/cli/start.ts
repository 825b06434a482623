import type { Command } from 'commander';
import { text } from '../i18n/text.ts';
import type { CliContext } from './context.ts';

/**
 * `casedesk start`: opens the database, applies migrations, and runs until SIGINT or SIGTERM.
 * The console chat and the Discord and Slack adapters are attached here as they land.
 */
export function registerStartCommand(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run casedesk (what `npm start` runs)')
    .action(async () => {
      await ctx.withDb(async (handle) => {
        ctx.logger.info({ driver: handle.driver, location: handle.location }, 'casedesk ready');
        ctx.print(ctx.say(text(
          `casedesk đã sẵn sàng (${handle.driver}, ${handle.location}). Nhấn Ctrl+C để dừng.`,
          `casedesk is ready (${handle.driver}, ${handle.location}). Press Ctrl+C to stop.`,
        )));
        await waitForShutdown();
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
