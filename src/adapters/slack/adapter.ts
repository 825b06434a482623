import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, type Logger as BoltLogger, type RespondFn, type SlashCommand, type BlockAction, type ButtonAction } from '@slack/bolt';
import { ACTION_COMMAND, type Dispatcher } from '../../core/dispatcher.ts';
import type { Attachment, Invocation, InvocationInput, Reply, ReplyMessage } from '../../core/invocation.ts';
import type { Logger } from '../../logger.ts';
import { createSlackPoster } from './post.ts';
import { decodeButtonValue, encodeButtonValue, pageButtons, pagePosition, renderSlack, SLACK_LIMITS } from './render.ts';

/** What `loadConfig` gives for Slack: HTTP when `signingSecret` is set, Socket Mode when `appToken` is. */
export interface SlackConnection {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  /** HTTP transport only. 0 picks a free port (tests). */
  port: number;
  /** The Web API base, ending in `/`: `https://slack.com/api/`. */
  apiUrl: string;
}

export interface SlackAdapterOptions {
  dispatcher: Dispatcher;
  connection: SlackConnection;
  logger: Logger;
  /** The least time between two posts to one channel (Slack allows about one a second). */
  postIntervalMs?: number;
}

/** Slash commands casedesk registers (see slack/manifest.json); `/casedesk` alone is help. */
export const SLACK_COMMANDS = ['/case', '/followup', '/digest', '/meeting', '/casedesk'] as const;

/**
 * The Slack front end: a Bolt app over HTTP (signed requests at `/slack/events`) or Socket Mode.
 * Every request is acknowledged before any database work; the answer follows through the
 * request's `response_url`, ephemeral unless it is meant for the channel and holds nothing
 * personal. A retried or repeated request has one effect: its idempotency key is derived from the
 * request (trigger id and command), and the dispatcher claims it.
 */
export function createSlackAdapter(options: SlackAdapterOptions) {
  const log = options.logger.child({ adapter: 'slack' });
  const { connection, dispatcher } = options;
  const clientOptions = { slackApiUrl: connection.apiUrl };
  const socketMode = Boolean(connection.appToken);
  const app = new App({
    token: connection.botToken,
    ...(socketMode
      ? // Socket Mode's own client opens the connection (apps.connections.open) through the same API.
        { socketMode: true, appToken: connection.appToken!, installerOptions: { clientOptions } }
      : { signingSecret: connection.signingSecret!, port: connection.port }),
    clientOptions,
    logger: boltLogger(log),
    logLevel: LogLevel.INFO,
    // Checked in start(), so that a refused token fails it with a clear error.
    deferInitialization: true,
  });

  app.command(new RegExp(`^(${SLACK_COMMANDS.join('|')})$`), async ({ command, ack, respond }) => {
    await ack();
    const invocation = slashInvocation(command);
    await dispatcher.dispatch(invocation, replyVia(respond, { paging: rerunnable(invocation, 0) }));
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: /^cd:/ }, async ({ ack, body, action, respond }) => {
    await ack();
    const decoded = decodeButtonValue(action.value);
    if (!decoded) return;
    const invocation = actionInvocation(body, action, decoded.input);
    if (decoded.page !== undefined) {
      // ◀ or ▶: the read runs again for whoever pressed, in place of the page shown.
      await dispatcher.dispatch(invocation, replyVia(respond, { replace: true, paging: rerunnable(invocation, decoded.page) }));
      return;
    }
    // Confirm and cancel answer in place of the question, so they cannot be pressed again.
    const isConfirmation = decoded.input.kind === 'options' && decoded.input.command === ACTION_COMMAND;
    await dispatcher.dispatch(invocation, replyVia(respond, { replace: isConfirmation }));
  });

  app.error(async (error) => {
    log.error({ err: error }, 'slack request failed');
  });

  /** Page buttons for an answer to a read, which can safely run again; not for a change. */
  function rerunnable(invocation: Invocation, page: number): Paging | undefined {
    if (!dispatcher.isReadOnly(invocation.input)) return undefined;
    return { page, value: (n) => encodeButtonValue(invocation.input, n) };
  }

  let server: Server | undefined;
  const poster = createSlackPoster(app.client, options.postIntervalMs ?? 1100);

  return {
    app,
    /** Checks the token (auth.test), then listens (HTTP) or connects (Socket Mode). */
    async start(): Promise<void> {
      await app.init();
      const started = await app.start();
      if (!socketMode) server = started as Server;
      log.info({ transport: socketMode ? 'socket-mode' : 'http', port: this.port() }, 'slack ready');
    },
    /** The HTTP port listened on (useful when configured as 0). */
    port(): number | undefined {
      return (server?.address() as AddressInfo | null)?.port;
    },
    async stop(): Promise<void> {
      await app.stop();
    },
    /** Channel posts and direct messages for the scheduler. */
    poster,
    /** Posts to a channel, for scheduled digests (see {@link createSlackPoster}). */
    async post(channel: string, message: ReplyMessage, attachments: Attachment[] = []): Promise<void> {
      await poster(channel, message, attachments);
    },
  };
}

interface Paging {
  page: number;
  /** The button value that shows page `n`. */
  value(n: number): string;
}

/** `/case find nguyen van duc` → the line `case find nguyen van duc`; `/casedesk` alone → `help`. */
export function slashInvocation(command: SlashCommand): Invocation {
  const name = command.command.replace(/^\//, '');
  // Slack sends `&`, `<` and `>` typed by the user as entities; mentions arrive as `<@U…|name>`.
  const text = command.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
  const line = name === 'casedesk' ? text || 'help' : `${name} ${text}`.trim();
  return {
    // Slack sends a slash command once, but a retried delivery carries the same trigger id.
    id: `slack:${command.trigger_id}:${command.command}`,
    actor: { platform: 'slack', workspaceId: command.team_id, userId: command.user_id },
    channel: { id: command.channel_id, isPrivate: command.channel_name === 'directmessage' || command.channel_name === 'privategroup' },
    input: { kind: 'text', line },
  };
}

/** A button press as the command it stands for, run as the member who pressed it. */
export function actionInvocation(body: BlockAction, action: ButtonAction, input: InvocationInput): Invocation {
  return {
    id: `slack:${body.trigger_id}:${action.action_id}`,
    actor: { platform: 'slack', workspaceId: body.team?.id ?? body.user.team_id ?? 'unknown', userId: body.user.id },
    channel: { id: body.channel?.id ?? body.container?.channel_id ?? 'unknown', isPrivate: false },
    input,
  };
}

/**
 * Answers through the request's `response_url`. Ephemeral unless the message is for the channel
 * and holds nothing personal. A long answer to a read shows one page with ◀ ▶ buttons; otherwise
 * its pages follow as further messages.
 */
function replyVia(respond: RespondFn, options: { replace?: boolean; paging?: Paging | undefined }): Reply {
  return {
    canBePrivate: true,
    interactive: true,
    async send(message: ReplyMessage) {
      const pages = renderSlack(message);
      const response_type = message.toChannel && !message.personal ? 'in_channel' : 'ephemeral';
      const paging = response_type === 'ephemeral' && pages.length > 1 ? options.paging : undefined;
      if (paging) {
        const index = Math.min(paging.page, pages.length - 1);
        const values = pages.map((_, n) => paging.value(n));
        if (values.every((v) => v.length <= SLACK_LIMITS.buttonValue)) {
          const page = pages[index]!;
          await respond({
            response_type,
            replace_original: options.replace ?? false,
            text: page.text,
            blocks: [...page.blocks, pagePosition(index, pages.length), pageButtons(index, pages.length, (n) => values[n]!)],
          });
          return;
        }
      }
      for (const [n, page] of pages.entries()) {
        await respond({ response_type, replace_original: n === 0 && (options.replace ?? false), text: page.text, blocks: page.blocks });
      }
    },
  };
}

/** Bolt's logger interface over the casedesk logger. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => log.debug(text(msg)),
    info: (...msg) => log.info(text(msg)),
    warn: (...msg) => log.warn(text(msg)),
    error: (...msg) => log.error(text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
