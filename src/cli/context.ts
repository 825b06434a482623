import type { Writable } from 'node:stream';
import { createDb, databaseErrorCode, databaseErrorMessage, type DbHandle } from '../../db/client.ts';
import { migrateDb, pendingMigrations } from '../../db/migrate.ts';
import { connectionRights } from '../../db/roles.ts';
import { loadConfig, logLevelWasSet, type Config } from '../config.ts';
import { text, type Text } from '../i18n/text.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { Failure } from '../domain/result.ts';

/** What a CLI run may be given instead of the real process: tests pass streams and a database. */
export interface CliIo {
  env?: Record<string, string | undefined>;
  stdout?: Writable;
  stderr?: Writable;
  stdin?: NodeJS.ReadableStream;
  /** An open, migrated database to use instead of opening one from the configuration. */
  db?: DbHandle;
  logger?: Logger;
}

/** A failure that ends the command with a one-line reason and a non-zero exit code. */
export class CliFailure extends Error {
  constructor(
    readonly text: Text,
    readonly exitCode = 1,
  ) {
    super('cli failure');
  }
}

export class CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  private configCache: Config | undefined;
  /** What the command asks the process to exit with when it did not fail outright. */
  exitCode = 0;
  private loggerCache: Logger | undefined;

  constructor(private readonly io: CliIo) {
    this.stdout = io.stdout ?? process.stdout;
    this.stderr = io.stderr ?? process.stderr;
  }

  get config(): Config {
    this.configCache ??= loadConfig(this.io.env);
    return this.configCache;
  }

  get logger(): Logger {
    this.loggerCache ??= this.io.logger ?? createLogger(this.config.logLevel);
    return this.loggerCache;
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
    throw new CliFailure(typeof failure === 'function' ? failure : failure.text);
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
    if (this.io.db) return work(this.io.db, { applied: 0, ownerRights: false });
    const config = this.config;
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
      return await work(handle, opened);
    } finally {
      await handle.close();
    }
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
