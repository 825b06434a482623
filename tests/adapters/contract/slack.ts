import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { expect } from 'vitest';
// The adapter, reached only through its factory, and Slack's limits: the imports to re-point when
// the adapter's insides move.
import { createSlackAdapter } from '../../../src/adapters/slack/adapter.ts';
import { SLACK_LIMITS } from '../../../src/adapters/slack/render.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { startFakeSlackApi } from '../../fakes/slack-api.ts';
import { makeMember } from '../../factories/index.ts';
import {
  CONTRACT_COMMANDS,
  lines,
  settled,
  type Harness,
  type HarnessOptions,
  type Seen,
  type SeenButton,
  type Settle,
} from './harness.ts';

const CHANNEL = 'C0CASES001';
/** The slash commands casedesk registers; any other command goes through `/casedesk`. */
const SLASH = new Set(['case', 'followup', 'digest', 'meeting']);

type Body = Record<string, unknown>;
type Text = { type: string; text: string };
type Block = { type: string; text?: Text; fields?: Text[]; elements?: Array<Record<string, unknown>> };
type Button = { action_id: string; value: string; text: Text };
const blocksOf = (body: Body) => (body.blocks ?? []) as Block[];
const textsOf = (body: Body): Text[] =>
  blocksOf(body).flatMap((b) => [
    ...(b.text ? [b.text] : []),
    ...(b.fields ?? []),
    ...(b.type === 'context' ? (b.elements as Text[]) : []),
  ]);
const buttonsOf = (body: Body) =>
  blocksOf(body)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Button[]);

/**
 * Slack's limits on one message, in UTF-16 units as Slack counts them: at most 50 blocks; a
 * section's text up to 3,000, a field 2,000, a header 150; up to 10 context elements; and about
 * 12,000 characters of text in all.
 */
function within(message: Body): void {
  const blocks = blocksOf(message);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  let chars = String(message.text ?? '').length;
  for (const b of blocks) {
    if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    if (b.type === 'context') expect(b.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    chars += (b.text?.text.length ?? 0) + (b.fields ?? []).reduce((n, f) => n + f.text.length, 0);
    for (const e of b.elements ?? []) {
      const t = typeof e.text === 'string' ? e.text : ((e.text as { text?: string } | undefined)?.text ?? '');
      if (b.type === 'context') expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      chars += t.length;
    }
  }
  expect(chars).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
}

/** Slack through the Bolt app over HTTP, with the fake Web API and response_urls. */
export async function startSlackHarness({ db }: HarnessOptions): Promise<Harness> {
  const api = await startFakeSlackApi();
  const dispatcher = createDispatcher({
    db,
    commands: CONTRACT_COMMANDS,
    locale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
  const adapter = createSlackAdapter({
    dispatcher,
    connection: { botToken: api.botToken, signingSecret: api.signingSecret, port: 0, apiUrl: api.apiUrl },
    logger: pino({ level: 'silent' }),
    postIntervalMs: 50,
    locale: 'en',
  });
  await adapter.start();
  /** How each message reached its reader: through the request's response_url, or chat.postMessage. */
  const via = new WeakMap<Seen, 'response' | 'post'>();

  const seen = (body: Body, where: Seen['where'], replaces: boolean, to: string | undefined, how: 'response' | 'post'): Seen => {
    const buttons: SeenButton[] = buttonsOf(body).map((b) => ({ label: b.text.text, disabled: false, raw: b }));
    const position = blocksOf(body)
      .filter((b) => b.type === 'context' && b.elements?.length === 1)
      .map((b) => /^(\d+)\/(\d+)$/.exec(String((b.elements![0] as Text).text)))
      .find(Boolean);
    const s: Seen = {
      where,
      to,
      replaces,
      text: lines(...textsOf(body).map((t) => t.text)),
      buttons,
      page: position ? { index: Number(position[1]) - 1, count: Number(position[2]) } : undefined,
      raw: body,
    };
    via.set(s, how);
    return s;
  };
  const response = (body: Body) =>
    body.response_type === 'in_channel'
      ? seen(body, 'channel', body.replace_original === true, CHANNEL, 'response')
      : seen(body, 'private', body.replace_original === true, undefined, 'response');
  // Slack opens the conversation with a user when a message is posted to their user id.
  const posted = (p: (typeof api.posted)[number]) =>
    seen(p.args, p.channel.startsWith('U') ? 'direct' : 'channel', false, p.channel, 'post');

  /** Sends a signed request to the app, and gives what answered it once settled. */
  const run = async (body: string, responseId: string, settle: Settle = {}): Promise<Seen[]> => {
    const before = api.posted.length;
    const answered = await fetch(`http://127.0.0.1:${adapter.port()}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(body) },
      body,
    });
    await answered.text();
    expect(answered.status).toBe(200);
    return settled(
      () => [...api.responses.filter((r) => r.id === responseId).map((r) => response(r.body)), ...api.posted.slice(before).map(posted)],
      settle,
    );
  };
  const trigger = () => `${Date.now()}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, '')}`;

  return {
    platform: 'slack',
    can: {
      buttons: true,
      channelAnswers: 'reply',
      directMessages: true,
      fileUpload: true,
      rateLimits: { seconds: 1, minGapMs: 900 },
      // A confirm or cancel answers in place of the question, refusals included.
      refusalsApart: false,
      firstPageBack: 'absent',
    },
    channel: CHANNEL,
    messagesPerAnswer: SLACK_LIMITS.responsesPerUrl,
    cutNote:
      /This answer has (\d+) parts, but Slack takes only 5 replies to one command, so the last \d+ parts were cut\.[\s\S]*meeting minutes/,
    bullet: '•',
    mention: '<!channel>',
    stranger: { handle: 'stranger', userId: 'U0STRANGER' },
    accessHint: (user) => `--platform slack --workspace ${api.teamId} --user ${user.userId}`,
    async join(member) {
      const userId = `U0${member.handle
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .padEnd(8, '0')}`;
      await makeMember(db, { ...member, locale: 'en', slack: { team: api.teamId, user: userId } });
      return { handle: member.handle, userId };
    },
    send(user, request, settle) {
      // A slash command as Slack posts it: form-encoded, with a response_url and a trigger id.
      const [first = '', ...rest] = request.line.split(' ');
      const [command, text] = SLASH.has(first) ? [`/${first}`, rest.join(' ')] : ['/casedesk', request.line];
      const responseUrl = api.responseUrl();
      const body = new URLSearchParams({
        token: 'deprecated-verification-token',
        team_id: api.teamId,
        team_domain: 'casedesk-test',
        channel_id: CHANNEL,
        channel_name: 'truy-na',
        user_id: user.userId,
        user_name: 'someone',
        command,
        text,
        api_app_id: 'A0CASEDESK',
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: trigger(),
      }).toString();
      return run(body, responseUrl.split('/').at(-1)!, settle);
    },
    press(user, button, settle) {
      // A button press (block_actions) on an ephemeral message, form-encoded as `payload=`.
      const pressed = button.raw as Button;
      const responseUrl = api.responseUrl();
      const payload = {
        type: 'block_actions',
        user: { id: user.userId, username: 'someone', name: 'someone', team_id: api.teamId },
        api_app_id: 'A0CASEDESK',
        token: 'deprecated-verification-token',
        container: { type: 'message', message_ts: '1700000000.000100', channel_id: CHANNEL, is_ephemeral: true },
        trigger_id: trigger(),
        team: { id: api.teamId, domain: 'casedesk-test' },
        enterprise: null,
        is_enterprise_install: false,
        channel: { id: CHANNEL, name: 'truy-na' },
        state: { values: {} },
        response_url: responseUrl,
        actions: [
          {
            action_id: pressed.action_id,
            block_id: 'b1',
            text: { type: 'plain_text', text: 'x' },
            value: pressed.value,
            type: 'button',
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      };
      return run(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), responseUrl.split('/').at(-1)!, settle);
    },
    posts: () => api.posted.map(posted),
    poster: {
      post: (channel, message, attachments) => adapter.post(channel, message, attachments),
      direct: (userId, message) => adapter.poster.direct(userId, message),
    },
    postAttempts: (channel) => api.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel).map((c) => c.at),
    uploads: (channel) =>
      api.calls
        .filter((c) => c.method === 'files.completeUploadExternal' && c.args.channel_id === channel)
        .flatMap((c) =>
          (c.args.files as Array<{ id: string; title: string }>).map((f) => ({ bytes: api.uploads.get(f.id)!, title: f.title })),
        ),
    rateLimitNext: () => api.rateLimitNext('chat.postMessage', 1, 1),
    live(s) {
      // Only mrkdwn (outside code) and the fallback text are parsed.
      const body = s.raw as Body;
      const parsed = [
        ...textsOf(body)
          .filter((t) => t.type === 'mrkdwn')
          .map((t) => t.text.replace(/```[\s\S]*?```/g, '')),
        String(body.text ?? ''),
      ];
      return parsed.flatMap((text) => [...text.matchAll(/<[!@#]|<https?:/g)].map((m) => m[0]));
    },
    withinLimits: (s) => within(s.raw as Body),
    specific: {
      doneButton(done) {
        expect(JSON.parse((done.raw as Button).value)).toEqual({ c: 'followup done', o: { id: '1' } });
      },
      strangerPress(answer) {
        // Slack says nothing of the user's language: the stranger is answered in the default one.
        expect(answer[0]!.text).toContain('Bạn chưa được cấp quyền dùng casedesk.');
      },
      paged(first, second) {
        // The "done" buttons of #1–#5 are on the page that shows them, and go with it.
        const done = buttonsOf(first.raw as Body).filter((b) => b.action_id.startsWith('cd:action:'));
        expect(done.map((b) => b.text.text)).toEqual(['Done #1', 'Done #2', 'Done #3', 'Done #4', 'Done #5']);
        for (const b of done) expect(JSON.stringify((first.raw as Body).blocks)).toContain(`${b.text.text.slice(5)} · TN-2021-000001`);
        expect(buttonsOf(first.raw as Body).find((b) => b.action_id === 'cd:page:next')).toBeDefined();
        expect(buttonsOf(second.raw as Body).filter((b) => b.action_id.startsWith('cd:action:'))).toEqual([]);
      },
      channelWhole(answer) {
        // The first part is the one reply to the command; the rest go with chat.postMessage.
        expect(answer.filter((m) => via.get(m) === 'response')).toHaveLength(1);
        expect(answer[0]).toMatchObject({ where: 'channel', to: CHANNEL });
        expect(via.get(answer[0]!)).toBe('response');
        expect(answer.filter((m) => via.get(m) === 'post').length).toBeGreaterThanOrEqual(SLACK_LIMITS.responsesPerUrl);
      },
      digestPosted(message, png) {
        expect(String((message.raw as Body).text)).toBe('Tiến độ &lt;!channel&gt;');
        const complete = api.calls.filter((c) => c.method === 'files.completeUploadExternal');
        expect(complete).toHaveLength(1);
        expect(complete[0]!.args.channel_id).toBe(CHANNEL);
        const [fileId] = [...api.uploads.keys()];
        expect(api.uploads.get(fileId!)).toEqual(png);
        expect(complete[0]!.args.files).toEqual([{ id: fileId, title: 'Biểu đồ' }]);
      },
    },
    async stop() {
      await adapter.stop();
      try {
        // Every answer fitted Slack's limits and the five posts a response_url takes.
        expect(api.refusedResponses).toEqual([]);
      } finally {
        await api.close();
      }
    },
  };
}
