import type { Locale, Platform } from '../../db/schema/index.ts';

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
  | { kind: 'text'; line: string }
  | { kind: 'options'; command: string; options: Record<string, string | number | boolean | undefined> };

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
}

/**
 * A platform-neutral message. Every string is plain text, already in the reader's language:
 * renderers escape it for their platform, so nothing a user typed becomes markup or a mention.
 */
export interface ReplyMessage {
  /** Holds personal data: only ever shown to the invoker alone. */
  personal: boolean;
  /** Shown to the whole channel (never with personal data). By default only the invoker sees it. */
  toChannel?: boolean;
  title?: string;
  blocks: Block[];
  /** Buttons that run another command, checked like a typed one. */
  actions?: ReplyAction[];
}

export type Block =
  | { kind: 'text'; text: string; tone?: 'normal' | 'muted' | 'error' | 'success' }
  | { kind: 'fields'; fields: Array<{ label: string; value: string }> }
  | { kind: 'list'; items: string[]; ordered?: boolean }
  | { kind: 'code'; text: string };

export interface ReplyAction {
  label: string;
  style?: 'primary' | 'danger' | 'secondary';
  command: string;
  options: Record<string, string>;
}

/** A file sent with a channel post: the PNG chart of a digest. */
export interface Attachment {
  /** The file name shown, e.g. `digest-2026-11.png`. */
  name: string;
  data: Uint8Array;
  contentType: string;
  /** Alt text for screen readers. */
  description?: string;
}

/** How an adapter answers an invocation. */
export interface Reply {
  /** Whether this reply can be shown to the invoker alone (ephemeral, direct, or a local terminal). */
  readonly canBePrivate: boolean;
  /** Whether the user can press buttons on the reply; commands may then ask to confirm a change. */
  readonly interactive?: boolean;
  send(message: ReplyMessage): Promise<void>;
}
