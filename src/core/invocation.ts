import type { Locale, Platform } from '../../db/schema/index.ts';
import type { ReplyMessage } from '../domain/reply.ts';

/** Who typed the command, as the platform knows them. Resolved to a member by the dispatcher. */
export interface Actor {
  platform: Platform;
  /** Discord guild id, Slack team id, `local` on the console. */
  workspaceId: string;
  /** Discord or Slack user id; the member's handle on the console. */
  userId: string;
}

/** What the user asked for: a line of text (console, Slack) or typed options (Discord, buttons). */
export type InvocationInput =
  { kind: 'text'; line: string } | { kind: 'options'; command: string; options: Record<string, string | number | boolean | undefined> };

/**
 * One platform request, in platform-neutral form. Adapters build it; commands never see a platform.
 *
 * @example
 *   const invocation: Invocation = {
 *     id: 'discord:1187263541', actor: { platform: 'discord', workspaceId: 'G1', userId: 'U1' },
 *     channel: { id: 'C1', isPrivate: false }, input: { kind: 'text', line: 'case find nguyen van duc' },
 *   };
 */
export interface Invocation {
  /** Unique per platform request and stable across its retries: the idempotency key. */
  id: string;
  actor: Actor;
  channel: { id: string; isPrivate: boolean };
  input: InvocationInput;
  /** The platform's idea of the user's language, used only until they are known as a member. */
  localeHint?: Locale | undefined;
  /** When the request was made; defaults to the dispatcher's clock. */
  receivedAt?: Date;
  /**
   * On the command line: the operating-system user and host who ran it, audited beside the member
   * the console acts as (`--as` claims a handle; this says who claimed it).
   */
  operator?: Operator | undefined;
  /**
   * Opens the file a `file` option refers to (an attachment's id, a path on the console), or
   * undefined when this platform cannot or the reference is unknown.
   */
  openFile?: ((reference: string) => InputFile | undefined) | undefined;
  /**
   * How any instance can answer this request later, while the platform takes it: the answer is
   * stored with the command and, if the instance that ran it dies before answering, another delivers
   * it through this handle. Without one (the console) the answer is only ever sent live.
   */
  answerHandle?: AnswerHandle | undefined;
}

/**
 * A platform's handle for answering one request, as its adapter builds it from the request.
 *
 * @example
 *   // Slack: the slash command's response_url, good for 30 minutes.
 *   const handle: AnswerHandle = { to: { responseUrl: command.response_url }, expiresAt: new Date(Date.now() + 30 * 60_000) };
 */
export interface AnswerHandle {
  /**
   * What the adapter's poster needs to answer (Slack's `{ responseUrl }`, Discord's
   * `{ applicationId, token }`): opaque to the core, and a credential, so never logged.
   */
  to: Record<string, string>;
  /** When the platform stops taking an answer through it (Slack: 30 minutes, Discord: 15). */
  expiresAt: Date;
}

/** What the answer given to {@link Reply.send} is: a command's result, or a refusal or failure. */
export interface AnswerContext {
  outcome: 'ok' | 'refused' | 'error';
}

/**
 * A file sent with a command, read only when the command asks for it.
 *
 * @example
 *   const file = ctx.openFile(ctx.options.file);
 *   const bytes = file && (await file.read(20 * 1024 * 1024));
 */
export interface InputFile {
  /** The name shown, e.g. `tam-giu-2026-12.xlsx`. */
  name: string;
  /** In bytes, when the platform says so before it is read. */
  size: number | null;
  /**
   * The bytes; `too_large` once more than `maxBytes` have come (the rest is not read); `unreadable`
   * when it cannot be had (no such path, the platform refused the download).
   */
  read(maxBytes: number): Promise<Uint8Array | 'too_large' | 'unreadable'>;
}

/** Who ran a command-line action, as the operating system knows them. */
export interface Operator {
  user: string;
  host: string;
}

/** How an adapter answers an invocation. */
export interface Reply {
  /** Whether this reply can be shown to the invoker alone (ephemeral, direct, or a local terminal). */
  readonly canBePrivate: boolean;
  /** Whether the user can press buttons on the reply; commands may then ask to confirm a change. */
  readonly interactive?: boolean;
  /**
   * Sends the answer; `context` says whether it is a command's result (absent when an answer stored
   * earlier is delivered again). It rejects if the platform refused it, so that it can be retried.
   */
  send(message: ReplyMessage, context?: AnswerContext): Promise<void>;
  /**
   * Shows how a long command is getting on, replacing the last progress shown (an edited reply, a
   * progress bar on a terminal). Platforms that cannot leave it out.
   */
  progress?(update: Progress): Promise<void>;
}

/** How far a long command has got: `done` of `total`, and the line to show. */
export interface Progress {
  done: number;
  total: number;
  message: ReplyMessage;
}
