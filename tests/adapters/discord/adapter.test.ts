import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { GatewayIntentBits } from 'discord.js';
import { pino, type Logger } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { commandGroups, commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/adapter.ts';
import { deployDiscordCommands } from '../../../src/adapters/discord/deploy.ts';
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

async function startAdapter(logger: Logger = pino({ level: 'silent' })) {
  const dispatcher = createDispatcher({ db: t.db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
  const adapter = createDiscordAdapter({ dispatcher, connection: { token: api.token, applicationId: APP, apiUrl: api.apiUrl }, logger });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

/** A guild slash-command interaction, as Discord sends it in INTERACTION_CREATE. */
function slashCommand(
  userId: string,
  name: string,
  subcommand: string,
  options: Array<{ name: string; type: number; value: string | number }>,
) {
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
  api = await startFakeDiscordApi({ applicationId: APP, heartbeatIntervalMs: 200 });
});
beforeEach(async () => {
  await t.reset();
  api.callbacks.length = 0;
  api.webhookMessages.length = 0;
  api.channelMessages.length = 0;
  api.gatewayLog.length = 0;
  api.refused.length = 0;
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', discord: { guild: GUILD, user: MEMBER_USER } });
  await makeCase(t.db, { code: 'TN-2021-000001', fullName: 'Nguyễn Văn Đức', aliases: ['@everyone <@123>'], unit: 'CAQ-HK' });
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  // Nothing the adapter sent broke Discord's protocol or limits, unless a test made the fake refuse it.
  expect(api.refused.filter((r) => !expectedRefusals.has(r.code))).toEqual([]);
  expectedRefusals.clear();
});
/** Refusal codes a test provoked on purpose. */
const expectedRefusals = new Set<number>();
afterAll(async () => {
  await api.close();
  await t.close();
});

const text = (body: Record<string, unknown>) => JSON.stringify(body);

/** A logger whose JSON lines a test can read. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('Discord adapter, through the real discord.js client', () => {
  it('identifies with the Guilds intent only, keeps its heartbeat acknowledged, and allows no mentions', async () => {
    const adapter = await startAdapter();
    expect(api.gatewayLog).toEqual([{ op: 'identify', intents: GatewayIntentBits.Guilds }]);
    expect(GatewayIntentBits.Guilds).toBe(1);
    const before = api.heartbeats();
    // The fake's HELLO asks for a heartbeat every 200 ms; each is acknowledged, so the session stays up.
    await api.until(() => api.heartbeats() >= before + 3, 5_000);
    expect(api.sessions()).toBe(1);
    expect(api.gatewayLog).toHaveLength(1);
    expect(adapter.client.options.allowedMentions).toEqual({ parse: [] });
  });

  it('answers a command invoked by its English name after registering Vietnamese names', async () => {
    await deployDiscordCommands(
      { token: api.token, applicationId: APP, apiUrl: api.apiUrl },
      { registry: commands, groups: commandGroups, guildIds: [GUILD] },
    );
    const registered = api.commands.get(GUILD) as Array<{
      name: string;
      name_localizations: { vi: string };
      options: Array<{
        name: string;
        name_localizations: { vi: string };
        options?: Array<{ name: string; name_localizations: { vi: string } }>;
      }>;
    }>;
    const caseCommand = registered.find((c) => c.name === 'case')!;
    const find = caseCommand.options.find((o) => o.name === 'find')!;
    expect([
      caseCommand.name_localizations.vi,
      find.name_localizations.vi,
      find.options!.find((o) => o.name === 'text')!.name_localizations.vi,
    ]).toEqual(['hồ-sơ', 'tìm', 'nội-dung']);
    await startAdapter();
    // A member whose Discord is in Vietnamese sees /hồ-sơ tìm nội-dung:…; Discord sends the base names.
    const interaction = {
      ...slashCommand(MEMBER_USER, 'case', 'find', [{ name: 'text', type: 3, value: 'nguyen van duc' }]),
      locale: 'vi',
    };
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length === 1);
    expect(text(api.webhookMessages[0]!.body)).toContain('TN-2021-000001');
    expect(await queryRows(t.db, sql`select command, outcome::text from audit_log`)).toEqual([{ command: 'case find', outcome: 'ok' }]);
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

/** The common part of an interaction Discord sends from a server channel. */
function fromGuild(userId: string, rest: Record<string, unknown>) {
  const base = slashCommand(userId, 'case', 'find', []);
  return { ...base, ...rest };
}

describe('Discord autocomplete', () => {
  it('suggests at most 25 cases the member may see, by code or name, and audits the read', async () => {
    await makeCase(t.db, { code: 'TN-2021-000002', fullName: 'Nguyễn Văn Đạt', unit: 'CA-HCM' });
    await startAdapter();
    const interaction = fromGuild(MEMBER_USER, {
      type: 4,
      data: {
        id: '1400000000000000001',
        name: 'case',
        type: 1,
        options: [{ type: 1, name: 'show', options: [{ type: 3, name: 'code', value: 'nguyen van', focused: true }] }],
      },
    });
    api.dispatchInteraction(interaction);
    await api.until(() => api.callbacks.length === 1);
    const [callback] = api.callbacks;
    expect(callback!.type).toBe(8);
    const choices = (callback!.data as { choices: Array<{ name: string; value: string }> }).choices;
    expect(choices).toEqual([{ name: 'TN-2021-000001 · Nguyễn Văn Đức', value: 'TN-2021-000001' }]);
    expect(await queryRows(t.db, sql`select command, case_codes from audit_log`)).toEqual([
      { command: 'case show (autocomplete)', case_codes: ['TN-2021-000001'] },
    ]);
  });

  it('suggests nothing to a stranger, and audits the refusal', async () => {
    await startAdapter();
    api.dispatchInteraction(
      fromGuild(STRANGER, {
        type: 4,
        data: {
          id: '1400000000000000001',
          name: 'case',
          type: 1,
          options: [{ type: 1, name: 'show', options: [{ type: 3, name: 'code', value: 'nguyen van', focused: true }] }],
        },
      }),
    );
    await api.until(() => api.callbacks.length === 1);
    expect((api.callbacks[0]!.data as { choices: unknown[] }).choices).toEqual([]);
    expect(await queryRows(t.db, sql`select command, outcome::text, detail, user_id, case_codes from audit_log`)).toEqual([
      { command: 'case show (autocomplete)', outcome: 'denied', detail: 'unknown_user', user_id: STRANGER, case_codes: [] },
    ]);
  });

  it('answers an autocomplete once, and audits it once, when two instances receive it', async () => {
    await startAdapter();
    await startAdapter();
    await api.until(() => api.sessions() === 2);
    const interaction = fromGuild(MEMBER_USER, {
      type: 4,
      data: {
        id: '1400000000000000001',
        name: 'case',
        type: 1,
        options: [{ type: 1, name: 'show', options: [{ type: 3, name: 'code', value: 'nguyen van', focused: true }] }],
      },
    });
    api.dispatchInteraction(interaction);
    await api.until(() => api.callbacks.length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(api.callbacks).toHaveLength(1);
    expect(api.callbacks[0]).toMatchObject({ interactionId: interaction.id, type: 8 });
    // A second answer would have been refused by Discord (40060).
    expect(api.refused).toEqual([]);
    expect(await queryRows(t.db, sql`select command from audit_log`)).toEqual([{ command: 'case show (autocomplete)' }]);
  });
});

describe('Discord refusals and reconnects', () => {
  it('tells the user, with a reference, when Discord refuses the answer, and logs the error under it', async () => {
    const { logger, lines } = recordingLogger();
    await startAdapter(logger);
    expectedRefusals.add(50035);
    api.refuseNext((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'), 400, {
      code: 50035,
      message: 'Invalid Form Body',
    });
    const interaction = slashCommand(MEMBER_USER, 'case', 'find', [{ name: 'text', type: 3, value: 'nguyen van duc' }]);
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length === 1);
    expect(api.refused).toEqual([{ method: 'PATCH', path: expect.stringContaining(interaction.token), status: 400, code: 50035 }]);
    const notice = api.webhookMessages[0]!;
    expect(notice).toMatchObject({ token: interaction.token, kind: 'original', body: { embeds: [], components: [] } });
    const reference = /Quote (E-[0-9A-F]{8}) when you report it/.exec(String(notice.body.content))?.[1];
    expect(reference).toBeDefined();
    expect(text(notice.body)).not.toContain('Nguyễn');
    const logged = lines.find((l) => l.reference === reference)!;
    expect(logged).toMatchObject({ level: 50, msg: 'Discord refused the answer' });
    expect(String((logged.err as { stack: string }).stack)).toContain('Invalid Form Body');
    // The command itself ran, and was audited as answered.
    expect(await queryRows(t.db, sql`select command, outcome::text from audit_log`)).toEqual([{ command: 'case find', outcome: 'ok' }]);
  });

  it("tells the invoker, with a reference, when the bot may not post a meeting's agenda in the channel", async () => {
    const LEAD_USER = '800000000000000003';
    await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN', locale: 'en', discord: { guild: GUILD, user: LEAD_USER } });
    await startAdapter();
    expectedRefusals.add(50013);
    api.refuseNext((r) => r.method === 'POST' && r.path === '/api/v10/channels/3000000000000000001/messages', 403, {
      code: 50013,
      message: 'Missing Permissions',
    });
    const interaction = { ...slashCommand(LEAD_USER, 'meeting', 'start', [{ name: 'title', type: 3, value: 'Giao ban' }]), locale: 'vi' };
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length === 1);
    expect(api.channelMessages).toEqual([]);
    expect(api.webhookMessages[0]).toMatchObject({ token: interaction.token, kind: 'original' });
    expect(String(api.webhookMessages[0]!.body.content)).toMatch(
      /^Không hiển thị được câu trả lời trên Discord \(lệnh có thể đã được thực hiện\)\. Khi báo lỗi, hãy gửi mã E-[0-9A-F]{8}\.$/,
    );
  });

  it('resumes a dropped gateway session and answers the interaction that arrived meanwhile', async () => {
    await startAdapter();
    await api.until(() => api.sessions() === 1);
    api.dropConnections(4000);
    await api.until(() => api.sessions() === 0);
    const interaction = slashCommand(MEMBER_USER, 'case', 'find', [{ name: 'text', type: 3, value: 'nguyen van duc' }]);
    api.dispatchInteraction(interaction);
    await api.until(() => api.webhookMessages.length === 1, 20_000);
    expect(text(api.webhookMessages[0]!.body)).toContain('TN-2021-000001');
    expect(api.gatewayLog.map((entry) => entry.op)).toEqual(['identify', 'resume']);
  }, 30_000);
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

describe('casedesk start as a program', () => {
  it('runs on Discord: ready on the gateway, stopped cleanly by SIGTERM', async () => {
    const env = {
      ...process.env,
      CASEDESK_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'casedesk-discord-')), 'data'),
      CASEDESK_LOCALE: 'en',
      LOG_LEVEL: 'warn',
      // On a server run, the program shares this file's database; otherwise it opens an embedded one of its own.
      DATABASE_URL: testDriver === 'postgres' ? t.url! : '',
      DISCORD_TOKEN: api.token,
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: api.apiUrl,
    };
    const before = api.sessions();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        if (stdout.includes('casedesk is ready on Discord')) resolve();
      });
      child.stderr.on('data', (c) => (stderr += c));
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
    });
    expect(api.sessions()).toBe(before + 1);
    expect(stdout).toContain(`ready on Discord (${testDriver},`);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await api.until(() => api.sessions() === before);
  }, 90_000);
});
