import { describe, expect, it } from 'vitest';
import type { SlashCommand, BlockAction, ButtonAction } from '@slack/bolt';
import { actionInvocation, slashInvocation } from '../../../src/adapters/slack/adapter.ts';
import { blockChars, decodeButtonValue, renderSlack, SLACK_LIMITS, type SlackPage } from '../../../src/adapters/slack/render.ts';
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
    .map((t) => (t.type === 'mrkdwn' ? t.text.replace(/```/g, '').replace(/\u200b/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&') : t.text))
    .join('\n');
}

/** Mentions, links or markup Slack would act on: only mrkdwn and the fallback text are parsed. */
function live(pages: SlackPage[]): string[] {
  const parsed = [...pages.flatMap(textsOf).filter((t) => t.type === 'mrkdwn').map((t) => t.text.replace(/```[\s\S]*?```/g, '')), ...pages.map((p) => p.text)];
  return parsed.flatMap((text) => [...text.matchAll(/<[!@#]|<https?:|(?<![\w\\])[*_~](?=\S)/g)].map((m) => m[0]));
}

function withinLimits(pages: SlackPage[]): void {
  expect(pages.length).toBeGreaterThan(0);
  for (const page of pages) {
    expect(page.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(page.blocks.reduce((n, b) => n + blockChars(b), 0)).toBeLessThanOrEqual(SLACK_LIMITS.messageChars);
    for (const text of textsOf(page)) expect([...text.text].length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    for (const b of page.blocks) {
      const block = b as { type: string; fields?: Text[]; elements?: Array<{ value?: string }>; text?: Text };
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fieldsPerSection);
      for (const f of block.fields ?? []) expect([...f.text].length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
      if (block.type === 'header') expect([...block.text!.text].length).toBeLessThanOrEqual(SLACK_LIMITS.header);
      if (block.type === 'actions') expect(block.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonsPerBlock);
      for (const e of block.elements ?? []) expect((e.value ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    }
  }
}

rendererContract({ name: 'slack', render: renderSlack, visible, live, withinLimits });

describe('Slack buttons', () => {
  it('carry the command they run in their value', () => {
    const [page] = renderSlack({ personal: true, blocks: [{ kind: 'text', text: 'x' }], actions: [{ label: 'Xong #7', command: 'followup done', options: { id: '7' } }] });
    const button = (page!.blocks.at(-1) as { elements: Array<{ value: string; action_id: string }> }).elements[0]!;
    expect(button.action_id).toBe('cd:action:0');
    expect(decodeButtonValue(button.value)).toEqual({ input: { kind: 'options', command: 'followup done', options: { id: '7' } } });
    expect(decodeButtonValue('not json')).toBeUndefined();
    expect(decodeButtonValue('{"c":1}')).toBeUndefined();
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
  map(request) {
    const recorded = RECORDED[request];
    if ('value' in recorded) {
      const action = { type: 'button', action_id: 'cd:action:0', block_id: 'b', text: { type: 'plain_text', text: 'Xong' }, value: recorded.value, action_ts: '1.2' } as ButtonAction;
      const body = { type: 'block_actions', user: { id: USER, name: 'duc', team_id: TEAM }, team: { id: TEAM, domain: 'x' }, trigger_id: '13345.98.abc', channel: { id: 'C1', name: 'x' }, actions: [action] } as unknown as BlockAction;
      return actionInvocation(body, action, decodeButtonValue(recorded.value)!.input);
    }
    const command = {
      token: 't', team_id: TEAM, team_domain: 'x', channel_id: 'C1', channel_name: 'truy-na', user_id: USER, user_name: 'duc',
      command: recorded.command, text: recorded.text, api_app_id: 'A1', response_url: 'https://hooks.slack.com/commands/1/2/3', trigger_id: '13345.98.abc',
    } as SlashCommand;
    return slashInvocation(command);
  },
});
