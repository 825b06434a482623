import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/adapter.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../fakes/discord-api.ts';
import { openTestDb, testDriver, type TestDb } from '../../support/db.ts';
import { cli } from '../../support/cli.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';

const APP = '1234567890123456789';
const GUILD = '900000000000000001';
const MEMBER_USER = '800000000000000001';
const STRANGER = '800000000000000002';

let t: TestDb;
let api: FakeDiscordApi;
const adapters: Array<ReturnType<typeof createDiscordAdapter>> = [];

async function startAdapter() {
  const dispatcher = createDispatcher({ db: t.db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger: pino({ level: 'silent' }) });
  const adapter = createDiscordAdapter({ dispatcher, connection: { token: api.token, applicationId: APP, apiUrl: api.apiUrl }, logger: pino({ level: 'silent' }) });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

/** A guild slash-command interaction, as Discord sends it in INTERACTION_CREATE. */
function slashCommand(userId: string, name: string, subcommand: string, options: Array<{ name: string; type: number; value: string | number }>) {
  return {
    id: String(1_300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    application_id: APP,
    type: 2,
    token: `interaction-${randomUUID()}`,
    version: 1,
    guild_id: GUILD,
    channel_id: '3000000000000000001',
    channel: { id: '3000000000000000001', type: 0 },
    member: {
      user: { id: userId, username: 'user', discriminator: '0', avatar: null, global_name: null },
      roles: [],
      permissions: '0',
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: { id: '1400000000000000001', name, type: 1, options: [{ type: 1, name: subcommand, options }] },
    locale: 'en-US',
    guild_locale: 'vi',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
  };
}

beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeDiscordApi({ applicationId: APP });
});
beforeEach(async () => {
  await t.reset();
  api.callbacks.length = 0;
  api.webhookMessages.length = 0;
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', discord: { guild: GUILD, user: MEMBER_USER } });
  await makeCase(t.db, { code: 'TN-2021-000001', fullName: 'Nguyễn Văn Đức', aliases: ['@everyone <@123>'], unit: 'CAQ-HK' });
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
});
afterAll(async () => {
  await api.close();
  await t.close();
});

const text = (body: Record<string, unknown>) => JSON.stringify(body);

describe('Discord adapter, through the real discord.js client', () => {
  it('answers /case find typed without diacritics, privately, with the case', async () => {
    await startAdapter();
    const interaction = slashCommand(MEMBER_USER, 'case', 'find', [{ name: 'text', type: 3, value: 'nguyen van duc' }]);
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length === 1);
    // Acknowledged first, as a deferred ephemeral reply (type 5, flag 64), then edited.
    expect(api.callbacks).toEqual([{ interactionId: interaction.id, type: 5, data: { flags: 64 } }]);
    const [edit] = api.webhookMessages;
    expect(edit).toMatchObject({ token: interaction.token, kind: 'original' });
    expect(text(edit!.body)).toContain('TN-2021-000001');
    expect(text(edit!.body)).toContain('Nguyễn Văn Đức');
    // Mentions in case data are broken, and the message allows none.
    expect(text(edit!.body)).not.toContain('<@123>');
    expect(edit!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('tells an unknown user how to get access, and audits the attempt', async () => {
    await startAdapter();
    api.dispatchInteraction(slashCommand(STRANGER, 'case', 'find', [{ name: 'text', type: 3, value: 'nguyen van duc' }]));
    await api.until(() => api.webhookMessages.length === 1);
    const body = text(api.webhookMessages[0]!.body);
    expect(body).toContain(`--platform discord --workspace ${GUILD} --user ${STRANGER}`);
    expect(body).not.toContain('Nguyễn');
    expect(await queryRows(t.db, sql`select outcome::text, detail, user_id from audit_log`)).toEqual([
      { outcome: 'denied', detail: 'unknown_user', user_id: STRANGER },
    ]);
  });

  it('answers once when two instances receive the same interaction', async () => {
    await startAdapter();
    await startAdapter();
    await api.until(() => api.sessions() === 2);
    const interaction = slashCommand(MEMBER_USER, 'case', 'show', [{ name: 'code', type: 3, value: 'TN-2021-000001' }]);
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length >= 1);
    // Give a second answer, if there were one, time to arrive.
    await new Promise((r) => setTimeout(r, 500));
    expect(api.callbacks).toHaveLength(1);
    expect(api.webhookMessages).toHaveLength(1);
    expect(await queryRows(t.db, sql`select count(*)::int as n from audit_log`)).toEqual([{ n: 1 }]);
  });
});

describe('casedesk start with Discord configured', () => {
  it('fails at once, saying how to fix it, when Discord refuses the token', async () => {
    const result = await cli(['start'], {
      db: t.handle,
      env: {
        CASEDESK_LOCALE: 'en',
        LOG_LEVEL: 'silent',
        DISCORD_TOKEN: `${'N'.repeat(24)}.wrong.${'y'.repeat(27)}`,
        DISCORD_APPLICATION_ID: APP,
        DISCORD_API_URL: api.apiUrl,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Discord refused DISCORD_TOKEN');
  });
});

if (testDriver === 'pglite') {
  it('runs as a program on Discord: ready on the gateway, stopped cleanly by SIGTERM', async () => {
    const env = {
      ...process.env,
      CASEDESK_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'casedesk-discord-')), 'data'),
      CASEDESK_LOCALE: 'en',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      DISCORD_TOKEN: api.token,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: api.apiUrl,
    };
    const before = api.sessions();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        if (stdout.includes('casedesk is ready on Discord')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    expect(api.sessions()).toBe(before + 1);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await api.until(() => api.sessions() === before);
  }, 90_000);
}
