import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.ts';
import { cli } from '../../support/cli.ts';
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

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
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c) => {
        stdout += c;
        if (stdout.includes('casedesk is ready on Slack')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    const responseUrl = api.responseUrl();
    const body = new URLSearchParams({
      team_id: api.teamId,
      channel_id: 'C1',
      channel_name: 'general',
      user_id: 'U0NOBODY',
      user_name: 'x',
      command: '/casedesk',
      text: 'whoami',
      response_url: responseUrl,
      trigger_id: '1.2.abc',
      api_app_id: 'A0CASEDESK',
    }).toString();
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(body) },
      body,
    });
    expect(response.status).toBe(200);
    await api.until(() => api.responses.some((r) => responseUrl.endsWith(r.id)));
    // Nobody is linked in the fresh database: the answer says how to get access.
    expect(JSON.stringify(api.responses.find((r) => responseUrl.endsWith(r.id))!.body)).toContain('--platform slack');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
}
