import { DiscordjsError, DiscordjsErrorCodes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DIGEST_TARGETS, PLATFORM_ADAPTERS } from '../../src/adapters/index.ts';
import { SlackTokenRefused } from '../../src/adapters/slack/adapter.ts';
import { CHAT_PLATFORMS, choiceOf } from '../../src/core/platform.ts';

describe('the platform list', () => {
  it('has one adapter for every chat platform, in the same order', () => {
    expect(PLATFORM_ADAPTERS.map((p) => p.name)).toEqual([...CHAT_PLATFORMS]);
    expect(DIGEST_TARGETS.map((p) => p.name)).toEqual(['discord', 'slack']);
  });

  it("explains only its own platform's start errors", () => {
    const [discord, slack] = PLATFORM_ADAPTERS;
    const refused = new SlackTokenRefused('SLACK_APP_TOKEN', 'invalid_auth');
    expect(slack!.explainStartError(refused)?.('en')).toContain('Slack refused SLACK_APP_TOKEN (invalid_auth)');
    expect(discord!.explainStartError(refused)).toBeUndefined();
    expect(slack!.explainStartError(new Error('ECONNREFUSED'))).toBeUndefined();
    // discord.js's own error for a token Discord refuses, as the client throws it at login (its
    // constructor is private in the typings only).
    const invalid = new (DiscordjsError as unknown as new (code: string) => Error)(DiscordjsErrorCodes.TokenInvalid);
    expect(discord!.explainStartError(invalid)?.('en')).toContain('Discord refused DISCORD_TOKEN');
    expect(slack!.explainStartError(invalid)).toBeUndefined();
    expect(discord!.explainStartError(new Error('ECONNREFUSED'))).toBeUndefined();
  });

  it('names a choice of platforms in either language', () => {
    expect(choiceOf(['discord', 'slack'], 'or')).toBe('discord or slack');
    expect(choiceOf(['discord', 'slack', 'teams'], 'hoặc')).toBe('discord, slack hoặc teams');
  });
});
