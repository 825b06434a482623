import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentFile, fitFiles } from '../../../src/adapters/discord/files.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';

/**
 * Reading an attachment from Discord's CDN: a server of its own here, so that it can misbehave
 * (send forever, lie about its length, refuse) in ways Discord's CDN may.
 */
let server: Server;
let base: string;
/** Bytes written by the endless route before the client went away. */
let endlessSent = 0;
let endlessClosed: Promise<void>;
const requests: string[] = [];

beforeAll(async () => {
  let closed: () => void = () => undefined;
  endlessClosed = new Promise((resolve) => (closed = resolve));
  server = createServer((req, res: ServerResponse) => {
    requests.push(req.url ?? '');
    if (req.url === '/list.csv') {
      // Sent in several writes, so that the reader puts chunks together.
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.write('Họ tên;Năm sinh\n');
      res.write('Nguyễn Văn Đức;1985\n');
      return res.end('Trần Thị Hoa;1990\n');
    }
    if (req.url === '/declares-big') {
      res.writeHead(200, { 'content-length': String(5000) });
      return res.end('x'.repeat(5000));
    }
    if (req.url === '/endless') {
      // Chunked, no length: it sends until the client closes the connection.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024, 120);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) endlessSent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      return pump();
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('This content is no longer available.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('an attachment as an input file', () => {
  it('reads the whole file, put together from the chunks it came in', async () => {
    const expected = 'Họ tên;Năm sinh\nNguyễn Văn Đức;1985\nTrần Thị Hoa;1990\n';
    const file = attachmentFile({ name: 'list.csv', size: Buffer.byteLength(expected), url: `${base}/list.csv` });
    expect(file).toMatchObject({ name: 'list.csv', size: Buffer.byteLength(expected) });
    const bytes = await file.read(1024);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe(expected);
  });

  it('refuses a file Discord declares too large without asking the CDN for it', async () => {
    const before = requests.length;
    const file = attachmentFile({ name: 'big.csv', size: 2049, url: `${base}/list.csv` });
    expect(await file.read(2048)).toBe('too_large');
    expect(requests.length).toBe(before);
  });

  it('refuses a file whose download announces more than the limit', async () => {
    const file = attachmentFile({ name: 'lies.csv', size: 10, url: `${base}/declares-big` });
    expect(await file.read(1000)).toBe('too_large');
  });

  it('stops downloading once more than the limit has come, though the CDN would send forever', async () => {
    const file = attachmentFile({ name: 'endless.bin', size: 10, url: `${base}/endless` });
    expect(await file.read(100 * 1024)).toBe('too_large');
    // The connection was closed by the reader: the server saw it go, having sent a bounded amount.
    await endlessClosed;
    expect(endlessSent).toBeLessThan(64 * 1024 * 1024);
  });

  it('tells a file unreadable when the CDN refuses it or cannot be reached', async () => {
    expect(await attachmentFile({ name: 'gone.csv', size: 10, url: `${base}/gone.csv` }).read(1000)).toBe('unreadable');
    // A port nothing listens on (the server's own, once closed, would do too; this one is never opened).
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await attachmentFile({ name: 'x.csv', size: 10, url: `http://127.0.0.1:${port}/x.csv` }).read(1000)).toBe('unreadable');
  });

  it('tells a file unreadable when the download takes too long', async () => {
    const file = attachmentFile({ name: 'endless.bin', size: 10, url: `${base}/endless` }, { timeoutMs: 1 });
    expect(await file.read(1024 * 1024 * 1024)).toBe('unreadable');
  });
});

describe('the files of an answer, fitted to Discord', () => {
  const message = (sizes: number[]): ReplyMessage => ({
    personal: true,
    blocks: [{ kind: 'text', text: 'Kết quả' }],
    files: sizes.map((n, i) => ({ name: `f${i}.csv`, data: new Uint8Array(n), contentType: 'text/csv', description: 'd'.repeat(2000) })),
  });

  it('sends every file within the limits, with its name and a description Discord accepts, and leaves the answer as it was', () => {
    const original = message([10, 20]);
    const fitted = fitFiles(original, 100, 'vi');
    expect(fitted.message).toBe(original);
    expect(fitted.leftOut).toEqual([]);
    expect(fitted.files.map((f) => [f.name, f.description?.length])).toEqual([
      ['f0.csv', 1024],
      ['f1.csv', 1024],
    ]);
  });

  it('leaves out files over the size limit and beyond the tenth, and names them in the answer', () => {
    const fitted = fitFiles(message([10, 1024 * 1024 + 1, ...Array.from({ length: 10 }, () => 10)]), 1024 * 1024, 'vi');
    expect(fitted.files).toHaveLength(10);
    expect(fitted.leftOut.map((f) => f.name)).toEqual(['f1.csv', 'f11.csv']);
    expect(fitted.message.blocks.at(-1)).toEqual({
      kind: 'text',
      tone: 'error',
      text: expect.stringMatching(/^Không gửi kèm được f1\.csv, f11\.csv: .* mỗi tệp tối đa 1 MB và mỗi tin tối đa 10 tệp\./),
    });
  });
});
