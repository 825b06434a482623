import type { Writable } from 'node:stream';
import { createDb, type DbHandle } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { loadConfig, logLevelWasSet, type Config } from '../config.ts';
import type { Text } from '../i18n/text.ts';
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

  /**
   * Runs `work` with the database open and migrated, then closes it (unless it was given).
   * Migrations are a no-op when already applied, so every command works on a fresh folder.
   */
  async withDb<T>(work: (handle: DbHandle) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
    if (this.io.db) return work(this.io.db);
    const handle = await createDb(this.config);
    try {
      if (options.migrate ?? true) {
        const { applied } = await migrateDb(handle);
        if (applied > 0) this.logger.info({ applied, location: handle.location }, 'migrations applied');
      }
      return await work(handle);
    } finally {
      await handle.close();
    }
  }
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
