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
  /**
   * Files for the invoker alone (a check's result as CSV): only with `personal`, and delivered only
   * where the reply is private (an ephemeral attachment, a direct message, a file saved locally).
   */
  files?: Attachment[];
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

/** A file sent with a message: the PNG chart of a digest, the CSV result of a check. */
export interface Attachment {
  /** The file name shown, e.g. `digest-2026-11.png`. */
  name: string;
  data: Uint8Array;
  contentType: string;
  /** Alt text for screen readers. */
  description?: string;
}
