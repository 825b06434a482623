import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.ts';
import { cli, freePort, startProgram } from '../../support/cli.ts';
import { openTestDb, testDriver, type TestDb } from '../../support/db.ts';

let t: TestDb;
let api: FakeSlackApi;
beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeSlackApi();
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('casedesk start with Slack configured', () => {
  it('fails at once, saying how to fix it, when Slack refuses the bot token', async () => {
    const result = await cli(['start'], {
      db: t.handle,
      env: {
        CASEDESK_LOCALE: 'en',
        LOG_LEVEL: 'silent',
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_SIGNING_SECRET: api.signingSecret,
        PORT: '0',
        SLACK_API_URL: api.apiUrl,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
  });

  it('names SLACK_APP_TOKEN, and where to make one, when Socket Mode refuses the app-level token', async () => {
    const result = await cli(['start'], {
      db: t.handle,
      env: {
        CASEDESK_LOCALE: 'en',
        LOG_LEVEL: 'silent',
        SLACK_BOT_TOKEN: api.botToken,
        SLACK_APP_TOKEN: 'xapp-1-A111-2222-revoked',
        SLACK_API_URL: api.apiUrl,
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Slack refused SLACK_APP_TOKEN (invalid_auth)');
    expect(result.stderr).toContain('App-Level Token');
    expect(result.stderr).toContain('connections:write');
    expect(result.stderr).not.toContain('SLACK_BOT_TOKEN');
    // The bot token was checked first, and taken; the app-level token was the one refused.
    expect(api.calls.filter((c) => c.method === 'auth.test').length).toBeGreaterThan(0);
    expect(api.calls.at(-1)!.method).toBe('apps.connections.open');
  });
});

if (testDriver === 'pglite') {
  it('runs as a program on Slack over HTTP: answers a signed command, stopped cleanly by SIGTERM', async () => {
    const port = await freePort();
    const env = {
      ...process.env,
      CASEDESK_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'casedesk-slack-')), 'data'),
      CASEDESK_LOCALE: 'en',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      SLACK_BOT_TOKEN: api.botToken,
      SLACK_SIGNING_SECRET: api.signingSecret,
      PORT: String(port),
      SLACK_API_URL: api.apiUrl,
    };
    const { child, exited } = await startProgram(env, 'casedesk is ready on Slack');
    const sent = await api.postSlashCommand(`http://127.0.0.1:${port}/slack/events`, { text: 'whoami' });
    expect(sent.status).toBe(200);
    await api.until(() => api.responses.some((r) => r.id === sent.responseId));
    // Nobody is linked in the fresh database: the answer says how to get access.
    expect(JSON.stringify(api.responses.find((r) => r.id === sent.responseId)!.body)).toContain('--platform slack');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
}
