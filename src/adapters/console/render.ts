import type { ReplyMessage } from '../../domain/reply.ts';

/**
 * Terminal control: ANSI escape and control sequences, and C0/C1 control characters other than
 * tab and newline. Case data is printed as it is, but may not move the cursor, clear the screen or
 * retitle the window.
 */
const CONTROL =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function stripControl(value: string): string {
  return value.replace(CONTROL, '');
}

/**
 * Renders a reply as plain text for a terminal. Everything is shown literally: `@everyone`, `<@1>`,
 * `**bold**` and `<b>` are just characters here.
 */
export function renderText(message: ReplyMessage): string {
  const out: string[] = [];
  if (message.title) out.push(stripControl(message.title));
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'text':
        out.push(stripControl(block.text));
        break;
      case 'code':
        out.push(
          ...stripControl(block.text)
            .split('\n')
            .map((line) => `    ${line}`),
        );
        break;
      case 'list':
        block.items.forEach((item, i) => out.push(`${block.ordered ? `${i + 1}.` : '-'} ${stripControl(item)}`));
        break;
      case 'fields': {
        const width = Math.max(0, ...block.fields.map((f) => [...stripControl(f.label)].length));
        for (const field of block.fields) {
          const label = stripControl(field.label);
          const [first = '', ...rest] = stripControl(field.value).split('\n');
          out.push(`${label}:${' '.repeat(width - [...label].length + 1)}${first}`);
          out.push(...rest.map((line) => `${' '.repeat(width + 2)}${line}`));
        }
        break;
      }
    }
  }
  for (const action of message.actions ?? []) {
    const options = Object.entries(action.options).map(([k, v]) => (/^(id|code)$/.test(k) ? v : `${k}:${v}`));
    out.push(`[${stripControl(action.label)}] → ${stripControl([action.command, ...options].join(' '))}`);
  }
  return out.join('\n');
}

/** Markdown that could act: emphasis, code, links, HTML, tables; and a `#` or `>` starting a line. */
function escapeMarkdown(value: string): string {
  return value.replace(/([\\`*_[\]<>|~])/g, '\\$1').replace(/^([#>])/gm, '\\$1');
}

/**
 * Renders a reply as Markdown for the record (`--format markdown`): the title as a heading, the
 * text escaped so that case data is shown as written, never as markup. Actions are left out.
 */
export function renderMarkdown(message: ReplyMessage): string {
  const out = [`## ${escapeMarkdown(message.title ?? '')}`, ''];
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'text':
        out.push(block.tone === 'muted' ? `_${escapeMarkdown(block.text)}_` : escapeMarkdown(block.text), '');
        break;
      case 'list':
        out.push(...block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${escapeMarkdown(item)}`), '');
        break;
      case 'fields':
        out.push(...block.fields.map((f) => `- **${escapeMarkdown(f.label)}**: ${escapeMarkdown(f.value)}`), '');
        break;
      case 'code':
        out.push('```', block.text, '```', '');
        break;
    }
  }
  return out.join('\n');
}
