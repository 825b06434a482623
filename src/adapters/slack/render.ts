import type { types } from '@slack/bolt';
import { buttonCodec, chunk, clip, type ButtonPayload } from '../../core/delivery.ts';
import type { ReplyAction, ReplyMessage } from '../../domain/reply.ts';

type KnownBlock = types.KnownBlock;
type Button = types.Button;
type PlainTextElement = types.PlainTextElement;

/**
 * Slack's Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks), and the size a
 * message should stay under for the clients to show it whole. Lengths are in UTF-16 code units,
 * as Slack counts them (JavaScript's `length`): an emoji or a rare CJK character counts two.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  /** Any text object: a section's text, a context element. */
  sectionText: 3000,
  header: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  messageChars: 12000,
  /** Posts one `response_url` takes (within 30 minutes of the request). */
  responsesPerUrl: 5,
} as const;

/**
 * Room kept in every page for what the adapter may add: the ◀ n/N ▶ rows, or the note that an
 * answer was cut (one block each, a few hundred characters).
 */
const RESERVED_BLOCKS = 3;
const RESERVED_CHARS = 800;

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
export function plain(value: string): PlainTextElement {
  return { type: 'plain_text', text: value || ' ', emoji: false };
}

/** Our own usage text inside a code block: escaped, and no run of backticks that would end it. */
function codeText(part: string): string {
  // Zero-width spaces break up ``` inside, and keep a backtick at either end off the fence.
  return slackEscape(part)
    .replace(/`{2,}/g, (run) => run.split('').join('\u200b'))
    .replace(/^`/, '\u200b`')
    .replace(/`$/, '`\u200b');
}
const codeCost = (char: string) => (char === '&' ? 5 : char === '<' || char === '>' ? 4 : char === '`' ? 3 : char.length);

export interface SlackPage {
  /** The notification text (escaped); the blocks carry the message itself. */
  text: string;
  blocks: KnownBlock[];
}

/**
 * Slack's buttons in the JSON form, within its value's 2000 characters: what a button runs,
 * `{"c":"followup done","o":{"id":"7"}}` for typed options or `{"l":"case find nguyen"}` for a
 * line of text, and `p` the page to show.
 */
export const SLACK_BUTTONS = buttonCodec({ form: 'json', maxLength: SLACK_LIMITS.buttonValue });

export const decodeButtonValue = (value: string | undefined): ButtonPayload | undefined => SLACK_BUTTONS.decode(value);

/** A block of the answer, and the items it shows that buttons may act on (`#7`). */
interface Piece {
  block: KnownBlock;
  refs: string[];
}

/** `#7` at the start of a list item: the follow-up or meeting it shows. */
const itemRef = (item: string): string | undefined => /^#\d+(?!\d)/.exec(item)?.[0];
/** `#7` in a button's label ("Xong #7", "Done #7"): the item it acts on. */
const actionRef = (label: string): string | undefined => /#\d+(?!\d)/.exec(label)?.[0];

/**
 * Renders a reply as one or more Block Kit messages, each within Slack's limits with room for the
 * adapter's page buttons. A long answer becomes several pages rather than failing. A button goes
 * on the page that shows the item it acts on (the list item `#7 …` for "Done #7"); a button that
 * names no item shown goes on the last page.
 */
export function renderSlack(message: ReplyMessage): SlackPage[] {
  const pieces: Piece[] = [];
  const push = (block: KnownBlock, refs: string[] = []) => pieces.push({ block, refs });
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'text':
        for (const part of chunk(block.tone === 'error' ? `⚠ ${block.text}` : block.text, SLACK_LIMITS.sectionText)) {
          push(block.tone === 'muted' ? { type: 'context', elements: [plain(part)] } : { type: 'section', text: plain(part) });
        }
        break;
      case 'list': {
        // Item by item, so that each section knows which items it shows.
        let lines: string[] = [];
        let refs: string[] = [];
        let size = 0;
        const flush = () => {
          if (lines.length) push({ type: 'section', text: plain(lines.join('\n')) }, refs);
          lines = [];
          refs = [];
          size = 0;
        };
        for (const [i, item] of block.items.entries()) {
          const line = `${block.ordered ? `${i + 1}.` : '•'} ${item}`;
          const ref = itemRef(item);
          for (const part of chunk(line, SLACK_LIMITS.sectionText)) {
            if (lines.length && size + 1 + part.length > SLACK_LIMITS.sectionText) flush();
            lines.push(part);
            size += (lines.length > 1 ? 1 : 0) + part.length;
            if (ref && !refs.includes(ref)) refs.push(ref);
          }
        }
        flush();
        break;
      }
      case 'code':
        for (const part of chunk(block.text, SLACK_LIMITS.sectionText - 6, { render: codeText, cost: codeCost })) {
          push({ type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${part}\`\`\``, verbatim: true } });
        }
        break;
      case 'fields': {
        let fields: PlainTextElement[] = [];
        const flush = () => {
          if (fields.length) push({ type: 'section', fields });
          fields = [];
        };
        for (const field of block.fields) {
          const shown = `${field.label}\n${field.value || '-'}`;
          if (shown.length > SLACK_LIMITS.fieldText) {
            // Too long for a field: its own section(s) instead of being cut.
            flush();
            for (const part of chunk(shown, SLACK_LIMITS.sectionText)) push({ type: 'section', text: plain(part) });
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

  const buttons = (message.actions ?? [])
    .map((action, i) => ({ button: actionButton(action, `cd:action:${i}`), ref: actionRef(action.label) }))
    .filter((b): b is { button: Button; ref: string | undefined } => b.button !== undefined);
  const summary = fallbackText(clip(message.title ?? firstText(message) ?? 'casedesk', 300));
  const header: KnownBlock[] = message.title ? [{ type: 'header', text: plain(clip(message.title, SLACK_LIMITS.header)) }] : [];
  // Every page keeps room for all the buttons, wherever they end up.
  const buttonBlocks = Math.ceil(buttons.length / SLACK_LIMITS.buttonsPerBlock);
  const blockBudget = SLACK_LIMITS.blocks - RESERVED_BLOCKS - buttonBlocks;
  const charBudget =
    SLACK_LIMITS.messageChars -
    RESERVED_CHARS -
    summary.length -
    (header[0] ? blockChars(header[0]) : 0) -
    buttons.reduce((n, b) => n + b.button.text.text.length, 0);

  const pages: Piece[][] = [];
  let current: Piece[] = [];
  let size = 0;
  for (const piece of pieces) {
    const n = blockChars(piece.block);
    if (current.length > 0 && (current.length + header.length + 1 > blockBudget || size + n > charBudget)) {
      pages.push(current);
      current = [];
      size = 0;
    }
    current.push(piece);
    size += n;
  }
  pages.push(current);

  const home = (ref: string | undefined) => {
    const at = ref === undefined ? -1 : pages.findIndex((page) => page.some((p) => p.refs.includes(ref)));
    return at === -1 ? pages.length - 1 : at;
  };
  return pages.map((page, index) => {
    const blocks: KnownBlock[] = [...(index === 0 ? header : []), ...page.map((p) => p.block)];
    const own = buttons.filter((b) => home(b.ref) === index).map((b) => b.button);
    for (let i = 0; i < own.length; i += SLACK_LIMITS.buttonsPerBlock) {
      blocks.push({ type: 'actions', elements: own.slice(i, i + SLACK_LIMITS.buttonsPerBlock) });
    }
    return { text: summary, blocks: blocks.length ? blocks : [{ type: 'section', text: plain(' ') }] };
  });
}

function actionButton(action: ReplyAction, actionId: string): Button | undefined {
  const value = SLACK_BUTTONS.encode({ input: { kind: 'options', command: action.command, options: action.options } });
  // A button whose command does not fit Slack's value is left out, not cut.
  if (value === undefined) return undefined;
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

/** A short note under the page, such as that the answer was cut (fits the page's reserved room). */
export function pageNote(text: string): KnownBlock {
  return { type: 'context', elements: [plain(clip(text, RESERVED_CHARS - 100))] };
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

/**
 * The characters a block shows, in UTF-16 units as Slack counts them, to keep a message under
 * {@link SLACK_LIMITS.messageChars}.
 */
export function blockChars(block: KnownBlock): number {
  const texts: string[] = [];
  const add = (t: { text?: string } | undefined) => t?.text && texts.push(t.text);
  if ('text' in block) add(block.text as { text?: string });
  if ('fields' in block) (block.fields ?? []).forEach(add);
  if ('elements' in block)
    (block.elements as Array<{ text?: unknown }>).forEach((e) =>
      typeof e.text === 'string' ? texts.push(e.text) : add(e.text as { text?: string }),
    );
  return texts.reduce((n, t) => n + t.length, 0);
}

/** All the text a page sends: its blocks and the notification text. */
export function pageChars(page: SlackPage): number {
  return page.text.length + page.blocks.reduce((n, b) => n + blockChars(b), 0);
}
