import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { Result } from '../../src/domain/result.ts';
import type { Scope } from '../../src/domain/scope.ts';
import { findCaseByCode, type CaseRow } from '../../src/repositories/cases.ts';
import type { Member } from '../../src/repositories/members.ts';
import { unitSubtreeIds } from '../../src/repositories/units.ts';
import { addPhotoReference } from '../../src/services/cases.ts';
import { PHOTO_LIMITS } from '../../src/services/images.ts';
import { addCasePhoto, getCasePhotos, retireCasePhoto } from '../../src/services/photos.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { CAMERA, exifHasGps, jpegWithGps, photo, pngBomb } from '../support/images.ts';

/**
 * Photos of a case at the service: what is kept of an upload (a bounded JPEG and a thumbnail,
 * nothing of its metadata), every upload refused with nothing written, retiring with a reason,
 * and the case's has_photo kept true exactly while it has a photo or a photo reference.
 */
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

let officer: Member;
let viewer: Member;
let scope: Scope;
let inScope: CaseRow;
let outOfScope: CaseRow;
beforeEach(async () => {
  await t.reset();
  const units = await makeUnitTree(t.db);
  officer = await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en' });
  viewer = await makeMember(t.db, { handle: 'lan', role: 'viewer', unit: 'CA-HN', locale: 'en' });
  scope = { unitId: units['CA-HN'].id, unitIds: await unitSubtreeIds(t.db, units['CA-HN'].id) };
  inScope = await makeCase(t.db, { unit: 'CAQ-HK', fullName: 'Nguyễn Văn Đức' });
  outOfScope = await makeCase(t.db, { unit: 'CA-HCM', fullName: 'Lê Văn Tám' });
});

const add = (data: Uint8Array, more: { name?: string; code?: string; actor?: Member; caption?: string } = {}) =>
  addCasePhoto(t.db, {
    scope,
    actor: more.actor ?? officer,
    code: more.code ?? inScope.code,
    file: { name: more.name ?? 'photo.jpg', data },
    caption: more.caption,
  });
const stored = () =>
  queryRows<{ id: number; image: Uint8Array; thumbnail: Uint8Array; width: number; height: number; content_type: string }>(
    t.db,
    sql`select id, image, thumbnail, width, height, content_type from case_photos order by id`,
  );
const current = async (code = inScope.code) => (await findCaseByCode(t.db, code))!;
const failureText = (result: Result<unknown>) => (result.ok ? 'ok' : result.failure.text('en'));

describe('addCasePhoto', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('keeps a %s upload as a JPEG with a thumbnail, and marks the case', async (format) => {
    const result = await add(await photo(format, { width: 60, height: 40 }), { name: `anh.${format}`, caption: 'ảnh chụp năm 2019' });
    expect(result.ok).toBe(true);
    const [row] = await stored();
    expect(row).toMatchObject({ content_type: 'image/jpeg', width: 60, height: 40 });
    expect(await sharp(row!.image).metadata()).toMatchObject({ format: 'jpeg', width: 60, height: 40 });
    expect(await sharp(row!.thumbnail).metadata()).toMatchObject({ format: 'jpeg', width: 60, height: 40 });
    const after = await current();
    expect(after.hasPhoto).toBe(true);
    expect(after.version).toBe(inScope.version + 1);
    const events = await queryRows<{ kind: string; data: Record<string, unknown> }>(t.db, sql`select kind::text, data from case_events`);
    expect(events).toEqual([
      {
        kind: 'info_added',
        data: {
          version: after.version,
          field: 'photo',
          photo: { id: row!.id, number: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), caption: 'ảnh chụp năm 2019' },
        },
      },
    ]);
  });

  it('strips the metadata: a JPEG with a camera and a GPS position goes in, neither comes out', async () => {
    const upload = await jpegWithGps();
    const before = await sharp(upload).metadata();
    expect(exifHasGps(before.exif!)).toBe(true);
    expect(upload.includes(Buffer.from(CAMERA.make))).toBe(true);
    expect(upload.includes(Buffer.from(CAMERA.datum))).toBe(true);

    expect((await add(upload)).ok).toBe(true);
    const [row] = await stored();
    for (const bytes of [Buffer.from(row!.image), Buffer.from(row!.thumbnail)]) {
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(bytes.includes(Buffer.from(CAMERA.make))).toBe(false);
      expect(bytes.includes(Buffer.from(CAMERA.datum))).toBe(false);
      expect(bytes.includes(Buffer.from('Exif\0\0', 'latin1'))).toBe(false);
    }
  });

  it('keeps a bounded copy of a large photo and a small thumbnail', async () => {
    expect((await add(await photo('jpeg', { width: 2400, height: 1800 }))).ok).toBe(true);
    const [row] = await stored();
    expect([row!.width, row!.height]).toEqual([PHOTO_LIMITS.side, 1200]);
    expect(await sharp(row!.thumbnail).metadata()).toMatchObject({ width: PHOTO_LIMITS.thumbnail, height: 192 });
  });

  const MiB = 1024 * 1024;
  const bad: Array<[string, () => Promise<{ name: string; data: Uint8Array }>, string]> = [
    [
      'not an image',
      async () => ({ name: 'notes.txt', data: Buffer.from('Họ tên: Nguyễn Văn Đức\n') }),
      'notes.txt is not a JPEG, PNG or WebP image',
    ],
    [
      'an image that lies about its type',
      async () => ({ name: 'anh.jpg', data: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') }),
      'anh.jpg is named as an image, but its content is no JPEG, PNG or WebP image',
    ],
    [
      'over 10 MB',
      async () => ({ name: 'big.jpg', data: Buffer.concat([await photo('jpeg'), Buffer.alloc(10 * MiB)]) }),
      'big.jpg is larger than 10 MB',
    ],
    ['a decompression bomb', async () => ({ name: 'bomb.png', data: pngBomb() }), 'bomb.png has too many pixels (at most 40 million)'],
    [
      'a JPEG cut short',
      async () => ({ name: 'cut.jpg', data: (await photo('jpeg', { width: 400, height: 300 })).subarray(0, 400) }),
      'Could not decode cut.jpg',
    ],
  ];
  it.each(bad)('refuses %s with a clear message, and stores nothing', async (_, make, message) => {
    const file = await make();
    const result = await add(file.data, { name: file.name });
    expect(result.ok).toBe(false);
    expect(failureText(result)).toContain(message);
    expect(await stored()).toEqual([]);
    const after = await current();
    expect([after.hasPhoto, after.version]).toEqual([false, inScope.version]);
    expect(await queryRows(t.db, sql`select id from case_events`)).toEqual([]);
  });

  it('refuses a case out of scope as not found, before reading the image', async () => {
    const result = await add(await photo('jpeg'), { code: outOfScope.code });
    expect(result).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(failureText(result)).toBe(`No case ${outOfScope.code} within your units.`);
    expect(await stored()).toEqual([]);
    expect((await current(outOfScope.code)).hasPhoto).toBe(false);
  });

  it('refuses a viewer, and the same photo twice', async () => {
    const image = await photo('png');
    expect(await add(image, { actor: viewer })).toMatchObject({ ok: false, failure: { code: 'denied' } });
    expect((await add(image)).ok).toBe(true);
    const again = await add(image);
    expect(again).toMatchObject({ ok: false, failure: { code: 'conflict' } });
    expect(failureText(again)).toContain('already on case');
    expect(await stored()).toHaveLength(1);
  });
});

describe('retireCasePhoto and getCasePhotos', () => {
  const retire = (number: number, reason = 'wrong person') =>
    retireCasePhoto(t.db, { scope, actor: officer, code: inScope.code, number, reason });

  it('lists photos newest first with full image and thumbnails, and leaves out a retired one', async () => {
    for (const colour of ['#ff0000', '#00ff00', '#0000ff']) expect((await add(await photo('jpeg', { colour }))).ok).toBe(true);
    const listed = await getCasePhotos(t.db, { scope, code: inScope.code, images: 1, thumbnails: 3 });
    expect(listed.ok && listed.value.photos.map((p) => p.number)).toEqual([3, 2, 1]);
    expect(listed.ok && listed.value.files.map((f) => [f.photo.number, f.kind])).toEqual([
      [3, 'image'],
      [2, 'thumbnail'],
      [1, 'thumbnail'],
    ]);
    expect((await retire(3)).ok).toBe(true);
    const after = await getCasePhotos(t.db, { scope, code: inScope.code });
    expect(after.ok && after.value.photos.map((p) => p.number)).toEqual([2, 1]);
    expect(after.ok && after.value.files).toEqual([]);
    expect(await getCasePhotos(t.db, { scope, code: outOfScope.code })).toMatchObject({ ok: false, failure: { code: 'not_found' } });
  });

  it('keeps has_photo while a photo is left, and clears it with the last', async () => {
    await add(await photo('jpeg', { colour: '#111111' }));
    await add(await photo('jpeg', { colour: '#eeeeee' }));
    const first = await retire(1, 'blurred');
    expect(first.ok && first.value.remaining).toBe(1);
    expect((await current()).hasPhoto).toBe(true);
    expect((await retire(2)).ok).toBe(true);
    expect((await current()).hasPhoto).toBe(false);
    const rows = await queryRows<{ retire_reason: string; retired_by_member_id: number }>(
      t.db,
      sql`select retire_reason, retired_by_member_id from case_photos order by id`,
    );
    expect(rows).toEqual([
      { retire_reason: 'blurred', retired_by_member_id: officer.id },
      { retire_reason: 'wrong person', retired_by_member_id: officer.id },
    ]);
    const events = await queryRows<{ data: Record<string, unknown> }>(
      t.db,
      sql`select data from case_events where kind = 'photo_retired' order by id`,
    );
    expect(events.map((e) => e.data)).toEqual([
      { version: expect.any(Number), photo: { id: 1, number: 1 }, reason: 'blurred' },
      { version: expect.any(Number), photo: { id: 2, number: 2 }, reason: 'wrong person', changes: { has_photo: [true, false] } },
    ]);
  });

  it('keeps has_photo after the last photo when the case has a photo reference written earlier', async () => {
    expect((await addPhotoReference(t.db, { scope, actor: officer, code: inScope.code, reference: 'Kho ảnh, tủ 3' })).ok).toBe(true);
    await add(await photo('jpeg'));
    expect((await retire(1)).ok).toBe(true);
    expect((await current()).hasPhoto).toBe(true);
  });

  it('refuses a number the case does not have, a photo retired already, and a case out of scope', async () => {
    await add(await photo('jpeg'));
    const unknown = await retire(7);
    expect(unknown).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(failureText(unknown)).toContain(`Case ${inScope.code} has no photo 7. Its photos shown: 1.`);
    expect((await retire(1)).ok).toBe(true);
    const twice = await retire(1);
    expect(twice).toMatchObject({ ok: false, failure: { code: 'conflict' } });
    expect(failureText(twice)).toContain('was retired already (reason: wrong person)');
    const outside = await retireCasePhoto(t.db, { scope, actor: officer, code: outOfScope.code, number: 1, reason: 'x' });
    expect(outside).toMatchObject({ ok: false, failure: { code: 'not_found' } });
  });
});
