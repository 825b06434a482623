import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/**
 * casedesk's configuration: the only place that reads `process.env`. Everything is validated once,
 * at start; a bad value stops the program with a message naming the variable and how to fix it.
 *
 * @example
 *   const config = loadConfig();            // from process.env
 *   const config = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/casedesk' });
 */
export interface Config {
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * How logs are written on standard error: `json` lines (for a log collector), `pretty` lines for a
   * person, or `auto`: pretty on a terminal, JSON otherwise.
   */
  logFormat: 'auto' | 'json' | 'pretty';
  /** Where the embedded database (PGlite) keeps its files when `databaseUrl` is unset. */
  dataDir: string;
  /** A PostgreSQL server; unset means the embedded database. */
  databaseUrl: string | undefined;
  /**
   * The URL of the role that owns casedesk's tables, used only to apply migrations (and by
   * `casedesk db roles`); the bot itself then connects with `databaseUrl`. Unset: `databaseUrl`
   * migrates too, as a single role.
   */
  databaseMigrationUrl: string | undefined;
  databasePoolMax: number;
  databaseStatementTimeoutMs: number;
  /** The language of replies for members without their own. */
  locale: 'vi' | 'en';
  /** IANA time zone for "today" and for displayed dates and times. */
  timeZone: string;
  /**
   * The HTTP port (`PORT`): Slack's requests when Slack runs over HTTP, and the operator's routes
   * (`/healthz`, `/readyz`, `/metrics`) whenever casedesk runs as a service.
   */
  httpPort: number;
  /** How long a stopping instance waits for the requests in flight before it stops anyway. */
  shutdownTimeoutMs: number;
  /** The Discord bot, when configured (all of token and application id, or neither). */
  discord:
    | {
        token: string;
        applicationId: string;
        /** Servers to register the commands in instantly; empty means globally. */
        guildIds: string[];
        /** Discord's API, or a proxy or local fake of it. */
        apiUrl: string;
      }
    | undefined;
  /** How late a scheduled digest missed while every instance was down may still be sent. */
  digestCatchUpMs: number;
  /** Days late after which overdue follow-ups are reported to the unit's leads. */
  overdueEscalateDays: number;
  /** How long a meeting may stay open before it is closed and its minutes posted. */
  meetingTimeoutMs: number;
  /**
   * How often each wanted record is reviewed by its owning unit (`months`), and how many days
   * before its due date a review is listed as due (`windowDays`): src/domain/validation.ts.
   */
  validation: { months: number; windowDays: number };
  /**
   * How many days a processed request id is kept before the housekeeping job forgets it. A platform
   * retries within minutes; the id only has to outlive that. Audit rows are never deleted.
   */
  invocationRetentionDays: number;
  /**
   * The Slack app, when `SLACK_BOT_TOKEN` is set: over HTTP with `signingSecret`, or over Socket
   * Mode with `appToken` (which wins when both are set).
   */
  slack:
    | {
        botToken: string;
        signingSecret: string | undefined;
        appToken: string | undefined;
        /** The HTTP port (HTTP transport). */
        port: number;
        /** Slack's Web API, ending in `/`, or a proxy or local fake of it. */
        apiUrl: string;
      }
    | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Discord ids are 17 to 20 digits. */
const SNOWFLAKE = /^\d{17,20}$/;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const envSchema = z.object({
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    blankToUndefined,
    z
      .enum(['auto', 'json', 'pretty'], {
        error: 'must be json (for a log collector), pretty (for a person) or auto (pretty on a terminal)',
      })
      .default('auto'),
  ),
  CASEDESK_DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, {
        error: 'must be a PostgreSQL URL such as postgres://user:password@host:5432/casedesk, or unset for the embedded database',
      })
      .optional(),
  ),
  DATABASE_MIGRATION_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, {
        error: 'must be the PostgreSQL URL of the role that owns the tables, such as postgres://casedesk_owner:password@host:5432/casedesk',
      })
      .optional(),
  ),
  DATABASE_POOL_MAX: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1).max(100).default(10),
  ),
  DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(100)
      .max(600_000)
      .default(15_000),
  ),
  CASEDESK_LOCALE: z.preprocess(blankToUndefined, z.enum(['vi', 'en'], { error: 'must be vi (Vietnamese) or en (English)' }).default('vi')),
  TZ: z.preprocess(
    blankToUndefined,
    z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' }).default('Asia/Ho_Chi_Minh'),
  ),
  DISCORD_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().min(50, { error: 'looks too short for a bot token (Developer Portal → your application → Bot → Reset Token)' }).optional(),
  ),
  DISCORD_APPLICATION_ID: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(SNOWFLAKE, { error: 'must be the numeric application id (Developer Portal → your application → General Information)' })
      .optional(),
  ),
  DISCORD_GUILD_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .refine((ids) => ids.every((id) => SNOWFLAKE.test(id)), { error: 'must be numeric server ids separated by commas' })
      .optional(),
  ),
  DISCORD_API_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
      // discord.js appends `/v10/…`: a trailing slash would make that `//v10/…`.
      .transform((url) => url.replace(/\/+$/, ''))
      .default('https://discord.com/api'),
  ),
  SLACK_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^xoxb-/, { error: 'must be a bot token starting with xoxb- (api.slack.com/apps → your app → OAuth & Permissions)' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[0-9a-zA-Z]{16,}$/, {
        error: 'must be the signing secret (api.slack.com/apps → your app → Basic Information → App Credentials)',
      })
      .optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^xapp-/, {
        error: 'must be an app-level token starting with xapp- with the connections:write scope (Basic Information → App-Level Tokens)',
      })
      .optional(),
  ),
  DIGEST_CATCH_UP_HOURS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .min(0, { error: 'must be a number of hours, 0 or more' })
      .max(168, { error: 'must be at most 168 (a week)' })
      .default(6),
  ),
  OVERDUE_ESCALATE_DAYS: z.preprocess(
    blankToUndefined,
    z.coerce
      .number()
      .int({ error: 'must be a whole number of days' })
      .min(1, { error: 'must be at least 1' })
      .max(365, { error: 'must be at most 365' })
      .default(3),
  ),
  MEETING_TIMEOUT_HOURS: z.preprocess(
    blankToUndefined,
    z.coerce.number().min(1, { error: 'must be at least 1 hour' }).max(168, { error: 'must be at most 168 (a week)' }).default(12),
  ),
  // Strict digits: `1e3` or `0x10` days is a typo more likely than a wish.
  CASEDESK_INVOCATION_RETENTION_DAYS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,6}$/, { error: 'must be a whole number of days, 1 or more, such as 30' })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, { error: 'must be at least 1 day (a platform retries a request within minutes), such as 30' })
          .max(3650, { error: 'must be at most 3650 (ten years)' }),
      )
      .default(30),
  ),
  // Strict digits, as for the retention: `1.5` or `12m` months is a guess, not a setting.
  CASEDESK_VALIDATION_MONTHS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, { error: 'must be a whole number of months between reviews of a wanted record, such as 12' })
      .transform(Number)
      .pipe(z.number().min(1, { error: 'must be at least 1 month, such as 12' }).max(60, { error: 'must be at most 60 (five years)' }))
      .default(12),
  ),
  CASEDESK_VALIDATION_WINDOW_DAYS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, { error: 'must be a whole number of days before its due date a review is listed as due, such as 30' })
      .transform(Number)
      .pipe(z.number().max(365, { error: 'must be at most 365 (a year)' }))
      .default(30),
  ),
  PORT: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(0).max(65535, { error: 'must be a TCP port, 0 to 65535' }).default(3000),
  ),
  // Strict digits, as for the retention: `10s` or `1e4` is a guess at a unit, not a number of milliseconds.
  CASEDESK_SHUTDOWN_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^\d{1,7}$/, { error: 'must be a whole number of milliseconds, such as 10000 (ten seconds)' })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(100, { error: 'must be at least 100 ms, such as 10000 (ten seconds)' })
          .max(600_000, { error: 'must be at most 600000 (ten minutes); a process manager kills a process that takes longer' }),
      )
      .default(10_000),
  ),
  SLACK_API_URL: z.preprocess(
    blankToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://slack.com/api/' })
      .transform((v) => (v.endsWith('/') ? v : `${v}/`))
      .default('https://slack.com/api/'),
  ),
});

/** A `.env` file that cannot be read as NAME=value lines: which file, and the line or the system's code. */
export class EnvFileError extends Error {
  constructor(
    readonly path: string,
    readonly problem: { line: number } | { code: string },
  ) {
    super('line' in problem ? `${path}, line ${problem.line}: expected NAME=value` : `${path}: cannot be read (${problem.code})`);
    this.name = 'EnvFileError';
  }
}

/** `NAME=value`, `export NAME=value`, with spaces around `=` allowed, as Node's parser reads them. */
const ENV_LINE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=(.*)$/;

/**
 * The first line of a .env file that is not NAME=value, a comment or blank, or undefined. Node's
 * parser skips such a line, or reads it and the next as one odd name: either way a setting the
 * operator meant would be lost without a word. A quoted value may run over several lines.
 */
function badEnvLine(content: string): number | undefined {
  const lines = content.split(/\r?\n/);
  let openQuote: string | undefined;
  for (const [i, line] of lines.entries()) {
    if (openQuote) {
      if (line.includes(openQuote)) openQuote = undefined;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = ENV_LINE.exec(line);
    if (!match) return i + 1;
    const value = match[1]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && !value.slice(1).includes(quote)) openQuote = quote;
  }
  return undefined;
}

/**
 * Reads a `.env` file (NAME=value lines, as .env.example shows) into `env`, with Node's own parser
 * (`util.parseEnv`, the one `process.loadEnvFile` uses). What `env` already has wins over the file,
 * as with `node --env-file`: the file holds defaults, the environment of one run overrides them. A
 * missing file is no error; a line that is not NAME=value is, naming the line (never its text,
 * which may hold a password). Returns the names taken from the file.
 *
 * Called at the program's entry (bin/casedesk.js), before {@link loadConfig}; tests pass their own env.
 */
export function loadEnvFile(path = '.env', env: Record<string, string | undefined> = process.env): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new EnvFileError(path, { code: (error as NodeJS.ErrnoException).code ?? String(error) });
  }
  const bad = badEnvLine(content);
  if (bad !== undefined) throw new EnvFileError(path, { line: bad });
  const parsed = parseEnv(content);
  const taken: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] !== undefined) continue;
    env[name] = value;
    taken.push(name);
  }
  return taken;
}

/** Whether LOG_LEVEL was set at all, rather than left to its default. */
export function logLevelWasSet(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.LOG_LEVEL);
}

/** Reads and validates the configuration. Throws {@link ConfigError} listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message} (see .env.example)`));
  }
  const e = parsed.data;
  if (Boolean(e.DISCORD_TOKEN) !== Boolean(e.DISCORD_APPLICATION_ID)) {
    const missing = e.DISCORD_TOKEN ? 'DISCORD_APPLICATION_ID' : 'DISCORD_TOKEN';
    throw new ConfigError([
      `${missing}: is needed too when the other Discord variable is set; set both to run the Discord bot, or neither (see .env.example)`,
    ]);
  }
  if (e.DATABASE_MIGRATION_URL && !e.DATABASE_URL) {
    throw new ConfigError([
      'DATABASE_URL: is needed too when DATABASE_MIGRATION_URL is set (the bot connects with DATABASE_URL, migrations run with DATABASE_MIGRATION_URL); unset both for the embedded database (see .env.example)',
    ]);
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
    throw new ConfigError([
      'SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: one is needed with SLACK_BOT_TOKEN, the signing secret to receive requests over HTTP or the app-level token for Socket Mode (see .env.example)',
    ]);
  }
  if (!e.SLACK_BOT_TOKEN && (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN)) {
    throw new ConfigError([
      'SLACK_BOT_TOKEN: is needed to run the Slack app (api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token)',
    ]);
  }
  return {
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    dataDir: e.CASEDESK_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    databaseMigrationUrl: e.DATABASE_MIGRATION_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    locale: e.CASEDESK_LOCALE,
    timeZone: e.TZ,
    discord:
      e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
        ? {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            guildIds: e.DISCORD_GUILD_IDS ?? [],
            apiUrl: e.DISCORD_API_URL,
          }
        : undefined,
    httpPort: e.PORT,
    shutdownTimeoutMs: e.CASEDESK_SHUTDOWN_TIMEOUT_MS,
    digestCatchUpMs: e.DIGEST_CATCH_UP_HOURS * 60 * 60_000,
    overdueEscalateDays: e.OVERDUE_ESCALATE_DAYS,
    meetingTimeoutMs: e.MEETING_TIMEOUT_HOURS * 60 * 60_000,
    validation: { months: e.CASEDESK_VALIDATION_MONTHS, windowDays: e.CASEDESK_VALIDATION_WINDOW_DAYS },
    invocationRetentionDays: e.CASEDESK_INVOCATION_RETENTION_DAYS,
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          port: e.PORT,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
  };
}
