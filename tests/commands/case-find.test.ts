import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { insertCases } from '../../src/repositories/cases.ts';

let t: TestDb;
let core: TestCore;

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
let units: Awaited<ReturnType<typeof makeUnitTree>>;
beforeEach(async () => {
  await t.reset();
  units = await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'root.viewer', role: 'viewer', unit: 'C06' });
  await makeMember(t.db, { handle: 'hn.viewer', role: 'viewer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hcm.viewer', role: 'viewer', unit: 'CA-HCM' });
  await makeCase(t.db, {
    code: 'TN-2020-000123',
    fullName: 'Nguyễn Văn Đức',
    aliases: ['Đức Sẹo'],
    birthYear: 1985,
    unit: 'CAQ-HK',
    danger: 'dangerous',
    nationalId: '001085012345',
  });
  await makeCase(t.db, { code: 'TN-2021-000077', fullName: 'Nguyễn Văn Dũng', birthYear: 1990, unit: 'CA-HN' });
  await makeCase(t.db, {
    code: 'TN-2021-000078',
    fullName: 'Trần Thị Đào',
    aliases: ['Tèo'],
    birthYear: 1979,
    unit: 'CA-HCM',
    status: 'arrested',
  });
  await makeCase(t.db, { code: 'TN-2019-000500', fullName: 'Lê Văn Đức', birthYear: 1970, unit: 'CA-HCM' });
});
afterAll(() => t.close());

const codesOf = (text: string) => [...text.matchAll(/TN-\d{4}-\d{6}/g)].map((m) => m[0]);

describe('case find', () => {
  it('finds a Vietnamese name typed without diacritics, best match first', async () => {
    const { result, reply } = await core.run('root.viewer', 'case find nguyen van duc');
    expect(result.outcome).toBe('ok');
    expect(codesOf(reply.text)[0]).toBe('TN-2020-000123');
    expect(reply.text).toContain('Nguyễn Văn Đức');
    expect(reply.messages[0]!.personal).toBe(true);
  });

  it.each([
    ['a typo', 'Nguyen Van Duk'],
    ['another word order', 'Van Duc Nguyen'],
    ['a missing word', 'nguyen duc'],
    ['upper case and marks', 'NGUYỄN VĂN ĐỨC'],
    ['NFD input', 'Nguyễn Văn Đức'.normalize('NFD')],
    ['zero-width characters', 'Nguy\u200Ben Va\u200Dn Duc'],
    ['quotes', '"nguyen van duc"'],
    ['two letters swapped', 'Ngyuen Van Duc'],
    ['a wrong middle name', 'nguyen minh duc'],
  ])('tolerates %s', async (_, query) => {
    const { reply } = await core.run('root.viewer', `case find ${query}`);
    expect(codesOf(reply.text)[0]).toBe('TN-2020-000123');
  });

  it('ranks every case that has the words, the closest first wherever it stands in the table, the same each time', async () => {
    // 150 longer names first, the closest one last.
    await insertCases(
      t.db,
      Array.from({ length: 150 }, (_, i) => ({
        code: `TN-2022-${String(i + 1).padStart(6, '0')}`,
        fullName: 'Phạm Văn Khải Hoàn Toàn',
        danger: 'normal' as const,
        wantedOn: '2022-01-10',
        status: 'wanted' as const,
        resolvedOn: null,
        unitId: units['CA-HN'].id,
      })),
    );
    await makeCase(t.db, { code: 'TN-2023-000999', fullName: 'Phạm Văn Khải', unit: 'CA-HN' });
    const closest = await core.run('root.viewer', 'case find pham khai');
    expect(codesOf(closest.reply.text)[0]).toBe('TN-2023-000999');
    const answers = await Promise.all(
      [1, 2].map(async () => codesOf((await core.run('root.viewer', 'case find khai pham hoan')).reply.text)),
    );
    expect(answers[0]).toEqual([
      'TN-2022-000001',
      'TN-2022-000002',
      'TN-2022-000003',
      'TN-2022-000004',
      'TN-2022-000005',
      'TN-2022-000006',
      'TN-2022-000007',
      'TN-2022-000008',
      'TN-2022-000009',
      'TN-2022-000010',
    ]);
    expect(answers[1]).toEqual(answers[0]);
  });

  it('answers "not found" for words like no name at all', async () => {
    const { result, reply } = await core.run('root.viewer', 'case find xyzq wvbk');
    expect(result.code).toBe('not_found');
    expect(reply.text).toContain('No case matches "xyzq wvbk"');
  });

  it('finds an alias, the exact word before one a letter away', async () => {
    const { reply } = await core.run('root.viewer', 'case find teo');
    // "Tèo" is the alias; "Sẹo" (in "Đức Sẹo") is one edit away and ranks below it.
    expect(codesOf(reply.text)[0]).toBe('TN-2021-000078');
    expect(reply.text.split('\n')[1]).toContain('Trần Thị Đào (Tèo)');
  });

  it('finds by code and by national ID', async () => {
    expect(codesOf((await core.run('root.viewer', 'case find tn-2020-000123')).reply.text)).toEqual(['TN-2020-000123']);
    expect(codesOf((await core.run('root.viewer', 'case find 001085012345')).reply.text)).toEqual(['TN-2020-000123']);
  });

  it('filters by status, danger and unit', async () => {
    expect(codesOf((await core.run('root.viewer', 'case find duc danger:dangerous')).reply.text)).toEqual(['TN-2020-000123']);
    expect(codesOf((await core.run('root.viewer', 'case find duc unit:CA-HCM')).reply.text)).toEqual(['TN-2019-000500']);
    expect(codesOf((await core.run('root.viewer', 'case find dao status:bắt')).reply.text)).toEqual(['TN-2021-000078']);
  });

  it('shows nothing outside the member scope, not even in suggestions', async () => {
    const { result, reply } = await core.run('hcm.viewer', 'case find van duc');
    expect(result.outcome).toBe('ok');
    expect(codesOf(reply.text)).toEqual(['TN-2019-000500']);
    const byCode = await core.run('hcm.viewer', 'case find TN-2020-000123');
    expect(byCode.result.code).toBe('not_found');
    // The reply echoes the typed code; every suggestion is a case of CA-HCM.
    const suggested = codesOf(byCode.reply.text).slice(1);
    expect(suggested.length).toBeGreaterThan(0);
    expect(suggested.every((c) => ['TN-2021-000078', 'TN-2019-000500'].includes(c))).toBe(true);
  });

  it('suggests the closest codes for a mistyped code', async () => {
    const { result, reply } = await core.run('root.viewer', 'case find TN-2020-000132');
    expect(result.code).toBe('not_found');
    expect(reply.text).toContain('TN-2020-000123');
  });

  it('treats % and _ literally', async () => {
    const { result } = await core.run('root.viewer', 'case find TN-20%');
    expect(result.code).toBe('not_found');
    const under = await core.run('root.viewer', 'case find TN-2020-00012_');
    expect(under.result.code).toBe('not_found');
  });

  it('refuses an empty query and an over-long one with the limit', async () => {
    const empty = await core.run('root.viewer', 'case find   ');
    expect(empty.result.code).toBe('invalid');
    const long = await core.run('root.viewer', `case find ${'a'.repeat(201)}`);
    expect(long.result.code).toBe('invalid');
    expect(long.reply.text).toContain('200');
  });

  it('hides names when the answer cannot be private', async () => {
    const { reply } = await core.run('root.viewer', 'case find nguyen van duc', { canBePrivate: false });
    expect(reply.text).not.toContain('Nguyễn');
    expect(codesOf(reply.text)[0]).toBe('TN-2020-000123');
    expect(reply.messages[0]!.personal).toBe(false);
  });
});
