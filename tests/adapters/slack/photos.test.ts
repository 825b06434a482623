import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { startFakeSlackApi, type FakeSlackApi, type FakeSlackFile } from '../../fakes/slack-api.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';
import { CAMERA, jpegWithGps } from '../../support/images.ts';

/**
 * A photo's round trip on Slack, real Bolt to the fake: `/case info CODE photo` opens a form with
 * an image input, its submission stores the photo without its metadata; `/case show` answers
 * ephemerally and sends the photo to the member's direct messages, never to the channel; each
 * view audited.
 */
const MEMBER_USER = 'U0MEMBER01';
const CHANNEL = 'C0CASES001';

let t: TestDb;
let api: FakeSlackApi;
let code: string;
const adapters: Array<ReturnType<typeof createSlackAdapter>> = [];

async function startAdapter() {
  const logger = pino({ level: 'silent' });
  const dispatcher = createDispatcher({ db: t.db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
  const adapter = createSlackAdapter({
    dispatcher,
    connection: { botToken: api.botToken, signingSecret: api.signingSecret, port: 0, apiUrl: api.apiUrl },
    logger,
    postIntervalMs: 20,
    locale: 'en',
    commands,
  });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

async function post(adapter: ReturnType<typeof createSlackAdapter>, body: string) {
  const response = await fetch(`http://127.0.0.1:${adapter.port()}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(body) },
    body,
  });
  return response.status;
}

/** `/case <typed>` as Slack posts it; gives the id of its response_url. */
async function slash(adapter: ReturnType<typeof createSlackAdapter>, typed: string) {
  const responseUrl = api.responseUrl();
  const body = new URLSearchParams({
    team_id: api.teamId,
    channel_id: CHANNEL,
    channel_name: 'truy-na',
    user_id: MEMBER_USER,
    user_name: 'duc',
    command: '/case',
    text: typed,
    api_app_id: 'A0CASEDESK',
    response_url: responseUrl,
    trigger_id: api.trigger(MEMBER_USER),
  }).toString();
  expect(await post(adapter, body)).toBe(200);
  return responseUrl.split('/').at(-1)!;
}

type Block = { type: string; block_id?: string; element?: { type?: string } };
const fileBlock = (view: Record<string, unknown>) => (view.blocks as Block[]).find((b) => b.element?.type === 'file_input')!;
const submit = (adapter: ReturnType<typeof createSlackAdapter>, viewId: string, view: Record<string, unknown>, file: FakeSlackFile) =>
  post(
    adapter,
    new URLSearchParams({
      payload: JSON.stringify(api.viewSubmission(viewId, { [fileBlock(view).block_id!]: { files: [file] } })),
    }).toString(),
  );
const directMessages = () =>
  api.posted.filter((p) => p.conversation === api.conversationWith(MEMBER_USER)).map((p) => JSON.stringify(p.args.blocks));
const uploadsTo = (conversation: string) =>
  api.calls
    .filter((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === conversation)
    .flatMap((c) => (c.args.files as Array<{ id: string; title: string }>).map((f) => ({ title: f.title, bytes: api.uploads.get(f.id)! })));

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
  code = (await makeCase(t.db, { unit: 'CAQ-HK', fullName: 'Nguyễn Văn Đức' })).code;
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  expect(api.refusedResponses).toEqual([]);
  // Nothing of a photo ever reaches the channel.
  expect(api.posted.filter((p) => p.conversation === CHANNEL)).toEqual([]);
  expect(uploadsTo(CHANNEL)).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('photos on Slack', () => {
  it('takes a photo in a form, then sends it to the member’s direct messages for /case show, audited', async () => {
    const adapter = await startAdapter();
    await slash(adapter, `info ${code} photo`);
    await api.until(() => api.views.length === 1);
    const opened = api.views[0]!;
    expect(fileBlock(opened.view)).toMatchObject({ element: { type: 'file_input', filetypes: ['jpg', 'jpeg', 'png', 'webp'] } });
    expect(
      await submit(adapter, opened.id, opened.view, api.addFile({ name: 'anh.jpg', data: await jpegWithGps(), user: MEMBER_USER })),
    ).toBe(200);
    await api.until(() => directMessages().length === 1);
    expect(directMessages()[0]).toContain(`Stored photo 1 of ${code}`);

    const responseId = await slash(adapter, `show ${code}`);
    const dm = api.conversationWith(MEMBER_USER);
    await api.until(() => uploadsTo(dm).length === 1);
    const [answer] = api.responses.filter((r) => r.id === responseId);
    expect(answer!.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer!.body.blocks)).toContain('Photos (1)');
    const [shown] = uploadsTo(dm);
    expect(
      api.calls.find((c) => c.method === 'files.getUploadURLExternal' && String(c.args.filename).endsWith('.jpg'))!.args.filename,
    ).toBe(`${code}-photo-1.jpg`);
    const meta = await sharp(shown!.bytes).metadata();
    expect([meta.format, meta.exif]).toEqual(['jpeg', undefined]);
    expect(shown!.bytes.includes(Buffer.from(CAMERA.make))).toBe(false);

    const audit = await queryRows<{ command: string; args: { photos?: number[] } }>(
      t.db,
      sql`select command, args from audit_log order by id`,
    );
    expect(audit.map((a) => [a.command, a.args.photos])).toEqual([
      ['case info', undefined],
      ['case show', [1]],
    ]);
  });

  it('runs marks as typed, without a form', async () => {
    const adapter = await startAdapter();
    const responseId = await slash(adapter, `info ${code} marks sẹo ở má trái`);
    await api.until(() => api.responses.some((r) => r.id === responseId));
    expect(api.views).toEqual([]);
    expect(JSON.stringify(api.responses.find((r) => r.id === responseId)!.body)).toContain(`Added identifying marks to ${code} (entry 1;`);
  });
});
