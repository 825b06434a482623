import { hostname, userInfo } from 'node:os';
import type { Writable } from 'node:stream';
import type { DbHandle } from '../../db/client.ts';
import type { AuditOutcome } from '../../db/schema/index.ts';
import { loadConfig, logLevelWasSet, type Config } from '../config.ts';
import { text, type Locale, type Text } from '../i18n/text.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { Failure, FailureCode } from '../domain/result.ts';
import { newErrorReference } from '../domain/reference.ts';
import type { Operator } from '../core/invocation.ts';

// The database drivers (PGlite, postgres.js, drizzle) load when a command first opens the database
// (`await import` in withDb), so that `casedesk --help` and a usage error answer without them.

/**
 * Commands whose standard error a person reads beside their answers: unless LOG_LEVEL is set, they
 * log only warnings and errors, wherever standard error goes.
 */
const INTERACTIVE_COMMANDS = new Set(['console', 'exec', 'check']);

/** What a CLI run may be given instead of the real process: tests pass streams and a database. */
export interface CliIo {
  env?: Record<string, string | undefined>;
  stdout?: Writable;
  stderr?: Writable;
  stdin?: NodeJS.ReadableStream;
  /** An open, migrated database to use instead of opening one from the configuration. */
  db?: DbHandle;
  logger?: Logger;
  /** Who runs the command, instead of the process's operating-system user and host. */
  operator?: Operator;
}

/** A failure that ends the command with a one-line reason and a non-zero exit code. */
export class CliFailure extends Error {
  constructor(
    readonly text: Text,
    readonly exitCode = 1,
    /** The stable code of the failure, audited: `denied` and `unknown_user` are denials, the rest invalid. */
    readonly code: FailureCode = 'invalid',
  ) {
    super('cli failure');
  }
}

/** An unexpected failure of a command-line action: audited and logged under `reference`. */
export class CliInternalError extends Error {
  constructor(
    readonly reference: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'CliInternalError';
  }
}

/** The command-line action being run, and what its audit row will say. */
interface CliAction {
  command: string;
  args: Record<string, unknown>;
  memberId: number | null;
  caseCodes: string[];
  /** Written already, or left to the dispatcher, which audits each line itself. */
  done: boolean;
}

export class CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  private configCache: Config | undefined;
  /** What the command asks the process to exit with when it did not fail outright. */
  exitCode = 0;
  /**
   * What a lost database connection left of the action, said in its one-line reason (an import,
   * one transaction, wrote nothing). Unset, the reason says that what was not committed was rolled back.
   */
  interruptedNote: Text | undefined;
  private loggerCache: Logger | undefined;
  private action: CliAction | undefined;
  private operatorCache: Operator | undefined;

  constructor(private readonly io: CliIo) {
    this.stdout = io.stdout ?? process.stdout;
    this.stderr = io.stderr ?? process.stderr;
  }

  get config(): Config {
    this.configCache ??= loadConfig(this.io.env);
    return this.configCache;
  }

  /**
   * The process's logger, on standard error. Unless LOG_LEVEL is set, a person reading it (a
   * terminal, or the console and `exec`) sees only warnings and errors; a process manager's log
   * gets `info` too. LOG_FORMAT=auto (the default) writes short lines on a terminal, JSON otherwise.
   */
  get logger(): Logger {
    if (!this.loggerCache) {
      const config = this.config;
      const onTerminal = Boolean(process.stderr.isTTY);
      const quiet =
        !logLevelWasSet(this.io.env) && (onTerminal || INTERACTIVE_COMMANDS.has(this.action?.command.replace(/^casedesk /, '') ?? ''));
      const format = config.logFormat === 'auto' ? (onTerminal ? 'pretty' : 'json') : config.logFormat;
      this.loggerCache = this.io.logger ?? createLogger(quiet && config.logLevel !== 'silent' ? 'warn' : config.logLevel, 2, format);
    }
    return this.loggerCache;
  }

  /**
   * The operator's language for the command line's own help (CASEDESK_LOCALE): Vietnamese when the
   * configuration cannot be read, so that `--help` still answers and the command then says what is wrong.
   */
  get helpLocale(): Locale {
    try {
      return this.config.locale;
    } catch {
      return 'vi';
    }
  }

  /** A help text (a command's or an option's description) in the operator's language. */
  describe(vi: string, en: string): string {
    return this.helpLocale === 'en' ? en : vi;
  }

  get stdin(): NodeJS.ReadableStream {
    return this.io.stdin ?? process.stdin;
  }

  /**
   * In an interactive terminal the chat and the logs share the screen: unless LOG_LEVEL was set
   * explicitly, only warnings and errors are logged there.
   */
  quietLogsForTerminal(): void {
    if (!logLevelWasSet(this.io.env) && this.logger.levelVal < 40) this.logger.level = 'warn';
  }

  setExitCode(code: number): void {
    this.exitCode = code;
  }

  print(line = ''): void {
    this.stdout.write(`${line}\n`);
  }

  /** Renders a localised text in the operator's language (CASEDESK_LOCALE). */
  say(t: Text): string {
    return t(this.config.locale);
  }

  fail(failure: Failure | Text): never {
    if (typeof failure === 'function') throw new CliFailure(failure);
    throw new CliFailure(failure.text, 1, failure.code);
  }

  /**
   * The ids of the unit a `--unit CODE` option names and of its sub-units; null without one (every
   * unit). An unknown code stops the action with a one-line reason.
   */
  async unitTree(db: DbHandle['db'], code: string | undefined): Promise<number[] | null> {
    if (code === undefined) return null;
    const { findUnitByCode, unitSubtreeIds } = await import('../repositories/units.ts');
    const unit = await findUnitByCode(db, code.trim().toUpperCase());
    if (!unit)
      this.fail(text(`Không có đơn vị "${code}"; xem danh sách bằng casedesk units list.`, `No unit "${code}"; see casedesk units list.`));
    return unitSubtreeIds(db, unit.id);
  }

  /** Who runs this process: the operating-system user and host, audited with every action. */
  get operator(): Operator {
    this.operatorCache ??= this.io.operator ?? currentOperator();
    return this.operatorCache;
  }

  /**
   * Starts the audit record of one command-line action (`casedesk members add …`): the first
   * database work it does ends with one audit row saying what was run, by whom, and how it ended.
   */
  beginAction(command: string, args: Record<string, unknown>): void {
    this.action = { command: `casedesk ${command}`, args, memberId: null, caseCodes: [], done: false };
  }

  /** Adds to the action's audit row: the member it acted as, what changed (before and after), case codes. */
  noteAudit(extra: { memberId?: number | null; args?: Record<string, unknown>; caseCodes?: string[] }): void {
    if (!this.action) return;
    if (extra.memberId !== undefined) this.action.memberId = extra.memberId;
    if (extra.args) Object.assign(this.action.args, extra.args);
    if (extra.caseCodes) this.action.caseCodes.push(...extra.caseCodes);
  }

  /**
   * Audits an action refused before it opened the database (an argument that does not parse): the
   * database is opened just to write its row. Where the database itself cannot be opened, nothing can be.
   */
  async auditRefusalBeforeDb(error: unknown): Promise<void> {
    if (!this.action || this.action.done || !(error instanceof CliFailure)) return;
    try {
      await this.withDb(() => Promise.reject(error));
    } catch {
      // Rethrown by withDb once its row is written, or the database is what failed: either way the
      // operator is told of the refusal itself.
    }
  }

  /**
   * Writes the action's audit row now, for an action that runs until it is stopped (`start`): the
   * row says when it began, and a process killed outright still leaves it.
   */
  async auditStarted(handle: DbHandle): Promise<void> {
    await this.writeAudit(handle, 'ok', 'started');
  }

  /** The action dispatches one chat command (`exec`), whose audit row the dispatcher writes. */
  auditedByDispatcher(): void {
    if (this.action) this.action.done = true;
  }

  /** Which database the command works on: the embedded one, or a PostgreSQL server. */
  get driver(): DbHandle['driver'] {
    return this.io.db ? this.io.db.driver : this.config.databaseUrl ? 'postgres' : 'pglite';
  }

  /**
   * Runs `work` with the database open and migrated, then closes it (unless it was given).
   * Migrations are a no-op when already applied, so every command works on a fresh folder.
   *
   * On a server the bot connects with DATABASE_URL; migrations run with DATABASE_MIGRATION_URL when
   * it is set (see {@link prepareServer}). `owner` connects with DATABASE_MIGRATION_URL instead, when
   * set, for administration (`casedesk db roles`).
   */
  async withDb<T>(
    work: (handle: DbHandle, opened: OpenedDb) => Promise<T>,
    options: { migrate?: boolean; owner?: boolean } = {},
  ): Promise<T> {
    if (this.io.db) return this.audited(this.io.db, { applied: 0, ownerRights: false }, work);
    const config = this.config;
    const { createDb } = await import('../../db/client.ts');
    const { migrateDb } = await import('../../db/migrate.ts');
    const handle = await createDb(options.owner ? { ...config, databaseUrl: config.databaseMigrationUrl ?? config.databaseUrl } : config);
    try {
      let opened: OpenedDb = { applied: 0, ownerRights: false };
      if (options.migrate ?? true) {
        opened =
          handle.driver === 'postgres'
            ? await this.prepareServer(handle)
            : { applied: (await migrateDb(handle)).applied, ownerRights: false };
        if (opened.applied > 0) this.logger.info({ applied: opened.applied, location: handle.location }, 'migrations applied');
      }
      return await this.audited(handle, opened, work);
    } finally {
      await handle.close();
    }
  }

  /** Runs `work`, then writes the action's one audit row: ok, refused, or failed with a reference. */
  private async audited<T>(handle: DbHandle, opened: OpenedDb, work: (handle: DbHandle, opened: OpenedDb) => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await work(handle, opened);
    } catch (error) {
      const failure =
        error instanceof CliFailure || error instanceof CliInternalError ? error : new CliInternalError(newErrorReference(), error);
      const outcome: AuditOutcome =
        failure instanceof CliInternalError ? 'error' : failure.code === 'denied' || failure.code === 'unknown_user' ? 'denied' : 'invalid';
      try {
        await this.writeAudit(handle, outcome, failure instanceof CliInternalError ? failure.reference : failure.code);
      } catch (auditError) {
        // The database may be what failed; the action's own failure is still reported.
        this.logger.error({ err: auditError }, 'could not write the audit row of a failed command-line action');
      }
      throw failure;
    }
    await this.writeAudit(handle, 'ok', null);
    return value;
  }

  private async writeAudit(handle: DbHandle, outcome: AuditOutcome, detail: string | null): Promise<void> {
    const action = this.action;
    if (!action || action.done) return;
    action.done = true;
    const { insertAudit } = await import('../repositories/audit.ts');
    await insertAudit(handle.db, {
      platform: 'console',
      workspaceId: 'local',
      userId: null,
      channelId: 'cli',
      command: action.command.slice(0, 200),
      args: action.args,
      memberId: action.memberId,
      caseCodes: action.caseCodes,
      outcome,
      detail,
      osUser: this.operator.user,
      osHost: this.operator.host,
    });
  }

  /**
   * Brings a server's schema up to date for the bot's connection (DATABASE_URL):
   * - with DATABASE_MIGRATION_URL, migrations run as that role (the owner), then the bot's role gets
   *   its rights on every table again, the new ones included;
   * - without it, the bot's role migrates as before when it may (it owns the tables, is a superuser,
   *   or the database is still empty); a role that may not (`casedesk db roles`' app role) only
   *   checks that nothing is pending, and refuses to run on an old schema.
   * A bot's role with owner rights still works, with a warning: it could rewrite the audit trail.
   */
  private async prepareServer(handle: DbHandle): Promise<OpenedDb> {
    const { databaseErrorCode, databaseErrorMessage } = await import('../../db/client.ts');
    const { migrateDb, pendingMigrations } = await import('../../db/migrate.ts');
    const { connectionRights } = await import('../../db/roles.ts');
    const before = await connectionRights(handle.db);
    const ownerRights = (r: typeof before) => r.superuser || r.ownsTables;
    const migrationUrl = this.config.databaseMigrationUrl;
    let applied = 0;
    if (migrationUrl || ownerRights(before) || !before.hasTables) {
      try {
        ({ applied } = await migrateDb(handle, {
          url: migrationUrl,
          grantTo: migrationUrl && !ownerRights(before) ? before.role : undefined,
        }));
      } catch (error) {
        if (databaseErrorCode(error) !== '42501') throw error;
        const reason = databaseErrorMessage(error);
        this.fail(
          migrationUrl
            ? text(
                `Vai trò của DATABASE_MIGRATION_URL không đủ quyền để cập nhật cơ sở dữ liệu (${reason}); hãy chạy \`casedesk db roles\` với một superuser.`,
                `DATABASE_MIGRATION_URL's role may not update the database (${reason}); run \`casedesk db roles\` as a superuser.`,
              )
            : text(
                `Vai trò ${before.role} (DATABASE_URL) không có quyền tạo các bảng của casedesk (${reason}); hãy đặt DATABASE_MIGRATION_URL là URL của vai trò sở hữu, hoặc chạy \`casedesk db roles\`.`,
                `The role ${before.role} (DATABASE_URL) may not create casedesk's tables (${reason}): set DATABASE_MIGRATION_URL to the owner's URL, or run \`casedesk db roles\`.`,
              ),
        );
      }
    } else {
      let pending: number;
      try {
        pending = await pendingMigrations(handle.db);
      } catch (error) {
        if (databaseErrorCode(error) !== '42501') throw error;
        this.fail(
          text(
            `Vai trò ${before.role} (DATABASE_URL) không đọc được danh sách migration đã áp dụng; hãy chạy \`casedesk db roles\`, hoặc đặt DATABASE_MIGRATION_URL.`,
            `The role ${before.role} (DATABASE_URL) cannot read which migrations are applied; run \`casedesk db roles\`, or set DATABASE_MIGRATION_URL.`,
          ),
        );
      }
      if (pending > 0) {
        this.fail(
          text(
            `Cơ sở dữ liệu còn ${pending} migration chưa áp dụng, và vai trò ${before.role} (DATABASE_URL) không có quyền áp dụng: hãy đặt DATABASE_MIGRATION_URL là URL của vai trò sở hữu, hoặc chạy \`casedesk db migrate\` với URL đó.`,
            `The database lacks ${pending} migration(s) and the role ${before.role} (DATABASE_URL) may not apply them: set DATABASE_MIGRATION_URL to the owner's URL, or run \`casedesk db migrate\` with it.`,
          ),
        );
      }
    }
    // A fresh database migrated by the bot's own role is now its own.
    const rights = before.hasTables ? before : await connectionRights(handle.db);
    if (ownerRights(rights)) {
      this.logger.warn(
        { role: rights.role, superuser: rights.superuser },
        "the bot's database role has owner rights (it could disable the audit log's triggers): set up `casedesk db roles` and DATABASE_MIGRATION_URL",
      );
    }
    return { applied, ownerRights: ownerRights(rights) };
  }
}

/** The operating-system user and host running this process; a uid where no user name is known. */
function currentOperator(): Operator {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid:${process.getuid?.() ?? 'unknown'}`;
  }
  return { user, host: hostname() };
}

/** What opening the database did and found. */
export interface OpenedDb {
  /** Migrations this run applied. */
  applied: number;
  /**
   * On a server, whether the bot's role owns casedesk's tables or is a superuser: it works, but a
   * stolen credential could rewrite the audit trail (see `casedesk db roles`).
   */
  ownerRights: boolean;
}

/** Left-aligned columns for terminal tables. */
export function table(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
