import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../fakes/discord-api.ts';
import { cli as runCli } from '../../support/cli.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';

let api: FakeDiscordApi;
let t: TestDb;
const APP = '1234567890123456789';
const GUILD = '9876543210987654321';

beforeAll(async () => {
  api = await startFakeDiscordApi();
  t = await openTestDb();
});
beforeEach(() => {
  api.requests.length = 0;
  api.commands.clear();
});
afterAll(async () => {
  await api.close();
  await t.close();
});

/** The command line on the test's database (where it writes its audit row), not the default ./data. */
const cli = (args: string[], io: { env: Record<string, string> }) => runCli(args, { ...io, db: t.handle });

const env = (extra: Record<string, string> = {}) => ({
  CASEDESK_LOCALE: 'en',
  DISCORD_TOKEN: api.token,
  DISCORD_APPLICATION_ID: APP,
  DISCORD_API_URL: api.apiUrl,
  ...extra,
});

describe('casedesk discord deploy', () => {
  it('registers the commands in a server, built from the specs, and is safe to re-run', async () => {
    const first = await cli(['discord', 'deploy', '--guild', GUILD], { env: env() });
    expect(first).toMatchObject({ code: 0, stdout: `Registered 11 commands (guild ${GUILD}).\n` });
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /api/v10/applications/${APP}/guilds/${GUILD}/commands`]);
    const registered = api.commands.get(GUILD) as Array<{ name: string; options: Array<{ name: string }> }>;
    expect(registered.map((c) => c.name).sort()).toEqual([
      'audit',
      'case',
      'digest',
      'followup',
      'help',
      'hit',
      'inspection',
      'meeting',
      'member',
      'validation',
      'whoami',
    ]);
    const subcommands = registered.flatMap((c) =>
      ['audit', 'case', 'digest', 'followup', 'hit', 'inspection', 'meeting', 'member', 'validation'].includes(c.name)
        ? c.options.map((o) => `${c.name} ${o.name}`)
        : [c.name],
    );
    expect(subcommands.sort()).toEqual(
      commands
        .all()
        .map((c) => c.name)
        .sort(),
    );

    expect((await cli(['discord', 'deploy', '--guild', GUILD], { env: env() })).code).toBe(0);
    expect(api.requests).toHaveLength(2);
    expect(api.commands.get(GUILD)).toHaveLength(11);
  });

  it('registers globally without a server, and in every server of DISCORD_GUILD_IDS', async () => {
    expect((await cli(['discord', 'deploy'], { env: env() })).stdout).toBe('Registered 11 commands (global).\n');
    expect(api.requests[0]!.path).toBe(`/api/v10/applications/${APP}/commands`);
    const two = await cli(['discord', 'deploy'], { env: env({ DISCORD_GUILD_IDS: `${GUILD}, 11111111111111111` }) });
    expect(two.code).toBe(0);
    expect([...api.commands.keys()].sort()).toEqual(['11111111111111111', GUILD, 'global']);
  });

  it('waits out a 429 and registers once', async () => {
    api.rateLimitNext(1, 0.3);
    const result = await cli(['discord', 'deploy', '--guild', GUILD], { env: env() });
    expect(result.code).toBe(0);
    expect(api.requests).toHaveLength(2);
    expect(api.requests[1]!.at - api.requests[0]!.at).toBeGreaterThanOrEqual(250);
    expect(api.commands.get(GUILD)).toHaveLength(11);
  });

  it('says how to fix a token Discord refuses', async () => {
    const result = await cli(['discord', 'deploy', '--guild', GUILD], {
      env: env({ DISCORD_TOKEN: `${'N'.repeat(24)}.wrong.${'y'.repeat(27)}` }),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Discord refused DISCORD_TOKEN (401)');
    expect(result.stderr).toContain('Reset Token');
  });

  it('says what is missing when Discord is not configured, or half configured', async () => {
    const none = await cli(['discord', 'deploy'], { env: { CASEDESK_LOCALE: 'en' } });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('set DISCORD_TOKEN and DISCORD_APPLICATION_ID');
    const half = await cli(['discord', 'deploy'], { env: { CASEDESK_LOCALE: 'en', DISCORD_TOKEN: api.token } });
    expect(half.code).toBe(1);
    expect(half.stderr).toContain('DISCORD_APPLICATION_ID: is needed too');
    const badGuild = await cli(['discord', 'deploy', '--guild', 'general'], { env: env() });
    expect(badGuild.stderr).toContain('--guild takes numeric Discord server ids');
    expect(api.requests).toEqual([]);
  });
});
