import { PLATFORMS, type Platform } from '../../db/schema/enums.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import type { Attachment, ReplyMessage } from '../domain/reply.ts';
import type { Text } from '../i18n/text.ts';
import type { Logger } from '../logger.ts';
import type { Dispatcher } from './dispatcher.ts';

export { PLATFORMS, type Platform };

import type { ChatPlatform } from '../domain/platforms.ts';
export { CHAT_PLATFORMS, choiceOf, type ChatPlatform } from '../domain/platforms.ts';

/** One platform call of a message: a page posted, a file uploaded. */
export type PostPart = () => Promise<void>;

/**
 * Posts messages to a chat platform without a request to answer: scheduled digests, reminders,
 * the minutes of a meeting closed by time-out. `post` is the one thing every poster does; what a
 * platform can do besides is declared by the optional members, never guessed from its shape.
 *
 * @example
 *   const poster: Poster = { post: async (channel, message) => send(channel, message) };
 *   await poster.post('C1', { personal: false, blocks: [{ kind: 'text', text: 'hi' }] }, []);
 *   canMessageDirectly(poster) === false
 */
export interface Poster {
  /**
   * Posts to a channel: the whole channel sees it, so `message` must hold no personal data.
   * `attachments` go with it where the poster declares `files`; otherwise they are left out.
   */
  post(channel: string, message: ReplyMessage, attachments: Attachment[]): Promise<void>;
  /** The platform takes files with a post (a digest's chart). */
  readonly files?: true;
  /** Messages one user directly (reminders of overdue follow-ups). */
  direct?(userId: string, message: ReplyMessage): Promise<void>;
  /**
   * The calls `post` makes, one per page or file, in an order and number that depend only on
   * their input, so that the outbox can record each one and resume a failed message after the
   * calls that went out. Without it a post is one call.
   */
  parts?(channel: string, message: ReplyMessage, attachments: Attachment[]): PostPart[];
  /** The calls `direct` makes, as {@link Poster.parts} does for `post`. */
  directParts?(userId: string, message: ReplyMessage): PostPart[];
  /**
   * The calls that answer a request through the handle its adapter built (an invocation's
   * `answerHandle.to`): how the outbox delivers an answer whose instance died before sending it.
   * Only the invoker sees it, so `message` may be personal; its files go where the adapter sends an
   * answer's files. Pages are sent in sequence (no ◀ ▶ buttons: the request cannot run again).
   */
  answerParts?(to: Record<string, string>, message: ReplyMessage): PostPart[];
}

export const canMessageDirectly = (poster: Poster): boolean => poster.direct !== undefined || poster.directParts !== undefined;

/**
 * A poster whose posts are made of separately recorded parts: `post` and `direct` run the parts in
 * order, so the two ways of posting cannot drift apart.
 */
export function posterFromParts(input: {
  parts: NonNullable<Poster['parts']>;
  directParts: NonNullable<Poster['directParts']>;
  files?: true;
}): Poster & Required<Pick<Poster, 'parts' | 'direct' | 'directParts'>>;
export function posterFromParts(input: { parts: NonNullable<Poster['parts']>; files?: true }): Poster & Required<Pick<Poster, 'parts'>>;
export function posterFromParts(input: { parts: NonNullable<Poster['parts']>; directParts?: Poster['directParts']; files?: true }): Poster {
  const run = async (parts: PostPart[]) => {
    for (const part of parts) await part();
  };
  const { parts, directParts } = input;
  return {
    ...(input.files ? { files: true as const } : {}),
    parts,
    post: (channel, message, attachments = []) => run(parts(channel, message, attachments)),
    ...(directParts ? { directParts, direct: (userId: string, message: ReplyMessage) => run(directParts(userId, message)) } : {}),
  };
}

/**
 * A running front end on a chat platform: it turns the platform's requests into invocations for
 * the dispatcher it was created with, and renders the answers. `poster` posts to the platform
 * outside any request, through the adapter's own client.
 *
 * @example
 *   const adapter: ChatAdapter = createSlackAdapter({ dispatcher, connection, logger });
 *   await adapter.start();
 *   posters[adapter.platform] = adapter.poster;
 */
export interface ChatAdapter {
  readonly platform: ChatPlatform;
  /** Connects and resolves once requests are answered; a refused credential rejects. */
  start(): Promise<void>;
  /**
   * Stops taking new requests and resolves once those in flight have been answered. What becomes of
   * a request that arrives meanwhile is the platform's to say (left to another instance, refused
   * with a status the platform or a proxy can retry); none is accepted and then dropped.
   */
  drain(): Promise<void>;
  /** Disconnects; safe to call after a failed start, and after {@link ChatAdapter.drain}. */
  stop(): Promise<void>;
  /** Whether requests reach this adapter now, and how many it is answering: what readiness reads. */
  status(): AdapterStatus;
  readonly poster: Poster;
}

/**
 * An adapter's connection as an operator sees it.
 *
 * @example
 *   adapter.status() // { connected: true, draining: false, inFlight: 2 }
 */
export interface AdapterStatus {
  /** The platform can reach it: Discord's gateway session is ready, Slack's receiver listens or its socket is open. */
  readonly connected: boolean;
  /** {@link ChatAdapter.drain} was called: it takes no new requests. */
  readonly draining: boolean;
  /** Requests accepted from the platform and not yet answered. */
  readonly inFlight: number;
}

/**
 * A plain HTTP route the process serves beside the platform's own (health, readiness, metrics).
 * Its shape is that of Bolt's `CustomRoute`, so an adapter that already listens on the HTTP port
 * can serve it there; any other is served by a small server of casedesk's own.
 */
export interface HttpRoute {
  readonly path: string;
  readonly method: 'GET';
  handler(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * Told once a platform request has been acknowledged, with how long after it arrived: what the
 * operator's acknowledgement-latency metric records. Platforms give three seconds.
 */
export type OnAcknowledged = (input: { platform: ChatPlatform; seconds: number }) => void;

/**
 * A chat platform as casedesk knows it: what `casedesk start` runs, where digests can go, and
 * how its start errors read. src/adapters/index.ts lists them; each lives in its adapter's folder.
 *
 * @example
 *   const configured = slackPlatform.configure(config);
 *   if (configured) posters.slack = await configured.createPoster();
 */
export interface PlatformDescriptor {
  readonly name: ChatPlatform;
  /** The name people read: `Slack`. */
  readonly label: string;
  /** Digests and reminders can be scheduled to its channels. */
  readonly digestTarget: boolean;
  /** The platform as `config` sets it up, or undefined when its section is missing. */
  configure(config: Config): ConfiguredPlatform | undefined;
  /** What to tell the operator when the adapter could not start (a refused token), or undefined. */
  explainStartError(error: unknown): Text | undefined;
}

export interface ConfiguredPlatform {
  /**
   * The adapter listens on the HTTP port (`PORT`) for the platform's requests (Slack over HTTP):
   * it then serves the `routes` it is created with there, and casedesk starts no server of its own.
   */
  readonly listensOnPort: boolean;
  /** The adapter serving requests through `dispatcher` (started by its caller). */
  createAdapter(deps: {
    dispatcher: Dispatcher;
    logger: Logger;
    /** Served on the adapter's port when it {@link ConfiguredPlatform.listensOnPort}; ignored otherwise. */
    routes?: readonly HttpRoute[];
    onAcknowledged?: OnAcknowledged;
  }): Promise<ChatAdapter>;
  /** Posting without listening for requests (`casedesk digest run-schedules`). */
  createPoster(): Promise<Poster>;
}
