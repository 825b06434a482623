import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  App,
  HTTPModuleFunctions,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  type Logger as BoltLogger,
  type RespondFn,
  type SlashCommand,
  type BlockAction,
  type ButtonAction,
  type ViewSubmitAction,
} from '@slack/bolt';
import type { Locale } from '../../i18n/text.ts';
import { isConfirmation } from '../../core/confirmations.ts';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Invocation, InvocationInput, Reply } from '../../core/invocation.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import { text } from '../../i18n/text.ts';
import type { Logger } from '../../logger.ts';
import type { SlackConnection } from './connection.ts';
import { createSlackPoster } from './post.ts';
import { planDelivery, type Paging } from '../../core/delivery.ts';
import type { CommandDefinition, CommandRegistry } from '../../core/command.ts';
import type { AdapterStatus, ChatAdapter, HttpRoute, OnAcknowledged } from '../../core/platform.ts';
import { createInFlight } from '../../core/in-flight.ts';
import { commandGroups, commands as allCommands } from '../../../commands/index.ts';
import { cutText, directHandle, FILES_NOTE, responseUrlHandle } from './answer.ts';
import { directConversation, directReply, sendFilesDirectly } from './direct.ts';
import { slackInputFile } from './files.ts';
import { SlackTokenRefused } from './errors.ts';

export { SlackTokenRefused };
import { commandForm, decodeFormContext, FORM_CALLBACK_ID, needsForm, prefill, submittedOptions, type Prefill } from './forms.ts';
import { pageButtons, pageNote, pagePosition, renderSlack, SLACK_BUTTONS, SLACK_LIMITS, type SlackPage } from './render.ts';

export type { SlackConnection } from './connection.ts';

export interface SlackAdapterOptions {
  dispatcher: Dispatcher;
  connection: SlackConnection;
  logger: Logger;
  /** The least time between two posts to one channel (Slack allows about one a second). */
  postIntervalMs?: number;
  /** The language of the adapter's own notes and forms (CASEDESK_LOCALE); answers come in the member's. */
  locale?: Locale;
  /**
   * The commands the dispatcher runs, to know which ones are asked for in a form (those that need a
   * file). Defaults to casedesk's commands; give the dispatcher's own registry when it differs.
   */
  commands?: CommandRegistry;
  /** Served on the HTTP port beside `/slack/events` (health, readiness, metrics); not in Socket Mode. */
  routes?: readonly HttpRoute[];
  /** Told how long each request took from its arrival to its acknowledgement (the operator's metrics). */
  onAcknowledged?: OnAcknowledged;
}

/** Thrown by the adapter's first middleware for a request that arrives while it drains. */
class Draining extends Error {
  constructor() {
    super('casedesk is stopping and takes no new requests');
    this.name = 'Draining';
  }
}

/** Bolt hands the app's error handler the error wrapped (`original`) when it is not one of its own. */
const isDraining = (error: unknown): boolean =>
  error instanceof Draining || (error as { original?: unknown } | undefined)?.original instanceof Draining;

/** Slack's answers to a token it will not take. */
const REFUSED_TOKEN = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'user_removed_from_team',
  'team_disabled',
]);

/** Runs a start step, turning Slack's refusal of its token into a {@link SlackTokenRefused}. */
async function checking<T>(variable: SlackTokenRefused['variable'], step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const slackError = (error as { data?: { error?: unknown } }).data?.error;
    if (typeof slackError === 'string' && REFUSED_TOKEN.has(slackError))
      throw new SlackTokenRefused(variable, slackError, { cause: error });
    throw error;
  }
}

/**
 * Slash commands casedesk registers (see slack/manifest.json): one per group of the command
 * registry, then `/casedesk` for the rest (`/casedesk` alone is help).
 */
export const SLACK_COMMANDS: readonly string[] = [...Object.keys(commandGroups).map((group) => `/${group}`), '/casedesk'];

/**
 * The Slack front end: a Bolt app over HTTP (signed requests at `/slack/events`) or Socket Mode.
 * Every request is acknowledged before any database work; the answer follows through the
 * request's `response_url`, ephemeral unless it is meant for the channel and holds nothing
 * personal. A retried or repeated request has one effect: its idempotency key is derived from the
 * request (trigger id and command), and the core accepts it once.
 *
 * A command that needs a file (`case check`) cannot take it from a slash command, so typing it
 * opens a form (a modal with a file input, the typed options filled in); its submission runs the
 * command, keyed by the view's id and hash, and is answered in the submitter's direct messages,
 * with any file uploaded there and the progress of a long run shown in one message edited in place.
 * Files of an answer to a typed command go to the invoker's direct messages as well, never to a channel.
 */
export function createSlackAdapter(options: SlackAdapterOptions) {
  const log = options.logger.child({ adapter: 'slack' });
  const { connection, dispatcher } = options;
  const clientOptions = { slackApiUrl: connection.apiUrl };
  const socketMode = Boolean(connection.appToken);
  const logger = boltLogger(log);
  const inFlight = createInFlight();
  let draining = false;
  let socketOpen = false;
  // The receivers are built here rather than by App so that a request arriving while the adapter
  // drains is refused with 503 (HTTP) and the socket's state can be read.
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: connection.appToken!,
        // Socket Mode's own client opens the connection (apps.connections.open) through the same API.
        installerOptions: { clientOptions },
        logger,
        logLevel: LogLevel.INFO,
      })
    : new HTTPReceiver({
        signingSecret: connection.signingSecret!,
        port: connection.port,
        customRoutes: [...(options.routes ?? [])],
        logger,
        logLevel: LogLevel.INFO,
        // 503 with Retry-After: a proxy in front of several instances may send it to another; Slack
        // itself shows the user that the command failed, and it can be typed again.
        processEventErrorHandler: async (args) => {
          if (!isDraining(args.error)) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
          if (!args.response.headersSent) {
            args.response.writeHead(503, { 'retry-after': '5' });
            args.response.end();
          }
          return true;
        },
      });
  if (receiver instanceof SocketModeReceiver) {
    receiver.client.on('connected', () => (socketOpen = true));
    for (const state of ['disconnecting', 'disconnected', 'reconnecting']) receiver.client.on(state, () => (socketOpen = false));
  }
  const app = new App({
    token: connection.botToken,
    receiver,
    clientOptions,
    logger,
    logLevel: LogLevel.INFO,
    // Checked in start(), so that a refused token fails it with a clear error.
    deferInitialization: true,
  });

  // Before every listener: a request that arrives while draining is refused, before it is
  // acknowledged or accepted; every other one is counted until its answer has gone out.
  app.use(async ({ context, next }) => {
    if (draining) throw new Draining();
    context.receivedAt = performance.now();
    await inFlight.track(next);
  });
  /** Bolt's ack(), reported to the metrics with the time since the request reached the app. */
  const acknowledge = async (ack: () => Promise<void>, context: Record<string, unknown>) => {
    await ack();
    if (typeof context.receivedAt === 'number')
      options.onAcknowledged?.({ platform: 'slack', seconds: (performance.now() - context.receivedAt) / 1000 });
  };

  const locale = options.locale ?? 'vi';
  const registry = options.commands ?? allCommands;
  let server: Server | undefined;
  const poster = createSlackPoster(app.client, options.postIntervalMs ?? 1100, locale);
  const replyVia = (
    respond: RespondFn,
    where: { channelId: string; userId: string },
    reply: { replace?: boolean; paging?: Paging | undefined },
  ) =>
    respondReply({
      respond,
      channelId: where.channelId,
      post: (...args) => poster.pages(...args),
      sendFiles: (files) =>
        sendFilesDirectly({ poster, conversation: directConversation(app.client, where.userId) }, files, FILES_NOTE(locale)),
      locale,
      log,
      ...reply,
    });

  // Slack wants every delivery answered with 200 within three seconds, retries included, so Bolt's
  // ack() is the transport's receipt and comes first; the core then accepts the invocation (a
  // retry stops there) and answers through response_url, which stays good for 30 minutes.
  app.command(new RegExp(`^(${SLACK_COMMANDS.join('|')})$`), async ({ command, ack, respond, context }) => {
    await acknowledge(ack, context);
    const invocation = slashInvocation(command);
    const form = formFor(invocation);
    if (form) {
      await openForm(command, form, respond);
      return;
    }
    const where = { channelId: command.channel_id, userId: command.user_id };
    await dispatcher.dispatch(invocation, replyVia(respond, where, { paging: rerunnable(invocation, 0) }));
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: /^cd:/ }, async ({ ack, body, action, respond, context }) => {
    await acknowledge(ack, context);
    const decoded = SLACK_BUTTONS.decode(action.value);
    if (!decoded) return;
    const invocation = actionInvocation(body, action, decoded.input);
    const where = { channelId: invocation.channel.id, userId: body.user.id };
    if (decoded.page !== undefined) {
      // ◀ or ▶: the read runs again for whoever pressed, in place of the page shown.
      await dispatcher.dispatch(invocation, replyVia(respond, where, { replace: true, paging: rerunnable(invocation, decoded.page) }));
      return;
    }
    // Confirm and cancel answer in place of the question, so they cannot be pressed again.
    await dispatcher.dispatch(invocation, replyVia(respond, where, { replace: isConfirmation(decoded.input) }));
  });

  // A form's submission: ack() closes the modal at once; the core then accepts the submission (the
  // same submission delivered again, to this instance or another, stops there) and checks it as it
  // checks any command, the submitter's membership and role included.
  app.view<ViewSubmitAction>({ callback_id: FORM_CALLBACK_ID, type: 'view_submission' }, async ({ ack, body, view, context: request }) => {
    await acknowledge(ack, request);
    const context = decodeFormContext(view.private_metadata);
    const definition = context && registry.get(context.command);
    // A modal is shown only to the user it was opened for: another submitter is not one of ours.
    if (!context || !definition || context.userId !== body.user.id) {
      log.warn({ view: view.id, callback: view.callback_id }, 'a form submission casedesk cannot read');
      return;
    }
    const { options: typed, files } = submittedOptions(definition, view.state.values);
    const invocation: Invocation = {
      // Stable across deliveries of one submission: a view's hash changes only when the view does.
      id: `slack:view:${view.id}:${view.hash}`,
      actor: { platform: 'slack', workspaceId: body.team?.id ?? body.user.team_id ?? view.team_id, userId: body.user.id },
      channel: { id: context.channelId, isPrivate: context.isPrivate },
      input: { kind: 'options', command: definition.name, options: typed },
      openFile: (reference) => {
        const file = files.get(reference);
        return file && slackInputFile({ client: app.client, botToken: connection.botToken, apiUrl: connection.apiUrl, log }, file);
      },
      answerHandle: directHandle(body.user.id, new Date()),
    };
    await dispatcher.dispatch(invocation, directReply({ client: app.client, poster, userId: body.user.id, log }));
  });

  /** The form a typed command is asked for in, when it needs a file; undefined to run it as typed. */
  function formFor(invocation: Invocation): { command: CommandDefinition; prefill: Prefill } | undefined {
    if (invocation.input.kind !== 'text') return undefined;
    const found = registry.resolveText(invocation.input.line);
    if (!('command' in found) || !found.command.options.some((o) => o.type === 'file')) return undefined;
    const filled = prefill(found.command, found.rest, locale);
    return filled && needsForm(found.command, filled.values) ? { command: found.command, prefill: filled } : undefined;
  }

  /**
   * Opens the form with the command's trigger id, which Slack takes once and within three seconds
   * of the command: so before any database work. Membership and role are checked when it is
   * submitted, by the core, as for any command (and audited there).
   */
  async function openForm(command: SlashCommand, form: { command: CommandDefinition; prefill: Prefill }, respond: RespondFn) {
    const view = commandForm({
      command: form.command,
      prefill: form.prefill,
      context: {
        command: form.command.name,
        channelId: command.channel_id,
        isPrivate: command.channel_name === 'directmessage',
        userId: command.user_id,
      },
      locale,
    });
    try {
      await app.client.views.open({ trigger_id: command.trigger_id, view });
    } catch (error) {
      const slackError = (error as { data?: { error?: unknown } }).data?.error;
      // The same command delivered again: its trigger already opened the form.
      if (slackError === 'exchanged_trigger_id') return;
      log.warn({ err: error, command: form.command.name }, 'could not open a form');
      const note = formNotOpenedText(form.command.name, typeof slackError === 'string' ? slackError : 'error')(locale);
      await respond({ response_type: 'ephemeral', text: note, blocks: [pageNote(note)] }).catch((failed: unknown) =>
        log.warn({ err: failed }, 'could not say that a form did not open'),
      );
    }
  }

  app.error(async (error) => {
    // Back to the receiver, which refuses the request (see processEventErrorHandler).
    if (isDraining(error)) throw error;
    log.error({ err: error }, 'slack request failed');
  });

  /** Page buttons for an answer to a read, which can safely run again; not for a change. */
  function rerunnable(invocation: Invocation, page: number): Paging | undefined {
    if (!dispatcher.isReadOnly(invocation.input)) return undefined;
    const input = invocation.input;
    return { page, button: (n) => SLACK_BUTTONS.encode({ input, page: n }) };
  }

  let running = false;
  const adapter = {
    platform: 'slack' as const,
    app,
    /**
     * Checks the bot token (auth.test), then listens (HTTP) or connects (Socket Mode, which checks
     * the app-level token). A refused token fails it with a {@link SlackTokenRefused}.
     */
    async start(): Promise<void> {
      await checking('SLACK_BOT_TOKEN', () => app.init());
      const started = await checking(socketMode ? 'SLACK_APP_TOKEN' : 'SLACK_BOT_TOKEN', () => app.start());
      if (!socketMode) server = started;
      running = true;
      log.info({ transport: socketMode ? 'socket-mode' : 'http', port: this.port() }, 'slack ready');
    },
    /** The HTTP port listened on (useful when configured as 0). */
    port(): number | undefined {
      return (server?.address() as AddressInfo | null)?.port;
    },
    /**
     * Takes no new requests and resolves once those in flight are answered. Over HTTP the port
     * stays open (readiness is served there) and a new request is refused with 503; in Socket Mode
     * the socket is closed at once, so that Slack sends new requests to the app's other connections.
     */
    async drain(): Promise<void> {
      draining = true;
      if (socketMode && running) {
        running = false;
        await app.stop();
      }
      await inFlight.idle();
    },
    /** Stops listening; a no-op when start() failed, since Bolt's stop() would throw. */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      await app.stop();
    },
    status(): AdapterStatus {
      const connected = running && (socketMode ? socketOpen : Boolean(server?.listening));
      return { connected, draining, inFlight: inFlight.count() };
    },
    /** Channel posts and direct messages for the scheduler. */
    poster,
    /** Posts to a channel, for scheduled digests (see {@link createSlackPoster}). */
    async post(channel: string, message: ReplyMessage, attachments: Attachment[] = []): Promise<void> {
      await poster.post(channel, message, attachments);
    },
  };
  return adapter satisfies ChatAdapter;
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
    channel: { id: command.channel_id, isPrivate: command.channel_name === 'directmessage' },
    input: { kind: 'text', line },
    answerHandle: responseUrlHandle(command.response_url, command.user_id, new Date()),
  };
}

/** A button press as the command it stands for, run as the member who pressed it. */
export function actionInvocation(body: BlockAction, action: ButtonAction, input: InvocationInput): Invocation {
  return {
    id: `slack:${body.trigger_id}:${action.action_id}`,
    actor: { platform: 'slack', workspaceId: body.team?.id ?? body.user.team_id ?? 'unknown', userId: body.user.id },
    channel: { id: body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id ?? 'unknown', isPrivate: false },
    input,
    answerHandle: responseUrlHandle(body.response_url, body.user.id, new Date()),
  };
}

/**
 * Answers through the request's `response_url`, which takes at most five posts. A personal answer
 * is ephemeral: a long answer to a read shows one page with ◀ ▶ buttons; otherwise its pages
 * follow as further posts, cut after the fifth with a note saying so. An answer meant for the
 * channel (a meeting's agenda or minutes) goes there: its first page through the response_url,
 * the rest with chat.postMessage, which needs the app in the channel. Files, which a response_url
 * cannot carry, go to the invoker's direct messages.
 */
function respondReply(options: {
  respond: RespondFn;
  channelId: string;
  post: (channel: string, pages: SlackPage[]) => Promise<void>;
  /** Sends an answer's files to the invoker's direct messages (a response_url takes no file). */
  sendFiles: (files: Attachment[]) => Promise<void>;
  locale: Locale;
  log: Logger;
  replace?: boolean | undefined;
  paging?: Paging | undefined;
}): Reply {
  const { respond, paging } = options;
  const say = (t: (l: Locale) => string) => t(options.locale);
  return {
    canBePrivate: true,
    interactive: true,
    async send(message: ReplyMessage) {
      await answer(message);
      if (message.files?.length) await options.sendFiles(message.files);
    },
  };

  async function answer(message: ReplyMessage): Promise<void> {
    const replace = options.replace ?? false;
    const plan = planDelivery(message, renderSlack(message), { paging, maxMessages: SLACK_LIMITS.responsesPerUrl, cutNote: 'under' });
    if (plan.kind === 'channel') {
      const [first, ...rest] = plan.pages;
      await respond({ response_type: 'in_channel', replace_original: replace, text: first!.text, blocks: first!.blocks });
      if (rest.length === 0) return;
      try {
        await options.post(options.channelId, rest);
      } catch (error) {
        options.log.warn({ err: error, channel: options.channelId }, 'could not post the rest of an answer to the channel');
        const note = say(notInChannelText(plan.pages.length));
        await respond({ response_type: 'ephemeral', replace_original: false, text: note, blocks: [pageNote(note)] });
      }
      return;
    }
    if (plan.kind === 'paged') {
      const { page, index, count, buttons } = plan;
      await respond({
        response_type: 'ephemeral',
        replace_original: replace,
        text: page.text,
        blocks: [...page.blocks, pagePosition(index, count), pageButtons(index, count, (n) => buttons[n]!)],
      });
      return;
    }
    const shown = plan.kind === 'single' ? [plan.page] : [...plan.pages];
    const cut = plan.kind === 'sequence' ? plan.cut : undefined;
    if (cut) {
      // The note goes under the last page that fits, in the room the renderer keeps for it.
      const last = shown.at(-1)!;
      shown[shown.length - 1] = { ...last, blocks: [...last.blocks, pageNote(say(cutText(cut.shown, cut.total)))] };
    }
    for (const [n, page] of shown.entries()) {
      await respond({ response_type: 'ephemeral', replace_original: n === 0 && replace, text: page.text, blocks: page.blocks });
    }
  }
}

function formNotOpenedText(command: string, reason: string) {
  return text(
    `Không mở được hộp thoại của lệnh ${command} (Slack: ${reason}). Hãy gõ lại lệnh; nếu vẫn không được, báo quản trị viên kèm mã lỗi này.`,
    `The form of ${command} could not be opened (Slack: ${reason}). Type the command again; if it fails again, tell an administrator, with this code.`,
  );
}

function notInChannelText(total: number) {
  return text(
    `Mới đăng được phần đầu (1/${total}) lên kênh vì casedesk chưa được thêm vào kênh này. Hãy mời casedesk vào kênh bằng lệnh /invite @casedesk rồi chạy lại lệnh.`,
    `Only the first part (1 of ${total}) reached the channel: casedesk is not a member of it. Invite it with /invite @casedesk and run the command again.`,
  );
}

/**
 * Bolt's logger interface over the casedesk logger. Bolt passes strings, objects and Errors; an
 * Error goes to pino as `err`, so that its message and stack are kept.
 */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write =
    (at: 'debug' | 'info' | 'warn' | 'error') =>
    (...msg: unknown[]) => {
      const err = msg.find((m): m is Error => m instanceof Error);
      const line = msg
        .filter((m) => m !== err)
        .map((m) => (typeof m === 'string' ? m : safeJson(m)))
        .join(' ');
      if (err) log[at]({ err }, line || err.message);
      else log[at](line);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
