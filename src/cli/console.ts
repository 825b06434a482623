import type { Command } from 'commander';
import type { Database } from '../../db/client.ts';
import { createCore } from '../app.ts';
import { ConsoleReply, consoleInvocation, runConsole } from '../adapters/console/console-adapter.ts';
import type { DispatchOutcome } from '../core/dispatcher.ts';
import { text } from '../i18n/text.ts';
import { findMemberByHandle, insertMember } from '../repositories/members.ts';
import { findOldestRootUnit, insertUnit } from '../repositories/units.ts';
import type { CliContext } from './context.ts';

/** exec's exit code: 0 answered, 1 refused (denied, invalid, not found), 2 internal error. */
export function exitCodeFor(outcome: DispatchOutcome): number {
  if (outcome === 'ok') return 0;
  if (outcome === 'denied' || outcome === 'invalid') return 1;
  return 2;
}

const LOCAL_ADMIN = 'admin';

/**
 * The console's default user: the member `admin`, created on first use as an administrator of the
 * oldest root unit (or of a new `ROOT` unit on an empty database). Returns whether it was created.
 */
export async function ensureLocalAdmin(db: Database): Promise<boolean> {
  if (await findMemberByHandle(db, LOCAL_ADMIN)) return false;
  return db.transaction(async (tx) => {
    const oldestRoot = await findOldestRootUnit(tx);
    const root = oldestRoot ?? (await insertUnit(tx, { code: 'ROOT', name: 'Toàn lực lượng', parentId: null }));
    await insertMember(tx, { handle: LOCAL_ADMIN, displayName: 'Quản trị cục bộ', role: 'admin', unitId: root.id, locale: null });
    return true;
  });
}

export function registerConsoleCommands(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description('chat with casedesk in the terminal, one command a line (reads a pipe too)')
    .option('--as <handle>', 'act as this member (default: the local administrator, created on first use)')
    .action(async (opts: { as?: string }) => {
      await ctx.withDb(async (handle) => {
        if (!opts.as && (await ensureLocalAdmin(handle.db))) {
          ctx.print(
            ctx.say(
              text(
                `Đã tạo quản trị viên cục bộ "${LOCAL_ADMIN}" (vai trò quản trị, đơn vị gốc). Lệnh console không có --as sẽ dùng thành viên này.`,
                `Created the local administrator "${LOCAL_ADMIN}" (admin role, root unit). console without --as acts as this member.`,
              ),
            ),
          );
        }
        const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
        const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
        if (stdin.isTTY) ctx.quietLogsForTerminal();
        await runConsole({
          dispatcher,
          input: stdin as never,
          output: ctx.stdout,
          handle: opts.as ?? LOCAL_ADMIN,
          prompt: Boolean(stdin.isTTY),
          operator: ctx.operator,
        });
      });
    });

  program
    .command('check')
    .description('check a list of people (CSV or .xlsx) against the whole wanted list, as "case check" does in chat')
    .argument('<file>', 'the list: CSV (UTF-8 or UTF-16, "," or ";") or .xlsx, with a full-name column')
    .option('--as <handle>', 'the member who checks it (default: the local administrator)')
    .option('--unit <code>', "the unit checking the list (default: the member's own)")
    .option('--priority <priority>', 'urgent (the people are held: 10 minutes to confirm) or routine (an hour; the default)')
    .option('--out <path>', "where to write the result (default: the current folder, under the list's name)")
    .action(async (file: string, opts: { as?: string; unit?: string; priority?: string; out?: string }) => {
      await ctx.withDb(async (handle) => {
        if (!opts.as) await ensureLocalAdmin(handle.db);
        const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
        ctx.auditedByDispatcher();
        const invocation = {
          ...consoleInvocation(opts.as ?? LOCAL_ADMIN, '', ctx.operator),
          // Typed options, not a line: a path may hold spaces and quotes.
          input: {
            kind: 'options' as const,
            command: 'case check',
            options: { file, ...(opts.unit ? { unit: opts.unit } : {}), ...(opts.priority ? { priority: opts.priority } : {}) },
          },
        };
        const reply = new ConsoleReply(ctx.stdout, {
          ...(opts.out ? { files: { path: opts.out } } : {}),
          progressTo: ctx.stderr,
        });
        const result = await dispatcher.dispatch(invocation, reply);
        ctx.setExitCode(exitCodeFor(result.outcome));
      });
    });

  program
    .command('exec')
    .description('run one chat command as a member and print the answer (exit 0 ok, 1 refused or not found, 2 internal error)')
    .requiredOption('--as <handle>', 'the member who runs it')
    .argument('<command...>', 'the chat command, e.g. "case find nguyen van duc"')
    .action(async (words: string[], opts: { as: string }) => {
      await ctx.withDb(async (handle) => {
        const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
        ctx.auditedByDispatcher();
        const result = await dispatcher.dispatch(consoleInvocation(opts.as, words.join(' '), ctx.operator), new ConsoleReply(ctx.stdout));
        ctx.setExitCode(exitCodeFor(result.outcome));
      });
    });
}
