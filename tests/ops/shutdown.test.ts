import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, queryRows } from '../../db/client.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';

let api: FakeSlackApi;
/** On the server driver, a database of this file's own, which the program connects to. */
let server: TestDb | undefined;
beforeAll(async () => {
  api = await startFakeSlackApi();
  if (testDriver === 'postgres') server = await openTestDb();
});
afterAll(async () => {
  await api.close();
  await server?.close();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function slashBody(text: string) {
  const responseUrl = api.responseUrl();
  const body = new URLSearchParams({
    team_id: api.teamId,
    channel_id: 'C1',
    channel_name: 'general',
    user_id: 'U0NOBODY',
    user_name: 'x',
    command: '/casedesk',
    text,
    response_url: responseUrl,
    trigger_id: `${Date.now()}.1.${randomUUID().replace(/-/g, '')}`,
    api_app_id: 'A0CASEDESK',
  }).toString();
  return { body, responseId: responseUrl.split('/').at(-1)! };
}

/** Waits for `check` to hold, polling (the process runs on its own; nothing here is timed). */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const readyLine = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (c) => {
      stdout += c;
      if (stdout.includes('casedesk is ready on Slack')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });

// A program of its own, as tests/cli/exec.test.ts runs one: on a fresh embedded database, or on
// the server driver on this file's database.
it('on SIGTERM finishes the command in flight, whose answer arrives, says 503 and refuses new ones meanwhile, and exits 0', async () => {
  const port = await freePort();
  const dataDir = join(mkdtempSync(join(tmpdir(), 'casedesk-drain-')), 'data');
  const env = {
    ...process.env,
    CASEDESK_DATA_DIR: dataDir,
    CASEDESK_LOCALE: 'en',
    LOG_LEVEL: 'warn',
    DATABASE_URL: server?.url ?? '',
    SLACK_BOT_TOKEN: api.botToken,
    SLACK_SIGNING_SECRET: api.signingSecret,
    PORT: String(port),
    SLACK_API_URL: api.apiUrl,
    CASEDESK_SHUTDOWN_TIMEOUT_MS: '60000',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await readyLine(child);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // The answer is held at Slack's end: the command is in flight until it is let through.
    const hold = api.holdResponses();
    const first = slashBody('whoami');
    const acked = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(first.body) },
      body: first.body,
    });
    expect(acked.status).toBe(200);
    await until(() => hold.held() === 1, 'the answer to reach Slack');

    child.kill('SIGTERM');
    let readiness: { status: number; body: { checks?: Record<string, string> } } = { status: 0, body: {} };
    await until(async () => {
      const response = await fetch(`${base}/readyz`);
      readiness = { status: response.status, body: (await response.json()) as typeof readiness.body };
      return response.status === 503;
    }, 'readiness to say 503');
    expect(readiness.body.checks).toMatchObject({ shutdown: 'stopping' });

    // A command sent during the drain is refused, not taken and then dropped.
    const second = slashBody('whoami');
    const refused = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(second.body) },
      body: second.body,
    });
    expect(refused.status).toBe(503);
    // Still running, the answer still held: the stop waits for it.
    expect(child.exitCode).toBeNull();
    expect(api.responses.some((r) => r.id === first.responseId)).toBe(false);

    hold.release();
    expect(await exited).toBe(0);
    // The answer in flight arrived; the refused command had none.
    expect(JSON.stringify(api.responses.find((r) => r.id === first.responseId)?.body)).toContain('--platform slack');
    expect(api.responses.some((r) => r.id === second.responseId)).toBe(false);
    // And it was audited: one row for the command that ran, none for the refused one.
    const handle = server?.handle ?? (await createDb({ dataDir }));
    try {
      const rows = await queryRows<{ command: string; outcome: string }>(
        handle.db,
        sql`select command, outcome from audit_log where platform = 'slack' order by id`,
      );
      expect(rows).toEqual([{ command: 'whoami', outcome: 'denied' }]);
    } finally {
      if (!server) await handle.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 120_000);
