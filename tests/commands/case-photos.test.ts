import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { CommandRegistry, defineCommand } from '../../src/core/command.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import { ok } from '../../src/domain/result.ts';
import { text } from '../../src/i18n/text.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { cli } from '../support/cli.ts';
import { createTestCore, RecordingReply, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { CAMERA, imageFile, jpegWithGps, photo, pngBomb } from '../support/images.ts';

/**
 * `case info … photo` with an image, `case show` with its photos and `case photo-retire` through
 * the real dispatcher: the upload audited whatever became of it, the photos shown only in a private
 * answer to an officer, and each view audited with the photos it showed.
 */
let t: TestDb;
let core: TestCore;
beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
afterAll(() => t.close());

let code: string;
let outside: string;
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en' });
  await makeMember(t.db, { handle: 'hoa', role: 'officer', unit: 'CA-HN', locale: 'vi' });
  await makeMember(t.db, { handle: 'lan', role: 'viewer', unit: 'CA-HN', locale: 'en' });
  code = (await makeCase(t.db, { unit: 'CAQ-HK', fullName: 'Nguyễn Văn Đức', nationalId: '001085012345' })).code;
  outside = (await makeCase(t.db, { unit: 'CA-HCM', fullName: 'Lê Văn Tám' })).code;
});

const lastAudit = async () =>
  (
    await queryRows<{ command: string; outcome: string; args: Record<string, unknown>; case_codes: string[] }>(
      t.db,
      sql`select command, outcome::text, args, case_codes from audit_log order by id desc limit 1`,
    )
  )[0]!;
const photoCount = async () => (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from case_photos`))[0]!.n;

describe('case info … photo with an image', () => {
  it('stores the attached image with its caption, and audits the upload by name, size and hash', async () => {
    const upload = await jpegWithGps();
    const { result, reply } = await core.run('duc', `case info ${code} photo file:anh.jpg chụp tại nhà, 2019`, {
      files: { 'anh.jpg': imageFile('anh.jpg', upload) },
    });
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain(`Stored photo 1 of ${code} (48×32, its location and camera details removed)`);
    expect(reply.messages[0]!.personal).toBe(false);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ command: 'case info', outcome: 'ok', case_codes: [code] });
    expect(audit.args.photo).toEqual({
      file: 'anh.jpg',
      bytes: upload.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      id: 1,
      number: 1,
    });
    const [row] = await queryRows<{ caption: string }>(t.db, sql`select caption from case_photos`);
    expect(row!.caption).toBe('chụp tại nhà, 2019');
  });

  it('takes the image as the text on the command line: case info CODE photo ./anh.png', async () => {
    const { result } = await core.run('duc', `case info ${code} photo ./anh.png`, {
      files: { './anh.png': imageFile('anh.png', await photo('png')) },
    });
    expect(result.outcome).toBe('ok');
    expect(await queryRows(t.db, sql`select caption from case_photos`)).toEqual([{ caption: null }]);
  });

  it('still records a text reference without an image, and says an image can be attached', async () => {
    const { result, reply } = await core.run('duc', `case info ${code} photo Kho ảnh, tủ 3`);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain(`Recorded where the photo of ${code} is filed.`);
    expect(reply.text).toContain('The image itself can be stored on the record');
    expect(await photoCount()).toBe(0);
    expect((await core.run('duc', `case show ${code}`)).reply.text).toContain('Photo: yes (print filed at: Kho ảnh, tủ 3)');
  });

  it('asks for the image, per platform, when a photo comes with neither image nor text', async () => {
    const { result, reply } = await core.run('hoa', `case info ${code} photo`);
    expect(result).toMatchObject({ outcome: 'invalid' });
    expect(reply.text).toContain('Chưa nhận được ảnh. Trên Discord, đính kèm ảnh vào tùy chọn file');
    expect(reply.text).toContain('trên dòng lệnh, ghi đường dẫn tới ảnh');
  });

  it('refuses a file with marks, and marks without text', async () => {
    const withFile = await core.run('duc', `case info ${code} marks file:anh.jpg sẹo`, {
      files: { 'anh.jpg': imageFile('anh.jpg', await photo('jpeg')) },
    });
    expect(withFile.reply.text).toContain('A file goes with a photo only');
    const empty = await core.run('duc', `case info ${code} marks`);
    expect(empty.result.outcome).toBe('invalid');
    expect(empty.reply.text).toContain('There is no identifying marks to record');
    expect(await photoCount()).toBe(0);
  });

  const MiB = 1024 * 1024;
  it.each([
    ['not an image', 'ghi-chu.txt', async () => Buffer.from('không phải ảnh'), 'ghi-chu.txt không phải ảnh JPEG, PNG hay WebP'],
    [
      'an image that lies about its type',
      'anh.jpg',
      async () => Buffer.from('<html>not a photo</html>'),
      'anh.jpg mang tên của một ảnh nhưng nội dung không phải',
    ],
    ['over 10 MB', 'lon.jpg', async () => Buffer.concat([await photo('jpeg'), Buffer.alloc(10 * MiB)]), 'Ảnh lon.jpg lớn hơn 10 MB'],
    ['a decompression bomb', 'bom.png', async () => pngBomb(), 'Ảnh bom.png có quá nhiều điểm ảnh (tối đa 40 triệu)'],
  ])('refuses %s in the member’s language, stores nothing, and audits it', async (_, name, make, message) => {
    const data = await make();
    const { result, reply } = await core.run('hoa', `case info ${code} photo file:${name}`, { files: { [name]: imageFile(name, data) } });
    expect(result.outcome).toBe('invalid');
    expect(reply.text).toContain(message);
    expect(await photoCount()).toBe(0);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ command: 'case info', outcome: 'invalid' });
    expect(audit.args.photo).toMatchObject({ file: name });
    expect(await queryRows(t.db, sql`select has_photo from cases where code = ${code}`)).toEqual([{ has_photo: false }]);
  });

  it('refuses by the declared size before reading, and a case out of scope as not found', async () => {
    let read = false;
    const big = { name: 'big.jpg', size: 10 * MiB + 1, read: async () => ((read = true), new Uint8Array()) };
    expect((await core.run('duc', `case info ${code} photo file:big.jpg`, { files: { 'big.jpg': big } })).reply.text).toContain(
      'big.jpg is larger than 10 MB',
    );
    expect(read).toBe(false);
    const out = await core.run('duc', `case info ${outside} photo file:a.jpg`, {
      files: { 'a.jpg': imageFile('a.jpg', await photo('jpeg')) },
    });
    expect(out.result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect(out.reply.text).toContain(`No case ${outside} within your units.`);
    expect(out.reply.text).not.toContain('Lê Văn Tám');
    expect(await photoCount()).toBe(0);
    expect((await lastAudit()).args.photo).toMatchObject({ file: 'a.jpg' });
  });
});

describe('case show with photos', () => {
  const addPhoto = async (colour: string, caption = '') =>
    expect(
      (
        await core.run('duc', `case info ${code} photo file:p.jpg ${caption}`.trim(), {
          files: { 'p.jpg': imageFile('p.jpg', await photo('jpeg', { colour })) },
        })
      ).result.outcome,
    ).toBe('ok');

  it('shows an officer the newest photo and thumbnails of the next, privately, and audits which', async () => {
    for (const [i, colour] of ['#110000', '#002200', '#000033', '#444400', '#005555'].entries()) await addPhoto(colour, `ảnh ${i + 1}`);
    const { reply } = await core.run('duc', `case show ${code}`);
    const [message] = reply.messages;
    expect(message!.personal).toBe(true);
    expect(message!.files!.map((f) => f.name)).toEqual([
      `${code}-photo-5.jpg`,
      `${code}-photo-4-thumb.jpg`,
      `${code}-photo-3-thumb.jpg`,
      `${code}-photo-2-thumb.jpg`,
    ]);
    expect(message!.files![0]!.description).toBe('ảnh 5');
    expect(await sharp(message!.files![0]!.data).metadata()).toMatchObject({ format: 'jpeg', width: 48, height: 32 });
    expect(reply.text).toContain('Photos (5)');
    expect(reply.text).toMatch(/Photo 5 · .* · duc — ảnh 5 \[attached\]/);
    expect(reply.text).toMatch(/Photo 1 · .* · duc — ảnh 1$/m);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ command: 'case show', outcome: 'ok', case_codes: [code] });
    expect(audit.args.photos).toEqual([5, 4, 3, 2]);
  });

  it('gives a channel reply no photo and no personal data, only how many, and audits no photo seen', async () => {
    await addPhoto('#123456', 'Nguyễn Văn Đức, 2019');
    const { reply } = await core.run('duc', `case show ${code}`, { canBePrivate: false });
    const [message] = reply.messages;
    expect(message!.personal).toBe(false);
    expect(message!.files).toBeUndefined();
    expect(reply.text).toContain('1 photo on record.');
    expect(reply.text).not.toContain('Nguyễn');
    expect((await lastAudit()).args.photos).toBeUndefined();
  });

  it('gives a viewer no photo, only how many', async () => {
    await addPhoto('#123456');
    const { reply } = await core.run('lan', `case show ${code}`);
    expect(reply.messages[0]!.files).toBeUndefined();
    expect(reply.text).toContain('1 photo on record.');
    expect((await lastAudit()).args.photos).toBeUndefined();
  });

  it('no longer shows a retired photo, and says who retired it in the history', async () => {
    await addPhoto('#111111');
    await addPhoto('#222222');
    const { result, reply } = await core.run('duc', `case photo-retire ${code} 2 wrong person`);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain(`Retired photo 2 of ${code}.`);
    expect(reply.text).toContain('The case has 1 photo left.');
    expect((await lastAudit()).args).toMatchObject({ number: 2, reason: 'wrong person', photo: { id: 2, number: 2 } });
    const shown = await core.run('duc', `case show ${code}`);
    expect(shown.reply.messages[0]!.files!.map((f) => f.name)).toEqual([`${code}-photo-1.jpg`]);
    expect(shown.reply.text).toMatch(/photo retired · duc: photo 2 — wrong person/);
    expect((await core.run('lan', `case photo-retire ${code} 1 x`)).result.code).toBe('denied');
  });
});

describe('files in an answer that may reach a channel', () => {
  it('are dropped by the core where no reply is private, and the personal answer is withheld there', async () => {
    const file = { name: 'leak.jpg', data: new Uint8Array([1, 2, 3]), contentType: 'image/jpeg' };
    const registry = new CommandRegistry([
      defineCommand({
        name: 'leak',
        nameVi: 'rò',
        description: text('thử', 'test'),
        minRole: 'viewer',
        writes: false,
        options: [],
        run: async () => ok({ personal: false, blocks: [{ kind: 'text', text: 'shared' }], files: [file] }),
      }),
      defineCommand({
        name: 'secret',
        nameVi: 'kín',
        description: text('thử', 'test'),
        minRole: 'viewer',
        writes: false,
        options: [],
        run: async () => ok({ personal: true, blocks: [{ kind: 'text', text: 'personal' }], files: [file] }),
      }),
    ]);
    const dispatcher = createDispatcher({
      db: t.db,
      commands: registry,
      locale: 'en',
      timeZone: 'Asia/Ho_Chi_Minh',
      logger: pino({ level: 'silent' }),
    });
    const invocation = (line: string, id: string) => ({
      id,
      actor: { platform: 'console' as const, workspaceId: 'local', userId: 'duc' },
      channel: { id: 'C1', isPrivate: false },
      input: { kind: 'text' as const, line },
    });
    const shared = new RecordingReply(false);
    await dispatcher.dispatch(invocation('leak', 'leak-1'), shared);
    expect(shared.messages[0]!.files).toBeUndefined();
    expect(shared.text).toContain('shared');
    // Where the reply can be private, the adapter delivers the files to the invoker alone.
    const privately = new RecordingReply(true);
    await dispatcher.dispatch(invocation('leak', 'leak-2'), privately);
    expect(privately.messages[0]!.files).toEqual([file]);
    const inChannel = new RecordingReply(false);
    await dispatcher.dispatch(invocation('secret', 'secret-1'), inChannel);
    expect(inChannel.messages[0]!.files).toBeUndefined();
    expect(inChannel.messages[0]!.blocks).not.toContainEqual({ kind: 'text', text: 'personal' });
  });
});

describe('photos from the command line', () => {
  it('adds a photo by its path with casedesk exec, and saves case show’s photos to a folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'casedesk-photo-'));
    const path = join(dir, 'anh.jpg');
    await writeFile(path, await jpegWithGps());
    const run = (args: string[]) => cli(args, { db: t.handle, env: { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent' } });
    const added = await run(['exec', '--as', 'duc', `case info ${code} photo ${path}`]);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Stored photo 1 of ${code}`);

    const out = join(dir, 'out');
    await mkdir(out);
    const shown = await run(['exec', '--as', 'duc', '--files', out, `case show ${code}`]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`→ ${join(out, `${code}-photo-1.jpg`)}`);
    expect(await readdir(out)).toEqual([`${code}-photo-1.jpg`]);
    const saved = await readFile(join(out, `${code}-photo-1.jpg`));
    expect((await sharp(saved).metadata()).exif).toBeUndefined();
    expect(saved.includes(Buffer.from(CAMERA.make))).toBe(false);
    expect((await lastAudit()).args.photos).toEqual([1]);
  });
});
