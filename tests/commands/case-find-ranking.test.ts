import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { insertCases } from '../../src/repositories/cases.ts';

/**
 * Each kind of query officers type, on a hand-made list whose answers are known, with namesakes
 * placed to catch the ways a search goes wrong: near namesakes filling every place, a common word
 * drowning a rare one, the typed order ignored, an alias losing to names.
 */
let t: TestDb;
let core: TestCore;
let units: Awaited<ReturnType<typeof makeUnitTree>>;

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
afterAll(() => t.close());

const codesOf = (text: string) => [...text.matchAll(/TN-\d{4}-\d{6}/g)].map((m) => m[0]);

let next = 0;
/** Cases in bulk, in CA-HN unless told: codes TN-2024-… in the order given. */
async function addCases(rows: Array<{ name: string; aliases?: string[]; year?: number; unit?: 'CA-HN' | 'CAQ-HK' | 'CA-HCM' }>) {
  const codes = rows.map(() => `TN-2024-${String(++next).padStart(6, '0')}`);
  await insertCases(
    t.db,
    rows.map((r, i) => ({
      code: codes[i]!,
      fullName: r.name,
      aliases: r.aliases ?? [],
      birthYear: r.year ?? null,
      danger: 'normal' as const,
      wantedOn: '2024-01-10',
      status: 'wanted' as const,
      resolvedOn: null,
      unitId: units[r.unit ?? 'CA-HN'].id,
    })),
  );
  return codes;
}

const TARGET = 'TN-2020-000123';

beforeEach(async () => {
  await t.reset();
  next = 0;
  units = await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'root.viewer', role: 'viewer', unit: 'C06' });
  await makeMember(t.db, { handle: 'root.lead', role: 'lead', unit: 'C06', locale: 'vi' });
  await makeMember(t.db, { handle: 'hn.viewer', role: 'viewer', unit: 'CA-HN' });
  // Namesakes first, so that a search ranking in table order would meet them before the target.
  const given = ['Du', 'Dũng', 'Dung', 'Đạt', 'Đông', 'Hùng', 'Hưng', 'Hải', 'Long', 'Nam', 'Sơn', 'Tùng', 'Tuấn', 'Cường', 'Đăng', 'Đào'];
  await addCases(given.flatMap((g, i) => [{ name: `Nguyễn Văn ${g}`, year: 1980 + i }]));
  await addCases(
    ['Hùng', 'Anh', 'Mạnh', 'Thắng', 'Toàn', 'Trung', 'Huy', 'Khánh'].map((g, i) => ({
      name: `Nguyễn Đức ${g}`,
      year: 1985 + (i % 2) * 3,
    })),
  );
  await addCases([{ name: 'Nguyễn Văn Đức Anh', year: 1987 }]);
  await makeCase(t.db, { code: TARGET, fullName: 'Nguyễn Văn Đức', aliases: ['Đức Sẹo'], birthYear: 1985, unit: 'CAQ-HK' });
});

describe('case find ranks the person typed first', () => {
  it.each([
    ['exact, with marks', 'Nguyễn Văn Đức'],
    ['without diacritics', 'nguyen van duc'],
    ['in capitals', 'NGUYỄN VĂN ĐỨC'],
    ['in NFD', 'Nguyễn Văn Đức'.normalize('NFD')],
    ['in another order', 'duc nguyen van'],
    ['one typo, among a thousand Nguyễn Văn (c for k)', 'nguyen van duk'],
    ['one typo, a letter missing', 'nguyen van dc'],
    ['letters swapped in a three-letter word', 'nguyen avn duc'],
    ['two typos in two words', 'ngyuen van dcu'],
    ['two typos, one a swap', 'nguyne vna duc'],
    ['the middle name dropped', 'nguyen duc'],
    ['the alias', 'duc seo'],
    ['the alias, with a typo', 'duc sao'],
    ['the given name and birth year', 'duc 1985'],
    ['the birth year first', '1985 nguyen duc'],
  ])('%s: "%s"', async (_, query) => {
    const { result, reply } = await core.run('root.viewer', `case find ${query}`);
    expect(result.outcome).toBe('ok');
    expect(codesOf(reply.text)[0]).toBe(TARGET);
  });

  it('puts an exact two-word name first, then the names with a middle name, before near namesakes', async () => {
    const near = await addCases(
      ['Hoà', 'Kha', 'Khôi', 'Khoan', 'Khoẻ', 'Hoa', 'Loa', 'Toa', 'Khua', 'Khoai', 'Khao'].map((g) => ({ name: `Trần ${g}` })),
    );
    const [exact, middle1, middle2] = await addCases([{ name: 'Trần Khoa' }, { name: 'Trần Văn Khoa' }, { name: 'Trần Đăng Khoa' }]);
    const { reply } = await core.run('root.viewer', 'case find tran khoa');
    const codes = codesOf(reply.text);
    expect(codes[0]).toBe(exact);
    expect(codes.slice(1, 3).sort()).toEqual([middle1, middle2].sort());
    // Eleven near namesakes one edit away do not crowd them out; a name typed as known words is
    // taken as typed, so they come after the three, if at all.
    expect(codes.slice(3).every((c) => near.includes(c))).toBe(true);
    // A word like no name is taken for a typo: "khoq" is a letter from Khoa, Khôi and Khoẻ alike;
    // the commonest, Khoa, comes first, and the two-word names before those with a middle name.
    const typo = codesOf((await core.run('root.viewer', 'case find tran khoq')).reply.text);
    expect(typo[0]).toBe(exact);
    expect(typo.slice(1, 3).sort()).toEqual([near[2], near[4]].sort());
    expect(typo.slice(3).sort()).toEqual([middle1, middle2].sort());
  });

  it('keeps the typed order when it is the stored one', async () => {
    await addCases([{ name: 'Nguyễn Văn Lâm' }, { name: 'Nguyễn Văn Lâm' }, { name: 'Nguyễn Văn Lâm' }]);
    const [lam] = await addCases([{ name: 'Lâm Văn Nguyên' }]);
    const { reply } = await core.run('root.viewer', 'case find lam van nguyen');
    expect(codesOf(reply.text)[0]).toBe(lam);
  });

  it('ranks an alias beside names: "Tư Sẹo" before every Tư of the name column', async () => {
    await addCases(Array.from({ length: 30 }, (_, i) => ({ name: `${['Lê', 'Võ', 'Phạm'][i % 3]} Văn Tư`, aliases: i % 5 ? [] : ['Tư'] })));
    await addCases(Array.from({ length: 10 }, () => ({ name: 'Đặng Thị Sen' })));
    const [tuSeo] = await addCases([{ name: 'Hoàng Minh Tâm', aliases: ['Tư Sẹo'] }]);
    for (const query of ['tu seo', 'Tư Sẹo', 'seo tu', 'tu sep']) {
      const { reply } = await core.run('root.viewer', `case find ${query}`);
      expect(codesOf(reply.text)[0], query).toBe(tuSeo);
    }
  });

  it('matches a damaged short word against short family names ("dk" for "Đỗ")', async () => {
    await addCases([{ name: 'Lê Thị Bích' }, { name: 'Mai Thị Bích' }, { name: 'Đỗ Thị Bích Ngọc' }]);
    const [bich] = await addCases([{ name: 'Đỗ Thị Bích' }]);
    const { reply } = await core.run('root.viewer', 'case find dk thi bich');
    expect(codesOf(reply.text)[0]).toBe(bich);
  });

  it('ranks a unique given name and year first, and a middle name of that year after it', async () => {
    const [middle] = await addCases([{ name: 'Trần Đức Hùng', year: 1985 }]);
    const { reply } = await core.run('root.viewer', 'case find duc 1985');
    const codes = codesOf(reply.text);
    expect(codes[0]).toBe(TARGET);
    expect(codes).toContain(middle);
    // One year off counts, less than the year itself.
    const near = await core.run('root.viewer', 'case find duc 1986');
    expect(codesOf(near.reply.text)[0]).toBe(TARGET);
  });

  it('finds every match of a word that is rare, wherever the list puts it', async () => {
    // 400 cases with the common words first; the one with the rare word last.
    await addCases(Array.from({ length: 400 }, (_, i) => ({ name: `Nguyễn Văn ${['Hùng', 'Long', 'Nam', 'Sơn'][i % 4]}` })));
    const [rare] = await addCases([{ name: 'Nguyễn Văn Khiêm' }]);
    for (const query of ['nguyen van khiem', 'nguyen van khiam', 'ngyen van khiem', 'khiem']) {
      const { reply } = await core.run('root.viewer', `case find ${query}`);
      expect(codesOf(reply.text)[0], query).toBe(rare);
    }
  });

  it('filters every kind of match by scope', async () => {
    // The same name, alias and year in CA-HCM, out of hn.viewer's scope.
    const [outside] = await addCases([{ name: 'Nguyễn Văn Đức', aliases: ['Đức Sẹo'], year: 1985, unit: 'CA-HCM' }]);
    for (const query of ['nguyen van duc', 'nguyen van duk', 'ngyuen van dcu', 'nguyen duc', 'duc seo', 'duc 1985', 'duc']) {
      const root = codesOf((await core.run('root.viewer', `case find ${query}`)).reply.text);
      expect(root, query).toContain(outside);
      const hn = codesOf((await core.run('hn.viewer', `case find ${query}`)).reply.text);
      expect(hn, query).toContain(TARGET);
      expect(hn, query).not.toContain(outside);
    }
  });
});

describe('case find explain:yes', () => {
  it('shows a lead which words matched, with their edits, and the score', async () => {
    const { result, reply } = await core.run('root.lead', 'case find nguyen van duk explain:yes');
    expect(result.outcome).toBe('ok');
    const first = reply.text.split('\n').find((line) => line.includes(TARGET))!;
    expect(first).toContain('họ tên: nguyen → Nguyễn, van → Văn, duk → Đức (0,5 lỗi)');
    expect(first).toContain('đúng thứ tự');
    expect(first).toMatch(/điểm \d,\d\d/);
  });

  it('names the alias, the words not typed and the birth year', async () => {
    const alias = await core.run('root.lead', 'case find duc sao explain:yes');
    expect(alias.reply.text).toContain('tên gọi khác “Đức Sẹo”: duc → Đức, sao → Sẹo (1 lỗi)');
    const year = await core.run('root.lead', 'case find nguyen duc 1986 explain:yes');
    const line = year.reply.text.split('\n').find((l) => l.includes(TARGET))!;
    expect(line).toContain('không gõ: Văn');
    expect(line).toContain('năm sinh 1985 (gõ 1986, lệch 1 năm)');
  });

  it('speaks English to an English reader', async () => {
    await makeMember(t.db, { handle: 'en.lead', role: 'lead', unit: 'C06', locale: 'en' });
    const { reply } = await core.run('en.lead', 'case find ngyuen van duc explain:yes');
    expect(reply.text).toContain('name: ngyuen → Nguyễn (1 edit), van → Văn, duc → Đức');
    expect(reply.text).toMatch(/score \d\.\d\d/);
  });

  it('is refused to viewers, and keeps names out of a reply that is not private', async () => {
    const viewer = await core.run('root.viewer', 'case find nguyen van duc explain:yes');
    expect(viewer.result.code).toBe('denied');
    expect(viewer.reply.text).toContain('Only leads and admins may see why results matched');
    const channel = await core.run('root.lead', 'case find nguyen van duc explain:yes', { canBePrivate: false });
    expect(channel.reply.text).not.toContain('Nguyễn');
    expect(channel.reply.text).not.toContain('→');
    expect(codesOf(channel.reply.text)[0]).toBe(TARGET);
  });
});
