import type { ReplyMessage } from '../domain/reply.ts';
import type { InvocationInput } from './invocation.ts';

/*
 * The delivery policy every adapter renders: how an answer of several pages reaches the member
 * (one message, pages with ◀ ▶ buttons, or a sequence of messages cut after the platform's
 * maximum), how text is cut to a platform's sizes, and how a button says what it runs.
 * Adapters decide nothing of this; they only draw what the plan says on their platform.
 */

/** How a platform counts the length of a text. */
export type Measure = (value: string) => number;
/** UTF-16 code units, as JavaScript's `length` (and Slack) count: an emoji counts two. */
export const utf16Length: Measure = (value) => value.length;
/** Unicode characters: an emoji counts one. */
export const codePointLength: Measure = (value) => [...value].length;

/** At most `max` as `measure` counts, never cutting a surrogate pair; `…` marks a cut. */
export function clip(value: string, max: number, measure: Measure = utf16Length): string {
  if (measure(value) <= max) return value;
  let out = '';
  let size = 0;
  for (const char of value) {
    const n = measure(char);
    if (size + n > max - 1) break;
    out += char;
    size += n;
  }
  return `${out}…`;
}

export interface ChunkOptions {
  /** How the platform counts (default UTF-16 units). */
  measure?: Measure;
  /** Split at line breaks where it can (default), or only ever between characters. */
  atLineBreaks?: boolean;
  /** What a part becomes once sent (an escape); it must not make text shorter. */
  render?: (part: string) => string;
  /** A bound on what `render` makes of one character (default its measure). */
  cost?: (char: string) => number;
}

/**
 * Cuts `value` into parts of at most `size` once rendered: at line breaks where it can, else
 * between characters (never inside a surrogate pair). Splitting comes first and each part is
 * rendered on its own, so that an escape such as `&amp;` is never cut in two.
 *
 * @example
 *   chunk('ab\ncd', 3) // ['ab', 'cd']
 *   chunk('abcde', 2, { atLineBreaks: false }) // ['ab', 'cd', 'e']
 */
export function chunk(value: string, size: number, options: ChunkOptions = {}): string[] {
  const measure = options.measure ?? utf16Length;
  const render = options.render ?? ((s: string) => s);
  const cost = options.cost ?? measure;
  const parts: string[] = [];
  let current: string[] = [];
  let currentSize = 0;
  const add = (piece: string, pieceSize: number) => {
    if (current.length && currentSize + 1 + pieceSize > size) {
      parts.push(current.join('\n'));
      current = [];
      currentSize = 0;
    }
    currentSize += (current.length ? 1 : 0) + pieceSize;
    current.push(piece);
  };
  for (const line of options.atLineBreaks === false ? [value] : value.split('\n')) {
    const lineSize = measure(render(line));
    if (lineSize <= size) {
      add(line, lineSize);
      continue;
    }
    let piece = '';
    let pieceSize = 0;
    for (const char of line) {
      const n = cost(char);
      if (piece && pieceSize + n > size) {
        add(piece, measure(render(piece)));
        piece = '';
        pieceSize = 0;
      }
      piece += char;
      pieceSize += n;
    }
    if (piece) add(piece, measure(render(piece)));
  }
  if (current.length) parts.push(current.join('\n'));
  return parts.map(render);
}

/** Paging for an answer to a read, which can safely run again; never for a change. */
export interface Paging {
  /** The page to show, from 0. */
  page: number;
  /** The value of a button showing page `n`, or undefined when it does not fit the platform. */
  button(n: number): string | undefined;
}

/**
 * What an adapter sends for one answer, its pages rendered for the platform:
 * - `channel`: meant for the whole channel (a meeting's agenda or minutes): every page there;
 * - `single`: one message;
 * - `paged`: one page with ◀ n/N ▶ buttons (`buttons[n]` shows page n), the read run again on a press;
 * - `sequence`: the pages one after the other, cut after the platform's maximum with a note.
 */
export type DeliveryPlan<P> =
  | { kind: 'channel'; pages: P[] }
  | { kind: 'single'; page: P }
  | { kind: 'paged'; page: P; index: number; count: number; buttons: string[] }
  | { kind: 'sequence'; pages: P[]; cut?: Cut<P> };

/**
 * A sequence longer than the platform takes: `shown` of `total` pages went out, and the note
 * saying so goes `'after'` them as a message of its own (which takes one of the messages), or
 * `'under'` the last page shown. `last` is the answer's last page, whose buttons would be lost.
 */
export interface Cut<P> {
  shown: number;
  total: number;
  last: P;
  note: 'after' | 'under';
}

export interface DeliveryOptions {
  /** Set when the answer can be paged (see {@link Paging}). */
  paging?: Paging | undefined;
  /** The most messages one answer may take, the cut note included. */
  maxMessages: number;
  /** Where the cut note goes (see {@link Cut}). */
  cutNote: Cut<unknown>['note'];
  /** Whether there is a channel to post to; without one a channel message is answered privately. */
  channel?: boolean;
}

/**
 * The one delivery policy. An answer for the channel holding nothing personal goes there; a long
 * answer to a read is paged when every page's button fits the platform; otherwise the pages
 * follow one another, at most `maxMessages`.
 *
 * @example
 *   planDelivery(message, ['p1', 'p2', 'p3'], { maxMessages: 2, cutNote: 'under' })
 *   // { kind: 'sequence', pages: ['p1', 'p2'], cut: { shown: 2, total: 3, last: 'p3', note: 'under' } }
 */
export function planDelivery<P>(message: ReplyMessage, pages: P[], options: DeliveryOptions): DeliveryPlan<P> {
  if (pages.length === 0) throw new Error('planDelivery: an answer has at least one page.');
  if (message.toChannel && !message.personal && options.channel !== false) return { kind: 'channel', pages };
  if (pages.length === 1) return { kind: 'single', page: pages[0]! };
  const paging = options.paging;
  if (paging) {
    const buttons = pages.map((_, n) => paging.button(n));
    if (buttons.every((b): b is string => b !== undefined)) {
      const index = Math.min(paging.page, pages.length - 1);
      return { kind: 'paged', page: pages[index]!, index, count: pages.length, buttons };
    }
  }
  const max = options.maxMessages;
  if (pages.length <= max) return { kind: 'sequence', pages };
  const shown = options.cutNote === 'after' ? max - 1 : max;
  return {
    kind: 'sequence',
    pages: pages.slice(0, shown),
    cut: { shown, total: pages.length, last: pages.at(-1)!, note: options.cutNote },
  };
}

/** What a button runs: a command (or a line of text), and for ◀ ▶ the page of its answer to show. */
export interface ButtonPayload {
  input: InvocationInput;
  page?: number;
}

/**
 * How a payload is written into a button:
 * - `compact`: `cd|followup done|id=7`, `pg|2|case find|text=nguyen van`, `ln|2|case find nguyen`;
 *   only the separators are escaped, so Vietnamese text stays one character a letter;
 * - `json`: `{"c":"followup done","o":{"id":"7"},"p":2}` or `{"l":"case find nguyen"}`.
 * Both are read back whatever the platform, so buttons already posted keep working.
 */
export type ButtonForm = 'compact' | 'json';

/** A platform's button codec: its form and its length limit. */
export interface ButtonCodec {
  /** The button's value, or undefined when it does not fit the platform's limit. */
  encode(payload: ButtonPayload): string | undefined;
  decode(value: string | undefined): ButtonPayload | undefined;
}

/**
 * The button codec for a platform whose button values hold at most `maxLength` (as `measure`
 * counts): Discord's custom_id 100 characters, Slack's value 2000.
 *
 * @example
 *   const codec = buttonCodec({ form: 'compact', maxLength: 100 });
 *   codec.decode(codec.encode({ input: { kind: 'options', command: 'followup done', options: { id: 7 } } }))
 *   // { input: { kind: 'options', command: 'followup done', options: { id: '7' } } }
 */
export function buttonCodec(options: { form: ButtonForm; maxLength: number; measure?: Measure }): ButtonCodec {
  const measure = options.measure ?? utf16Length;
  return {
    encode(payload) {
      const value = encodeButton(payload, options.form);
      return measure(value) <= options.maxLength ? value : undefined;
    },
    decode: decodeButton,
  };
}

const stringOptions = (options: Record<string, string | number | boolean | undefined>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(options)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );

const escapeCompact = (value: string) => value.replace(/[%&=|]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A payload in `form`, whatever its length. */
export function encodeButton(payload: ButtonPayload, form: ButtonForm): string {
  const { input, page } = payload;
  if (form === 'json') {
    const body: Record<string, unknown> = input.kind === 'text' ? { l: input.line } : { c: input.command, o: stringOptions(input.options) };
    if (page !== undefined) body.p = page;
    return JSON.stringify(body);
  }
  if (input.kind === 'text') return `ln|${page ?? ''}|${escapeCompact(input.line)}`;
  const pairs = Object.entries(stringOptions(input.options)).map(([k, v]) => `${escapeCompact(k)}=${escapeCompact(v)}`);
  const command = `${input.command}|${pairs.join('&')}`;
  return page === undefined ? `cd|${command}` : `pg|${page}|${command}`;
}

/** A payload in either form, or undefined for anything else. */
export function decodeButton(value: string | undefined): ButtonPayload | undefined {
  if (!value) return undefined;
  return value.startsWith('{') ? decodeJson(value) : decodeCompact(value);
}

function decodeJson(value: string): ButtonPayload | undefined {
  let parsed: { c?: unknown; o?: unknown; l?: unknown; p?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  let input: InvocationInput;
  if (typeof parsed.l === 'string') input = { kind: 'text', line: parsed.l };
  else if (typeof parsed.c === 'string' && typeof parsed.o === 'object' && parsed.o !== null) {
    input = {
      kind: 'options',
      command: parsed.c,
      options: Object.fromEntries(Object.entries(parsed.o as Record<string, unknown>).map(([k, v]) => [k, String(v)])),
    };
  } else return undefined;
  return typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0 ? { input, page: parsed.p } : { input };
}

function decodeCompact(value: string): ButtonPayload | undefined {
  const [prefix, ...fields] = value.split('|');
  const unescape = (s: string) => decodeURIComponent(s);
  try {
    if (prefix === 'ln' && fields.length === 2) {
      const [page, line] = fields as [string, string];
      if (page !== '' && !/^\d{1,3}$/.test(page)) return undefined;
      const input: InvocationInput = { kind: 'text', line: unescape(line) };
      return page === '' ? { input } : { input, page: Number(page) };
    }
    if (prefix === 'pg' && (fields.length === 2 || fields.length === 3)) {
      const [page, command, options] = fields as [string, string, string | undefined];
      if (!/^\d{1,3}$/.test(page)) return undefined;
      const input = compactCommand(command, options);
      return input && { input, page: Number(page) };
    }
    if (prefix === 'cd' && (fields.length === 1 || fields.length === 2)) {
      const input = compactCommand(fields[0]!, fields[1]);
      return input && { input };
    }
  } catch {
    // A broken %-escape: not one of ours.
  }
  return undefined;
}

function compactCommand(command: string, options: string | undefined): InvocationInput | undefined {
  if (!command) return undefined;
  const values: Record<string, string> = {};
  for (const pair of (options ?? '').split('&')) {
    if (!pair) continue;
    const [k, v = ''] = pair.split('=');
    values[decodeURIComponent(k!)] = decodeURIComponent(v);
  }
  return { kind: 'options', command, options: values };
}
