import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_COMMANDS } from '../../../src/adapters/slack/adapter.ts';

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../slack/${name}`, import.meta.url), 'utf8')) as {
    features: { slash_commands: Array<{ command: string; url?: string; description: string; should_escape: boolean }> };
    oauth_config: { scopes: { bot: string[] } };
    settings: { interactivity: { is_enabled: boolean; request_url?: string }; socket_mode_enabled: boolean };
    display_information: { description: string; long_description: string };
  };

describe('Slack app manifests', () => {
  it.each([
    ['manifest.json', false],
    ['manifest.socket-mode.json', true],
  ])('%s declares the commands the adapter answers, with the scopes it uses', (name, socketMode) => {
    const manifest = read(name);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([...SLACK_COMMANDS]);
    // Escaped, so that an @mention of an assignee arrives as <@U…> and can be resolved.
    for (const command of manifest.features.slash_commands) expect(command.should_escape).toBe(true);
    // files:read to read a file chosen in a form; im:write to open the direct message its answer and files go to.
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['chat:write', 'commands', 'files:read', 'files:write', 'im:write']);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(socketMode);
    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.interactivity.request_url];
    // Bolt's default path takes both commands and button presses over HTTP; Socket Mode needs none.
    expect(urls.every((url) => (socketMode ? url === undefined : url?.endsWith('/slack/events')))).toBe(true);
    // Slack's own limits on the app's texts.
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });
});
