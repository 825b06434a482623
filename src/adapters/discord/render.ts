import {
  ButtonStyle,
  ComponentType,
  escapeCodeBlock,
  escapeMarkdown,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
} from 'discord.js';
import { buttonCodec, chunk, clip, codePointLength, encodeButton } from '../../core/delivery.ts';
import type { ReplyAction, ReplyMessage } from '../../domain/reply.ts';

/** Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  total: 6000,
  buttonsPerRow: 5,
  rows: 5,
  customId: 100,
  buttonLabel: 80,
} as const;

/** Below the limits, leaving room for the page counter the adapter adds. */
const DESCRIPTION_BUDGET = 3900;
const TOTAL_BUDGET = 5600;

const COLOR = { error: 0xd83c3e, success: 0x2e9e5b, normal: 0x3b6fd4 } as const;

/**
 * Text as Discord shows it literally: markdown escaped, and mentions broken with a zero-width
 * space, so that `@everyone`, `<@123>`, `<#1>` or `<t:0>` in case data is read, never acted on.
 * (The client also sends `allowedMentions: { parse: [] }`; this is the second lock.)
 */
export function discordText(value: string): string {
  return (
    escapeMarkdown(value, {
      codeBlockContent: true,
      inlineCodeContent: true,
      maskedLink: true,
      heading: true,
      bulletedList: true,
      numberedList: true,
    })
      .replace(/</g, '<\u200b')
      .replace(/@(everyone|here)/gi, '@\u200b$1')
      // Block quotes (`> `, `>>> `) and subtext (`-# `) at the start of a line, which escapeMarkdown leaves.
      .replace(/^(\s*)(>|-#)/gm, '$1\\$2')
  );
}

const clipped = (value: string, max: number) => clip(value, max, codePointLength);

/**
 * Discord's buttons in the compact form, within its custom_id's 100 characters (counted in UTF-16
 * units, which is never less than Discord's count): `cd|followup done|id=7` runs a command,
 * `pg|2|case find|text=nguyen van` shows page 2 of a read's answer, run again, so that no instance
 * has to keep pages in memory.
 */
export const DISCORD_BUTTONS = buttonCodec({ form: 'compact', maxLength: DISCORD_LIMITS.customId });

/** The custom id of a button that runs a command, whatever its length: `cd|followup done|id=7`. */
export function encodeAction(action: ReplyAction): string {
  return encodeButton({ input: { kind: 'options', command: action.command, options: action.options } }, 'compact');
}

/** The command a button runs, or undefined for a page button or anything else. */
export function decodeAction(customId: string): { command: string; options: Record<string, string> } | undefined {
  const payload = DISCORD_BUTTONS.decode(customId);
  if (!payload || payload.page !== undefined || payload.input.kind !== 'options') return undefined;
  return { command: payload.input.command, options: payload.input.options as Record<string, string> };
}

/**
 * One page of a paginated answer with its ◀ n/N ▶ row. `rerun(page)` gives the custom id of a
 * button that shows that page.
 */
export function withPageButtons(page: DiscordPage, index: number, count: number, rerun: (page: number) => string): DiscordPage {
  const button = (customId: string, label: string, disabled: boolean): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    label,
    custom_id: customId,
    disabled,
  });
  const row: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow,
    components: [
      button(index > 0 ? rerun(index - 1) : 'pg-first', '◀', index === 0),
      button('pg-position', `${index + 1}/${count}`, true),
      button(index < count - 1 ? rerun(index + 1) : 'pg-last', '▶', index === count - 1),
    ],
  };
  return { embeds: page.embeds, components: [...page.components, row] };
}

export interface DiscordPage {
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
}

/**
 * Renders a reply as one or more Discord messages, each within Discord's limits. A long answer
 * becomes several pages (the adapter pages through them with buttons) rather than failing.
 * Buttons go on the last page.
 */
export function renderDiscord(message: ReplyMessage): DiscordPage[] {
  const tone = message.blocks.find((b) => b.kind === 'text' && b.tone && b.tone !== 'normal' && b.tone !== 'muted');
  const color = tone && tone.kind === 'text' && (tone.tone === 'error' || tone.tone === 'success') ? COLOR[tone.tone] : COLOR.normal;
  const title = message.title ? clipped(discordText(message.title), DISCORD_LIMITS.title) : undefined;

  // The answer as a sequence of description lines and fields, in order.
  type Piece = { line: string } | { field: APIEmbedField };
  const pieces: Piece[] = [];
  for (const block of message.blocks) {
    switch (block.kind) {
      case 'text':
        pieces.push({ line: block.tone === 'muted' ? `-# ${discordText(block.text)}` : discordText(block.text) });
        break;
      case 'list':
        block.items.forEach((item, i) => pieces.push({ line: `${block.ordered ? `${i + 1}.` : '•'} ${discordText(item)}` }));
        break;
      case 'code':
        pieces.push({ line: `\`\`\`\n${escapeCodeBlock(block.text)}\n\`\`\`` });
        break;
      case 'fields':
        for (const field of block.fields) {
          const name = clipped(discordText(field.label), DISCORD_LIMITS.fieldName);
          const value = discordText(field.value) || '-';
          // A value longer than a field allows goes into the description instead of being cut.
          if ([...value].length > DISCORD_LIMITS.fieldValue) pieces.push({ line: `**${name}**\n${value}` });
          else pieces.push({ field: { name, value, inline: [...value].length <= 40 } });
        }
        break;
    }
  }

  const pages: DiscordPage[] = [];
  let lines: string[] = [];
  let fields: APIEmbedField[] = [];
  const size = () => (title?.length ?? 0) + lines.join('\n').length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const flush = () => {
    if (lines.length === 0 && fields.length === 0 && pages.length > 0) return;
    const embed: APIEmbed = { color };
    if (title) embed.title = title;
    if (lines.length) embed.description = lines.join('\n');
    if (fields.length) embed.fields = fields;
    pages.push({ embeds: [embed], components: [] });
    lines = [];
    fields = [];
  };
  for (const piece of pieces) {
    if ('line' in piece) {
      // A single line longer than a description is cut into description-sized parts.
      for (const part of chunk(piece.line, DESCRIPTION_BUDGET, { measure: codePointLength, atLineBreaks: false })) {
        if (lines.join('\n').length + part.length + 1 > DESCRIPTION_BUDGET || size() + part.length > TOTAL_BUDGET) flush();
        lines.push(part);
      }
    } else {
      const extra = piece.field.name.length + piece.field.value.length;
      if (fields.length >= DISCORD_LIMITS.fields || size() + extra > TOTAL_BUDGET) flush();
      fields.push(piece.field);
    }
  }
  flush();
  // A button whose command and options do not fit Discord's custom id is left out, not cut.
  const fitting = (message.actions ?? []).flatMap((action) => {
    const customId = DISCORD_BUTTONS.encode({ input: { kind: 'options', command: action.command, options: action.options } });
    return customId === undefined ? [] : [{ action, customId }];
  });
  const buttons = fitting
    .slice(0, DISCORD_LIMITS.buttonsPerRow * (DISCORD_LIMITS.rows - 1))
    .map(({ action, customId }): APIButtonComponent => ({
      type: ComponentType.Button,
      style: action.style === 'danger' ? ButtonStyle.Danger : action.style === 'secondary' ? ButtonStyle.Secondary : ButtonStyle.Primary,
      label: clipped(action.label, DISCORD_LIMITS.buttonLabel),
      custom_id: customId,
    }));
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) {
    pages[pages.length - 1]!.components.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow),
    });
  }
  return pages;
}
