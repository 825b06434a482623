import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, queryRows } from '../../db/client.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { freePort, startProgram } from '../support/cli.ts';
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

/** Waits for `check` to hold, polling (the process runs on its own; nothing here is timed). */
async function until(check: () => Promise<boolean> | boolean, what: string, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
  const { child, exited } = await startProgram(env, 'casedesk is ready on Slack');
  try {
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // The answer is held at Slack's end: the command is in flight until it is let through.
    const hold = api.holdResponses();
    const first = await api.postSlashCommand(`${base}/slack/events`, { text: 'whoami' });
    expect(first.status).toBe(200);
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
    const second = await api.postSlashCommand(`${base}/slack/events`, { text: 'whoami' });
    expect(second.status).toBe(503);
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
