import { pathToFileURL } from 'node:url';
import { Command, CommanderError, Help, type Argument, type Option } from 'commander';
import { ConfigError, EnvFileError, loadConfig, loadEnvFile } from '../config.ts';
import { DatabaseLockedError } from '../../db/locked.ts';
import { text, type Locale, type Text } from '../i18n/text.ts';
import { CliContext, CliFailure, CliInternalError, type CliIo } from './context.ts';
import { registerAuditCommands } from './audit.ts';
import { registerConsoleCommands } from './console.ts';
import { registerDbCommands } from './db.ts';
import { registerDirectoryCommands } from './directory.ts';
import { registerExportCommands } from './export.ts';
import { registerDiscordCommands } from './discord.ts';
import { registerMeetingCommands } from './meeting.ts';
import { registerImportCommands } from './import.ts';
import { registerJobCommands } from './jobs.ts';
import { registerSeedCommand } from './seed.ts';
import { registerStartCommand } from './start.ts';

/**
 * Runs the `casedesk` command line and resolves to its exit code: 0 on success, non-zero with a
 * one-line reason on standard error otherwise. Tests call it with their own streams and database.
 *
 * @example await runCli(['units', 'add', 'C06', 'Cục Cảnh sát hình sự'])
 */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const ctx = new CliContext(io);
  const locale = ctx.helpLocale;
  const program = new Command('casedesk')
    .description(
      ctx.describe(
        'casedesk: tra cứu hồ sơ, việc cần làm và báo cáo tổng hợp cho ban chỉ đạo, dành cho lực lượng truy nã',
        'casedesk: case lookup, follow-ups and steering-committee digests for wanted-person task forces',
      ),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(commanderText(s, locale)),
    })
    // Inherited by every subcommand: help in the operator's language (CASEDESK_LOCALE).
    .configureHelp(localisedHelp(locale))
    .helpOption('-h, --help', ctx.describe('xem hướng dẫn của lệnh', 'display help for command'))
    .helpCommand('help [command]', ctx.describe('xem hướng dẫn của một lệnh', 'display help for command'))
    .showHelpAfterError(ctx.describe('(thêm --help để xem cách dùng)', '(add --help for usage)'))
    // On by default; said here because a typo in a subcommand's name is the usual first mistake.
    .showSuggestionAfterError(true)
    // Every action is audited (CliContext.withDb writes its row): what was typed, with its arguments.
    .hook('preAction', (_program, action) => ctx.beginAction(commandPath(action), actionArgs(action)));

  registerDbCommands(program, ctx);
  registerDirectoryCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerImportCommands(program, ctx);
  registerExportCommands(program, ctx);
  registerSeedCommand(program, ctx);
  registerConsoleCommands(program, ctx);
  registerDiscordCommands(program, ctx);
  if (names(argv, 'digest')) {
    const { registerDigestCommands } = await import('./digest.ts');
    registerDigestCommands(program, ctx);
  } else {
    // digest.ts lists the chat platforms (their SDKs) and draws charts (vega): loaded only for a
    // command line that names it, and listed in the help, with its description, by this stand-in.
    program
      .command('digest')
      .description(
        ctx.describe(
          'báo cáo tiến độ cho ban chỉ đạo: in ra, đặt lịch gửi',
          "the steering committee's progress digest: print it, schedule it",
        ),
      )
      .allowUnknownOption()
      .allowExcessArguments();
  }
  registerMeetingCommands(program, ctx);
  registerJobCommands(program, ctx);
  registerStartCommand(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    await ctx.auditRefusalBeforeDb(error);
    return reportFailure(ctx, error);
  }
}

/** Commander's own words (headings, defaults) in Vietnamese; its English as it is. */
const HELP_TITLES_VI: Record<string, string> = {
  'Usage:': 'Cách dùng:',
  'Arguments:': 'Đối số:',
  'Options:': 'Tùy chọn:',
  'Global Options:': 'Tùy chọn chung:',
  'Commands:': 'Lệnh:',
};

/** The words commander adds after a description, `(choices: "a", "b", default: "a")`, in Vietnamese. */
const HELP_EXTRAS_VI: Record<string, string> = {
  choices: 'chọn một trong',
  default: 'mặc định',
  preset: 'giá trị khi bỏ trống',
  env: 'biến môi trường',
};

function localisedHelp(locale: Locale): Partial<Help> {
  if (locale === 'en') return {};
  // Translated before commander wraps the line, so that a label cut across two lines is still found.
  const extras = (described: string, own: string | undefined) => {
    const at = own ? described.indexOf(own) + own.length : 0;
    return (
      described.slice(0, at) +
      described
        .slice(at)
        .replace(/(\(|, )(choices|default|preset|env): /g, (_, lead: string, word: string) => `${lead}${HELP_EXTRAS_VI[word]}: `)
    );
  };
  return {
    styleTitle: (title: string) => HELP_TITLES_VI[title] ?? title,
    optionDescription(option: Option): string {
      return extras(Help.prototype.optionDescription.call(this, option), option.description);
    },
    argumentDescription(argument: Argument): string {
      return extras(Help.prototype.argumentDescription.call(this, argument), argument.description);
    },
  };
}

/** Commander's error messages (`error: unknown command 'x'`, its suggestion) in the operator's language. */
export function commanderText(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  return message
    .replace(/^error: unknown command '(.*?)'/m, "lỗi: không có lệnh '$1'")
    .replace(/^error: unknown option '(.*?)'/m, "lỗi: không có tùy chọn '$1'")
    .replace(/^error: missing required argument '(.*?)'/m, "lỗi: thiếu đối số bắt buộc '$1'")
    .replace(/^error: option '(.*?)' argument missing/m, "lỗi: tùy chọn '$1' cần một giá trị")
    .replace(/^error: required option '(.*?)' not specified/m, "lỗi: thiếu tùy chọn bắt buộc '$1'")
    .replace(
      /^error: option '(.*?)' argument '(.*?)' is invalid\. Allowed choices are (.*)\./m,
      "lỗi: tùy chọn '$1' không nhận giá trị '$2'; chọn một trong: $3.",
    )
    .replace(
      /^error: command-argument value '(.*?)' is invalid for argument '(.*?)'\. Allowed choices are (.*)\./m,
      "lỗi: đối số '$2' không nhận giá trị '$1'; chọn một trong: $3.",
    )
    .replace(
      /^error: too many arguments(?: for '(.*?)')?\. Expected (\d+) arguments? but got (\d+)\./m,
      (_, command: string | undefined, expected: string, got: string) =>
        `lỗi: quá nhiều đối số${command ? ` cho lệnh '${command}'` : ''}: cần ${expected}, nhận được ${got}.`,
    )
    .replace(/\(Did you mean (.*?)\?\)/, '(Có phải bạn muốn gõ $1?)')
    .replace(/^error: /m, 'lỗi: ');
}

/** Whether the command line names the command `name` (`casedesk digest …`, `casedesk help digest`). */
function names(argv: string[], name: string): boolean {
  return argv
    .filter((word) => !word.startsWith('-'))
    .slice(0, 2)
    .includes(name);
}

/** `members add`: the action's name under `casedesk`. */
function commandPath(action: Command): string {
  const names: string[] = [];
  for (let c: Command | null = action; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The action's arguments by name, and its options, as commander parsed them. */
function actionArgs(action: Command): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  action.registeredArguments.forEach((argument, i) => {
    const value: unknown = action.processedArgs[i];
    if (value !== undefined) args[argument.name()] = value;
  });
  for (const [name, value] of Object.entries(action.opts())) if (value !== undefined) args[name] = value;
  return args;
}

function reportFailure(ctx: CliContext, error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version exit 0; usage errors were already written by commander.
    return error.exitCode;
  }
  if (error instanceof CliFailure) {
    ctx.stderr.write(`casedesk: ${safeSay(ctx, error.text)}\n`);
    return error.exitCode;
  }
  if (error instanceof ConfigError) {
    ctx.stderr.write(`casedesk: ${error.message}\n`);
    return 1;
  }
  if (error instanceof DatabaseLockedError) {
    ctx.stderr.write(`casedesk: ${error.message}\n`);
    return 1;
  }
  const reference = error instanceof CliInternalError ? error.reference : undefined;
  const cause = error instanceof CliInternalError ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  try {
    ctx.logger.error({ err: cause, reference }, 'command failed');
  } catch {
    // The configuration itself may be what failed; the line below still says why.
  }
  const quoted = reference ? ` (${safeSay(ctx, text(`mã tham chiếu ${reference}`, `reference ${reference}`))})` : '';
  const lost = connectionLoss(cause);
  if (lost) {
    ctx.stderr.write(`casedesk: ${safeSay(ctx, connectionLostText(lost, ctx.interruptedNote))}${quoted}\n`);
    return 2;
  }
  ctx.stderr.write(`casedesk: ${message.split('\n')[0]}${quoted}\n`);
  return 2;
}

/** postgres.js's own codes for a connection that closed under a query; Node's for a socket that broke. */
const CONNECTION_LOST_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'ECONNRESET', 'EPIPE']);
/** The server's: the connection was terminated (57P01 by an administrator, 57P02 a crash), or class 08. */
const CONNECTION_LOST_SQLSTATE = /^(57P0[12]|08...)$/;

/** The reason a database connection was lost, from the error or one of its causes; undefined when it was not. */
function connectionLoss(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_LOST_CODES.has(code) || CONNECTION_LOST_SQLSTATE.test(code))) {
      return e.message.split('\n')[0];
    }
  }
  return undefined;
}

function connectionLostText(reason: string, note: Text | undefined): Text {
  return (l) =>
    text(
      `mất kết nối cơ sở dữ liệu (${reason}); ${note?.(l) ?? 'phần việc chưa ghi xong đã được huỷ'}; hãy chạy lại lệnh`,
      `the database connection was lost (${reason}); ${note?.(l) ?? 'what the command had not committed was rolled back'}; run it again`,
    )(l);
}

/**
 * postgres.js (3.4.9) throws this TypeError from a timer when a connection closes with a short
 * write still queued, such as the rollback of a transaction whose backend was terminated
 * (porsager/postgres#1154, #1208): outside any awaited chain, it would end the process with a
 * stack trace. By then the query that waited has failed with CONNECTION_CLOSED, and the action
 * reports that.
 */
function isDriverWriteAfterClose(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message.includes("reading 'write'") &&
    /\bnextWrite\b/.test(error.stack ?? '') &&
    /postgres[\\/]src[\\/]connection\.js/.test(error.stack ?? '')
  );
}

/** Commands that keep running: after the driver's stray error their pool keeps a connection that can no longer send. */
const LONG_RUNNING = new Set(['start', 'console']);

/**
 * Runs `casedesk` as a program (bin/casedesk.js): {@link runCli}, with the driver's stray error
 * (see {@link isDriverWriteAfterClose}) kept from ending it with a stack trace. A command that
 * ends by itself carries on and reports its failed query in one line; a long-running one (the bot,
 * the console) stops with a one-line reason, so that it is started again with a fresh pool. Any
 * other uncaught error ends the process as Node would.
 */
export async function runProgram(argv: string[]): Promise<number> {
  try {
    loadEnvFile();
  } catch (error) {
    if (!(error instanceof EnvFileError)) throw error;
    process.stderr.write(`casedesk: ${envFileText(error)(programLocale())}\n`);
    return 1;
  }
  // A reader that stops early (`casedesk seed --demo | head`) closes the pipe: what is left to
  // print is dropped, and the command finishes its work and exits as it would, without a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const onUncaught = (error: unknown) => {
    if (!isDriverWriteAfterClose(error)) {
      process.off('uncaughtException', onUncaught);
      process.nextTick(() => {
        throw error;
      });
      return;
    }
    if (!LONG_RUNNING.has(argv[0] ?? '')) return;
    const stops = text(
      'mất kết nối cơ sở dữ liệu (CONNECTION_CLOSED); casedesk dừng lại để được khởi động lại với kết nối mới',
      'the database connection was lost (CONNECTION_CLOSED); casedesk stops, to be started again with fresh connections',
    );
    process.stderr.write(`casedesk: ${stops(programLocale())}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', onUncaught);
  const code = await runCli(argv);
  // `start` has stopped: what it cut off when CASEDESK_SHUTDOWN_TIMEOUT_MS ran out (an answer to a
  // platform that does not respond) must not keep the process alive. Unref'd: a clean stop exits first.
  if (argv[0] === 'start') setTimeout(() => process.exit(code), 1000).unref();
  return code;
}

function envFileText(error: EnvFileError): Text {
  const { path, problem } = error;
  return 'line' in problem
    ? text(
        `${path}, dòng ${problem.line}: cần có dạng TÊN=giá trị (tên biến, dấu "=", rồi giá trị); xem .env.example`,
        `${path}, line ${problem.line}: expected NAME=value (a variable's name, "=", then its value); see .env.example`,
      )
    : text(`không đọc được ${path} (${problem.code})`, `cannot read ${path} (${problem.code})`);
}

/** The operator's language outside a command's context (CASEDESK_LOCALE), Vietnamese if unreadable. */
function programLocale(): Locale {
  try {
    return loadConfig().locale;
  } catch {
    return 'vi';
  }
}

function safeSay(ctx: CliContext, t: (l: 'vi' | 'en') => string): string {
  try {
    return ctx.say(t);
  } catch {
    return t('vi');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runProgram(process.argv.slice(2));
}
