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
 * endpoints. It also signs requests as Slack signs them, for sending to an app over HTTP.
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
  /** Bytes sent to upload URLs, by file id. */
  uploads: Map<string, Buffer>;
  /** What arrived at each `response_url`, in order. */
  responses: Array<{ id: string; body: Record<string, unknown> }>;
  /** Called as each answer arrives at a `response_url` (the benchmark waits on it). */
  onResponse: ((id: string) => void) | undefined;
  /** A new `response_url` on this fake. */
  responseUrl(): string;
  /** Answer the next `n` calls of `method` with 429 and `Retry-After: seconds`. */
  rateLimitNext(method: string, n: number, seconds: number): void;
  /** Socket Mode: open connections, envelopes sent and the acks received. */
  socketConnections(): number;
  sendEnvelope(type: 'slash_commands' | 'interactive', payload: Record<string, unknown>): string;
  acks: Array<{ envelope_id: string; payload?: unknown }>;
  /** Headers for a body as Slack signs it: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`. */
  sign(body: string, timestamp?: number, secret?: string): Record<string, string>;
  until(check: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
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
    args[key] = /^[[{]/.test(value) ? (() => { try { return JSON.parse(value); } catch { return value; } })() : value;
  }
  return args;
}

export async function startFakeSlackApi(options: { botToken?: string; appToken?: string; signingSecret?: string; teamId?: string } = {}): Promise<FakeSlackApi> {
  const botToken = options.botToken ?? 'xoxb-1111-2222-fakebottoken';
  const appToken = options.appToken ?? 'xapp-1-A111-2222-fakeapptoken';
  const signingSecret = options.signingSecret ?? 'f4k3s1gn1ngs3cr3t';
  const teamId = options.teamId ?? 'T0CASEDESK';
  const calls: FakeSlackApi['calls'] = [];
  const uploads = new Map<string, Buffer>();
  const responses: FakeSlackApi['responses'] = [];
  const acks: FakeSlackApi['acks'] = [];
  const limits = new Map<string, { n: number; seconds: number }>();
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
      responses.push({ id: response[1]!, body: JSON.parse(raw.toString('utf8')) as Record<string, unknown> });
      fake.onResponse?.(response[1]!);
      return json(200, { ok: true });
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
        return json(200, { ok: true, url: 'https://casedesk-test.slack.com/', team: 'casedesk-test', user: 'casedesk', team_id: teamId, user_id: 'U0BOT', bot_id: 'B0BOT', is_enterprise_install: false });
      case 'chat.postMessage':
        return json(200, { ok: true, channel: args.channel, ts: `${Date.now() / 1000}`, message: { text: args.text, blocks: args.blocks } });
      case 'chat.postEphemeral':
        return json(200, { ok: true, message_ts: `${Date.now() / 1000}` });
      case 'files.getUploadURLExternal': {
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
    ws.send(JSON.stringify({ type: 'hello', num_connections: open.size, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0CASEDESK' } }));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (frame.envelope_id) acks.push(frame.payload === undefined ? { envelope_id: frame.envelope_id } : { envelope_id: frame.envelope_id, payload: frame.payload });
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
    uploads,
    responses,
    acks,
    responseUrl: () => `http://127.0.0.1:${port}/response/${randomUUID()}`,
    rateLimitNext(method, n, seconds) {
      limits.set(method, { n, seconds });
    },
    socketConnections: () => open.size,
    sendEnvelope(type, payload) {
      const envelopeId = randomUUID();
      const envelope = { envelope_id: envelopeId, type, payload, accepts_response_payload: type === 'slash_commands', retry_attempt: 0, retry_reason: '' };
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
