import { randomUUID } from 'node:crypto';
import { MessageFlags, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionHandle } from '../../../src/adapters/discord/answer.ts';
import { discordPoster } from '../../../src/adapters/discord/post.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../fakes/discord-api.ts';

const APP = '1234567890123456789';
let api: FakeDiscordApi;
let shortLived: FakeDiscordApi;
beforeAll(async () => {
  api = await startFakeDiscordApi({ applicationId: APP });
  // Tokens that expire at once, in place of waiting Discord's 15 minutes.
  shortLived = await startFakeDiscordApi({ applicationId: APP, interactionTokenLifetimeMs: 200 });
});
afterAll(async () => {
  await api.close();
  await shortLived.close();
});

/**
 * An interaction that an instance received and deferred (its "thinking…" reply) before it died:
 * the webhook exists, and the answer has yet to replace the deferral.
 */
async function deferred(fake: FakeDiscordApi) {
  const interaction = {
    id: String(1_300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    token: `interaction-${randomUUID()}`,
  };
  fake.dispatchInteraction({ ...interaction, application_id: APP, type: 2 });
  const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
  await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
    body: { type: 5, data: { flags: MessageFlags.Ephemeral } },
    auth: false,
  });
  return { ...interaction, rest };
}

const handleOf = (token: string, locale = 'en-US') =>
  interactionHandle({ applicationId: APP, token, createdTimestamp: Date.now(), locale }).to;

const pages = (lines: number): ReplyMessage => ({
  personal: true,
  blocks: Array.from({ length: lines }, (_, i) => ({ kind: 'text' as const, text: `Dòng ${i + 1} `.padEnd(900, '·') })),
});

describe('a stored answer delivered through the interaction webhook', () => {
  it('replaces the deferred reply with the first page and its files, the rest as ephemeral follow-ups with the cut note', async () => {
    const { token, rest } = await deferred(api);
    const message: ReplyMessage = {
      ...pages(200),
      files: [{ name: 'ket-qua.csv', contentType: 'text/csv', data: new TextEncoder().encode('a,b\n') }],
    };
    for (const part of discordPoster(rest).answerParts(handleOf(token, 'vi'), message)) await part();
    const sent = api.webhookMessages.filter((m) => m.token === token);
    expect(sent.map((m) => m.kind)).toEqual(['original', 'followup', 'followup', 'followup', 'followup', 'followup']);
    expect(sent[0]!.files.map((f) => f.name)).toEqual(['ket-qua.csv']);
    expect(JSON.stringify(sent[0]!.body.embeds)).toContain('Dòng 1');
    expect(sent.slice(1).every((m) => m.body.flags === MessageFlags.Ephemeral)).toBe(true);
    expect(String(sent.at(-1)!.body.content)).toContain('Câu trả lời quá dài nên đã bị cắt');
    expect(api.refused).toEqual([]);
  });

  it('gives a handle that expires 15 minutes after the interaction', () => {
    const handle = interactionHandle({ applicationId: APP, token: 't', createdTimestamp: Date.UTC(2024, 8, 1, 3), locale: 'vi' });
    expect(handle).toEqual({ to: { applicationId: APP, token: 't', locale: 'vi' }, expiresAt: new Date(Date.UTC(2024, 8, 1, 3, 15)) });
  });

  it('is refused by Discord once the interaction token has expired', async () => {
    const { token, rest } = await deferred(shortLived);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [part] = discordPoster(rest).answerParts(handleOf(token), pages(1));
    const error = await part!().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('Invalid Webhook Token');
    expect(shortLived.webhookMessages.filter((m) => m.token === token)).toEqual([]);
  });
});
