import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults: the embedded database, Vietnamese, Hanoi time', () => {
    expect(loadConfig({})).toEqual({
      logLevel: 'info',
      logFormat: 'auto',
      dataDir: './data',
      databaseUrl: undefined,
      databasePoolMax: 10,
      databaseStatementTimeoutMs: 15_000,
      locale: 'vi',
      timeZone: 'Asia/Ho_Chi_Minh',
      digestCatchUpMs: 6 * 60 * 60 * 1000,
      overdueEscalateDays: 3,
      meetingTimeoutMs: 12 * 60 * 60 * 1000,
      validation: { months: 12, windowDays: 30 },
      invocationRetentionDays: 30,
      httpPort: 3000,
      shutdownTimeoutMs: 10_000,
    });
  });

  it('reads every variable, and treats blank ones as unset', () => {
    expect(
      loadConfig({
        LOG_LEVEL: 'debug',
        CASEDESK_DATA_DIR: '/var/lib/casedesk',
        DATABASE_URL: 'postgresql://u:p@db:5432/casedesk',
        DATABASE_POOL_MAX: '4',
        DATABASE_STATEMENT_TIMEOUT_MS: '5000',
        CASEDESK_LOCALE: 'en',
        TZ: 'Europe/Paris',
      }),
    ).toMatchObject({
      logLevel: 'debug',
      databaseUrl: 'postgresql://u:p@db:5432/casedesk',
      databasePoolMax: 4,
      locale: 'en',
      timeZone: 'Europe/Paris',
    });
    expect(loadConfig({ DATABASE_URL: '  ', TZ: '' })).toMatchObject({ databaseUrl: undefined, timeZone: 'Asia/Ho_Chi_Minh' });
  });

  it.each([
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_MIGRATION_URL', 'casedesk_owner@db'],
    ['DATABASE_POOL_MAX', '0'],
    ['DATABASE_POOL_MAX', 'ten'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '10'],
    ['CASEDESK_LOCALE', 'fr'],
    ['TZ', 'Mars/Phobos'],
  ])('names %s when it is %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it("reads the owner's URL for migrations, which needs the bot's own URL beside it", () => {
    expect(loadConfig({}).databaseMigrationUrl).toBeUndefined();
    expect(
      loadConfig({ DATABASE_URL: 'postgres://casedesk_app@db/casedesk', DATABASE_MIGRATION_URL: 'postgres://casedesk_owner@db/casedesk' }),
    ).toMatchObject({ databaseUrl: 'postgres://casedesk_app@db/casedesk', databaseMigrationUrl: 'postgres://casedesk_owner@db/casedesk' });
    expect(() => loadConfig({ DATABASE_MIGRATION_URL: 'postgres://casedesk_owner@db/casedesk' })).toThrow(
      /DATABASE_URL: is needed too when DATABASE_MIGRATION_URL is set/,
    );
  });

  it('reads the Discord bot settings, as a whole or not at all', () => {
    const token = `${'M'.repeat(24)}.abcdef.${'x'.repeat(27)}`;
    expect(
      loadConfig({
        DISCORD_TOKEN: token,
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_GUILD_IDS: '11111111111111111, 22222222222222222',
      }).discord,
    ).toEqual({
      token,
      applicationId: '123456789012345678',
      guildIds: ['11111111111111111', '22222222222222222'],
      apiUrl: 'https://discord.com/api',
    });
    expect(loadConfig({}).discord).toBeUndefined();
    expect(() => loadConfig({ DISCORD_TOKEN: token })).toThrow(/DISCORD_APPLICATION_ID: is needed too/);
    expect(() => loadConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: 'my-bot' })).toThrow(
      /DISCORD_APPLICATION_ID: must be the numeric application id/,
    );
    expect(() => loadConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_GUILD_IDS: 'general' })).toThrow(
      /DISCORD_GUILD_IDS/,
    );
    expect(() => loadConfig({ DISCORD_API_URL: 'ftp://x' })).toThrow(/DISCORD_API_URL/);
  });

  it('drops trailing slashes from DISCORD_API_URL, so that requests do not go to //v10', () => {
    const token = `${'M'.repeat(24)}.abcdef.${'x'.repeat(27)}`;
    const discord = (url: string) =>
      loadConfig({ DISCORD_TOKEN: token, DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_URL: url }).discord?.apiUrl;
    expect(discord('http://127.0.0.1:8080/api/')).toBe('http://127.0.0.1:8080/api');
    expect(discord('https://proxy.example/discord/api//')).toBe('https://proxy.example/discord/api');
    expect(discord('https://discord.com/api')).toBe('https://discord.com/api');
  });

  it('reads the Slack app settings: HTTP with a signing secret, Socket Mode with an app token', () => {
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: secret }).slack).toEqual({
      botToken: 'xoxb-1-2-abc',
      signingSecret: secret,
      appToken: undefined,
      port: 3000,
      apiUrl: 'https://slack.com/api/',
    });
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-2-x', PORT: '8080', SLACK_API_URL: 'http://127.0.0.1:9/api' })
        .slack,
    ).toMatchObject({
      appToken: 'xapp-1-A1-2-x',
      port: 8080,
      apiUrl: 'http://127.0.0.1:9/api/',
    });
    expect(loadConfig({}).slack).toBeUndefined();
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: one is needed/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: secret })).toThrow(/SLACK_BOT_TOKEN: is needed/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: secret })).toThrow(
      /SLACK_BOT_TOKEN: must be a bot token/,
    );
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' })).toThrow(
      /SLACK_APP_TOKEN: must be an app-level token/,
    );
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: /);
  });

  it('keeps processed request ids a whole number of days, 30 unless told, and says what it needs otherwise', () => {
    expect(loadConfig({ CASEDESK_INVOCATION_RETENTION_DAYS: '7' }).invocationRetentionDays).toBe(7);
    expect(loadConfig({ CASEDESK_INVOCATION_RETENTION_DAYS: ' 90 ' }).invocationRetentionDays).toBe(90);
    expect(loadConfig({ CASEDESK_INVOCATION_RETENTION_DAYS: '' }).invocationRetentionDays).toBe(30);
    for (const bad of ['0', '-3', '1.5', '1e3', '0x10', 'thirty', '30 days']) {
      expect(() => loadConfig({ CASEDESK_INVOCATION_RETENTION_DAYS: bad }), bad).toThrow(
        /CASEDESK_INVOCATION_RETENTION_DAYS: must be (a whole number of days, 1 or more|at least 1 day).*such as 30 \(see \.env\.example\)/,
      );
    }
    expect(() => loadConfig({ CASEDESK_INVOCATION_RETENTION_DAYS: '5000' })).toThrow(
      /CASEDESK_INVOCATION_RETENTION_DAYS: must be at most 3650/,
    );
  });

  it('reviews each wanted record every 12 months unless told, listed as due 30 days ahead, and says what it needs otherwise', () => {
    expect(loadConfig({ CASEDESK_VALIDATION_MONTHS: ' 6 ', CASEDESK_VALIDATION_WINDOW_DAYS: '0' }).validation).toEqual({
      months: 6,
      windowDays: 0,
    });
    expect(loadConfig({ CASEDESK_VALIDATION_MONTHS: '' }).validation.months).toBe(12);
    for (const bad of ['0', '-1', '1.5', '1e1', '12m', 'twelve']) {
      expect(() => loadConfig({ CASEDESK_VALIDATION_MONTHS: bad }), bad).toThrow(
        /CASEDESK_VALIDATION_MONTHS: must be (a whole number of months between reviews of a wanted record|at least 1 month), such as 12 \(see \.env\.example\)/,
      );
    }
    expect(() => loadConfig({ CASEDESK_VALIDATION_MONTHS: '61' })).toThrow(/CASEDESK_VALIDATION_MONTHS: must be at most 60/);
    expect(() => loadConfig({ CASEDESK_VALIDATION_WINDOW_DAYS: '400' })).toThrow(/CASEDESK_VALIDATION_WINDOW_DAYS: must be at most 365/);
    expect(() => loadConfig({ CASEDESK_VALIDATION_WINDOW_DAYS: 'a month' })).toThrow(
      /CASEDESK_VALIDATION_WINDOW_DAYS: must be a whole number of days/,
    );
  });

  it('waits 10 seconds for requests in flight when stopping unless told, a whole number of milliseconds', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(10_000);
    expect(loadConfig({ CASEDESK_SHUTDOWN_TIMEOUT_MS: ' 25000 ' }).shutdownTimeoutMs).toBe(25_000);
    for (const bad of ['10s', '1e4', '-1', '2.5', 'ten']) {
      expect(() => loadConfig({ CASEDESK_SHUTDOWN_TIMEOUT_MS: bad }), bad).toThrow(
        /CASEDESK_SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds, such as 10000/,
      );
    }
    expect(() => loadConfig({ CASEDESK_SHUTDOWN_TIMEOUT_MS: '50' })).toThrow(/CASEDESK_SHUTDOWN_TIMEOUT_MS: must be at least 100 ms/);
    expect(() => loadConfig({ CASEDESK_SHUTDOWN_TIMEOUT_MS: '900000' })).toThrow(/CASEDESK_SHUTDOWN_TIMEOUT_MS: must be at most 600000/);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ CASEDESK_LOCALE: 'fr', TZ: 'Nowhere' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
      expect((error as ConfigError).message).toContain('CASEDESK_LOCALE: must be vi (Vietnamese) or en (English)');
    }
  });
});
