import { PLATFORMS, type Platform } from '../../db/schema/enums.ts';
import type { Attachment, ReplyMessage } from '../domain/reply.ts';

export { PLATFORMS, type Platform };

/** The platforms people chat on: every platform but the local console. */
export type ChatPlatform = Exclude<Platform, 'console'>;

/** The chat platforms, in the order casedesk names them: members link accounts there, digests go there. */
export const CHAT_PLATFORMS = PLATFORMS.filter((p): p is ChatPlatform => p !== 'console');

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
}

export const canMessageDirectly = (poster: Poster): boolean => poster.direct !== undefined || poster.directParts !== undefined;

/**
 * A poster whose posts are made of separately recorded parts: `post` and `direct` run the parts in
 * order, so the two ways of posting cannot drift apart.
 */
export function posterFromParts(input: {
  parts(channel: string, message: ReplyMessage, attachments: Attachment[]): PostPart[];
  directParts?(userId: string, message: ReplyMessage): PostPart[];
  files?: true;
}): Poster {
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
  /** Disconnects; safe to call after a failed start. */
  stop(): Promise<void>;
  readonly poster: Poster;
}
