import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.ts';
import { CommandRegistry, defineCommand } from '../../../src/core/command.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';
import { ok } from '../../../src/domain/result.ts';
import { text } from '../../../src/i18n/text.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.ts';
import { openTestDb, testDriver, type TestDb } from '../../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';

const MEMBER_USER = 'U0MEMBER01';
const LEAD_USER = 'U0LEAD0001';
const CHANNEL = 'C0CASES001';

let t: TestDb;
let api: FakeSlackApi;
const adapters: Array<ReturnType<typeof createSlackAdapter>> = [];

/** A change whose answer is longer than five messages: 40 items of 2,500 characters. */
const longAnswer = (toChannel: boolean): ReplyMessage => ({
  personal: !toChannel,
  toChannel,
  title: 'Báo cáo dài',
  blocks: [
    { kind: 'list', items: Array.from({ length: 40 }, (_, i) => `Mục ${i + 1}: ${'nội dung biên bản họp, '.repeat(110)}`.slice(0, 2500)) },
  ],
});
const bulk = (name: string, toChannel: boolean) =>
  defineCommand({
    name,
    nameVi: 'x',
    description: text('x', 'x'),
    minRole: 'viewer',
    writes: true,
    options: [],
    run: async () => ok(longAnswer(toChannel)),
  });
/** The real commands, and two changes with very long answers: one personal, one for the channel. */
const withLongAnswers = new CommandRegistry([...commands.all(), bulk('bulk private', false), bulk('bulk channel', true)]);

async function startAdapter(transport: 'http' | 'socket' = 'http', options: { registry?: CommandRegistry; postIntervalMs?: number } = {}) {
  const dispatcher = createDispatcher({
    db: t.db,
    commands: options.registry ?? commands,
    locale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
  const adapter = createSlackAdapter({
    dispatcher,
    connection:
      transport === 'http'
        ? { botToken: api.botToken, signingSecret: api.signingSecret, port: 0, apiUrl: api.apiUrl }
        : { botToken: api.botToken, appToken: api.appToken, port: 0, apiUrl: api.apiUrl },
    logger: pino({ level: 'silent' }),
    postIntervalMs: options.postIntervalMs ?? 50,
    locale: 'en',
  });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

/** A slash command as Slack posts it: form-encoded, with a response_url and a trigger id. */
function slashBody(userId: string, command: string, text: string, channel = CHANNEL) {
  const responseUrl = api.responseUrl();
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: api.teamId,
    team_domain: 'casedesk-test',
    channel_id: channel,
    channel_name: 'truy-na',
    user_id: userId,
    user_name: 'someone',
    command,
    text,
    api_app_id: 'A0CASEDESK',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, '')}`,
  }).toString();
  return { body, responseId: responseUrl.split('/').at(-1)! };
}

async function post(adapter: ReturnType<typeof createSlackAdapter>, body: string, headers: Record<string, string> = api.sign(body)) {
  const response = await fetch(`http://127.0.0.1:${adapter.port()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  await response.text();
  return response.status;
}

const answersTo = (responseId: string) => api.responses.filter((r) => r.id === responseId).map((r) => r.body);
type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: Array<{ type: string; text: string }>;
  elements?: Array<Record<string, unknown>>;
};
const blocksOf = (body: Record<string, unknown>) => (body.blocks ?? []) as Block[];
const shown = (body: Record<string, unknown>) => JSON.stringify(body.blocks);

/**
 * Holds the database: a transaction that locks the table every command's first query writes
 * (the claim of its id), and keeps it until released. On PGlite the open transaction alone holds
 * every other query back.
 */
async function holdDatabase(): Promise<{ waiting(): Promise<number>; release(): Promise<void> }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const held = t.db.transaction(async (tx) => {
    await tx.execute(sql`lock table processed_invocations in access exclusive mode`);
    locked();
    await gate;
  });
  await isLocked;
  return {
    // Server only: on PGlite this query would itself wait for the release.
    waiting: async () =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select count(*)::int as n from pg_locks where not granted and relation = 'processed_invocations'::regclass`,
        )
      )[0]!.n,
    release: async () => {
      release();
      await held;
    },
  };
}

const within2s = <T>(promise: Promise<T>) =>
  Promise.race([promise, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), 2000))]);

beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeSlackApi();
});
beforeEach(async () => {
  await t.reset();
  api.calls.length = 0;
  api.responses.length = 0;
  api.refusedResponses.length = 0;
  api.acks.length = 0;
  api.uploads.clear();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', slack: { team: api.teamId, user: MEMBER_USER } });
  await makeCase(t.db, {
    code: 'TN-2021-000001',
    fullName: 'Nguyễn Văn Đức',
    aliases: ['<!channel> <@U0LEAD0001> *Đức gù* <http://evil.example|bấm>'],
    unit: 'CAQ-HK',
  });
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  // Every answer fitted Slack's limits and the five posts a response_url takes.
  expect(api.refusedResponses).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('Slack adapter over HTTP, through the real Bolt app', () => {
  it('acknowledges a command with 200 before its database work, while that work is held up', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    const hold = await holdDatabase();
    let status: number | 'timed out';
    try {
      status = await within2s(post(adapter, body));
      if (testDriver === 'postgres') {
        // The command's work has begun and waits on the lock.
        const deadline = Date.now() + 2000;
        while ((await hold.waiting()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(await hold.waiting()).toBe(1);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(answersTo(responseId)).toEqual([]);
    } finally {
      await hold.release();
    }
    expect(status).toBe(200);
    await api.until(() => answersTo(responseId).length === 1);
    expect(shown(answersTo(responseId)[0]!)).toContain('TN-2021-000001');
  });

  it('refuses a bad signature and a ten-minute-old timestamp with 401, with no effect', async () => {
    const adapter = await startAdapter();
    const forged = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    expect(await post(adapter, forged.body, api.sign(forged.body, undefined, 'not-the-secret'))).toBe(401);
    const stale = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    expect(await post(adapter, stale.body, api.sign(stale.body, Math.floor(Date.now() / 1000) - 600))).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.responses).toEqual([]);
    expect(await queryRows(t.db, sql`select count(*)::int as n from audit_log`)).toEqual([{ n: 0 }]);
  });

  it('has one effect when Slack retries a request', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'show TN-2021-000001');
    expect(await post(adapter, body)).toBe(200);
    expect(await post(adapter, body, { ...api.sign(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).toBe(200);
    await api.until(() => answersTo(responseId).length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(answersTo(responseId)).toHaveLength(1);
    expect(await queryRows(t.db, sql`select count(*)::int as n from audit_log`)).toEqual([{ n: 1 }]);
  });

  it('shows mentions, links and markup in case data literally: plain text blocks, escaped fallback', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'show TN-2021-000001');
    await post(adapter, body);
    await api.until(() => answersTo(responseId).length === 1);
    const [answer] = answersTo(responseId);
    const texts = blocksOf(answer!).flatMap((b) =>
      [
        b.text,
        ...(b.fields ?? []),
        ...((b.elements ?? []) as Array<{ type: string; text: string }>).filter((e) => e.type === 'plain_text' || e.type === 'mrkdwn'),
      ].filter(Boolean),
    ) as Array<{ type: string; text: string }>;
    const alias = texts.find((x) => x.text.includes('<!channel>'));
    // Slack parses neither mentions, links nor markup in plain_text: shown as written, never acted on.
    expect(alias?.type).toBe('plain_text');
    expect(alias!.text).toContain('<!channel> <@U0LEAD0001> *Đức gù* <http://evil.example|bấm>');
    for (const x of texts.filter((x) => x.type === 'mrkdwn')) expect(x.text).not.toMatch(/<[!@#]|<http/);
    expect(String(answer!.text)).not.toMatch(/<[!@#]|<http/);
  });

  it('tells the invoker when the rest of a channel answer cannot be posted because the app is not in the channel', async () => {
    api.leaveChannel('C0OUTSIDE1');
    const adapter = await startAdapter('http', { registry: withLongAnswers });
    const { body, responseId } = slashBody(MEMBER_USER, '/casedesk', 'bulk channel', 'C0OUTSIDE1');
    await post(adapter, body);
    await api.until(() => answersTo(responseId).length === 2);
    const [first, note] = answersTo(responseId);
    expect(first!.response_type).toBe('in_channel');
    expect(note!.response_type).toBe('ephemeral');
    expect(shown(note!)).toMatch(
      /Only the first part \(1 of \d+\) reached the channel: casedesk is not a member of it\. Invite it with \/invite @casedesk/,
    );
  });

  it('assigns a follow-up to a member @mentioned in the command, as Slack escapes it', async () => {
    await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN', locale: 'en', slack: { team: api.teamId, user: LEAD_USER } });
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(
      LEAD_USER,
      '/followup',
      `add TN-2021-000001 <@${MEMBER_USER}|duc> Xác minh nơi ở &amp; nơi làm việc due:2030-01-31`,
    );
    await post(adapter, body);
    await api.until(() => answersTo(responseId).length === 1);
    expect(
      await queryRows(t.db, sql`select m.handle, f.task, f.due_on::text from follow_ups f join members m on m.id = f.assignee_member_id`),
    ).toEqual([{ handle: 'duc', task: 'Xác minh nơi ở & nơi làm việc', due_on: '2030-01-31' }]);
  });

  it('spaces posts to one channel by the interval, without holding up another channel', async () => {
    const adapter = await startAdapter('http', { postIntervalMs: 400 });
    const message = (n: number): ReplyMessage => ({ personal: false, blocks: [{ kind: 'text', text: `Tin ${n}` }] });
    await Promise.all([adapter.post(CHANNEL, message(1)), adapter.post(CHANNEL, message(2)), adapter.post('C0OTHER001', message(3))]);
    const posts = api.calls.filter((c) => c.method === 'chat.postMessage');
    const at = (channel: string) => posts.filter((p) => p.args.channel === channel).map((p) => p.at);
    const [a1, a2] = at(CHANNEL);
    const [b1] = at('C0OTHER001');
    expect(a2! - a1!).toBeGreaterThanOrEqual(390);
    // The other channel's post did not wait behind the first channel's second one.
    expect(b1!).toBeLessThan(a2!);
    expect(b1! - a1!).toBeLessThan(200);
  });
});

describe('Slack adapter over Socket Mode', () => {
  it('acks an envelope before the database work, while that work is held up', async () => {
    await startAdapter('socket');
    await api.until(() => api.socketConnections() === 1);
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    const hold = await holdDatabase();
    let envelopeId = '';
    try {
      envelopeId = api.sendEnvelope('slash_commands', Object.fromEntries(new URLSearchParams(body)));
      await api.until(() => api.acks.some((a) => a.envelope_id === envelopeId), 2000);
      await new Promise((r) => setTimeout(r, 300));
      expect(answersTo(responseId)).toEqual([]);
    } finally {
      await hold.release();
    }
    expect(api.acks.map((a) => a.envelope_id)).toEqual([envelopeId]);
    await api.until(() => answersTo(responseId).length === 1);
  });

  it('carries a slash command end to end: envelope, ack, answer at the response_url', async () => {
    await startAdapter('socket');
    await api.until(() => api.socketConnections() === 1);
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    const envelopeId = api.sendEnvelope('slash_commands', Object.fromEntries(new URLSearchParams(body)));
    await api.until(() => answersTo(responseId).length === 1);
    expect(api.acks.map((a) => a.envelope_id)).toEqual([envelopeId]);
    expect(api.calls.map((c) => c.method)).toContain('apps.connections.open');
    expect(shown(answersTo(responseId)[0]!)).toContain('TN-2021-000001');
  });
});

describe('the fake Slack, as strict as Slack', () => {
  it('takes five posts to one response_url and refuses the sixth with 404 used_url', async () => {
    const url = api.responseUrl();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `answer ${i}` }),
      });
      statuses.push(response.status);
      if (i === 5) expect(await response.text()).toBe('used_url');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(api.refusedResponses.splice(0)).toEqual([{ id: url.split('/').at(-1), error: 'used_url' }]);
  });

  it('refuses blocks over Block Kit limits and uploads without a name or length, as the Web API does', async () => {
    const call = async (method: string, args: Record<string, unknown>) =>
      (await (
        await fetch(`${api.apiUrl}${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${api.botToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(args),
        })
      ).json()) as { ok: boolean; error?: string };
    const section = (n: number) => ({ type: 'section', text: { type: 'plain_text', text: 'x'.repeat(n) } });
    expect(await call('chat.postMessage', { channel: CHANNEL, text: 'x', blocks: [section(3000)] })).toMatchObject({ ok: true });
    expect(await call('chat.postMessage', { channel: CHANNEL, text: 'x', blocks: [section(3001)] })).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
    // Counted in UTF-16 units: 1,501 emoji are 3,002.
    expect(
      await call('chat.postMessage', {
        channel: CHANNEL,
        text: 'x',
        blocks: [{ type: 'section', text: { type: 'plain_text', text: '😀'.repeat(1501) } }],
      }),
    ).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.postMessage', { channel: CHANNEL, text: 'x', blocks: Array.from({ length: 51 }, () => section(1)) })).toEqual({
      ok: false,
      error: 'invalid_blocks',
    });
    expect(
      await call('chat.postMessage', {
        channel: CHANNEL,
        text: 'x',
        blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'plain_text', text: 'x' })) }],
      }),
    ).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(
      await call('chat.postMessage', {
        channel: CHANNEL,
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }],
      }),
    ).toEqual({ ok: false, error: 'invalid_blocks' });
    expect(await call('chat.postMessage', { channel: CHANNEL, text: 'x'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });
    expect(await call('files.getUploadURLExternal', { length: 10 })).toEqual({ ok: false, error: 'invalid_arguments' });
    expect(await call('files.getUploadURLExternal', { filename: 'digest.png' })).toEqual({ ok: false, error: 'missing_argument' });
    expect(await call('files.getUploadURLExternal', { filename: 'digest.png', length: 10 })).toMatchObject({ ok: true });
  });
});
