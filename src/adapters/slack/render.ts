import type { types } from '@slack/bolt';
import type { InvocationInput, ReplyAction, ReplyMessage } from '../../core/invocation.ts';

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type PlainTextElement = types.PlainTextElement;

/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks), and the size a
 * message should stay under for the clients to show it whole.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  header: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextText: 2000,
  buttonsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  messageChars: 12000,
} as const;

/** Below the limits, leaving room for the page buttons. */
const BLOCK_BUDGET = SLACK_LIMITS.blocks - 4;
const CHAR_BUDGET = 11000;

/**
 * `&`, `<` and `>` as Slack's parser reads them literally
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping): `<!channel>` or `<@U1>`
 * is shown, never acted on.
 */
export function slackEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text a user or the case data supplied, as a `plain_text` object: Slack applies no formatting,
 * links and mentions to plain text, so `*bold*`, `<!here>` or a URL in case data show exactly as
 * written. (`mrkdwn` has no escape for `*`, `_` and `~`, so it is used only for our own code
 * blocks.) Emoji codes are left as typed.
 */
function plain(value: string): PlainTextElement {
  return { type: 'plain_text', text: value || ' ', emoji: false };
}

function clip(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}

/** Splits by characters at line breaks where it can, never inside a surrogate pair. */
function chunk(value: string, size: number): string[] {
  const parts: string[] = [];
  let current: string[] = [];
  for (const line of value.split('\n')) {
    const chars = [...line];
    for (let i = 0; i < Math.max(chars.length, 1); i += size) {
      const piece = chars.slice(i, i + size).join('');
      if (current.length && [...current.join('\n')].length + 1 + [...piece].length > size) {
        parts.push(current.join('\n'));
        current = [];
      }
      current.push(piece);
    }
  }
  if (current.length) parts.push(current.join('\n'));
  return parts;
}

export interface SlackPage {
  /** The notification text (escaped); the blocks carry the message itself. */
  text: string;
  blocks: KnownBlock[];
}

/**
 * A button's value: what it runs, `{"c":"followup done","o":{"id":"7"}}` for typed options or
 * `{"l":"case find nguyen"}` for a line of text, and `p` the page to show.
 */
export function encodeButtonValue(input: InvocationInput, page?: number): string {
  const body: Record<string, unknown> =
    input.kind === 'text'
      ? { l: input.line }
      : { c: input.command, o: Object.fromEntries(Object.entries(input.options).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) };
  if (page !== undefined) body.p = page;
  return JSON.stringify(body);
}

export function decodeButtonValue(value: string | undefined): { input: InvocationInput; page?: number } | undefined {
  if (!value) return undefined;
  let parsed: { c?: unknown; o?: unknown; l?: unknown; p?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    return undefined;
  }
  let input: InvocationInput;
  if (typeof parsed.l === 'string') input = { kind: 'text', line: parsed.l };
  else if (typeof parsed.c === 'string' && typeof parsed.o === 'object' && parsed.o !== null) {
    input = { kind: 'options', command: parsed.c, options: Object.fromEntries(Object.entries(parsed.o as Record<string, unknown>).map(([k, v]) => [k, String(v)])) };
  } else return undefined;
  return typeof parsed.p === 'number' && Number.isInteger(parsed.p) && parsed.p >= 0 ? { input, page: parsed.p } : { input };
}

/**
 * Renders a reply as one or more Block Kit messages, each within Slack's limits. A long answer
 * becomes several pages rather than failing; buttons go on the last page.
 */
export function renderSlack(message: ReplyMessage): SlackPage[] {
  const pieces: KnownBlock[] = [];
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'text':
        for (const part of chunk(block.tone === 'error' ? `⚠ ${block.text}` : block.text, SLACK_LIMITS.sectionText)) {
          pieces.push(block.tone === 'muted' ? { type: 'context', elements: [plain(part)] } : { type: 'section', text: plain(part) });
        }
        break;
      case 'list': {
        const lines = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${item}`).join('\n');
        for (const part of chunk(lines, SLACK_LIMITS.sectionText)) pieces.push({ type: 'section', text: plain(part) });
        break;
      }
      case 'code': {
        // Our own usage text; a run of backticks inside would end the code block.
        const safe = slackEscape(block.text).replace(/`{3,}/g, (run) => run.split('').join('\u200b'));
        for (const part of chunk(safe, SLACK_LIMITS.sectionText - 8)) pieces.push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${part}\`\`\``, verbatim: true } });
        break;
      }
      case 'fields': {
        let fields: PlainTextElement[] = [];
        const flush = () => {
          if (fields.length) pieces.push({ type: 'section', fields });
          fields = [];
        };
        for (const field of block.fields) {
          const shown = `${field.label}\n${field.value || '-'}`;
          if ([...shown].length > SLACK_LIMITS.fieldText) {
            // Too long for a field: its own section(s) instead of being cut.
            flush();
            for (const part of chunk(shown, SLACK_LIMITS.sectionText)) pieces.push({ type: 'section', text: plain(part) });
            continue;
          }
          fields.push(plain(shown));
          if (fields.length === SLACK_LIMITS.fieldsPerSection) flush();
        }
        flush();
        break;
      }
    }
  }

  const header: KnownBlock[] = message.title ? [{ type: 'header', text: plain(clip(message.title, SLACK_LIMITS.header)) }] : [];
  const pages: KnownBlock[][] = [];
  let current: KnownBlock[] = [...header];
  let size = message.title?.length ?? 0;
  for (const piece of pieces) {
    const n = blockChars(piece);
    if (current.length > header.length && (current.length + 1 > BLOCK_BUDGET || size + n > CHAR_BUDGET)) {
      pages.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += n;
  }
  pages.push(current);

  const buttons = (message.actions ?? []).map((action, i) => actionButton(action, `cd:action:${i}`)).filter((b): b is Button => b !== undefined);
  const last = pages[pages.length - 1]!;
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.buttonsPerBlock) {
    last.push({ type: 'actions', elements: buttons.slice(i, i + SLACK_LIMITS.buttonsPerBlock) });
  }
  const summary = fallbackText(clip(message.title ?? firstText(message) ?? 'casedesk', 300));
  return pages.map((blocks) => ({ text: summary, blocks: blocks.length ? blocks : [{ type: 'section', text: plain(' ') }] }));
}

function actionButton(action: ReplyAction, actionId: string): Button | undefined {
  const value = encodeButtonValue({ kind: 'options', command: action.command, options: action.options });
  // A button whose command does not fit Slack's value is left out, not cut.
  if (value.length > SLACK_LIMITS.buttonValue) return undefined;
  const button: Button = { type: 'button', action_id: actionId, text: plain(clip(action.label, SLACK_LIMITS.buttonText)), value };
  if (action.style === 'primary' || action.style === 'danger') button.style = action.style;
  return button;
}

/**
 * The ◀ n/N ▶ row of a paginated answer. `value(page)` is the button value that shows that page,
 * or undefined when the command cannot run again from a button.
 */
export function pageButtons(index: number, count: number, value: (page: number) => string): KnownBlock {
  const elements: Button[] = [];
  if (index > 0) elements.push({ type: 'button', action_id: 'cd:page:prev', text: plain('◀'), value: value(index - 1) });
  if (index < count - 1) elements.push({ type: 'button', action_id: 'cd:page:next', text: plain('▶'), value: value(index + 1) });
  return { type: 'actions', elements };
}

export function pagePosition(index: number, count: number): KnownBlock {
  return { type: 'context', elements: [plain(`${index + 1}/${count}`)] };
}

/**
 * The message's `text`, shown in notifications and where blocks cannot be, which Slack parses
 * as mrkdwn: escaped, and with the formatting marks `* _ ~ \`` (which mrkdwn cannot escape)
 * swapped for their full-width look-alikes.
 */
function fallbackText(value: string): string {
  return slackEscape(value).replace(/[*_~`]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function firstText(message: ReplyMessage): string | undefined {
  for (const block of message.blocks) {
    if (block.kind === 'text') return block.text;
    if (block.kind === 'list') return block.items[0];
    if (block.kind === 'fields') return block.fields.map((f) => `${f.label}: ${f.value}`).join(', ');
  }
  return undefined;
}

/** The characters a block shows, to keep a message under {@link SLACK_LIMITS.messageChars}. */
export function blockChars(block: KnownBlock): number {
  const texts: string[] = [];
  const add = (t: { text?: string } | undefined) => t?.text && texts.push(t.text);
  if ('text' in block) add(block.text as { text?: string });
  if ('fields' in block) (block.fields ?? []).forEach(add);
  if ('elements' in block) (block.elements as Array<{ text?: unknown }>).forEach((e) => (typeof e.text === 'string' ? texts.push(e.text) : add(e.text as { text?: string })));
  return texts.reduce((n, t) => n + t.length, 0);
}
