import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { DatabaseLockedError } from '../../db/client.ts';
import { text } from '../i18n/text.ts';
import { CliContext, CliFailure, CliInternalError, type CliIo } from './context.ts';
import { registerAuditCommands } from './audit.ts';
import { registerConsoleCommands } from './console.ts';
import { registerDbCommands } from './db.ts';
import { registerDirectoryCommands } from './directory.ts';
import { registerDigestCommands } from './digest.ts';
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
  const program = new Command('casedesk')
    .description('casedesk: case lookup, follow-ups and steering-committee digests for wanted-person task forces')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(add --help for usage)')
    // Every action is audited (CliContext.withDb writes its row): what was typed, with its arguments.
    .hook('preAction', (_program, action) => ctx.beginAction(commandPath(action), actionArgs(action)));

  registerDbCommands(program, ctx);
  registerDirectoryCommands(program, ctx);
  registerAuditCommands(program, ctx);
  registerImportCommands(program, ctx);
  registerSeedCommand(program, ctx);
  registerConsoleCommands(program, ctx);
  registerDiscordCommands(program, ctx);
  registerDigestCommands(program, ctx);
  registerMeetingCommands(program, ctx);
  registerJobCommands(program, ctx);
  registerStartCommand(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return reportFailure(ctx, error);
  }
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
  ctx.stderr.write(`casedesk: ${message.split('\n')[0]}${quoted}\n`);
  return 2;
}

function safeSay(ctx: CliContext, t: (l: 'vi' | 'en') => string): string {
  try {
    return ctx.say(t);
  } catch {
    return t('vi');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
