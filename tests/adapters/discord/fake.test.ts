import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscordApi, type FakeDiscordApi } from '../../fakes/discord-api.ts';

// The adapter's tests trust the fake to refuse what Discord refuses; these check that it does.
const APP = '1234567890123456789';
let api: FakeDiscordApi;
let counter = 0;

beforeAll(async () => {
  api = await startFakeDiscordApi({ applicationId: APP });
});
afterAll(() => api.close());

/** An interaction as if Discord had just created it; no gateway session needs to be open. */
function interaction() {
  const created = { id: String(1_310_000_000_000_000_000n + BigInt(++counter)), token: `interaction-${randomUUID()}` };
  api.dispatchInteraction({ ...created, type: 2, application_id: APP });
  return created;
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.apiUrl}/v10${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bot ${api.token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { code?: number; message?: string }) : undefined };
}

const callback = (i: { id: string; token: string }, type = 5) =>
  call('POST', `/interactions/${i.id}/${i.token}/callback`, { type, data: { flags: 64 } });
const editOriginal = (i: { token: string }, body: unknown) => call('PATCH', `/webhooks/${APP}/${i.token}/messages/@original`, body);

const embed = (extra: Record<string, unknown>) => ({ embeds: [{ title: 'x', ...extra }] });
const buttons = (n: number, customId = 'b') => ({
  type: 1,
  components: Array.from({ length: n }, (_, i) => ({ type: 2, style: 2, label: 'x', custom_id: `${customId}${i}` })),
});

describe('fake Discord API, faithful where the adapter relies on it', () => {
  it('accepts one callback per interaction and refuses a second with 40060', async () => {
    const i = interaction();
    expect((await callback(i)).status).toBe(204);
    expect(await callback(i)).toEqual({ status: 400, body: { code: 40060, message: 'Interaction has already been acknowledged.' } });
    expect(api.callbacks.filter((c) => c.interactionId === i.id)).toHaveLength(1);
  });

  it('refuses a callback later than 3 seconds after the interaction with 10062', async () => {
    const i = interaction();
    await new Promise((r) => setTimeout(r, 3_100));
    expect(await callback(i)).toEqual({ status: 404, body: { code: 10062, message: 'Unknown interaction' } });
  }, 10_000);

  it('refuses to edit the original response, or follow up, before any callback, with 10015', async () => {
    const i = interaction();
    expect(await editOriginal(i, { content: 'early' })).toMatchObject({ status: 404, body: { code: 10015 } });
    expect(await call('POST', `/webhooks/${APP}/${i.token}`, { content: 'early' })).toMatchObject({ status: 404, body: { code: 10015 } });
    await callback(i);
    expect((await editOriginal(i, { content: 'in time' })).status).toBe(200);
  });

  it.each([
    ['content over 2,000 characters', { content: 'x'.repeat(2001) }],
    ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ title: 'x' })) }],
    ['a description over 4,096 characters', embed({ description: 'x'.repeat(4097) })],
    ['more than 25 fields', embed({ fields: Array.from({ length: 26 }, () => ({ name: 'a', value: 'b' })) })],
    ['more than 6,000 characters of embeds in all', { embeds: [{ description: 'x'.repeat(4000) }, { description: 'y'.repeat(2001) }] }],
    ['more than 5 action rows', { components: Array.from({ length: 6 }, (_, i) => buttons(1, `r${i}-`)) }],
    ['more than 5 buttons in a row', { components: [buttons(6)] }],
    ['a custom id over 100 characters', { components: [buttons(1, 'c'.repeat(100))] }],
  ])('refuses a message with %s with 50035, and accepts one just within', async (_, body) => {
    const i = interaction();
    await callback(i);
    expect(await editOriginal(i, body)).toMatchObject({ status: 400, body: { code: 50035, message: 'Invalid Form Body' } });
    expect(await call('POST', '/channels/3000000000000000001/messages', body)).toMatchObject({ status: 400, body: { code: 50035 } });
    const within = {
      content: 'x'.repeat(2000),
      embeds: [
        { description: 'x'.repeat(4096), fields: Array.from({ length: 25 }, () => ({ name: 'a', value: 'b' })) },
        { description: 'y'.repeat(1854) },
      ],
      components: Array.from({ length: 5 }, (_, r) => buttons(5, `${r}`.repeat(99))),
    };
    expect((await editOriginal(i, within)).status).toBe(200);
  });
});
