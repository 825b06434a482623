import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for Slack, over real HTTP and WebSocket, answering as the published protocol
 * does: the Web API (`POST /api/{method}`, bearer-token auth, the scope each method needs with
 * `missing_scope`, `ok`/`error` bodies, 429 with `Retry-After` when told to) for `auth.test`,
 * `chat.postMessage`, `chat.update`, `chat.postEphemeral`, `conversations.open`, `views.open`,
 * `files.info`, `files.getUploadURLExternal`, the upload URL, `files.completeUploadExternal` and
 * `apps.connections.open`; files' `url_private_download`, which wants the bot token and sends
 * anyone else to the login page; the Socket Mode WebSocket (hello, envelopes, acks); and
 * `response_url` endpoints, which take five posts each within 30 minutes and refuse the sixth (404
 * `used_url`) and any after the 30 minutes (404 `expired_url`); a post to one held open (`hold`) is
 * not answered, nor applied, until released, as a request whose sender died before it completed.
 * Messages are checked against Block Kit's limits as Slack checks them (`invalid_blocks`,
 * `msg_too_long`), lengths in UTF-16 units; modals against the view's (title 24, 100 blocks,
 * private_metadata 3,000, `file_input` only in an input block), and a trigger id is good once,
 * for three seconds. It builds `view_submission` payloads as Slack does when a user submits a
 * modal, and signs requests as Slack signs them, for sending to an app over HTTP. The bot token's
 * scopes are those of slack/manifest.json unless told otherwise.
 * https://docs.slack.dev/apis/web-api/  https://docs.slack.dev/apis/events-api/using-socket-mode
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 * https://docs.slack.dev/reference/views/modal-views  https://docs.slack.dev/surfaces/modals
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
  /**
   * Messages chat.postMessage took (not those it refused or rate limited), in order: what a channel
   * or a user saw. `channel` is as the app named it (a user's id for a direct message);
   * `conversation` is where it went (the direct message's `D…` id); `ts` is its id there.
   */
  posted: Array<{ channel: string; conversation: string; ts: string; args: Record<string, unknown>; at: number }>;
  /** Edits chat.update took, in order. */
  updated: Array<{ channel: string; ts: string; args: Record<string, unknown>; at: number }>;
  /** The bot token's scopes (slack/manifest.json's unless given). */
  scopes: ReadonlySet<string>;
  /** The direct message conversation between the app and `userId` (`D…`), as conversations.open gives it. */
  conversationWith(userId: string): string;
  /**
   * A trigger id Slack gives with a slash command, a button press or a submission by `userId`:
   * good for one views.open within three seconds. `ageMs` makes one already that old.
   */
  trigger(userId: string, options?: { ageMs?: number }): string;
  /** Modals views.open took, in order, as the app sent them. */
  views: Array<{ id: string; hash: string; user: string; view: Record<string, unknown>; at: number }>;
  /**
   * The `view_submission` payload Slack sends when the user submits the modal `viewId`: each input
   * block's value is `answers[block_id]` (`{ files }`, `{ selected_option }`, `{ value }`,
   * `{ selected_date }`), else what the modal showed at first. Throws where Slack's client would
   * not let the user submit: a required input left empty, a file of a type the `file_input` does
   * not take, more files than its `max_files`.
   */
  viewSubmission(viewId: string, answers?: Record<string, Record<string, unknown>>): Record<string, unknown>;
  /**
   * A file a user uploaded to Slack (through a modal's `file_input`): what files.info tells of it
   * and a `view_submission` carries. `size` is what Slack declares, when not the data's length.
   */
  addFile(input: { name: string; data: Uint8Array | string; size?: number; user?: string }): FakeSlackFile;
  /** Requests for files' `url_private_download`, and whether they carried the bot token. */
  downloads: Array<{ fileId: string; authorized: boolean }>;
  /** The download of `fileId` fails: with a 500, or cut off after its headers and some bytes. */
  failDownload(fileId: string, how: 'status' | 'cut'): void;
  /** Bytes sent to upload URLs, by file id. */
  uploads: Map<string, Buffer>;
  /** What arrived at each `response_url` and was taken, in order. */
  responses: Array<{ id: string; body: Record<string, unknown> }>;
  /** Posts to a `response_url` that were refused, and why (`used_url`, `invalid_blocks`, …). */
  refusedResponses: Array<{ id: string; error: string }>;
  /** Called as each answer arrives at a `response_url` (the benchmark waits on it). */
  onResponse: ((id: string, body: Record<string, unknown>) => void) | undefined;
  /** A new `response_url` on this fake; `ageMs` makes one issued that long ago. */
  responseUrl(options?: { ageMs?: number }): string;
  /**
   * Posts to the `response_url` with this id are held open, unanswered and not applied, until
   * `release`: a post whose sender dies meanwhile (its connection closes) is dropped, never taken.
   */
  hold(id: string): void;
  /** Answers the posts held for `id` (applied as usual) and stops holding it. */
  release(id: string): void;
  /** Posts held to each `response_url`: `open` until answered or dropped. */
  held: Array<{ id: string; state: 'open' | 'dropped' | 'released' }>;
  /**
   * Holds every post to a `response_url` from now on, unanswered, until `release()`: an answer kept
   * in flight (a slow network, Slack taking its time). `held()` counts the posts waiting.
   */
  holdResponses(): { held(): number; release(): void };
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
  /**
   * Posts a slash command to an app's request URL (`url`, e.g. `http://127.0.0.1:3000/slack/events`)
   * as Slack does: the form it sends, with a new `response_url` (or the one given) and a trigger id
   * for the user, signed. Resolves to the app's HTTP status and the id its answers arrive under in
   * {@link FakeSlackApi.responses}.
   */
  postSlashCommand(
    url: string,
    input: { text: string; userId?: string; channelId?: string; responseUrl?: string },
  ): Promise<{ status: number; responseId: string }>;
  until(check: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Posts one `response_url` takes (Slack: five, within 30 minutes). */
const RESPONSES_PER_URL = 5;

/** How long a `response_url` takes posts (Slack: 30 minutes). */
const RESPONSE_URL_MS = 30 * 60_000;

/** How long a trigger id may be exchanged for a modal (Slack: three seconds). */
const TRIGGER_MS = 3000;

/** A file as files.info and a `view_submission`'s `file_input` describe it (the fields casedesk may read). */
export interface FakeSlackFile {
  id: string;
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  user: string;
  size: number;
  mode: 'hosted';
  is_external: false;
  url_private: string;
  url_private_download: string;
  permalink: string;
}

/** The scope each method needs from a bot token (https://docs.slack.dev/reference/methods). */
const METHOD_SCOPES: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  // Any of channels:manage, groups:write, im:write, mpim:write, by the conversation; a 1:1 DM needs im:write.
  'conversations.open': 'im:write',
  'files.info': 'files:read',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
};

/** The bot scopes slack/manifest.json asks for: what an installed casedesk's token holds. */
function manifestScopes(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../../slack/manifest.json', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  return manifest.oauth_config.scopes.bot;
}

const MIME: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Why Slack would refuse this modal (https://docs.slack.dev/reference/views/modal-views), as the
 * messages of an `invalid_arguments` answer: type `modal`; title a plain_text of 1 to 24
 * characters, close and submit at most 24, submit required with an input block; at most 100
 * blocks; private_metadata at most 3,000 characters, callback_id 255; block ids unique; a
 * `file_input` only inside an input block; input elements within their own limits.
 */
export function viewProblems(view: unknown): string[] {
  const problems: string[] = [];
  const at = (pointer: string, message: string) => problems.push(`[ERROR] ${message} [json-pointer:/view${pointer}]`);
  if (!isObject(view)) {
    at('', 'must be an object');
    return problems;
  }
  const plain = (value: unknown, max: number, pointer: string, required: boolean) => {
    if (value === undefined && !required) return;
    if (!isObject(value) || value.type !== 'plain_text' || typeof value.text !== 'string')
      return at(pointer, 'must be a plain_text object');
    if (value.text.length < 1 || value.text.length > max) at(`${pointer}/text`, `must be between 1 and ${max} characters`);
  };
  if (view.type !== 'modal') at('/type', 'must be modal');
  plain(view.title, 24, '/title', true);
  plain(view.close, 24, '/close', false);
  plain(view.submit, 24, '/submit', false);
  if (view.private_metadata !== undefined && (typeof view.private_metadata !== 'string' || view.private_metadata.length > 3000))
    at('/private_metadata', 'must be a string of at most 3000 characters');
  if (view.callback_id !== undefined && (typeof view.callback_id !== 'string' || view.callback_id.length > 255))
    at('/callback_id', 'must be a string of at most 255 characters');
  if (!Array.isArray(view.blocks)) {
    at('/blocks', 'is required');
    return problems;
  }
  if (view.blocks.length > 100) at('/blocks', 'must have at most 100 items');
  const ids = new Set<string>();
  let inputs = 0;
  for (const [i, block] of (view.blocks as unknown[]).entries()) {
    const pointer = `/blocks/${i}`;
    if (!isObject(block)) {
      at(pointer, 'must be an object');
      continue;
    }
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255) at(`${pointer}/block_id`, 'must be at most 255 characters');
      else if (ids.has(block.block_id)) at(`${pointer}/block_id`, 'must be unique');
      else ids.add(block.block_id);
    }
    if (block.type === 'input') {
      inputs += 1;
      plain(block.label, 2000, `${pointer}/label`, true);
      plain(block.hint, 2000, `${pointer}/hint`, false);
      if (block.optional !== undefined && typeof block.optional !== 'boolean') at(`${pointer}/optional`, 'must be a boolean');
      problems.push(...inputElementProblems(block.element, `/view${pointer}/element`));
      continue;
    }
    if (JSON.stringify(block).includes('"type":"file_input"')) {
      at(pointer, 'file_input is only allowed in an input block');
      continue;
    }
    if (blockKitError(undefined, [block])) at(pointer, `is not a valid ${String(block.type)} block`);
  }
  if (inputs > 0 && view.submit === undefined) at('/submit', 'is required when an input block is present');
  return problems;
}

/** The limits of the input elements casedesk's forms use; any other element is refused (the fake does not model it). */
function inputElementProblems(element: unknown, pointer: string): string[] {
  const problems: string[] = [];
  const at = (path: string, message: string) => problems.push(`[ERROR] ${message} [json-pointer:${pointer}${path}]`);
  if (!isObject(element)) return [`[ERROR] is required [json-pointer:${pointer}]`];
  if (element.action_id !== undefined && (typeof element.action_id !== 'string' || element.action_id.length > 255))
    at('/action_id', 'must be at most 255 characters');
  const placeholder = element.placeholder;
  if (placeholder !== undefined && (!isObject(placeholder) || typeof placeholder.text !== 'string' || placeholder.text.length > 150))
    at('/placeholder', 'must be a plain_text of at most 150 characters');
  switch (element.type) {
    case 'file_input': {
      const max = element.max_files;
      if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 10))
        at('/max_files', 'must be between 1 and 10');
      const types = element.filetypes;
      if (types !== undefined && (!Array.isArray(types) || !types.every((t) => typeof t === 'string' && t.length > 0)))
        at('/filetypes', 'must be an array of file extensions');
      break;
    }
    case 'static_select': {
      const options = element.options;
      if (!Array.isArray(options) || options.length < 1 || options.length > 100) {
        at('/options', 'must have between 1 and 100 items');
        break;
      }
      for (const [i, option] of (options as unknown[]).entries()) {
        const o = option as { text?: { type?: string; text?: unknown }; value?: unknown };
        if (o.text?.type !== 'plain_text' || typeof o.text.text !== 'string' || o.text.text.length < 1 || o.text.text.length > 75)
          at(`/options/${i}/text`, 'must be a plain_text of 1 to 75 characters');
        if (typeof o.value !== 'string' || o.value.length > 150) at(`/options/${i}/value`, 'must be at most 150 characters');
      }
      if (element.initial_option !== undefined && !options.some((o) => JSON.stringify(o) === JSON.stringify(element.initial_option)))
        at('/initial_option', 'must match one of the options');
      break;
    }
    case 'plain_text_input': {
      const max = element.max_length;
      if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 3000))
        at('/max_length', 'must be between 1 and 3000');
      if (element.initial_value !== undefined) {
        if (typeof element.initial_value !== 'string') at('/initial_value', 'must be a string');
        else if (element.initial_value.length > ((max as number | undefined) ?? 3000))
          at('/initial_value', 'must not be longer than max_length');
      }
      break;
    }
    case 'number_input': {
      if (typeof element.is_decimal_allowed !== 'boolean') at('/is_decimal_allowed', 'is required');
      const number = (value: unknown) =>
        typeof value === 'string' && (element.is_decimal_allowed ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/).test(value) ? Number(value) : undefined;
      for (const key of ['initial_value', 'min_value', 'max_value'])
        if (element[key] !== undefined && number(element[key]) === undefined) at(`/${key}`, 'must be a number written as a string');
      break;
    }
    case 'datepicker':
      if (
        element.initial_date !== undefined &&
        (typeof element.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date))
      )
        at('/initial_date', 'must be YYYY-MM-DD');
      break;
    default:
      at('/type', `${String(element.type)} is not modelled by the fake`);
  }
  return problems;
}

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
  options: { botToken?: string; appToken?: string; signingSecret?: string; teamId?: string; scopes?: string[] } = {},
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
  /** When each `response_url` was issued, and the ones held open with what releases their posts. */
  const issued = new Map<string, number>();
  const holding = new Map<string, Array<() => void>>();
  const held: FakeSlackApi['held'] = [];
  const acks: FakeSlackApi['acks'] = [];
  const limits = new Map<string, { n: number; seconds: number }>();
  const notInChannel = new Set<string>();
  const scopes = new Set(options.scopes ?? manifestScopes());
  const updated: FakeSlackApi['updated'] = [];
  /** Direct message conversations opened, by user, and the users they are with. */
  const dms = new Map<string, string>();
  const dmUsers = new Set<string>();
  /** Messages the bot posted, by `conversation ts`, for chat.update. */
  const messages = new Map<string, Json>();
  const triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  const views: FakeSlackApi['views'] = [];
  const stored = new Map<string, { file: FakeSlackFile; data: Buffer }>();
  const downloads: FakeSlackApi['downloads'] = [];
  const failing = new Map<string, 'status' | 'cut'>();
  let sequence = 0;
  let port = 0;
  let hold: { waiting: number; released: Promise<void> } | undefined;
  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;
  const newId = (prefix: string) => `${prefix}${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  const conversationWith = (userId: string) => {
    let id = dms.get(userId);
    if (!id) {
      id = `D${userId.replace(/^[UW]/, '').padEnd(8, '0')}`;
      dms.set(userId, id);
      dmUsers.add(id);
    }
    return id;
  };
  /** Where a message to `channel` goes: a user's id means the app's direct message with them. */
  const resolve = (channel: string) => (/^[UW]/.test(channel) ? conversationWith(channel) : channel);

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
      if (hold) {
        const gate = hold;
        gate.waiting += 1;
        await gate.released;
      }
      const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      // Slack answers a response_url in plain text: `ok`, or the error with a 4xx status.
      const refuse = (status: number, error: string) => {
        refusedResponses.push({ id, error });
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(error);
      };
      const take = () => {
        const used = postsPerUrl.get(id) ?? 0;
        if (Date.now() - (issued.get(id) ?? Date.now()) > RESPONSE_URL_MS) return refuse(404, 'expired_url');
        if (used >= RESPONSES_PER_URL) return refuse(404, 'used_url');
        const invalid = blockKitError(body.text, body.blocks);
        if (invalid) return refuse(400, invalid);
        postsPerUrl.set(id, used + 1);
        responses.push({ id, body });
        fake.onResponse?.(id, body);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('ok');
      };
      const waiting = holding.get(id);
      if (!waiting) return take();
      // Held: answered and applied only on release; dropped if the sender goes away first.
      const entry = { id, state: 'open' as 'open' | 'dropped' | 'released' };
      held.push(entry);
      res.on('close', () => {
        if (entry.state === 'open') entry.state = 'dropped';
      });
      waiting.push(() => {
        if (entry.state !== 'open') return;
        entry.state = 'released';
        take();
      });
      return;
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
    const download = /^\/files-pri\/(\w+)-(F\w+)\/download\/[^/]+$/.exec(url.pathname);
    if (download && req.method === 'GET') {
      const fileId = download[2]!;
      const held = stored.get(fileId);
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const authorized = token === botToken && scopes.has('files:read');
      downloads.push({ fileId, authorized });
      if (!authorized || !held) {
        // Slack sends anyone without a token that may read the file to the sign-in page.
        res.writeHead(302, {
          location: `https://casedesk-test.slack.com/?redir=${encodeURIComponent(url.pathname)}`,
          'content-type': 'text/html',
        });
        return res.end('<html><body>Sign in to Slack</body></html>');
      }
      const failure = failing.get(fileId);
      if (failure === 'status') {
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body>Something went wrong</body></html>');
      }
      res.writeHead(200, { 'content-type': held.file.mimetype, 'content-length': String(held.data.length) });
      if (failure === 'cut') {
        res.write(held.data.subarray(0, Math.floor(held.data.length / 2)));
        return res.destroy();
      }
      return res.end(held.data);
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
    const needed = METHOD_SCOPES[method];
    if (needed && !scopes.has(needed)) return json(200, { ok: false, error: 'missing_scope', needed, provided: [...scopes].join(',') });
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
        const channel = String(args.channel);
        if (notInChannel.has(channel)) return json(200, { ok: false, error: 'not_in_channel' });
        // A direct message goes to a conversation the app has with the user; no other is open to it.
        if (channel.startsWith('D') && !dmUsers.has(channel)) return json(200, { ok: false, error: 'channel_not_found' });
        const conversation = resolve(channel);
        const ts = nextTs();
        messages.set(`${conversation} ${ts}`, args);
        posted.push({ channel, conversation, ts, args, at: Date.now() });
        // Slack answers with the conversation's id: a direct message's `D…`, whatever the app named.
        return json(200, { ok: true, channel: conversation, ts, message: { text: args.text, blocks: args.blocks, ts } });
      }
      case 'chat.update': {
        const channel = String(args.channel ?? '');
        // chat.update wants the conversation's id: a user's id names no message.
        if (!/^[CGD]/.test(channel) || (channel.startsWith('D') && !dmUsers.has(channel)))
          return json(200, { ok: false, error: 'channel_not_found' });
        const key = `${channel} ${String(args.ts)}`;
        if (!messages.has(key)) return json(200, { ok: false, error: 'message_not_found' });
        const invalid = blockKitError(args.text, args.blocks);
        if (invalid) return json(200, { ok: false, error: invalid });
        messages.set(key, args);
        updated.push({ channel, ts: String(args.ts), args, at: Date.now() });
        return json(200, { ok: true, channel, ts: args.ts, text: args.text, message: { text: args.text, blocks: args.blocks } });
      }
      case 'conversations.open': {
        if (typeof args.channel === 'string') {
          return dmUsers.has(args.channel)
            ? json(200, { ok: true, no_op: true, already_open: true, channel: { id: args.channel } })
            : json(200, { ok: false, error: 'channel_not_found' });
        }
        const users = String(args.users ?? '')
          .split(',')
          .filter(Boolean);
        if (users.length === 0) return json(200, { ok: false, error: 'users_list_not_supplied' });
        // Several users would open a group DM (mpim:write), which casedesk never does.
        if (users.length > 1) return json(200, { ok: false, error: 'fake_does_not_model_group_dms' });
        if (!/^[UW][A-Z0-9]+$/.test(users[0]!)) return json(200, { ok: false, error: 'user_not_found' });
        const already = dms.has(users[0]!);
        const id = conversationWith(users[0]!);
        return json(200, { ok: true, ...(already ? { no_op: true, already_open: true } : {}), channel: { id } });
      }
      case 'views.open': {
        const triggerId = String(args.trigger_id ?? '');
        if (!triggerId)
          return json(200, { ok: false, error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing trigger_id'] } });
        if (!/^\d+\.\d+\.[0-9a-f]+$/.test(triggerId)) return json(200, { ok: false, error: 'invalid_trigger_id' });
        const trigger = triggers.get(triggerId);
        if (!trigger) return json(200, { ok: false, error: 'invalid_trigger_id' });
        if (trigger.used) return json(200, { ok: false, error: 'exchanged_trigger_id' });
        if (Date.now() - trigger.issuedAt > TRIGGER_MS) return json(200, { ok: false, error: 'expired_trigger_id' });
        const view = args.view;
        const problems = viewProblems(view);
        if (problems.length > 0) return json(200, { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } });
        trigger.used = true;
        const id = newId('V');
        const hash = `${Math.floor(Date.now() / 1000)}.${randomUUID().replace(/-/g, '').slice(0, 8)}`;
        views.push({ id, hash, user: trigger.user, view: view as Json, at: Date.now() });
        return json(200, { ok: true, view: openedView({ id, hash, view: view as Json, values: {} }) });
      }
      case 'files.info': {
        const held = stored.get(String(args.file ?? ''));
        if (!held) return json(200, { ok: false, error: 'file_not_found' });
        return json(200, { ok: true, file: held.file, comments: [], response_metadata: { next_cursor: '' } });
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
        const channel = args.channel_id === undefined ? undefined : String(args.channel_id);
        // Slack takes a conversation's id here (^[CGDZ][A-Z0-9]{8,}$), never a user's: a direct
        // message needs its `D…` id. (Only the first letter is checked: other tests name made-up
        // channels shorter than Slack's.)
        if (channel !== undefined && !/^[CGDZ][A-Z0-9]+$/.test(channel)) {
          return json(200, {
            ok: false,
            error: 'invalid_arguments',
            response_metadata: { messages: ['[ERROR] input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]'] },
          });
        }
        if (channel?.startsWith('D') && !dmUsers.has(channel)) return json(200, { ok: false, error: 'channel_not_found' });
        const files = (args.files as Array<{ id: string; title?: string }> | undefined) ?? [];
        return json(200, { ok: true, files: files.map((f) => ({ id: f.id, title: f.title, name: f.title })) });
      }
      case 'apps.connections.open':
        return json(200, { ok: true, url: `ws://127.0.0.1:${port}/socket` });
      default:
        return json(200, { ok: false, error: 'unknown_method' });
    }
  });

  /** A view as Slack gives it back: what the app sent, with Slack's own fields. */
  const openedView = (input: { id: string; hash: string; view: Json; values: Json }): Json => ({
    id: input.id,
    team_id: teamId,
    app_installed_team_id: teamId,
    type: 'modal',
    private_metadata: '',
    callback_id: '',
    external_id: '',
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    ...input.view,
    state: { values: input.values },
    hash: input.hash,
    previous_view_id: null,
    root_view_id: input.id,
    app_id: 'A0CASEDESK',
    bot_id: 'B0BOT',
  });

  const viewSubmission: FakeSlackApi['viewSubmission'] = (viewId, answers = {}) => {
    const opened = views.find((v) => v.id === viewId);
    if (!opened) throw new Error(`fake Slack: no modal ${viewId} was opened`);
    const values: Json = {};
    for (const block of opened.view.blocks as Json[]) {
      if (block.type !== 'input') continue;
      const element = block.element as Json;
      const given = answers[String(block.block_id)];
      const label = String((block.label as Json).text);
      const pick = (key: string, initial: unknown) => (given && key in given ? given[key] : (initial ?? null));
      let state: Json;
      let empty: boolean;
      switch (element.type) {
        case 'file_input': {
          const files = (given?.files ?? []) as FakeSlackFile[];
          const types = element.filetypes as string[] | undefined;
          for (const file of files) {
            if (types && !types.includes(file.filetype)) throw new Error(`fake Slack: "${label}" does not take a ${file.filetype} file`);
          }
          if (files.length > ((element.max_files as number | undefined) ?? 10)) throw new Error(`fake Slack: "${label}" takes fewer files`);
          state = { type: 'file_input', files };
          empty = files.length === 0;
          break;
        }
        case 'static_select':
          state = { type: 'static_select', selected_option: pick('selected_option', element.initial_option) };
          empty = state.selected_option === null;
          break;
        case 'datepicker':
          state = { type: 'datepicker', selected_date: pick('selected_date', element.initial_date) };
          empty = state.selected_date === null;
          break;
        default:
          state = { type: element.type, value: pick('value', element.initial_value) };
          empty = state.value === null || state.value === '';
      }
      if (empty && block.optional !== true) throw new Error(`fake Slack: "${label}" is required; Slack would not submit the form`);
      values[String(block.block_id)] = { [String(element.action_id)]: state };
    }
    return {
      type: 'view_submission',
      team: { id: teamId, domain: 'casedesk-test' },
      user: { id: opened.user, username: 'someone', name: 'someone', team_id: teamId },
      api_app_id: 'A0CASEDESK',
      token: 'deprecated-verification-token',
      trigger_id: fake.trigger(opened.user),
      view: openedView({ id: opened.id, hash: opened.hash, view: opened.view, values }),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  };

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
    updated,
    scopes,
    conversationWith,
    trigger(userId, { ageMs = 0 } = {}) {
      const id = `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e9)}.${randomUUID().replace(/-/g, '')}`;
      triggers.set(id, { user: userId, issuedAt: Date.now() - ageMs, used: false });
      return id;
    },
    views,
    viewSubmission,
    addFile({ name, data, size, user = 'U0SOMEONE1' }) {
      const bytes = Buffer.from(typeof data === 'string' ? new TextEncoder().encode(data) : data);
      const id = newId('F');
      const filetype = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? 'binary';
      const now = Math.floor(Date.now() / 1000);
      const base = `http://127.0.0.1:${port}/files-pri/${teamId}-${id}`;
      const file: FakeSlackFile = {
        id,
        created: now,
        timestamp: now,
        name,
        title: name,
        mimetype: MIME[filetype] ?? 'application/octet-stream',
        filetype,
        user,
        size: size ?? bytes.length,
        mode: 'hosted',
        is_external: false,
        url_private: `${base}/${encodeURIComponent(name)}`,
        url_private_download: `${base}/download/${encodeURIComponent(name)}`,
        permalink: `https://casedesk-test.slack.com/files/${user}/${id}/${encodeURIComponent(name)}`,
      };
      stored.set(id, { file, data: bytes });
      return file;
    },
    downloads,
    failDownload(fileId, how) {
      failing.set(fileId, how);
    },
    uploads,
    responses,
    refusedResponses,
    acks,
    responseUrl({ ageMs = 0 } = {}) {
      const id = randomUUID();
      issued.set(id, Date.now() - ageMs);
      return `http://127.0.0.1:${port}/response/${id}`;
    },
    hold(id) {
      if (!holding.has(id)) holding.set(id, []);
    },
    release(id) {
      const waiting = holding.get(id) ?? [];
      holding.delete(id);
      for (const answer of waiting) answer();
    },
    held,
    holdResponses() {
      let release!: () => void;
      const gate = { waiting: 0, released: new Promise<void>((resolve) => (release = resolve)) };
      hold = gate;
      return {
        held: () => gate.waiting,
        release: () => {
          if (hold === gate) hold = undefined;
          release();
        },
      };
    },
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
    async postSlashCommand(url, { text, userId = 'U0NOBODY', channelId = 'C0GENERAL1', responseUrl = fake.responseUrl() }) {
      const body = new URLSearchParams({
        team_id: teamId,
        channel_id: channelId,
        channel_name: 'general',
        user_id: userId,
        user_name: userId.toLowerCase(),
        command: '/casedesk',
        text,
        response_url: responseUrl,
        trigger_id: fake.trigger(userId),
        api_app_id: 'A0CASEDESK',
      }).toString();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...fake.sign(body) },
        body,
      });
      await response.text();
      return { status: response.status, responseId: responseUrl.split('/').at(-1)! };
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
