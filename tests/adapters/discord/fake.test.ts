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

/** A multipart request as Discord takes uploads: `payload_json` and `files[n]` parts. */
async function upload(
  method: string,
  path: string,
  payload: Record<string, unknown>,
  files: Array<{ field: string; name: string; bytes: number }>,
) {
  const form = new FormData();
  form.append('payload_json', JSON.stringify(payload));
  for (const f of files) form.append(f.field, new Blob([new Uint8Array(f.bytes).fill(97)], { type: 'text/csv' }), f.name);
  const response = await fetch(`${api.apiUrl}/v10${path}`, { method, body: form });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as { code?: number; attachments?: Array<{ url: string }> }) : undefined,
  };
}

/** An answered interaction whose answer may carry files of at most `limit` bytes. */
async function answered(limit?: number) {
  const created = { id: String(1_310_000_000_000_000_000n + BigInt(++counter)), token: `interaction-${randomUUID()}` };
  api.dispatchInteraction({ ...created, type: 2, application_id: APP, ...(limit ? { attachment_size_limit: limit } : {}) });
  await callback(created);
  return created;
}

const file = (n: number, bytes = 10) => ({ field: `files[${n}]`, name: `f${n}.csv`, bytes });

describe('fake Discord API, files', () => {
  it('takes files with the answer, described by their `attachments` entries, and serves them from its CDN', async () => {
    const i = await answered();
    const sent = await upload('PATCH', `/webhooks/${APP}/${i.token}/messages/@original`, { content: 'x', attachments: [{ id: '0' }] }, [
      file(0),
    ]);
    expect(sent.status).toBe(200);
    expect(api.webhookMessages.at(-1)).toMatchObject({ token: i.token, kind: 'original', files: [{ field: 'files[0]', name: 'f0.csv' }] });
    const served = await fetch(sent.body!.attachments![0]!.url);
    expect(served.status).toBe(200);
    expect(await served.text()).toBe('a'.repeat(10));
  });

  it('keeps on an edited message only the new files its `attachments` lists, as API v10 does', async () => {
    const i = await answered();
    await upload('PATCH', `/webhooks/${APP}/${i.token}/messages/@original`, { attachments: [{ id: '1' }] }, [file(0), file(1)]);
    expect(api.webhookMessages.at(-1)!.files.map((f) => f.field)).toEqual(['files[1]']);
  });

  it('refuses more than 10 files, or an `attachments` entry naming a part not sent, with 50035', async () => {
    const i = await answered();
    const eleven = Array.from({ length: 11 }, (_, n) => file(n));
    expect(await upload('POST', `/webhooks/${APP}/${i.token}`, {}, eleven)).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(await upload('POST', `/webhooks/${APP}/${i.token}`, { attachments: [{ id: '0' }, { id: '1' }] }, [file(0)])).toMatchObject({
      status: 400,
      body: { code: 50035 },
    });
    expect((await upload('POST', `/webhooks/${APP}/${i.token}`, { attachments: [{ id: '0' }] }, [file(0)])).status).toBe(200);
  });

  it('refuses a file over the interaction’s attachment size limit, and a request over 25 MiB, with 413 and 40005', async () => {
    const i = await answered(1000);
    const path = `/webhooks/${APP}/${i.token}/messages/@original`;
    expect(await upload('PATCH', path, {}, [file(0, 1001)])).toMatchObject({ status: 413, body: { code: 40005 } });
    expect((await upload('PATCH', path, {}, [file(0, 1000)])).status).toBe(200);
    const unlimited = await answered(100 * 1024 * 1024);
    expect(
      await upload('PATCH', `/webhooks/${APP}/${unlimited.token}/messages/@original`, {}, [file(0, 25 * 1024 * 1024 + 1)]),
    ).toMatchObject({ status: 413, body: { code: 40005 } });
  });

  it('answers 404 for an attachment address that has expired or whose signature was altered', async () => {
    const live = api.addAttachment({ filename: 'danh sách.csv', data: 'Họ tên\n' });
    expect(live).toMatchObject({ filename: 'danh sách.csv', size: Buffer.byteLength('Họ tên\n'), content_type: 'text/csv; charset=utf-8' });
    expect(await (await fetch(live.url)).text()).toBe('Họ tên\n');
    expect((await fetch(live.proxy_url)).status).toBe(200);
    expect((await fetch(live.url.replace(/hm=[0-9a-f]+/, 'hm=00'))).status).toBe(404);
    const expired = api.addAttachment({ filename: 'old.csv', data: 'x', expired: true });
    expect((await fetch(expired.url)).status).toBe(404);
    // Declared larger than it is, as a test may ask.
    expect(api.addAttachment({ filename: 'big.csv', data: 'x', size: 99 }).size).toBe(99);
  });
});

describe('fake Discord API, interaction tokens', () => {
  it('refuses to edit the answer once the interaction token has expired, with 50027', async () => {
    const short = await startFakeDiscordApi({ applicationId: APP, interactionTokenLifetimeMs: 200 });
    try {
      const i = { id: '1320000000000000001', token: `interaction-${randomUUID()}` };
      short.dispatchInteraction({ ...i, type: 2, application_id: APP });
      const at = (path: string, method: string, body: unknown) =>
        fetch(`${short.apiUrl}/v10${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await at(`/interactions/${i.id}/${i.token}/callback`, 'POST', { type: 5, data: { flags: 64 } })).status).toBe(204);
      expect((await at(`/webhooks/${APP}/${i.token}/messages/@original`, 'PATCH', { content: 'in time' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      const late = await at(`/webhooks/${APP}/${i.token}/messages/@original`, 'PATCH', { content: 'late' });
      expect({ status: late.status, body: await late.json() }).toEqual({
        status: 401,
        body: { code: 50027, message: 'Invalid Webhook Token' },
      });
    } finally {
      await short.close();
    }
  });
});
