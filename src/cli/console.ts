import type { Command } from 'commander';
import type { DbHandle } from '../../db/client.ts';
import type { DispatchOutcome } from '../core/dispatcher.ts';
import { text } from '../i18n/text.ts';
import type { CliContext } from './context.ts';

// The dispatcher, the commands and the console adapter are loaded by the actions that use them
// (`await import`), so that `casedesk --help` and the other commands start without them.

/** exec's exit code: 0 answered, 1 refused (denied, invalid, not found), 2 internal error. */
export function exitCodeFor(outcome: DispatchOutcome): number {
  if (outcome === 'ok') return 0;
  if (outcome === 'denied' || outcome === 'invalid') return 1;
  return 2;
}

/**
 * Before the console's first prompt: creates the local administrator on first use and says so, and
 * on a database without cases says what to do next (the demo data, or one's own units and cases).
 * Returns the handle the console acts as.
 */
export async function prepareLocalConsole(ctx: CliContext, handle: DbHandle): Promise<string> {
  const { LOCAL_ADMIN, ensureLocalAdmin, hasNoCases } = await import('../services/local-admin.ts');
  if (await ensureLocalAdmin(handle.db)) {
    ctx.print(
      ctx.say(
        text(
          `Đã tạo quản trị viên cục bộ "${LOCAL_ADMIN}" (vai trò quản trị, đơn vị gốc). Lệnh console không có --as sẽ dùng thành viên này.`,
          `Created the local administrator "${LOCAL_ADMIN}" (admin role, root unit). console without --as acts as this member.`,
        ),
      ),
    );
  }
  if (await hasNoCases(handle.db)) {
    ctx.print(
      ctx.say(
        text(
          'Cơ sở dữ liệu chưa có hồ sơ nào. Để dùng thử với dữ liệu mẫu: thoát (Ctrl+D) rồi chạy `npx casedesk seed --demo`. Với dữ liệu thật: `npx casedesk units add <mã> <tên>` rồi `npx casedesk import cases <tệp>`.',
          'The database has no case yet. To try casedesk with demo data: quit (Ctrl+D) and run `npx casedesk seed --demo`. For your own: `npx casedesk units add <code> <name>`, then `npx casedesk import cases <file>`.',
        ),
      ),
    );
  }
  return LOCAL_ADMIN;
}

export function registerConsoleCommands(program: Command, ctx: CliContext): void {
  program
    .command('console')
    .description(
      ctx.describe(
        'trò chuyện với casedesk trong terminal, mỗi dòng một lệnh (đọc được cả từ pipe)',
        'chat with casedesk in the terminal, one command a line (reads a pipe too)',
      ),
    )
    .option(
      '--as <handle>',
      ctx.describe(
        'dùng tư cách thành viên này (mặc định: quản trị viên cục bộ, tạo ở lần dùng đầu)',
        'act as this member (default: the local administrator, created on first use)',
      ),
    )
    .action(async (opts: { as?: string }) => {
      // Loading the commands overlaps opening the database (PGlite compiles its WebAssembly meanwhile).
      const modules = Promise.all([import('../app.ts'), import('../adapters/console/console-adapter.ts')]);
      modules.catch(() => {});
      await ctx.withDb(async (handle) => {
        const [{ createCore }, { runConsole }] = await modules;
        const member = opts.as ?? (await prepareLocalConsole(ctx, handle));
        const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
        const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
        await runConsole({
          dispatcher,
          input: stdin as never,
          output: ctx.stdout,
          handle: member,
          prompt: Boolean(stdin.isTTY),
          operator: ctx.operator,
        });
      });
    });

  program
    .command('check')
    .description(
      ctx.describe(
        'đối chiếu một danh sách người (CSV hoặc .xlsx) với toàn bộ danh sách truy nã, như lệnh "case check" trong chat',
        'check a list of people (CSV or .xlsx) against the whole wanted list, as "case check" does in chat',
      ),
    )
    .argument(
      '<file>',
      ctx.describe(
        'danh sách: CSV (UTF-8 hoặc UTF-16, "," hoặc ";") hoặc .xlsx, có cột họ tên',
        'the list: CSV (UTF-8 or UTF-16, "," or ";") or .xlsx, with a full-name column',
      ),
    )
    .option(
      '--as <handle>',
      ctx.describe('thành viên đối chiếu (mặc định: quản trị viên cục bộ)', 'the member who checks it (default: the local administrator)'),
    )
    .option(
      '--unit <code>',
      ctx.describe(
        'đơn vị đối chiếu danh sách (mặc định: đơn vị của thành viên)',
        "the unit checking the list (default: the member's own)",
      ),
    )
    .option(
      '--priority <priority>',
      ctx.describe(
        'urgent (người đang bị giữ: 10 phút để xác nhận) hoặc routine (một giờ; mặc định)',
        'urgent (the people are held: 10 minutes to confirm) or routine (an hour; the default)',
      ),
    )
    .option(
      '--out <path>',
      ctx.describe(
        'nơi ghi kết quả (mặc định: thư mục hiện tại, theo tên của danh sách)',
        "where to write the result (default: the current folder, under the list's name)",
      ),
    )
    .action(async (file: string, opts: { as?: string; unit?: string; priority?: string; out?: string }) => {
      await ctx.withDb(async (handle) => {
        const { createCore } = await import('../app.ts');
        const { ConsoleReply, consoleInvocation } = await import('../adapters/console/console-adapter.ts');
        const { LOCAL_ADMIN, ensureLocalAdmin } = await import('../services/local-admin.ts');
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
    .description(
      ctx.describe(
        'chạy một lệnh chat với tư cách một thành viên và in câu trả lời (thoát 0 nếu được, 1 nếu bị từ chối hoặc không tìm thấy, 2 nếu lỗi nội bộ)',
        'run one chat command as a member and print the answer (exit 0 ok, 1 refused or not found, 2 internal error)',
      ),
    )
    .requiredOption('--as <handle>', ctx.describe('thành viên chạy lệnh', 'the member who runs it'))
    .option(
      '--files <folder>',
      ctx.describe(
        'thư mục lưu các tệp của câu trả lời, như ảnh của case show (mặc định: thư mục hiện tại)',
        "the folder to save the answer's files in, such as case show's photos (default: the current folder)",
      ),
    )
    .argument(
      '<command...>',
      ctx.describe('lệnh chat, ví dụ "case find nguyen van duc"', 'the chat command, e.g. "case find nguyen van duc"'),
    )
    .action(async (words: string[], opts: { as: string; files?: string }) => {
      // Loading the commands overlaps opening the database (PGlite compiles its WebAssembly meanwhile).
      const modules = Promise.all([import('../app.ts'), import('../adapters/console/console-adapter.ts')]);
      modules.catch(() => {});
      await ctx.withDb(async (handle) => {
        const [{ createCore }, { ConsoleReply, consoleInvocation }] = await modules;
        const { dispatcher } = createCore({ handle, config: ctx.config, logger: ctx.logger });
        ctx.auditedByDispatcher();
        const reply = new ConsoleReply(ctx.stdout, opts.files ? { files: { dir: opts.files } } : {});
        const result = await dispatcher.dispatch(consoleInvocation(opts.as, words.join(' '), ctx.operator), reply);
        ctx.setExitCode(exitCodeFor(result.outcome));
      });
    });
}
