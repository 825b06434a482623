import type { Database } from '../../../db/client.ts';
import type { MemberRole } from '../../../db/schema/index.ts';
import { commands } from '../../../commands/index.ts';
import { CommandRegistry, defineCommand } from '../../../src/core/command.ts';
import { ok } from '../../../src/domain/result.ts';
import type { Attachment, ReplyMessage } from '../../../src/domain/reply.ts';
import { text } from '../../../src/i18n/text.ts';

/**
 * What the shared delivery contract needs of a platform: a way to send commands and press buttons
 * as its users do, through the adapter's real client and the platform's local fake, and a way to
 * read back what each user and channel saw there, in one platform-neutral shape. A platform that
 * lacks something (buttons, channel posts, direct messages, rate limits) says so in `can`, and the
 * contract then checks what it does instead.
 */
export interface Harness {
  platform: 'discord' | 'slack' | 'console';
  can: Capabilities;
  /** The channel commands are sent from. */
  channel: string;
  /** The most messages one answer takes, the last saying the rest was cut (Infinity: never cut). */
  messagesPerAnswer: number;
  /** The note that an answer was cut, in English; its first group is the number of parts or pages there were. */
  cutNote: RegExp | undefined;
  /** How a list item is shown: `• item` in a chat, `- item` in a terminal. */
  bullet: string;
  /** A mention the platform would act on (ping a channel) if it were sent as it is. */
  mention: string;

  /** A user of the platform who is no member. */
  stranger: User;
  /** What an unknown user is told, so that an administrator can give them access. */
  accessHint(user: User): string;
  /** A member with an account on this platform (the console's account is the handle). */
  join(member: { handle: string; role: MemberRole; unit: string }): Promise<User>;
  /** Runs a command as `user`, from {@link channel}, and gives what came of it once it has settled: replies and posts. */
  send(user: User, request: Request, settle?: Settle): Promise<Seen[]>;
  /** Presses a button of an answer as `user`, and gives what came of it. */
  press(user: User, button: SeenButton, settle?: Settle): Promise<Seen[]>;
  /** Every message posted so far, rather than replied: to channels (by the poster or a command), and direct messages. */
  posts(): Seen[];
  /** The channel poster the scheduler would use; undefined where the platform has none. */
  poster: Poster | undefined;
  /** When each attempt to post to `channel` reached the platform, refused ones included (ms). */
  postAttempts(channel: string): number[];
  /** The files uploaded to `channel`, with the title the platform shows. */
  uploads(channel: string): Array<{ bytes: Buffer; title: string }>;
  /** Makes the platform answer the next post with 429 and a retry-after of {@link Capabilities.rateLimits}. */
  rateLimitNext(): void;
  /** Pieces of a message the platform would act on: mentions, links, live markup. */
  live(seen: Seen): string[];
  /** Fails if a message breaks the platform's limits (besides its fake refusing it). */
  withinLimits(seen: Seen): void;
  /** Assertions only this platform makes about a behaviour, on the raw messages it saw. */
  specific: PlatformExpectations;
  stop(): Promise<void>;
}

export interface Capabilities {
  /** Buttons on answers: paging ◀ ▶, confirm and cancel. Without them, every page shows at once and a change is made at once. */
  buttons: boolean;
  /**
   * How an answer meant for the whole channel (a meeting's agenda) gets there: `reply`, the reply
   * itself is in the channel; `post`, posted there, with a private note to the invoker;
   * `terminal`, shown in the terminal, which only its operator sees.
   */
  channelAnswers: 'reply' | 'post' | 'terminal';
  /** The poster can message a user directly. */
  directMessages: boolean;
  /** The poster can upload a file (a digest's chart) with a channel post. */
  fileUpload: boolean;
  /** The platform can answer 429; `seconds` is the retry-after the test asks for, `minGapMs` the least wait to see. */
  rateLimits: false | { seconds: number; minGapMs: number };
  /** A refused press of a confirm button answers in a message of its own, leaving the question as it was. */
  refusalsApart: boolean;
  /** On the first page, the ◀ button is shown disabled, or left out. */
  firstPageBack: 'disabled' | 'absent';
}

export interface Poster {
  post(channel: string, message: ReplyMessage, attachments?: Attachment[]): Promise<void>;
  direct?(userId: string, message: ReplyMessage): Promise<void>;
}

export interface User {
  handle: string;
  /** The id the platform knows the user by. */
  userId: string;
}

/** A command, as a line of text (Slack, console) and as typed options (Discord). */
export interface Request {
  line: string;
  command: string;
  options?: Record<string, string | number>;
}

/** One message as a user or channel saw it. */
export interface Seen {
  /** Shown to the invoker alone (ephemeral, or the terminal), in a channel, or as a direct message. */
  where: 'private' | 'channel' | 'direct';
  /** The channel, or the user a direct message went to. */
  to?: string | undefined;
  /** It took the place of the message whose button was pressed. */
  replaces: boolean;
  /** Every string shown, one per line (buttons apart). */
  text: string;
  buttons: SeenButton[];
  /** Its place in a paged answer ("2/7" under it), if it is a page. */
  page?: { index: number; count: number } | undefined;
  raw: unknown;
}

export interface SeenButton {
  label: string;
  disabled: boolean;
  raw: unknown;
}

/** Platform-specific checks, run by the contract at the point of each behaviour. */
export interface PlatformExpectations {
  /** The private answer to a read. */
  answered?(answer: Seen[]): void;
  /** The answer to a stranger's command. */
  unknownUser?(answer: Seen[]): void;
  /** A "done" button on a follow-up list, before it is pressed, and a stranger's press of it. */
  doneButton?(done: SeenButton): void;
  strangerPress?(answer: Seen[]): void;
  /** The first page of a paged read and the page its ▶ showed. */
  paged?(first: Seen, second: Seen): void;
  /** The whole answer to a change longer than one message (cut or not). */
  changeAnswer?(answer: Seen[]): void;
  /** A refused press of a confirm or cancel button. */
  refusal?(refused: Seen): void;
  /** The whole answer to a command whose answer, for the channel, is too long for one message. */
  channelWhole?(answer: Seen[]): void;
  /** The note to the invoker that an answer was posted in the channel. */
  postedNote?(note: Seen): void;
  /** A digest with its chart, posted once after a 429. */
  digestPosted?(posted: Seen, png: Buffer): void;
}

export interface HarnessOptions {
  db: Database;
}

export type StartHarness = (options: HarnessOptions) => Promise<Harness>;

/** The lines of a message, for `Seen.text`. */
export const lines = (...parts: Array<string | undefined | null>): string => parts.filter((p) => p).join('\n');

/**
 * When an answer is complete: once `until` holds of it (by default, once it has a message), and no
 * further message has come for a while. A test that knows how many messages to expect says so, so
 * that a slow machine does not cut the answer short.
 */
export interface Settle {
  until?: (answer: Seen[]) => boolean;
}

/** Reads `read` until the answer settles (see {@link Settle}). */
export async function settled(read: () => Seen[], options: Settle & { quietMs?: number; timeoutMs?: number } = {}): Promise<Seen[]> {
  const quietMs = options.quietMs ?? 300;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const until = options.until ?? ((answer: Seen[]) => answer.length > 0);
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  let since = Date.now();
  for (;;) {
    const answer = read();
    if (answer.length !== count || !until(answer)) {
      count = answer.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return answer;
    }
    if (Date.now() > deadline) throw new Error(`no answer settled within ${timeoutMs} ms (${answer.length} messages)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A change whose answer is longer than five messages: 40 items of 2,500 characters. */
export const longAnswer = (toChannel: boolean): ReplyMessage => ({
  personal: !toChannel,
  toChannel,
  title: 'Báo cáo dài',
  blocks: [
    { kind: 'list', items: Array.from({ length: 40 }, (_, i) => `Mục ${i + 1}: ${'nội dung biên bản họp, '.repeat(110)}`.slice(0, 2500)) },
  ],
});

const fixed = (name: string, message: ReplyMessage) =>
  defineCommand({
    name,
    nameVi: name.split(' ').at(-1)!,
    description: text('x', 'x'),
    minRole: 'viewer',
    writes: true,
    options: [],
    run: async () => ok(message),
  });

/**
 * The real commands, and three changes with fixed answers: a very long personal one, a very long
 * one for the channel, and a personal one that asks for the channel (which the dispatcher keeps
 * private).
 */
export const CONTRACT_COMMANDS = new CommandRegistry([
  ...commands.all(),
  fixed('bulk private', longAnswer(false)),
  fixed('bulk channel', longAnswer(true)),
  fixed('bulk leak', {
    personal: true,
    toChannel: true,
    title: 'Hồ sơ TN-2021-000001',
    blocks: [{ kind: 'text', text: 'Nguyễn Văn Đức, sinh năm 1980' }],
  }),
]);
