import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackInputFile } from '../../../src/adapters/slack/files.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.ts';

/** A file chosen in a Slack form, read as `case check` reads it: files.info, then the download. */
let api: FakeSlackApi;
let client: webApi.WebClient;
const log = pino({ level: 'silent' });
beforeAll(async () => {
  api = await startFakeSlackApi();
  client = new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } });
});
beforeEach(() => {
  api.downloads.length = 0;
  api.calls.length = 0;
});
afterAll(() => api.close());

const open = (file: { id: string; name?: string; size?: number }, token = api.botToken) =>
  slackInputFile({ client, botToken: token, apiUrl: api.apiUrl, log }, file);

describe('a file chosen in a Slack form', () => {
  it('reads its bytes with the bot token, after asking files.info', async () => {
    const data = 'Họ tên;Năm sinh\nNguyễn Văn Đức;1985\n';
    const file = api.addFile({ name: 'ds.csv', data });
    const input = open({ id: file.id, name: file.name, size: file.size });
    expect(input).toMatchObject({ name: 'ds.csv', size: Buffer.byteLength(data) });
    const bytes = await input.read(1024);
    expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe(data);
    expect(api.calls.map((c) => c.method)).toEqual(['files.info']);
    expect(api.downloads).toEqual([{ fileId: file.id, authorized: true }]);
  });

  it('is too large, never downloaded, when files.info declares it over the limit, whatever the form said', async () => {
    const file = api.addFile({ name: 'big.csv', data: 'Họ tên\nA\n', size: 5000 });
    expect(await open({ id: file.id, name: 'big.csv', size: 10 }).read(1000)).toBe('too_large');
    expect(api.downloads).toEqual([]);
  });

  it('is too large when more bytes come than the limit, though declared smaller', async () => {
    const file = api.addFile({ name: 'lying.csv', data: 'x'.repeat(5000), size: 10 });
    expect(await open({ id: file.id }).read(1000)).toBe('too_large');
  });

  it('is unreadable when Slack fails the download, no longer has the file, or refuses the token', async () => {
    const failing = api.addFile({ name: 'a.csv', data: 'Họ tên\nA\n' });
    api.failDownload(failing.id, 'status');
    expect(await open({ id: failing.id }).read(1000)).toBe('unreadable');
    expect(await open({ id: 'F0NOSUCH001' }).read(1000)).toBe('unreadable');
    const kept = api.addFile({ name: 'b.csv', data: 'Họ tên\nA\n' });
    expect(await open({ id: kept.id }, 'xoxb-revoked').read(1000)).toBe('unreadable');
  });

  it('never sends the bot token in clear to a host other than Slack’s', async () => {
    const seen: string[] = [];
    const elsewhere: Server = createServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.end('Họ tên\nA\n');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/f.csv`;
      const lying = {
        files: { info: async () => ({ ok: true, file: { size: 9, url_private_download: url } }) },
      } as unknown as webApi.WebClient;
      const input = slackInputFile({ client: lying, botToken: api.botToken, apiUrl: api.apiUrl, log }, { id: 'F0ELSEWHERE' });
      expect(await input.read(1000)).toBe('unreadable');
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });
});
