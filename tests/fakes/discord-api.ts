import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Discord's REST API (v10), over real HTTP, answering as the published API
 * does: bot-token authorization, bulk overwrite of application commands, rate-limit headers, and
 * 429 responses with `retry_after` when told to. It records every request it receives.
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
  close(): Promise<void>;
}

let snowflake = 1_100_000_000_000_000_000n;
const nextId = () => String(snowflake++);

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  return raw ? JSON.parse(raw) : undefined;
}

export async function startFakeDiscordApi(options: { token?: string } = {}): Promise<FakeDiscordApi> {
  const token = options.token ?? `${'M'.repeat(24)}.fake.${'x'.repeat(27)}`;
  const requests: FakeDiscordApi['requests'] = [];
  const commands = new Map<string, unknown[]>();
  let limited = 0;
  let limitSeconds = 0;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
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
    if (req.headers.authorization !== `Bot ${token}`) {
      return send(401, { message: '401: Unauthorized', code: 0 });
    }
    if (limited > 0) {
      limited -= 1;
      return send(
        429,
        { message: 'You are being rate limited.', retry_after: limitSeconds, global: false },
        { 'retry-after': String(Math.ceil(limitSeconds)), 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user' },
      );
    }
    const match = /^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(url.pathname);
    if (match && req.method === 'PUT' && Array.isArray(body)) {
      const [, applicationId, guildId] = match;
      const registered = body.map((c) => ({ ...(c as object), id: nextId(), application_id: applicationId, version: nextId(), ...(guildId ? { guild_id: guildId } : {}) }));
      commands.set(guildId ?? 'global', registered);
      return send(200, registered);
    }
    return send(404, { message: '404: Not Found', code: 0 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    token,
    requests,
    commands,
    rateLimitNext(n, seconds) {
      limited = n;
      limitSeconds = seconds;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
