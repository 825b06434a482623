import { describe, expect, it } from 'vitest';
import { decodeAction, DISCORD_LIMITS, encodeAction, renderDiscord, type DiscordPage } from '../../../src/adapters/discord/render.ts';
import { rendererContract } from '../contract.ts';

/** What the Discord client shows: escapes and zero-width spaces are not visible. */
function visible(pages: DiscordPage[]): string {
  const parts: string[] = [];
  for (const page of pages) {
    for (const embed of page.embeds) {
      parts.push(embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((f) => [f.name, f.value]));
    }
    for (const row of page.components) for (const button of row.components) if ('label' in button) parts.push(button.label ?? '');
  }
  return parts
    .join('\n')
    .replace(/\u200b/g, '')
    .replace(/\\([\\*_~`|#>[\]()-])/g, '$1')
    .replace(/^-# /gm, '');
}

/** Mentions Discord would resolve, and markdown it would apply (an unescaped marker). */
function live(pages: DiscordPage[]): string[] {
  const text = pages
    .flatMap((p) => p.embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]))
    .join('\n');
  const found = [...text.matchAll(/<[@#!:]|@everyone|@here/g)].map((m) => m[0]);
  found.push(...[...text.matchAll(/(?<!\\)(\*\*|~~|\|\||(?<![\\\w])_(?=\w)|(?<!\\)`)/g)].map((m) => m[0]));
  found.push(...[...text.matchAll(/(?<!\\)\[[^\]]*\]\(/g)].map((m) => m[0]));
  return found;
}

function withinLimits(pages: DiscordPage[]): void {
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    let total = 0;
    for (const embed of page.embeds) {
      expect([...(embed.title ?? '')].length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
      expect([...(embed.description ?? '')].length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
      expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
      for (const f of embed.fields ?? []) {
        expect([...f.name].length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
        expect([...f.value].length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      }
      total +=
        (embed.title ?? '').length +
        (embed.description ?? '').length +
        (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    }
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.total);
    expect(page.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
    for (const row of page.components) {
      expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
      for (const b of row.components) if ('custom_id' in b) expect(b.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
    }
  }
}

rendererContract({ name: 'Discord', render: renderDiscord, visible, live, withinLimits });

describe('Discord renderer', () => {
  it('puts buttons that run commands on the last page, and reads them back', () => {
    const action = { label: 'Done #7', command: 'followup done', options: { id: '7' } };
    const pages = renderDiscord({ personal: false, blocks: [{ kind: 'text', text: 'x' }], actions: [action] });
    const button = pages.at(-1)!.components[0]!.components[0]!;
    expect(button).toMatchObject({ label: 'Done #7', custom_id: 'cd|followup done|id=7' });
    expect(decodeAction(encodeAction(action))).toEqual({ command: 'followup done', options: { id: '7' } });
    expect(decodeAction('something else')).toBeUndefined();
  });

  it('splits a long answer into pages rather than failing', () => {
    const items = Array.from({ length: 400 }, (_, i) => `TN-2020-${String(i).padStart(6, '0')} · Nguyễn Văn Số ${i}`);
    expect(renderDiscord({ personal: true, blocks: [{ kind: 'list', items }] }).length).toBeGreaterThan(1);
  });
});

describe('Discord text', () => {
  it('shows block quotes and subtext typed at the start of a line as written', () => {
    const [page] = renderDiscord({ personal: true, blocks: [{ kind: 'text', text: 'ghi chú\n>>> trích dẫn\n> dòng\n  -# nhỏ' }] });
    const description = page!.embeds[0]!.description!;
    expect(description.split('\n').filter((line) => /^\s*(>|-#)/.test(line))).toEqual([]);
    expect(visible([page!])).toContain('ghi chú\n>>> trích dẫn\n> dòng\n  -# nhỏ');
  });
});
