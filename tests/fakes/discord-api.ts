import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for Discord's REST API (v10) and gateway, over real HTTP and WebSocket,
 * answering as the published protocol does: bot-token authorization, `GET /gateway/bot`, the
 * gateway handshake (HELLO, IDENTIFY → READY, heartbeats and their ACKs, RESUME → RESUMED),
 * `INTERACTION_CREATE` dispatches, the interaction callback, editing the original response and
 * follow-ups, channel messages (JSON, or multipart with `payload_json` and `files[n]`, both for
 * channel messages and for the interaction's webhook), bulk overwrite of application commands,
 * rate-limit headers, and 429 responses with `retry_after` when told to. A dropped connection can
 * RESUME its session and gets the events it missed. It records every request it receives (the
 * CDN's apart, in `cdnRequests`).
 *
 * Files a user attached to a command ({@link FakeDiscordApi.addAttachment}) and files the bot
 * uploaded are served by a CDN route on the same server, at signed addresses (`ex`, `is`, `hm`) as
 * Discord's are: an expired or altered address is answered 404, as Discord's CDN answers it.
 *
 * It refuses what Discord refuses, with Discord's error codes: a second callback for one
 * interaction (400, 40060), a callback later than 3 s after the interaction was dispatched (404,
 * 10062), editing the original response or sending a follow-up before any callback (404, 10015),
 * or after the interaction token's 15 minutes (401, 50027), a message over Discord's limits (400,
 * 50035: content, embeds, fields, total embed text, action rows, components per row, custom ids,
 * button labels), more than 10 files or an `attachments` entry naming no `files[n]` part (400,
 * 50035), and a file over the interaction's `attachment_size_limit` (10 MiB when it gave none) or
 * a request over 25 MiB (413, 40005).
 * https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
 * https://discord.com/developers/docs/resources/message#embed-object-embed-limits
 * https://discord.com/developers/docs/components/reference
 * https://discord.com/developers/docs/reference#uploading-files
 * https://discord.com/developers/docs/reference#signed-attachment-cdn-urls
 * https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-resolved-data-structure
 * https://discord.com/developers/docs/events/gateway
 * https://discord.com/developers/docs/interactions/receiving-and-responding
 * https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
 * https://discord.com/developers/docs/topics/rate-limits
 */
export interface FakeDiscordApi {
  /** Pass as DISCORD_API_URL: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  token: string;
  requests: Array<{ method: string; path: string; body: unknown; at: number }>;
  /** Registered commands by `global` or guild id. */
  commands: Map<string, unknown[]>;
  /** Answer the next `n` requests with 429, asking to retry after `seconds`. */
  rateLimitNext(n: number, seconds: number): void;
  /** The bot user the gateway says the client is. */
  bot: { id: string; username: string };
  /** Gateway sessions that completed IDENTIFY. */
  sessions(): number;
  /** Dispatches INTERACTION_CREATE to every identified session (as if each instance got it). */
  dispatchInteraction(interaction: Record<string, unknown>): void;
  /** Interaction callbacks (`POST /interactions/{id}/{token}/callback`), by interaction id. */
  callbacks: Array<{ interactionId: string; type: number; data: unknown }>;
  /**
   * Edits of the original response and follow-up messages, by interaction token, with the files
   * that ended on the message (an edit keeps only the new files its `attachments` lists, as v10 does).
   */
  webhookMessages: Array<{ token: string; kind: 'original' | 'followup'; body: Record<string, unknown>; files: UploadedFile[] }>;
  /** Messages created in channels (`POST /channels/{id}/messages`), JSON or multipart with files. */
  channelMessages: Array<{ channelId: string; body: Record<string, unknown>; files: UploadedFile[] }>;
  /** DM channels opened, by user id. */
  dmChannels: Map<string, string>;
  /**
   * A file a user attached to a command, served by the fake's CDN: put the returned object in the
   * interaction's `data.resolved.attachments`, under its id. `size` is what Discord declares
   * (the file's own size unless given); `expired` gives an address whose signature has run out.
   */
  addAttachment(file: {
    filename: string;
    data: Uint8Array | string;
    contentType?: string;
    size?: number;
    expired?: boolean;
  }): ResolvedAttachment;
  /** Requests to the CDN route (attachments' `url` and `proxy_url`), with the status answered. */
  cdnRequests: Array<{ path: string; status: number }>;
  /** Closes every gateway connection with `code`, keeping the sessions for a RESUME (4000: unknown error). */
  dropConnections(code?: number): void;
  /** IDENTIFY (with the intents asked for) and RESUME frames received. */
  gatewayLog: Array<{ op: 'identify' | 'resume'; intents?: number; sessionId?: string; seq?: number }>;
  /** Heartbeats (op 1) received, each answered with an ACK (op 11). */
  heartbeats(): number;
  /** Requests refused for breaking the protocol or Discord's limits (40060, 10062, 10015, 50027, 50035, 40005, or a forced refusal). */
  refused: Array<{ method: string; path: string; status: number; code: number }>;
  /** Refuses the next request for which `match` holds with `status` and Discord's JSON error `{ code, message }`. */
  refuseNext(match: (request: { method: string; path: string }) => boolean, status: number, error: { code: number; message: string }): void;
  /** Resolves when `check` holds, polling; rejects after `ms`. */
  until(check: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

let snowflake = 1_100_000_000_000_000_000n;
const nextId = () => String(snowflake++);

export interface UploadedFile {
  /** The form field: `files[0]`, … */
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

/** An attachment as Discord describes it in an interaction's resolved data or a message. */
export interface ResolvedAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
}

/** A JSON body, or a multipart one (`payload_json` and `files[n]`) as Discord accepts uploads. */
async function readBody(req: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[]; bytes: number }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const bytes = raw.length;
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    // The platform's own multipart parser (undici), not a hand-rolled one.
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files, bytes };
  }
  const text = raw.toString('utf8');
  return { body: text ? JSON.parse(text) : undefined, files: [], bytes };
}

/** Discord's limits on uploads: files per message, the default size of one file, and of a whole request. */
export const FILE_LIMITS = { files: 10, defaultFileBytes: 10 * 1024 * 1024, requestBytes: 25 * 1024 * 1024 } as const;

/** The `n` of a `files[n]` part, or undefined for another field. */
const partIndex = (field: string) => /^files\[(\d+)\]$/.exec(field)?.[1];

/**
 * Why Discord would refuse the files of a message, or undefined: more than 10 (400, 50035), one over
 * `maxFileBytes` (413, 40005), or an entry of `attachments` for a new file (an id that is not a
 * snowflake: the `n` of `files[n]`) with no such part (400, 50035).
 */
export function fileProblems(
  body: Record<string, unknown> | undefined,
  files: UploadedFile[],
  maxFileBytes: number,
): { status: number; code: number; message: string; errors?: string[] } | undefined {
  if (files.length > FILE_LIMITS.files) {
    return { status: 400, code: 50035, message: 'Invalid Form Body', errors: [`files: more than ${FILE_LIMITS.files}`] };
  }
  if (files.some((f) => f.bytes.length > maxFileBytes)) return { status: 413, code: 40005, message: 'Request entity too large' };
  const parts = new Set(files.map((f) => partIndex(f.field)).filter((n) => n !== undefined));
  const listed = Array.isArray(body?.attachments) ? (body.attachments as Array<{ id?: unknown }>) : [];
  const errors = listed.flatMap((a, i) => {
    const id = String(a.id);
    const placeholder = /^\d{1,16}$/.test(id);
    return placeholder && !parts.has(String(Number(id))) ? [`attachments.${i}.id: no files[${id}] part`] : [];
  });
  return errors.length ? { status: 400, code: 50035, message: 'Invalid Form Body', errors } : undefined;
}

/** A slash command from a server channel, as Discord sends it in INTERACTION_CREATE. */
export function slashCommand(input: {
  applicationId: string;
  guildId: string;
  userId: string;
  command: string;
  subcommand?: string;
  options: Array<{ name: string; type: number; value: string | number }>;
  /** Files attached to the command's attachment options (type 11), from {@link FakeDiscordApi.addAttachment}. */
  attachments?: ResolvedAttachment[];
  locale?: string;
  /** What files the answer may carry, in bytes; Discord sends it with every interaction. */
  attachmentSizeLimit?: number;
  channelId?: string;
}): Record<string, unknown> & { id: string; token: string } {
  const channelId = input.channelId ?? '3000000000000000001';
  const options = input.subcommand ? [{ type: 1, name: input.subcommand, options: input.options }] : input.options;
  return {
    id: String(1_300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    application_id: input.applicationId,
    type: 2,
    token: `interaction-${randomUUID()}`,
    version: 1,
    guild_id: input.guildId,
    channel_id: channelId,
    channel: { id: channelId, type: 0 },
    member: {
      user: { id: input.userId, username: 'user', discriminator: '0', avatar: null, global_name: null },
      roles: [],
      permissions: '0',
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    data: {
      id: '1400000000000000001',
      name: input.command,
      type: 1,
      options,
      ...(input.attachments?.length ? { resolved: { attachments: Object.fromEntries(input.attachments.map((a) => [a.id, a])) } } : {}),
    },
    locale: input.locale ?? 'en-US',
    guild_locale: 'vi',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': input.guildId },
    context: 0,
    ...(input.attachmentSizeLimit !== undefined ? { attachment_size_limit: input.attachmentSizeLimit } : {}),
  };
}

/** Discord's message limits, in characters. */
const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  rows: 5,
  perRow: 5,
  customId: 100,
  label: 80,
};

const chars = (value: unknown) => (typeof value === 'string' ? [...value].length : 0);

/** What in a message body breaks Discord's limits, as `path: reason`; empty when it is within them. */
export function messageProblems(body: Record<string, unknown> | undefined): string[] {
  if (!body) return [];
  const problems: string[] = [];
  if (chars(body.content) > LIMITS.content) problems.push(`content: longer than ${LIMITS.content}`);
  type Embed = {
    title?: string;
    description?: string;
    fields?: Array<{ name?: string; value?: string }>;
    footer?: { text?: string };
    author?: { name?: string };
  };
  const embeds = (body.embeds ?? []) as Embed[];
  if (embeds.length > LIMITS.embeds) problems.push(`embeds: more than ${LIMITS.embeds}`);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    if (chars(e.title) > LIMITS.title) problems.push(`embeds.${i}.title: longer than ${LIMITS.title}`);
    if (chars(e.description) > LIMITS.description) problems.push(`embeds.${i}.description: longer than ${LIMITS.description}`);
    if ((e.fields ?? []).length > LIMITS.fields) problems.push(`embeds.${i}.fields: more than ${LIMITS.fields}`);
    for (const [j, f] of (e.fields ?? []).entries()) {
      if (chars(f.name) > LIMITS.fieldName || chars(f.name) === 0)
        problems.push(`embeds.${i}.fields.${j}.name: empty or longer than ${LIMITS.fieldName}`);
      if (chars(f.value) > LIMITS.fieldValue || chars(f.value) === 0)
        problems.push(`embeds.${i}.fields.${j}.value: empty or longer than ${LIMITS.fieldValue}`);
    }
    if (chars(e.footer?.text) > LIMITS.footer) problems.push(`embeds.${i}.footer.text: longer than ${LIMITS.footer}`);
    if (chars(e.author?.name) > LIMITS.author) problems.push(`embeds.${i}.author.name: longer than ${LIMITS.author}`);
    total +=
      chars(e.title) +
      chars(e.description) +
      chars(e.footer?.text) +
      chars(e.author?.name) +
      (e.fields ?? []).reduce((n, f) => n + chars(f.name) + chars(f.value), 0);
  }
  if (total > LIMITS.total) problems.push(`embeds: ${total} characters in all, more than ${LIMITS.total}`);
  const rows = (body.components ?? []) as Array<{ type?: number; components?: Array<{ custom_id?: string; label?: string }> }>;
  if (rows.length > LIMITS.rows) problems.push(`components: more than ${LIMITS.rows} action rows`);
  for (const [i, row] of rows.entries()) {
    if (row.type !== 1) problems.push(`components.${i}: not an action row`);
    const items = row.components ?? [];
    if (items.length === 0 || items.length > LIMITS.perRow)
      problems.push(`components.${i}.components: none, or more than ${LIMITS.perRow}`);
    for (const [j, c] of items.entries()) {
      if (chars(c.custom_id) > LIMITS.customId) problems.push(`components.${i}.components.${j}.custom_id: longer than ${LIMITS.customId}`);
      if (chars(c.label) > LIMITS.label) problems.push(`components.${i}.components.${j}.label: longer than ${LIMITS.label}`);
    }
  }
  return problems;
}

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  /** The heartbeat interval HELLO gives (Discord's is 41.25 s); short in tests, so heartbeats really run. */
  heartbeatIntervalMs?: number;
  /** How long an interaction's token may be used after the interaction (Discord's: 15 minutes). */
  interactionTokenLifetimeMs?: number;
}

export async function startFakeDiscordApi(options: FakeDiscordOptions = {}): Promise<FakeDiscordApi> {
  const requestsApplicationId = () => options.applicationId ?? '1234567890123456789';
  const token = options.token ?? `${'M'.repeat(24)}.fake.${'x'.repeat(27)}`;
  const requests: FakeDiscordApi['requests'] = [];
  const commands = new Map<string, unknown[]>();
  let limited = 0;
  let limitSeconds = 0;
  const bot = { id: '1200000000000000001', username: 'casedesk' };
  const callbacks: FakeDiscordApi['callbacks'] = [];
  const webhookMessages: FakeDiscordApi['webhookMessages'] = [];
  const channelMessages: FakeDiscordApi['channelMessages'] = [];
  const dmChannels = new Map<string, string>();
  const gatewayLog: FakeDiscordApi['gatewayLog'] = [];
  const refused: FakeDiscordApi['refused'] = [];
  const forced: Array<{
    match: (request: { method: string; path: string }) => boolean;
    status: number;
    error: { code: number; message: string };
  }> = [];
  let heartbeats = 0;
  /**
   * Interactions dispatched, by id: their token, when, whether they have been answered (a
   * callback), and the size a file of the answer may have.
   */
  const interactions = new Map<string, { token: string; at: number; answered: boolean; maxFileBytes: number }>();
  const tokenLifetimeMs = options.interactionTokenLifetimeMs ?? 15 * 60_000;
  /** The CDN's files, by path, and the key that signs their addresses. */
  const cdn = new Map<string, { bytes: Buffer; type: string }>();
  const cdnRequests: FakeDiscordApi['cdnRequests'] = [];
  const signingKey = randomBytes(32);
  const sign = (path: string, ex: string) => createHmac('sha256', signingKey).update(`${path}|${ex}`).digest('hex');
  /** Stores a file on the CDN and describes it as Discord does, with signed addresses valid for a day. */
  const store = (file: { filename: string; bytes: Buffer; type: string; size?: number; expired?: boolean }, channelId: string) => {
    const id = nextId();
    const path = `/attachments/${channelId}/${id}/${file.filename}`;
    cdn.set(path, { bytes: file.bytes, type: file.type });
    const now = Math.floor(Date.now() / 1000);
    const ex = (file.expired ? now - 60 : now + 86_400).toString(16);
    const query = `?ex=${ex}&is=${now.toString(16)}&hm=${sign(path, ex)}&`;
    const encoded = `/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    const attachment: ResolvedAttachment = {
      id,
      filename: file.filename,
      size: file.size ?? file.bytes.length,
      url: `http://127.0.0.1:${port}${encoded}${query}`,
      proxy_url: `http://127.0.0.1:${port}/media${encoded}${query}`,
      content_type: file.type,
    };
    return attachment;
  };
  const interactionByToken = new Map<string, string>();
  /** Gateway sessions by id: their connection (null while dropped) and every event sent, for RESUME. */
  const sessions = new Map<string, { ws: WebSocket | null; seq: number; events: Array<{ s: number; t: string; d: unknown }> }>();
  const sessionOf = new Map<WebSocket, string>();
  let port = 0;
  const message = (body: Record<string, unknown>, channelId = '3000000000000000001') => ({
    id: nextId(),
    type: 0,
    channel_id: channelId,
    author: { id: bot.id, username: bot.username, discriminator: '0', avatar: null, global_name: null, bot: true },
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
    ...body,
  });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Clients percent-encode path segments: `/messages/%40original` is `/messages/@original`.
    url.pathname = decodeURIComponent(url.pathname);
    const { body, files, bytes } = await readBody(req);
    // (The URL's pathname setter encodes again what is not ASCII: the CDN matches the decoded string.)
    const cdnPath = /^(?:\/media)?(\/attachments\/.+)$/.exec(decodeURIComponent(url.pathname))?.[1];
    if (cdnPath && req.method === 'GET') {
      // The CDN: no authorization, but the address must be signed and not expired.
      const file = cdn.get(cdnPath);
      const ex = url.searchParams.get('ex') ?? '';
      const valid = file && url.searchParams.get('hm') === sign(cdnPath, ex) && parseInt(ex, 16) * 1000 > Date.now();
      cdnRequests.push({ path: decodeURIComponent(url.pathname), status: valid ? 200 : 404 });
      if (!valid) {
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('This content is no longer available.');
      }
      res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.bytes.length) });
      return res.end(file.bytes);
    }
    requests.push({ method: req.method ?? '', path: url.pathname, body, at: Date.now() });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '4',
        'x-ratelimit-reset-after': '1',
        'x-ratelimit-bucket': 'fake-bucket',
        ...headers,
      });
      res.end(JSON.stringify(payload));
    };
    const refuse = (status: number, code: number, message: string, errors?: unknown) => {
      refused.push({ method: req.method ?? '', path: url.pathname, status, code });
      return send(status, { message, code, ...(errors ? { errors } : {}) });
    };
    const force = forced.findIndex((f) => f.match({ method: req.method ?? '', path: url.pathname }));
    if (force >= 0) {
      const [f] = forced.splice(force, 1);
      return refuse(f!.status, f!.error.code, f!.error.message);
    }
    /** Refuses a message over Discord's limits, or files Discord would not take, and says whether it did. */
    const invalid = (payload: unknown, maxFileBytes = FILE_LIMITS.defaultFileBytes): boolean => {
      if (bytes > FILE_LIMITS.requestBytes) {
        refuse(413, 40005, 'Request entity too large');
        return true;
      }
      const problems = messageProblems(payload as Record<string, unknown> | undefined);
      if (problems.length) {
        refuse(400, 50035, 'Invalid Form Body', problems);
        return true;
      }
      const filesRefused = fileProblems(payload as Record<string, unknown> | undefined, files, maxFileBytes);
      if (filesRefused) refuse(filesRefused.status, filesRefused.code, filesRefused.message, filesRefused.errors);
      return filesRefused !== undefined;
    };
    const needsBotToken = !/^\/api\/v10\/(interactions|webhooks)\//.test(url.pathname);
    if (needsBotToken && req.headers.authorization !== `Bot ${token}`) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }
    if (url.pathname === '/api/v10/gateway/bot' && req.method === 'GET') {
      return send(200, {
        url: `ws://127.0.0.1:${port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    // Interaction callbacks and webhooks authenticate by the interaction token, not the bot token.
    const callback = /^\/api\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(url.pathname);
    if (callback && req.method === 'POST') {
      const payload = body as { type: number; data?: unknown };
      const interaction = interactions.get(callback[1]!);
      // An interaction must be answered within 3 s, once.
      if (!interaction || interaction.token !== callback[2] || Date.now() - interaction.at > 3000)
        return refuse(404, 10062, 'Unknown interaction');
      if (interaction.answered) return refuse(400, 40060, 'Interaction has already been acknowledged.');
      // Types 4 (a message) and 7 (an update of the message) carry one.
      if (payload.type === 4 || payload.type === 7) {
        if (invalid(payload.data)) return;
      }
      interaction.answered = true;
      callbacks.push({ interactionId: callback[1]!, type: payload.type, data: payload.data });
      res.writeHead(204);
      return res.end();
    }
    const hook = /^\/api\/v10\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(url.pathname);
    if (hook && (req.method === 'PATCH' || req.method === 'POST')) {
      // The interaction's webhook exists once the interaction has been answered.
      const interactionId = interactionByToken.get(hook[2]!);
      const interaction = interactionId ? interactions.get(interactionId)! : undefined;
      if (!interaction?.answered) return refuse(404, 10015, 'Unknown Webhook');
      if (Date.now() - interaction.at > tokenLifetimeMs) return refuse(401, 50027, 'Invalid Webhook Token');
      const payload = (body ?? {}) as Record<string, unknown>;
      if (invalid(payload, interaction.maxFileBytes)) return;
      // API v10: an edit keeps the new files its `attachments` lists (when it sends that list).
      const listed = Array.isArray(payload.attachments)
        ? new Set((payload.attachments as Array<{ id?: unknown }>).map((a) => String(a.id)))
        : undefined;
      const kept = hook[3] && listed ? files.filter((f) => listed.has(partIndex(f.field) ?? '')) : files;
      webhookMessages.push({ token: hook[2]!, kind: hook[3] ? 'original' : 'followup', body: payload, files: kept });
      const attachments = kept.map((f) => store({ filename: f.name, bytes: f.bytes, type: f.type }, '3000000000000000001'));
      return send(200, message({ ...payload, attachments }));
    }
    if (limited > 0) {
      limited -= 1;
      return send(
        429,
        { message: 'You are being rate limited.', retry_after: limitSeconds, global: false },
        { 'retry-after': String(Math.ceil(limitSeconds)), 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user' },
      );
    }
    if (url.pathname === '/api/v10/users/@me/channels' && req.method === 'POST') {
      // Opening (or finding) the DM channel with a user.
      const recipient = String((body as { recipient_id?: string }).recipient_id);
      const id = dmChannels.get(recipient) ?? nextId();
      dmChannels.set(recipient, id);
      return send(200, {
        id,
        type: 1,
        last_message_id: null,
        recipients: [{ id: recipient, username: 'member', discriminator: '0', avatar: null, global_name: null }],
      });
    }
    const channel = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(url.pathname);
    if (channel && req.method === 'POST') {
      const payload = body as Record<string, unknown>;
      if (invalid(payload)) return;
      channelMessages.push({ channelId: channel[1]!, body: payload, files });
      const attachments = files.map((f) => store({ filename: f.name, bytes: f.bytes, type: f.type }, channel[1]!));
      return send(200, message({ ...payload, attachments }, channel[1]));
    }
    const match = /^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(url.pathname);
    if (match && req.method === 'PUT' && Array.isArray(body)) {
      const [, applicationId, guildId] = match;
      const registered = body.map((c) => ({
        ...(c as object),
        id: nextId(),
        application_id: applicationId,
        version: nextId(),
        ...(guildId ? { guild_id: guildId } : {}),
      }));
      commands.set(guildId ?? 'global', registered);
      return send(200, registered);
    }
    return send(404, { message: '404: Not Found', code: 0 });
  });
  const gateway = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/gateway')) return socket.destroy();
    gateway.handleUpgrade(req, socket, head, (ws) => gateway.emit('connection', ws));
  });
  const dispatch = (sessionId: string, t: string, d: unknown) => {
    const session = sessions.get(sessionId)!;
    session.seq += 1;
    session.events.push({ s: session.seq, t, d });
    session.ws?.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  };
  gateway.on('connection', (ws) => {
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: options.heartbeatIntervalMs ?? 41_250 }, s: null, t: null }));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> | number | null };
      if (frame.op === 1) {
        heartbeats += 1;
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (frame.op === 2) {
        const d = frame.d as { token?: string; intents?: number };
        gatewayLog.push({ op: 'identify', ...(d.intents !== undefined ? { intents: d.intents } : {}) });
        if (d.token !== token) return ws.close(4004, 'Authentication failed.');
        const sessionId = randomUUID().replace(/-/g, '');
        sessions.set(sessionId, { ws, seq: 0, events: [] });
        sessionOf.set(ws, sessionId);
        dispatch(sessionId, 'READY', {
          v: 10,
          user: { id: bot.id, username: bot.username, discriminator: '0', avatar: null, global_name: null, bot: true, flags: 0 },
          guilds: [],
          session_id: sessionId,
          resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
          shard: [0, 1],
          application: { id: requestsApplicationId(), flags: 0 },
        });
      } else if (frame.op === 6) {
        // RESUME: replay what the session missed after `seq`, then RESUMED; an unknown session is
        // told to identify again (op 9, not resumable).
        const d = frame.d as { token?: string; session_id?: string; seq?: number };
        gatewayLog.push({
          op: 'resume',
          ...(d.session_id ? { sessionId: d.session_id } : {}),
          ...(d.seq !== undefined ? { seq: d.seq } : {}),
        });
        const session = d.session_id ? sessions.get(d.session_id) : undefined;
        if (!session || d.token !== token) return ws.send(JSON.stringify({ op: 9, d: false, s: null, t: null }));
        session.ws = ws;
        sessionOf.set(ws, d.session_id!);
        for (const event of session.events.filter((e) => e.s > (d.seq ?? 0))) {
          ws.send(JSON.stringify({ op: 0, t: event.t, s: event.s, d: event.d }));
        }
        dispatch(d.session_id!, 'RESUMED', null);
      }
    });
    ws.on('close', (code) => {
      const sessionId = sessionOf.get(ws);
      sessionOf.delete(ws);
      const session = sessionId ? sessions.get(sessionId) : undefined;
      if (!session || session.ws !== ws) return;
      session.ws = null;
      // A client closing normally ends its session; other closes leave it to be resumed.
      if (code === 1000 || code === 1001) sessions.delete(sessionId!);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    token,
    requests,
    commands,
    rateLimitNext(n, seconds) {
      limited = n;
      limitSeconds = seconds;
    },
    bot,
    sessions: () => [...sessions.values()].filter((session) => session.ws !== null).length,
    dispatchInteraction(interaction) {
      if (typeof interaction.id === 'string' && typeof interaction.token === 'string') {
        const limit = interaction.attachment_size_limit;
        interactions.set(interaction.id, {
          token: interaction.token,
          at: Date.now(),
          answered: false,
          maxFileBytes: typeof limit === 'number' ? limit : FILE_LIMITS.defaultFileBytes,
        });
        interactionByToken.set(interaction.token, interaction.id);
      }
      for (const sessionId of sessions.keys()) dispatch(sessionId, 'INTERACTION_CREATE', interaction);
    },
    dropConnections(code = 4000) {
      for (const session of sessions.values()) session.ws?.close(code, 'Dropped by the fake');
    },
    gatewayLog,
    heartbeats: () => heartbeats,
    refused,
    refuseNext(match, status, error) {
      forced.push({ match, status, error });
    },
    callbacks,
    webhookMessages,
    channelMessages,
    dmChannels,
    addAttachment(file) {
      const bytes = Buffer.from(typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data);
      return store(
        {
          filename: file.filename,
          bytes,
          type: file.contentType ?? 'text/csv; charset=utf-8',
          ...(file.size !== undefined ? { size: file.size } : {}),
          ...(file.expired ? { expired: true } : {}),
        },
        '3000000000000000001',
      );
    },
    cdnRequests,
    async until(check, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('fake Discord: timed out waiting');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const ws of gateway.clients) ws.terminate();
      gateway.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
