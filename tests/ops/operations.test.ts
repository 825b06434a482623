import { pino } from 'pino';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createMemoryDb, type DbHandle } from '../../db/client.ts';
import { createDiscordAdapter } from '../../src/adapters/discord/adapter.ts';
import { createSlackAdapter } from '../../src/adapters/slack/adapter.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { ChatAdapter } from '../../src/core/platform.ts';
import { createOperations, drainAndStop, type Operations } from '../../src/ops/index.ts';
import { enqueueMessages } from '../../src/repositories/outbox.ts';
import { startFakeDiscordApi, type FakeDiscordApi } from '../fakes/discord-api.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { makeMember, makeUnitTree } from '../factories/index.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';

const logger = pino({ level: 'silent' });
const LEAD_USER = 'U0LEAD0001';

let t: TestDb;
let slack: FakeSlackApi;
let discord: FakeDiscordApi;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  t = await openTestDb();
  slack = await startFakeSlackApi();
  discord = await startFakeDiscordApi({ applicationId: '100000000000000001', heartbeatIntervalMs: 200 });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN', locale: 'en', slack: { team: slack.teamId, user: LEAD_USER } });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await discord.close();
  await slack.close();
  await t.close();
});

/** Operations over `handle` with the adapters in `running`, and the dispatcher they count. */
function operations(handle: DbHandle, running: ChatAdapter[]) {
  const ops = createOperations({ handle, logger, adapters: () => running });
  const dispatcher = ops.instrument(createDispatcher({ db: handle.db, commands, locale: 'en', timeZone: 'Asia/Ho_Chi_Minh', logger }));
  return { ops, dispatcher };
}

/** A Slack app over HTTP serving the operator's routes beside /slack/events, as `casedesk start` runs it. */
async function slackOverHttp(running: ChatAdapter[] = []) {
  const { ops, dispatcher } = operations(t.handle, running);
  const adapter = createSlackAdapter({
    dispatcher,
    connection: { botToken: slack.botToken, signingSecret: slack.signingSecret, port: 0, apiUrl: slack.apiUrl },
    logger,
    locale: 'en',
    postIntervalMs: 10,
    routes: ops.routes,
    onAcknowledged: ops.metrics.onAcknowledged,
  });
  running.push(adapter);
  await adapter.start();
  cleanups.push(() => adapter.stop());
  return { ops, adapter, base: `http://127.0.0.1:${adapter.port()}` };
}

async function ownServer(ops: Operations) {
  const server = await ops.serve(0);
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${server.port}`;
}

/** A slash command from the lead, as Slack posts it, signed; resolves to the HTTP status casedesk answered. */
const slashCommand = (base: string, text: string) =>
  slack.postSlashCommand(`${base}/slack/events`, { text, userId: LEAD_USER, channelId: 'C0CASES001' });

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/**
 * /metrics once it shows `line`, or as it is after a few seconds: a command is counted when its
 * dispatch returns, which is after its answer reached the platform (the stored answer is then
 * marked delivered), so the answer can arrive first.
 */
const metricsOnce = async (url: string, line: RegExp) => {
  for (let tries = 0; tries < 200; tries++) {
    const scraped = await get(url);
    if (line.test(scraped.text)) return scraped;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return get(url);
};

describe('on the port Slack listens on', () => {
  it('answers /healthz, and /readyz with 200 when the database answers and Slack listens', async () => {
    const { base } = await slackOverHttp();
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200 });
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({ status: 'ready', checks: { database: 'ok', slack: 'ok' } });
  });

  it('counts a command dispatched through the adapter, with its acknowledgement, in /metrics', async () => {
    const { base } = await slackOverHttp();
    const sent = await slashCommand(base, 'whoami');
    expect(sent.status).toBe(200);
    await slack.until(() => slack.responses.some((r) => r.id === sent.responseId));
    const metrics = await metricsOnce(`${base}/metrics`, /^casedesk_commands_total\{command="whoami"/m);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.text).toMatch(/^casedesk_commands_total\{command="whoami",outcome="ok"\} 1$/m);
    expect(metrics.text).toMatch(/^casedesk_command_duration_seconds_count\{command="whoami",outcome="ok"\} 1$/m);
    expect(metrics.text).toMatch(/^casedesk_acknowledgement_duration_seconds_count\{platform="slack"\} 1$/m);
    // prom-client's process metrics, in this process's own registry.
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    // What was typed never becomes a label: an unknown word is `other`.
    const unknown = await slashCommand(base, 'nguyen van duc');
    await slack.until(() => slack.responses.some((r) => r.id === unknown.responseId));
    const after = await metricsOnce(`${base}/metrics`, /^casedesk_commands_total\{command="other"/m);
    expect(after.text).toMatch(/^casedesk_commands_total\{command="other",outcome="invalid"\} 1$/m);
    expect(after.text).not.toContain('nguyen');
  });

  it('reads the outbox backlog and its oldest message at each scrape', async () => {
    const { base } = await slackOverHttp();
    const before = await get(`${base}/metrics`);
    expect(before.text).not.toMatch(/^casedesk_outbox_backlog\{/m);
    const queued = new Date(Date.now() - 90_000);
    await enqueueMessages(t.db, {
      messages: ['a', 'b'].map((k) => ({
        key: `test:${k}`,
        platform: 'slack' as const,
        target: { channelId: 'C0CASES001' },
        message: { personal: false, blocks: [{ kind: 'text' as const, text: 'x' }] },
      })),
      now: queued,
    });
    const after = await get(`${base}/metrics`);
    expect(after.text).toMatch(/^casedesk_outbox_backlog\{platform="slack",state="waiting"\} 2$/m);
    const age = Number(/^casedesk_outbox_oldest_waiting_seconds\{platform="slack"\} ([\d.]+)$/m.exec(after.text)?.[1]);
    expect(age).toBeGreaterThanOrEqual(90);
    expect(after.text).toMatch(/^casedesk_db_turns_size \d+$/m);
  });

  it('turns readiness to 503 and refuses new commands with 503 once draining, answering nothing of them', async () => {
    const running: ChatAdapter[] = [];
    const { ops, adapter, base } = await slackOverHttp(running);
    ops.health.startDraining();
    await adapter.drain();
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'not ready', checks: { database: 'ok', slack: 'ok', shutdown: 'stopping' } });
    const refused = await slashCommand(base, 'whoami');
    expect(refused.status).toBe(503);
    expect(adapter.status()).toEqual({ connected: true, draining: true, inFlight: 0 });
    // Neither accepted nor answered: the command can be sent again, to an instance that is not stopping.
    const metrics = await get(`${base}/metrics`);
    expect(metrics.text).not.toMatch(/^casedesk_commands_total\{/m);
    expect(slack.responses.some((r) => r.id === refused.responseId)).toBe(false);
  });
  it('stops anyway when the time allowed runs out, naming the requests still running, and lets go of its leases', async () => {
    const running: ChatAdapter[] = [];
    const { ops, adapter, base } = await slackOverHttp(running);
    const held = slack.holdResponses();
    cleanups.push(async () => held.release());
    const sent = await slashCommand(base, 'whoami');
    expect(sent.status).toBe(200);
    await slack.until(() => held.held() === 1);
    const released: string[] = [];
    const warnings: unknown[] = [];
    const result = await drainAndStop({
      health: ops.health,
      adapters: running,
      scheduler: { stop: async () => {}, releaseHeld: async () => (released.push('released'), 1) },
      timeoutMs: 200,
      logger: pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) }),
    });
    expect(result).toEqual({ drained: false, stillRunning: 1, released: 1 });
    expect(released).toEqual(['released']);
    expect(warnings).toContainEqual(expect.objectContaining({ stillRunning: 1, timeoutMs: 200 }));
    expect((await get(`${base}/readyz`).catch(() => ({ status: 'closed' }))).status).not.toBe(200);
    expect(adapter.status().draining).toBe(true);
  });
});

describe("on casedesk's own server", () => {
  it('says 503, naming Discord, while its gateway is not connected, and 200 once it is', async () => {
    const running: ChatAdapter[] = [];
    const { ops, dispatcher } = operations(t.handle, running);
    const adapter = createDiscordAdapter({
      dispatcher,
      connection: { token: discord.token, applicationId: '100000000000000001', apiUrl: discord.apiUrl },
      logger,
    });
    running.push(adapter);
    cleanups.push(() => adapter.stop());
    const base = await ownServer(ops);
    const before = await get(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(JSON.parse(before.text)).toEqual({ status: 'not ready', checks: { database: 'ok', discord: 'not connected' } });
    await adapter.start();
    const after = await get(`${base}/readyz`);
    expect(JSON.parse(after.text)).toEqual({ status: 'ready', checks: { database: 'ok', discord: 'ok' } });
    expect(after.status).toBe(200);
    expect((await get(`${base}/nothing-here`)).status).toBe(404);
  });

  it('says 503, naming the database, when the database cannot be reached; /healthz still says 200', async () => {
    const gone = await unreachableDatabase();
    const { ops } = operations(gone, []);
    const base = await ownServer(ops);
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.text)).toEqual({ status: 'not ready', checks: { database: 'unreachable' } });
    expect((await get(`${base}/healthz`)).status).toBe(200);
  });
});

/**
 * A database handle whose database is gone: on PGlite closed; on a server, a database of its own
 * dropped (its connections terminated) under the open handle.
 */
async function unreachableDatabase(): Promise<DbHandle> {
  if (testDriver === 'pglite') {
    const handle = await createMemoryDb();
    await handle.close();
    return handle;
  }
  const other = await openTestDb();
  cleanups.push(() => other.close());
  const name = new URL(other.url!).pathname.slice(1);
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  return other.handle;
}
