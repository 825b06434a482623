import { describe, expect, it } from 'vitest';
import {
  diversify,
  editBudget,
  editDistance,
  matchCase,
  wordDistance,
  type MatchField,
  type NameQuery,
  type QueryWord,
} from '../../src/domain/name-match.ts';
import { looksLikeCode, splitBirthYear } from '../../src/repositories/case-search.ts';

describe('editDistance', () => {
  it.each([
    ['hung', 'hung', 0],
    ['hugn', 'hung', 1], // two letters swapped: one edit
    ['avn', 'van', 1],
    ['du', 'duc', 1],
    ['ngyuen', 'nguyen', 1],
    ['nguen', 'nguyen', 1],
    ['duk', 'duc', 0.5], // c and k sound alike
    ['thuy', 'thui', 0.5],
    ['dk', 'do', 1],
    ['tran', 'hoa', 3],
  ])('%s → %s is %d', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
  });

  it('gives up beyond the most it is asked for', () => {
    expect(editDistance('nguyen', 'tran', 2)).toBe(Infinity);
    expect(editDistance('abc', 'abcdef', 2)).toBe(Infinity);
    expect(editDistance('hugn', 'hung', 1)).toBe(1);
  });

  it('allows one edit to short words and two from six letters on', () => {
    expect([editBudget('le'), editBudget('duc'), editBudget('hoang'), editBudget('nguyen')]).toEqual([1, 1, 1, 2]);
  });

  it('takes a single letter for an initial', () => {
    expect(wordDistance('v', 'vo', 1)).toBe(1);
    expect(wordDistance('v', 'vu', 1)).toBe(1);
    expect(wordDistance('v', 'v', 1)).toBe(0);
    expect(wordDistance('v', 'av', 1)).toBe(Infinity);
    expect(wordDistance('v', 'vo', 0)).toBe(Infinity);
    expect(wordDistance('hugn', 'hung', 1)).toBe(1);
  });
});

const word = (text: string, weight: number, cases = 100): QueryWord => ({
  word: text,
  weight,
  variants: [{ token: text, cost: 0, cases }],
});
const fields = (name: string, folded: string, aliases: Array<[string, string]> = []): MatchField[] => [
  { kind: 'name', folded: folded.split(' '), shown: name.split(' ') },
  ...aliases.map(([a, f]): MatchField => ({ kind: 'alias', folded: f.split(' '), shown: a.split(' ') })),
];

describe('matchCase', () => {
  const tranKhoa: NameQuery = { words: [word('tran', 2), word('khoa', 5)] };

  it('puts the exact name first, then with a middle name, then a letter off', () => {
    const exact = matchCase(tranKhoa, fields('Trần Khoa', 'tran khoa'), null)!;
    const middle = matchCase(tranKhoa, fields('Trần Văn Khoa', 'tran van khoa'), null)!;
    const near = matchCase(tranKhoa, fields('Trần Hoà', 'tran hoa'), null)!;
    expect(exact.score).toBeGreaterThan(middle.score);
    expect(middle.score).toBeGreaterThan(near.score);
    expect(middle.untyped).toEqual(['Văn']);
    expect(near.words[1]).toEqual({ typed: 'khoa', matched: 'Hoà', edits: 1 });
  });

  it('prefers the order typed, then the order with the given name first, to any other', () => {
    const query: NameQuery = { words: [word('duc', 4), word('nguyen', 1), word('van', 1.2)] };
    const rotated = matchCase(query, fields('Nguyễn Văn Đức', 'nguyen van duc'), null)!;
    const stored = matchCase(query, fields('Đức Nguyễn Văn', 'duc nguyen van'), null)!;
    const other = matchCase(query, fields('Văn Đức Nguyễn', 'van duc nguyen'), null)!;
    expect(stored.inOrder).toBe(true);
    expect(rotated.rotated).toBe(true);
    expect(other.inOrder || other.rotated).toBe(true); // "van duc nguyen" is a rotation of the query too
    const shuffled = matchCase(query, fields('Nguyễn Đức Văn', 'nguyen duc van'), null)!;
    expect(shuffled.inOrder || shuffled.rotated).toBe(false);
    expect(stored.score).toBeGreaterThan(rotated.score);
    expect(rotated.score).toBeGreaterThan(shuffled.score);
  });

  it('matches an alias like a name, and scores the best field', () => {
    const query: NameQuery = { words: [word('tu', 2), word('seo', 6)] };
    const m = matchCase(query, fields('Hoàng Minh Tâm', 'hoang minh tam', [['Tư Sẹo', 'tu seo']]), null)!;
    expect(m.field).toBe('alias');
    expect(m.alias).toBe('Tư Sẹo');
    const name = matchCase(query, fields('Lê Văn Tư', 'le van tu'), null)!;
    expect(m.score).toBeGreaterThan(name.score);
  });

  it('counts a birth year, one year off for less, and a given name before a middle one', () => {
    const query: NameQuery = { words: [word('duc', 4)], year: 1985 };
    const given = matchCase(query, fields('Nguyễn Văn Đức', 'nguyen van duc'), 1985)!;
    const middle = matchCase(query, fields('Trần Đức Hùng', 'tran duc hung'), 1985)!;
    const off = matchCase(query, fields('Lê Văn Đức', 'le van duc'), 1986)!;
    const other = matchCase(query, fields('Lê Văn Đức', 'le van duc'), 1970)!;
    expect(given.year).toEqual({ typed: 1985, stored: 1985, share: 1 });
    expect(off.year!.share).toBe(0.7);
    expect(given.score).toBeGreaterThan(middle.score);
    expect(given.score).toBeGreaterThan(off.score);
    expect(off.score).toBeGreaterThan(other.score);
  });

  it('counts the family and given names of a name typed given name first', () => {
    const query: NameQuery = { words: [word('trung', 4), word('nguyen', 1), word('van', 1.2)] };
    const rotated = matchCase(query, fields('Nguyễn Văn Trung', 'nguyen van trung'), null)!;
    const longer = matchCase(query, fields('Mai Trung Nguyên Văn', 'mai trung nguyen van'), null)!;
    expect(rotated).toMatchObject({ rotated: true, firstWord: true, lastWord: true });
    expect(longer.inOrder).toBe(true);
    expect(rotated.score).toBeGreaterThan(longer.score);
  });

  it('finds nothing when no word is near', () => {
    expect(matchCase(tranKhoa, fields('Nguyễn Văn Đức', 'nguyen van duc'), null)).toBeUndefined();
  });
});

describe('splitBirthYear', () => {
  it('takes one four-digit year out of a name', () => {
    expect(splitBirthYear('duc 1985')).toEqual({ name: 'duc', year: 1985 });
    expect(splitBirthYear('1985 nguyen duc')).toEqual({ name: 'nguyen duc', year: 1985 });
    expect(splitBirthYear('nguyen van duc')).toEqual({ name: 'nguyen van duc' });
  });

  it('leaves codes, ID numbers and other digits to the code search', () => {
    for (const text of ['1985', 'TN-2020-000123', '001085012345', 'duc 1985 1986', 'duc 85', 'duc 2200']) {
      expect(splitBirthYear(text), text).toBeUndefined();
      expect(looksLikeCode(text), text).toBe(true);
    }
    expect(looksLikeCode('duc 1985')).toBe(false);
  });
});

describe('diversify', () => {
  const hit = (code: string, score: number, matched: string[]) => ({
    code,
    score,
    match: {
      field: 'name' as const,
      words: matched.map((m) => ({ typed: m, matched: m, edits: 0 })),
      untyped: [],
      inOrder: true,
      rotated: false,
      firstWord: true,
      lastWord: true,
      givenMatched: true,
      familyMatched: true,
      score,
    },
  });

  it('lets a spelling that scores alike take turns with a commoner one', () => {
    const minh = Array.from({ length: 12 }, (_, i) => hit(`M${i}`, 0.9, ['Phạm', 'Đức', 'Minh']));
    const manh = Array.from({ length: 3 }, (_, i) => hit(`N${i}`, 0.898, ['Phạm', 'Đức', 'Mạnh']));
    const chosen = diversify([...minh, ...manh], 10).map((h) => h.code);
    expect(chosen).toHaveLength(10);
    expect(chosen[0]).toBe('M0');
    expect(chosen.filter((c) => c.startsWith('N'))).toEqual(['N0', 'N1', 'N2']);
  });

  it('keeps every place for a spelling far ahead', () => {
    const exact = Array.from({ length: 12 }, (_, i) => hit(`E${i}`, 1.07, ['Nguyễn', 'Văn', 'Hùng']));
    const other = [hit('O0', 1.0, ['Nguyễn', 'Hùng', 'Văn'])];
    expect(diversify([...exact, ...other], 10).map((h) => h.code)).toEqual(exact.slice(0, 10).map((h) => h.code));
  });
});
