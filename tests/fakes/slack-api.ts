import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for Slack, over real HTTP and WebSocket, answering as the published protocol
 * does: the Web API (`POST /api/{method}`, bearer-token auth, `ok`/`error` bodies, 429 with
 * `Retry-After` when told to) for `auth.test`, `chat.postMessage`, `chat.postEphemeral`,
 * `files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal` and
 * `apps.connections.open`; the Socket Mode WebSocket (hello, envelopes, acks); and `response_url`
 * endpoints, which take five posts each and refuse the sixth (404 `used_url`). Messages are
 * checked against Block Kit's limits as Slack checks them (`invalid_blocks`, `msg_too_long`),
 * lengths in UTF-16 units. It also signs requests as Slack signs them, for sending to an app over
 * HTTP.
 * https://docs.slack.dev/apis/web-api/  https://docs.slack.dev/apis/events-api/using-socket-mode
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
export interface FakeSlackApi {
  /** Pass as SLACK_API_URL: `http://127.0.0.1:PORT/api/`. */
  apiUrl: string;
  botToken: string;
  appToken: string;
  signingSecret: string;
  teamId: string;
  /** Every Web API call: method and its arguments. */
  calls: Array<{ method: string; args: Record<string, unknown>; at: number }>;
  /** Messages chat.postMessage took (not those it refused or rate limited), in order: what a channel or a user saw. */
  posted: Array<{ channel: string; args: Record<string, unknown>; at: number }>;
  /** Bytes sent to upload URLs, by file id. */
  uploads: Map<string, Buffer>;
  /** What arrived at each `response_url` and was taken, in order. */
  responses: Array<{ id: string; body: Record<string, unknown> }>;
  /** Posts to a `response_url` that were refused, and why (`used_url`, `invalid_blocks`, …). */
  refusedResponses: Array<{ id: string; error: string }>;
  /** Called as each answer arrives at a `response_url` (the benchmark waits on it). */
  onResponse: ((id: string, body: Record<string, unknown>) => void) | undefined;
  /** A new `response_url` on this fake. */
  responseUrl(): string;
  /** Answer the next `n` calls of `method` with 429 and `Retry-After: seconds`. */
  rateLimitNext(method: string, n: number, seconds: number): void;
  /** The app is not a member of `channel`: chat.postMessage there answers `not_in_channel`. */
  leaveChannel(channel: string): void;
  /** Socket Mode: open connections, envelopes sent and the acks received. */
  socketConnections(): number;
  sendEnvelope(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>): string;
  acks: Array<{ envelope_id: string; payload?: unknown }>;
  /** Headers for a body as Slack signs it: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`. */
  sign(body: string, timestamp?: number, secret?: string): Record<string, string>;
  until(check: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Posts one `response_url` takes (Slack: five, within 30 minutes). */
const RESPONSES_PER_URL = 5;

/**
 * Why Slack would refuse these blocks and text, or undefined: at most 50 blocks; text objects up
 * to 3,000 (header 150, field 2,000, button 75), up to 10 fields and 10 context elements, up to
 * 25 buttons in an actions block with values up to 2,000; message text up to 40,000.
 */
export function blockKitError(text: unknown, blocks: unknown): 'invalid_blocks' | 'msg_too_long' | undefined {
  if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  type TextObject = { type?: string; text?: unknown };
  const textOk = (t: TextObject | undefined, max: number) =>
    !!t && typeof t.text === 'string' && t.text.length >= 1 && t.text.length <= max;
  for (const block of blocks as Array<{
    type?: string;
    text?: TextObject;
    fields?: TextObject[];
    elements?: Array<TextObject & { text?: TextObject | string; value?: string }>;
  }>) {
    switch (block.type) {
      case 'header':
        if (!textOk(block.text, 150) || block.text?.type !== 'plain_text') return 'invalid_blocks';
        break;
      case 'section':
        if (!block.text && !block.fields) return 'invalid_blocks';
        if (block.text && !textOk(block.text, 3000)) return 'invalid_blocks';
        if (block.fields && (block.fields.length > 10 || !block.fields.every((f) => textOk(f, 2000)))) return 'invalid_blocks';
        break;
      case 'context':
        if (!block.elements?.length || block.elements.length > 10 || !block.elements.every((e) => textOk(e as TextObject, 3000)))
          return 'invalid_blocks';
        break;
      case 'actions':
        if (!block.elements?.length || block.elements.length > 25) return 'invalid_blocks';
        for (const e of block.elements) {
          if (!textOk(e.text as TextObject, 75) || (e.value !== undefined && e.value.length > 2000)) return 'invalid_blocks';
        }
        break;
      case 'divider':
        break;
      default:
        return 'invalid_blocks';
    }
  }
  return undefined;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Web API arguments: form-encoded (complex values as JSON strings) or JSON. */
function parseArgs(raw: Buffer, type: string): Record<string, unknown> {
  const text = raw.toString('utf8');
  if (!text) return {};
  if (type.startsWith('application/json')) return JSON.parse(text) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    args[key] = /^[[{]/.test(value)
      ? (() => {
          try {
            return JSON.parse(value) as unknown;
          } catch {
            return value;
          }
        })()
      : value;
  }
  return args;
}

export async function startFakeSlackApi(
  options: { botToken?: string; appToken?: string; signingSecret?: string; teamId?: string } = {},
): Promise<FakeSlackApi> {
  const botToken = options.botToken ?? 'xoxb-1111-2222-fakebottoken';
  const appToken = options.appToken ?? 'xapp-1-A111-2222-fakeapptoken';
  const signingSecret = options.signingSecret ?? 'f4k3s1gn1ngs3cr3t';
  const teamId = options.teamId ?? 'T0CASEDESK';
  const calls: FakeSlackApi['calls'] = [];
  const posted: FakeSlackApi['posted'] = [];
  const uploads = new Map<string, Buffer>();
  const responses: FakeSlackApi['responses'] = [];
  const refusedResponses: FakeSlackApi['refusedResponses'] = [];
  const postsPerUrl = new Map<string, number>();
  const acks: FakeSlackApi['acks'] = [];
  const limits = new Map<string, { n: number; seconds: number }>();
  const notInChannel = new Set<string>();
  let port = 0;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readRaw(req);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const response = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (response && req.method === 'POST') {
      const id = response[1]!;
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      // Slack answers a response_url in plain text: `ok`, or the error with a 4xx status.
      const refuse = (status: number, error: string) => {
        refusedResponses.push({ id, error });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(error);
      };
      const used = postsPerUrl.get(id) ?? 0;
      if (used >= RESPONSES_PER_URL) return refuse(404, 'used_url');
      const invalid = blockKitError(body.text, body.blocks);
      if (invalid) return refuse(400, invalid);
      postsPerUrl.set(id, used + 1);
      responses.push({ id, body });
      fake.onResponse?.(id, body);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('ok');
    }
    const upload = /^\/upload\/(F\w+)$/.exec(url.pathname);
    if (upload && req.method === 'POST') {
      // The upload URL takes the bytes raw or as a multipart form with one file.
      const type = req.headers['content-type'] ?? '';
      let bytes = raw;
      if (type.startsWith('multipart/form-data')) {
        const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
        const file = [...form.values()].find((v) => typeof v !== 'string');
        bytes = file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
      }
      uploads.set(upload[1]!, bytes);
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`OK - ${bytes.length}`);
    }
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!api || req.method !== 'POST') return json(404, { ok: false, error: 'unknown_method' });
    const method = api[1]!;
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    calls.push({ method, args, at: Date.now() });
    const limit = limits.get(method);
    if (limit && limit.n > 0) {
      limit.n -= 1;
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.seconds) });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
    const wanted = method === 'apps.connections.open' ? appToken : botToken;
    if (token !== wanted) return json(200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'auth.test':
        return json(200, {
          ok: true,
          url: 'https://casedesk-test.slack.com/',
          team: 'casedesk-test',
          user: 'casedesk',
          team_id: teamId,
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
          is_enterprise_install: false,
        });
      case 'chat.postMessage': {
        const invalid = blockKitError(args.text, args.blocks);
        if (invalid) return json(200, { ok: false, error: invalid });
        if (notInChannel.has(String(args.channel))) return json(200, { ok: false, error: 'not_in_channel' });
        posted.push({ channel: String(args.channel), args, at: Date.now() });
        return json(200, {
          ok: true,
          channel: args.channel,
          ts: `${Date.now() / 1000}`,
          message: { text: args.text, blocks: args.blocks },
        });
      }
      case 'chat.postEphemeral':
        return json(200, { ok: true, message_ts: `${Date.now() / 1000}` });
      case 'files.getUploadURLExternal': {
        if (typeof args.filename !== 'string' || args.filename === '') return json(200, { ok: false, error: 'invalid_arguments' });
        // Slack: `missing_argument` "typically only occurs when the length provided is 0".
        if (!(Number(args.length) > 0)) return json(200, { ok: false, error: 'missing_argument' });
        const fileId = `F${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
        return json(200, { ok: true, upload_url: `http://127.0.0.1:${port}/upload/${fileId}`, file_id: fileId });
      }
      case 'files.completeUploadExternal': {
        const files = (args.files as Array<{ id: string; title?: string }> | undefined) ?? [];
        return json(200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title, name: f.title })) });
      }
      case 'apps.connections.open':
        return json(200, { ok: true, url: `ws://127.0.0.1:${port}/socket` });
      default:
        return json(200, { ok: false, error: 'unknown_method' });
    }
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/socket')) return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws));
  });
  const open = new Set<WebSocket>();
  sockets.on('connection', (ws) => {
    open.add(ws);
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.size,
        debug_info: { host: 'fake', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0CASEDESK' },
      }),
    );
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (frame.envelope_id)
        acks.push(
          frame.payload === undefined ? { envelope_id: frame.envelope_id } : { envelope_id: frame.envelope_id, payload: frame.payload },
        );
    });
    ws.on('close', () => open.delete(ws));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  const fake: FakeSlackApi = {
    onResponse: undefined,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    botToken,
    appToken,
    signingSecret,
    teamId,
    calls,
    posted,
    uploads,
    responses,
    refusedResponses,
    acks,
    responseUrl: () => `http://127.0.0.1:${port}/response/${randomUUID()}`,
    rateLimitNext(method, n, seconds) {
      limits.set(method, { n, seconds });
    },
    leaveChannel(channel) {
      notInChannel.add(channel);
    },
    socketConnections: () => open.size,
    sendEnvelope(type, payload) {
      const envelopeId = randomUUID();
      const envelope = {
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type === 'slash_commands',
        retry_attempt: 0,
        retry_reason: '',
      };
      for (const ws of open) ws.send(JSON.stringify(envelope));
      return envelopeId;
    },
    sign(body, timestamp = Math.floor(Date.now() / 1000), secret = signingSecret) {
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
    },
    async until(check, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('fake Slack: timed out waiting');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
