import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { auditLog, checks } from '../../../db/schema/index.ts';
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.ts';
import { CommandRegistry, defineCommand } from '../../../src/core/command.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { ok } from '../../../src/domain/result.ts';
import { text } from '../../../src/i18n/text.ts';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackFile } from '../../fakes/slack-api.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';

/**
 * `case check` on Slack: the slash command opens a form with a file input, its submission runs the
 * check and is answered in the submitter's direct messages, with the result file uploaded there.
 * Real Bolt over real sockets to the fake Slack; the real dispatcher, commands and database.
 */
const MEMBER_USER = 'U0MEMBER01';
const STRANGER_USER = 'U0STRANGER';
const CHANNEL = 'C0CASES001';
const MiB = 1024 * 1024;

let t: TestDb;
let api: FakeSlackApi;
let caseCode: string;
const adapters: Array<ReturnType<typeof createSlackAdapter>> = [];

async function startAdapter(transport: 'http' | 'socket' = 'http', registry: CommandRegistry = commands) {
  const dispatcher = createDispatcher({
    db: t.db,
    commands: registry,
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
    postIntervalMs: 20,
    locale: 'en',
    commands: registry,
  });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

/** A slash command as Slack posts it, with a trigger id the fake gave the user just now. */
function slashBody(userId: string, command: string, typed: string, trigger = api.trigger(userId)) {
  const responseUrl = api.responseUrl();
  const body = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: api.teamId,
    team_domain: 'casedesk-test',
    channel_id: CHANNEL,
    channel_name: 'truy-na',
    user_id: userId,
    user_name: 'someone',
    command,
    text: typed,
    api_app_id: 'A0CASEDESK',
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: trigger,
  }).toString();
  return { body, responseId: responseUrl.split('/').at(-1)! };
}

/** An interactive payload (a submission) as Slack posts it over HTTP: form-encoded as `payload=`. */
const interactive = (payload: Record<string, unknown>) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

async function post(adapter: ReturnType<typeof createSlackAdapter>, body: string) {
  const response = await fetch(`http://127.0.0.1:${adapter.port()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(body) },
    body,
  });
  return { status: response.status, body: await response.text() };
}

type Block = { type: string; block_id?: string; element?: Record<string, unknown>; elements?: Array<{ text: string }> };
const blocksOf = (view: Record<string, unknown>) => view.blocks as Block[];
const inputOf = (view: Record<string, unknown>, type: string) =>
  blocksOf(view).find((b) => b.type === 'input' && b.element?.type === type)!;

/** Types `/case check …` as `userId` and gives the form it opened. */
async function openForm(adapter: ReturnType<typeof createSlackAdapter>, userId: string, typed: string) {
  const before = api.views.length;
  const { body, responseId } = slashBody(userId, '/case', `check ${typed}`.trim());
  expect((await post(adapter, body)).status).toBe(200);
  await api.until(() => api.views.length === before + 1);
  return { view: api.views.at(-1)!, responseId };
}

/** Submits `view` with `file` in its file input, and any other answers. */
function submission(view: FakeSlackApi['views'][number], file: FakeSlackFile, answers: Record<string, Record<string, unknown>> = {}) {
  return interactive(api.viewSubmission(view.id, { [inputOf(view.view, 'file_input').block_id!]: { files: [file] }, ...answers }));
}

/** What the app posted to its direct message with `userId`, as plain text, in order. */
const directMessages = (userId: string) =>
  api.posted.filter((p) => p.conversation === api.conversationWith(userId)).map((p) => JSON.stringify(p.args.blocks));
const uploadsTo = (conversation: string) =>
  api.calls
    .filter((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === conversation)
    .flatMap((c) => (c.args.files as Array<{ id: string; title: string }>).map((f) => ({ title: f.title, bytes: api.uploads.get(f.id)! })));

const LIST = 'Họ tên;Năm sinh\r\nNguyễn Văn Đức;1985\r\n';
const summaryShown = (userId: string) => () => directMessages(userId).some((m) => m.includes('Rows checked'));

beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeSlackApi();
});
beforeEach(async () => {
  await t.reset();
  for (const list of [api.calls, api.responses, api.refusedResponses, api.acks, api.posted, api.updated, api.views, api.downloads])
    list.length = 0;
  api.uploads.clear();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', slack: { team: api.teamId, user: MEMBER_USER } });
  caseCode = (await makeCase(t.db, { unit: 'CAQ-HK', fullName: 'Nguyễn Văn Đức', birthYear: 1985 })).code;
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  // Every answer fitted Slack's limits, and nothing of a check ever reached the channel.
  expect(api.refusedResponses).toEqual([]);
  expect(api.posted.filter((p) => p.conversation === CHANNEL)).toEqual([]);
  expect(uploadsTo(CHANNEL)).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('/case check on Slack', () => {
  it('opens a form with a file input and the typed priority chosen, and answers its submission in a direct message with the result file', async () => {
    const adapter = await startAdapter();
    const { view, responseId } = await openForm(adapter, MEMBER_USER, 'priority:urgent');
    expect(view.user).toBe(MEMBER_USER);
    expect(view.view).toMatchObject({ type: 'modal', callback_id: 'cd:form', title: { type: 'plain_text', text: '/case check' } });
    expect(inputOf(view.view, 'file_input')).toMatchObject({
      optional: false,
      element: { type: 'file_input', filetypes: ['csv', 'xlsx'], max_files: 1 },
    });
    expect(inputOf(view.view, 'static_select').element!.initial_option).toMatchObject({ value: 'urgent' });
    expect(JSON.parse(String(view.view.private_metadata))).toMatchObject({ c: 'case check', ch: CHANNEL, u: MEMBER_USER });
    // Opening the form is no command yet: nothing answered, nothing run.
    expect(api.responses.filter((r) => r.id === responseId)).toEqual([]);
    expect(await t.db.select().from(auditLog)).toEqual([]);

    const file = api.addFile({ name: 'tam-giu.csv', data: LIST, user: MEMBER_USER });
    const submitted = await post(adapter, submission(view, file));
    // An empty 200 closes the modal.
    expect(submitted).toEqual({ status: 200, body: '' });
    const dm = api.conversationWith(MEMBER_USER);
    await api.until(() => uploadsTo(dm).length === 1);

    const [summary] = directMessages(MEMBER_USER);
    expect(summary).toContain('Rows checked');
    expect(summary).toContain('Confirmation requests sent');
    const [result] = uploadsTo(dm);
    expect(result!.title).toBe('The check, row by row');
    expect(api.calls.find((c) => c.method === 'files.getUploadURLExternal')!.args.filename).toBe('tam-giu-check-result.csv');
    expect(result!.bytes.toString('utf8')).toContain(caseCode);
    // Read with the bot token, once.
    expect(api.calls.filter((c) => c.method === 'files.info').map((c) => c.args.file)).toEqual([file.id]);
    expect(api.downloads).toEqual([{ fileId: file.id, authorized: true }]);
    const rows = await t.db.select().from(checks);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ priority: 'urgent', fileName: 'tam-giu.csv', rows: 1 });
    expect(rows[0]!.invocationId).toBe(`slack:view:${view.id}:${view.hash}`);
  });

  it('shows how a long list is getting on in one direct message, posted then edited, before the answer', async () => {
    const adapter = await startAdapter();
    const { view } = await openForm(adapter, MEMBER_USER, '');
    const rows = ['Họ tên;Năm sinh', ...Array.from({ length: 1200 }, (_, i) => `Người Thứ ${i};1980`)].join('\n');
    await post(adapter, submission(view, api.addFile({ name: 'many.csv', data: rows })));
    await api.until(summaryShown(MEMBER_USER), 60_000);
    const dm = api.conversationWith(MEMBER_USER);
    const [progress, ...rest] = api.posted.filter((p) => p.conversation === dm);
    expect(JSON.stringify(progress!.args.blocks)).toContain('Checking… 500 / 1,200');
    expect(api.updated.length).toBeGreaterThanOrEqual(1);
    for (const edit of api.updated) expect(edit).toMatchObject({ channel: dm, ts: progress!.ts });
    expect(JSON.stringify(api.updated.at(-1)!.args.blocks)).toContain('Checking… 1,200 / 1,200');
    // In this order: the progress posted, edited, and then the answer as a message of its own.
    const order = api.calls
      .filter((c) => c.method === 'chat.update' || (c.method === 'chat.postMessage' && c.args.channel === dm))
      .map((c) => (c.method === 'chat.update' ? 'edit' : JSON.stringify(c.args.blocks).includes('Rows checked') ? 'answer' : 'progress'));
    expect(order[0]).toBe('progress');
    expect(order.at(-1)).toBe('answer');
    expect(order.slice(1, -1).every((step) => step === 'edit')).toBe(true);
    expect(rest).toHaveLength(1);
  });

  it('refuses a file declared larger than 20 MiB with the size message, without downloading it', async () => {
    const adapter = await startAdapter();
    const { view } = await openForm(adapter, MEMBER_USER, '');
    await post(adapter, submission(view, api.addFile({ name: 'big.csv', data: LIST, size: 20 * MiB + 1 })));
    await api.until(() => directMessages(MEMBER_USER).length === 1);
    expect(directMessages(MEMBER_USER)[0]).toContain('big.csv is larger than 20 MB. Split the list into smaller files and check each.');
    expect(api.downloads).toEqual([]);
    expect(await t.db.select().from(checks)).toEqual([]);
  });

  it('says it could not read a file whose download breaks off, or that Slack no longer has', async () => {
    const adapter = await startAdapter();
    const broken = api.addFile({ name: 'cut.csv', data: `${LIST}${'Lê Văn Tám;1970\r\n'.repeat(2000)}` });
    api.failDownload(broken.id, 'cut');
    const first = await openForm(adapter, MEMBER_USER, '');
    await post(adapter, submission(first.view, broken));
    await api.until(() => directMessages(MEMBER_USER).length === 1);
    expect(directMessages(MEMBER_USER)[0]).toContain('Could not read cut.csv');

    // Deleted between the choice and the check: files.info answers file_not_found.
    const gone = { ...api.addFile({ name: 'gone.csv', data: LIST }), id: 'F0DELETED01' };
    const second = await openForm(adapter, MEMBER_USER, '');
    await post(adapter, submission(second.view, gone));
    await api.until(() => directMessages(MEMBER_USER).length === 2);
    expect(directMessages(MEMBER_USER)[1]).toContain('Could not read gone.csv');
    expect(api.downloads.map((d) => d.fileId)).toEqual([broken.id]);
    expect(await t.db.select().from(checks)).toEqual([]);
  });

  it('makes one check of a submission delivered twice, to two instances', async () => {
    const [a, b] = [await startAdapter(), await startAdapter()];
    const { view } = await openForm(a, MEMBER_USER, 'priority:khẩn');
    const body = submission(view, api.addFile({ name: 'tam-giu.csv', data: LIST }));
    const answers = await Promise.all([post(a, body), post(b, body)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    await api.until(() => uploadsTo(api.conversationWith(MEMBER_USER)).length === 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(await t.db.select().from(checks)).toHaveLength(1);
    expect(directMessages(MEMBER_USER)).toHaveLength(1);
    expect(uploadsTo(api.conversationWith(MEMBER_USER))).toHaveLength(1);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.command, 'case check'))).toHaveLength(1);
  });

  it('opens the form for a stranger, whose submission is refused as any command of theirs is, the file never read', async () => {
    const adapter = await startAdapter();
    const { view } = await openForm(adapter, STRANGER_USER, '');
    await post(adapter, submission(view, api.addFile({ name: 'tam-giu.csv', data: LIST, user: STRANGER_USER })));
    await api.until(() => directMessages(STRANGER_USER).length === 1);
    // Slack says nothing of the user's language: a stranger is answered in the default one.
    expect(directMessages(STRANGER_USER)[0]).toContain('Bạn chưa được cấp quyền dùng casedesk.');
    expect(directMessages(STRANGER_USER)[0]).toContain(`--workspace ${api.teamId} --user ${STRANGER_USER}`);
    expect(api.calls.filter((c) => c.method === 'files.info')).toEqual([]);
    expect(api.downloads).toEqual([]);
    expect(await t.db.select().from(checks)).toEqual([]);
    const [row] = await t.db.select().from(auditLog);
    expect(row).toMatchObject({
      command: 'case check',
      outcome: 'denied',
      detail: 'unknown_user',
      userId: STRANGER_USER,
      channelId: CHANNEL,
    });
  });

  it('leaves a typed value the form cannot use for the user to choose, saying why', async () => {
    const adapter = await startAdapter();
    const { view } = await openForm(adapter, MEMBER_USER, 'list.csv priority:soon unit:CA-HN');
    expect(inputOf(view.view, 'static_select').element!.initial_option).toBeUndefined();
    const unit = blocksOf(view.view).find((b) => b.block_id === 'o:unit')!;
    expect(unit.element).toMatchObject({ type: 'plain_text_input', initial_value: 'CA-HN' });
    const notes = blocksOf(view.view)
      .filter((b) => b.type === 'context')
      .map((b) => b.elements![0]!.text);
    expect(notes).toEqual([
      '⚠ Slack does not send a file with a typed command, so the name "list.csv" cannot be used: choose the file under file below.',
      '⚠ priority does not accept "soon"; choose one of: routine, urgent.',
    ]);
  });

  it('tells the user at the response_url when the form cannot be opened in time', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'check', api.trigger(MEMBER_USER, { ageMs: 3500 }));
    await post(adapter, body);
    await api.until(() => api.responses.some((r) => r.id === responseId));
    const [answer] = api.responses.filter((r) => r.id === responseId);
    expect(answer!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(answer!.body.text)).toContain(
      'The form of case check could not be opened (Slack: expired_trigger_id). Type the command again',
    );
    expect(api.views).toEqual([]);
  });

  it('opens one form when Slack delivers the same command twice', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'check');
    await Promise.all([post(adapter, body), post(adapter, body)]);
    await api.until(() => api.calls.filter((c) => c.method === 'views.open').length === 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(api.views).toHaveLength(1);
    // The second delivery's trigger was already exchanged: no note that the form failed.
    expect(api.responses.filter((r) => r.id === responseId)).toEqual([]);
  });

  it('runs a typed command without a file option as today', async () => {
    const adapter = await startAdapter();
    const { body, responseId } = slashBody(MEMBER_USER, '/case', 'find nguyen van duc');
    await post(adapter, body);
    await api.until(() => api.responses.some((r) => r.id === responseId));
    expect(JSON.stringify(api.responses[0]!.body)).toContain(caseCode);
    expect(api.calls.map((c) => c.method)).not.toContain('views.open');
  });
});

describe('files with an answer to a typed command', () => {
  /** A read whose personal answer carries a file, as a check's does. */
  const exportList = defineCommand({
    name: 'export list',
    nameVi: 'xuất',
    description: text('x', 'x'),
    minRole: 'viewer',
    writes: false,
    options: [],
    run: async () =>
      ok({
        personal: true,
        blocks: [{ kind: 'text', text: 'Danh sách đã xuất' }],
        files: [{ name: 'ds.csv', data: new TextEncoder().encode('Họ tên\nNguyễn Văn Đức\n'), contentType: 'text/csv' }],
      }),
  });

  it('go to the invoker’s direct messages, under a note, while the answer stays ephemeral', async () => {
    const adapter = await startAdapter('http', new CommandRegistry([...commands.all(), exportList]));
    const { body, responseId } = slashBody(MEMBER_USER, '/casedesk', 'export list');
    await post(adapter, body);
    const dm = api.conversationWith(MEMBER_USER);
    await api.until(() => uploadsTo(dm).length === 1);
    expect(api.responses.filter((r) => r.id === responseId).map((r) => r.body.response_type)).toEqual(['ephemeral']);
    expect(uploadsTo(dm)[0]!.bytes.toString('utf8')).toContain('Nguyễn Văn Đức');
    const complete = api.calls.find((c) => c.method === 'files.completeUploadExternal')!;
    expect(complete.args.initial_comment).toBe('The file that goes with the answer to the command you ran.');
  });
});

describe('/case check over Socket Mode', () => {
  it('opens the form from the command’s envelope and runs the check from the submission’s', async () => {
    await startAdapter('socket');
    await api.until(() => api.socketConnections() === 1);
    const { body } = slashBody(MEMBER_USER, '/case', 'check priority:urgent');
    const commandEnvelope = api.sendEnvelope('slash_commands', Object.fromEntries(new URLSearchParams(body)));
    await api.until(() => api.views.length === 1);
    const [view] = api.views;
    const payload = api.viewSubmission(view!.id, {
      [inputOf(view!.view, 'file_input').block_id!]: { files: [api.addFile({ name: 'ds.csv', data: LIST })] },
    });
    const submitEnvelope = api.sendEnvelope('interactive', payload);
    await api.until(() => uploadsTo(api.conversationWith(MEMBER_USER)).length === 1);
    expect(api.acks.map((a) => a.envelope_id)).toEqual([commandEnvelope, submitEnvelope]);
    expect(await queryRows(t.db, sql`select priority::text from checks`)).toEqual([{ priority: 'urgent' }]);
  });
});

describe('the fake Slack, as strict as Slack, for forms and files', () => {
  const call = async (method: string, args: Record<string, unknown>, on: FakeSlackApi = api) =>
    (await (
      await fetch(`${on.apiUrl}${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${on.botToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      })
    ).json()) as { ok: boolean; error?: string; needed?: string; response_metadata?: { messages: string[] } };
  const plain = (value: string) => ({ type: 'plain_text', text: value });
  const modal = (more: Record<string, unknown> = {}) => ({
    type: 'modal',
    title: plain('Đối chiếu'),
    submit: plain('Gửi'),
    blocks: [{ type: 'input', block_id: 'f', label: plain('Tệp'), element: { type: 'file_input', action_id: 'v', max_files: 1 } }],
    ...more,
  });

  it('takes a trigger id once, within three seconds, for a modal within the view limits', async () => {
    const trigger = api.trigger(MEMBER_USER);
    expect(await call('views.open', { trigger_id: trigger, view: modal() })).toMatchObject({ ok: true });
    expect(await call('views.open', { trigger_id: trigger, view: modal() })).toEqual({ ok: false, error: 'exchanged_trigger_id' });
    expect(await call('views.open', { trigger_id: api.trigger(MEMBER_USER, { ageMs: 3001 }), view: modal() })).toEqual({
      ok: false,
      error: 'expired_trigger_id',
    });
    expect(await call('views.open', { trigger_id: `1.2.${randomUUID().replace(/-/g, '')}`, view: modal() })).toEqual({
      ok: false,
      error: 'invalid_trigger_id',
    });
    const refused = async (view: Record<string, unknown>) => {
      const answer = await call('views.open', { trigger_id: api.trigger(MEMBER_USER), view });
      expect(answer).toMatchObject({ ok: false, error: 'invalid_arguments' });
      return answer.response_metadata!.messages.join('\n');
    };
    expect(await refused(modal({ title: plain('x'.repeat(25)) }))).toContain('/view/title/text');
    expect(await refused(modal({ private_metadata: 'x'.repeat(3001) }))).toContain('/view/private_metadata');
    expect(await refused(modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'section', text: plain('x') })) }))).toContain(
      'at most 100',
    );
    expect(await refused(modal({ submit: undefined }))).toContain('/view/submit');
    expect(await refused(modal({ blocks: [{ type: 'actions', elements: [{ type: 'file_input', action_id: 'v' }] }] }))).toContain(
      'file_input is only allowed in an input block',
    );
    expect(
      await refused(
        modal({
          blocks: [
            {
              type: 'input',
              label: plain('Mức độ'),
              element: {
                type: 'static_select',
                action_id: 'v',
                options: [{ text: plain('thường'), value: 'routine' }],
                initial_option: { text: plain('khẩn'), value: 'urgent' },
              },
            },
          ],
        }),
      ),
    ).toContain('initial_option');
  });

  it('tells of a file only to a token with files:read, and serves its bytes only with the bot token', async () => {
    const file = api.addFile({ name: 'a.csv', data: LIST });
    expect(await call('files.info', { file: file.id })).toMatchObject({
      ok: true,
      file: { id: file.id, name: 'a.csv', size: Buffer.byteLength(LIST) },
    });
    expect(await call('files.info', { file: 'F0NOSUCH001' })).toEqual({ ok: false, error: 'file_not_found' });
    const withToken = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${api.botToken}` } });
    expect(await withToken.text()).toBe(LIST);
    const without = await fetch(file.url_private_download, { redirect: 'manual' });
    expect(without.status).toBe(302);
    expect(without.headers.get('location')).toMatch(/^https:\/\/casedesk-test\.slack\.com\/\?redir=/);
    await without.text();
    const narrow = await startFakeSlackApi({ scopes: ['commands', 'chat:write', 'files:write'] });
    try {
      expect(await call('files.info', { file: 'F0ANY000001' }, narrow)).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'files:read',
      });
      expect(await call('conversations.open', { users: MEMBER_USER }, narrow)).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'im:write',
      });
    } finally {
      await narrow.close();
    }
  });

  it('edits and uploads only into a conversation named by its id, never a user’s', async () => {
    const opened = (await call('conversations.open', { users: MEMBER_USER })) as unknown as { channel: { id: string } };
    expect(opened.channel.id).toBe(api.conversationWith(MEMBER_USER));
    const posted = (await call('chat.postMessage', { channel: MEMBER_USER, text: 'x' })) as unknown as { channel: string; ts: string };
    expect(posted.channel).toBe(opened.channel.id);
    expect(await call('chat.update', { channel: MEMBER_USER, ts: posted.ts, text: 'y' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
    expect(await call('chat.update', { channel: posted.channel, ts: '1.000000', text: 'y' })).toEqual({
      ok: false,
      error: 'message_not_found',
    });
    expect(await call('chat.update', { channel: posted.channel, ts: posted.ts, text: 'y' })).toMatchObject({ ok: true });
    expect(await call('files.completeUploadExternal', { files: [{ id: 'F1' }], channel_id: MEMBER_USER })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    expect(await call('chat.postMessage', { channel: 'D0NOTOURS01', text: 'x' })).toEqual({ ok: false, error: 'channel_not_found' });
  });
});
