import { describe, expect, it } from 'vitest';
import type { SlashCommand, BlockAction, ButtonAction } from '@slack/bolt';
import { actionInvocation, slashInvocation } from '../../../src/adapters/slack/adapter.ts';
import { decodeButtonValue, pageChars, renderSlack, SLACK_LIMITS, type SlackPage } from '../../../src/adapters/slack/render.ts';
import { invocationContract, rendererContract, type RequestName } from '../contract.ts';

type Text = { type: string; text: string };
const textsOf = (page: SlackPage): Text[] =>
  page.blocks.flatMap((b) => {
    const block = b as { text?: Text; fields?: Text[]; elements?: Array<{ type: string; text: unknown }> };
    const fromElements = (block.elements ?? []).flatMap((e) => (typeof e.text === 'string' ? [e as Text] : e.text ? [e.text as Text] : []));
    return [...(block.text ? [block.text] : []), ...(block.fields ?? []), ...fromElements];
  });

/** What Slack shows: plain text as written; mrkdwn with its entities decoded and code fences dropped. */
function visible(pages: SlackPage[]): string {
  return pages
    .flatMap(textsOf)
    .map((t) =>
      t.type === 'mrkdwn'
        ? t.text
            .replace(/```/g, '')
            .replace(/\u200b/g, '')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&')
        : t.text,
    )
    .join('\n');
}

/** Mentions, links or markup Slack would act on: only mrkdwn and the fallback text are parsed. */
function live(pages: SlackPage[]): string[] {
  const parsed = [
    ...pages
      .flatMap(textsOf)
      .filter((t) => t.type === 'mrkdwn')
      .map((t) => t.text.replace(/```[\s\S]*?```/g, '')),
    ...pages.map((p) => p.text),
  ];
  return parsed.flatMap((text) => [...text.matchAll(/<[!@#]|<https?:|(?<![\w\\])[*_~](?=\S)/g)].map((m) => m[0]));
}

/** Slack's limits, in UTF-16 units as Slack counts them (an emoji is two). */
function withinLimits(pages: SlackPage[]): void {
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    expect(page.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(pageChars(page)).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
    for (const text of textsOf(page)) {
      expect(text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      // No surrogate pair cut in two.
      expect(text.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    for (const b of page.blocks) {
      const block = b as { type: string; fields?: Text[]; elements?: Array<{ value?: string }>; text?: Text };
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
      if (block.type === 'context') expect(block.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      if (block.type === 'actions') expect(block.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonsPerBlock);
      for (const e of block.elements ?? []) expect((e.value ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    }
  }
}

rendererContract({ name: 'slack', render: renderSlack, visible, live, withinLimits });

describe('Slack buttons', () => {
  it('carry the command they run in their value', () => {
    const [page] = renderSlack({
      personal: true,
      blocks: [{ kind: 'text', text: 'x' }],
      actions: [{ label: 'Xong #7', command: 'followup done', options: { id: '7' } }],
    });
    const button = (page!.blocks.at(-1) as { elements: Array<{ value: string; action_id: string }> }).elements[0]!;
    expect(button.action_id).toBe('cd:action:0');
    expect(decodeButtonValue(button.value)).toEqual({ input: { kind: 'options', command: 'followup done', options: { id: '7' } } });
    expect(decodeButtonValue('not json')).toBeUndefined();
    expect(decodeButtonValue('{"c":1}')).toBeUndefined();
  });

  it('go on the page that shows the item they act on', () => {
    const items = Array.from(
      { length: 60 },
      (_, i) => `#${i + 1} · TN-2021-${String(i + 1).padStart(6, '0')} · ${'xác minh nơi ở, '.repeat(40)}`,
    );
    const done = (id: number) => ({
      label: `Xong #${id}`,
      style: 'primary' as const,
      command: 'followup done',
      options: { id: String(id) },
    });
    const pages = renderSlack({
      personal: true,
      title: 'Việc cần làm',
      blocks: [{ kind: 'list', items }],
      actions: [done(1), done(2), done(60)],
    });
    expect(pages.length).toBeGreaterThan(2);
    withinLimits(pages);
    const buttonsOn = (page: SlackPage) =>
      page.blocks
        .filter((b) => b.type === 'actions')
        .flatMap((b) => (b as { elements: Array<{ text: Text }> }).elements.map((e) => e.text.text));
    const shows = (page: SlackPage, ref: string) =>
      textsOf(page).some((t) => t.text.split('\n').some((line) => line.startsWith(`• ${ref} `)));
    expect(buttonsOn(pages[0]!)).toEqual(['Xong #1', 'Xong #2']);
    expect(shows(pages[0]!, '#1')).toBe(true);
    expect(buttonsOn(pages.at(-1)!)).toEqual(['Xong #60']);
    expect(shows(pages.at(-1)!, '#60')).toBe(true);
    for (const page of pages.slice(1, -1)) expect(buttonsOn(page)).toEqual([]);
  });
});

describe('Slack code blocks', () => {
  it('split before escaping, so that no entity is cut and each part stays within 3,000 once escaped', () => {
    const usage = `${'a & b <c> '.repeat(700)}\n${'&'.repeat(4000)}`;
    const pages = renderSlack({ personal: false, blocks: [{ kind: 'code', text: usage }] });
    withinLimits(pages);
    const parts = pages
      .flatMap(textsOf)
      .filter((t) => t.type === 'mrkdwn')
      .map((t) => t.text);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      const inner = part.replace(/^```|```$/g, '');
      // Every & starts a whole entity: none was cut at a part's end.
      expect(inner).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(visible(pages).replace(/\n/g, '')).toBe(usage.replace(/\n/g, ''));
  });

  it('counts UTF-16 units as Slack does, never cutting an emoji in two', () => {
    const pages = renderSlack({ personal: false, blocks: [{ kind: 'text', text: '😀'.repeat(4000) }] });
    withinLimits(pages);
    const texts = pages.flatMap(textsOf).map((t) => t.text);
    expect(Math.max(...texts.map((t) => t.length))).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(texts.join('')).toBe('😀'.repeat(4000));
  });
});

const TEAM = 'T0CASEDESK';
const USER = 'U0MEMBER01';

/** How Slack sends each request: the slash command's text, or a button's value. */
const RECORDED: Record<RequestName, { command: string; text: string } | { value: string }> = {
  find: { command: '/case', text: 'find nguyen van duc' },
  assign: { command: '/followup', text: 'add TN-2021-000001 duc.nv "Xác minh nơi ở cũ" due:2026-12-01' },
  status: { command: '/case', text: 'status TN-2021-000001 arrested on:2026-11-20 bắt tại nhà' },
  done: { value: '{"c":"followup done","o":{"id":"7"}}' },
};

invocationContract({
  name: 'slack',
  actor: { platform: 'slack', workspaceId: TEAM, userId: USER },
  // Every recording is from channel C1; Slack's payloads carry no language.
  channel: { id: 'C1', isPrivate: false },
  map(request) {
    const recorded = RECORDED[request];
    if ('value' in recorded) {
      const action = {
        type: 'button',
        action_id: 'cd:action:0',
        block_id: 'b',
        text: { type: 'plain_text', text: 'Xong' },
        value: recorded.value,
        action_ts: '1.2',
      } as ButtonAction;
      const body = {
        type: 'block_actions',
        user: { id: USER, name: 'duc', team_id: TEAM },
        team: { id: TEAM, domain: 'x' },
        trigger_id: '13345.98.abc',
        channel: { id: 'C1', name: 'x' },
        actions: [action],
      } as unknown as BlockAction;
      return actionInvocation(body, action, decodeButtonValue(recorded.value)!.input);
    }
    const command = {
      token: 't',
      team_id: TEAM,
      team_domain: 'x',
      channel_id: 'C1',
      channel_name: 'truy-na',
      user_id: USER,
      user_name: 'duc',
      command: recorded.command,
      text: recorded.text,
      api_app_id: 'A1',
      response_url: 'https://hooks.slack.com/commands/1/2/3',
      trigger_id: '13345.98.abc',
    } as SlashCommand;
    return slashInvocation(command);
  },
});
