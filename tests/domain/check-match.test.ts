import { describe, expect, it } from 'vitest';
import { CANDIDATE_SCORE, REQUEST_SCORE, toConfirm, WantedIndex, type CheckPerson, type WantedCase } from '../../src/domain/check-match.ts';

let nextId = 1;
const wanted = (code: string, fullName: string, more: Partial<WantedCase> = {}): WantedCase => ({
  id: nextId++,
  code,
  fullName,
  aliases: [],
  birthYear: null,
  birthDate: null,
  nationalId: null,
  hometown: null,
  unitId: 1,
  danger: 'normal',
  ...more,
});
const person = (fullName: string, more: Partial<CheckPerson> = {}): CheckPerson => ({
  fullName,
  birthYear: null,
  birthDate: null,
  nationalId: null,
  hometown: null,
  ...more,
});

// A hand-made wanted list: namesakes, near spellings, an alias, IDs of both kinds.
const list = [
  wanted('W-1', 'Nguyễn Văn Đức', { birthYear: 1985, nationalId: '001085012345', hometown: 'Đông Anh, Hà Nội' }),
  wanted('W-2', 'Nguyễn Văn Đức', { birthYear: 1992, hometown: 'Thanh Hóa' }),
  wanted('W-3', 'Nguyễn Văn Dực', { birthYear: 1985 }),
  wanted('W-4', 'Trần Thị Hoa', { birthYear: 1990, nationalId: '123456789' }),
  wanted('W-5', 'Lê Minh Tuấn', { birthYear: 1978, aliases: ['Tư Sẹo'] }),
  wanted('W-6', 'Phạm Quốc Khánh', { birthYear: 2001, hometown: 'Hải Phòng' }),
  wanted('W-7', 'Võ Thành Long'),
  ...Array.from({ length: 30 }, (_, i) =>
    wanted(`F-${i}`, `Nguyễn Văn ${['An', 'Bình', 'Cường', 'Dũng', 'Hùng'][i % 5]}`, { birthYear: 1960 + i }),
  ),
];
const index = new WantedIndex(list);
const codes = (p: CheckPerson) => index.candidates(p).map((c) => c.case.code);

describe('checking a person against the wanted list', () => {
  it('finds a person by an ID number whatever the name, as a certain hit', () => {
    const [hit] = index.candidates(person('Nguyen Van X', { nationalId: '001085012345' }));
    expect(hit).toMatchObject({ certain: true, score: 1, id: 'id_same', idKind: 'cccd' });
    expect(hit!.case.code).toBe('W-1');
  });

  it('ranks the namesake with the same birth year and hometown first, above the request score', () => {
    const found = index.candidates(person('Nguyễn Văn Đức', { birthYear: 1985, hometown: 'Hà Nội' }));
    expect(found[0]).toMatchObject({ name: 'name_same', year: 'year_same', hometown: 'hometown_same', certain: false });
    expect(found[0]!.case.code).toBe('W-1');
    expect(found[0]!.score).toBeGreaterThanOrEqual(REQUEST_SCORE);
    // W-3 is a near spelling born the same year: a candidate, below W-1.
    expect(found.map((c) => c.case.code)).toContain('W-3');
    // W-2 was born seven years apart, in another province: no candidate.
    expect(found.map((c) => c.case.code)).not.toContain('W-2');
    // Born seven years apart: no candidate, whatever else agrees but the ID.
    expect(codes(person('Nguyễn Văn Đức', { birthYear: 1985, hometown: 'Thanh Hóa' }))).not.toContain('W-2');
    // Without a birth year written, the same words are a candidate, far below a request.
    const w2 = index.candidates(person('Nguyễn Văn Đức', { hometown: 'Thanh Hóa' })).find((c) => c.case.code === 'W-2');
    expect(w2).toMatchObject({ year: 'year_unknown', hometown: 'hometown_same' });
    expect(w2!.score).toBeLessThan(REQUEST_SCORE);
  });

  it('sends to confirm a corroborated hit or a name and year only one wanted person has, never a shared one', () => {
    const sent = (p: CheckPerson) => toConfirm(index.candidates(p)).map((c) => c.case.code);
    expect(sent(person('Nguyễn Văn Đức', { birthYear: 1985, hometown: 'Hà Nội' }))).toEqual(['W-1']);
    expect(sent(person('Phạm Quốc Khánh', { birthYear: 2001 }))).toEqual(['W-6']);
    // Thirty Nguyễn Văn An … Hùng, six of each given name, one a year: the name and year still name one.
    expect(sent(person('Nguyễn Văn Hùng', { birthYear: 1964 }))).toEqual(['F-4']);
    const twins = new WantedIndex([...list, wanted('W-8', 'Phạm Quốc Khánh', { birthYear: 2001 })]);
    expect(toConfirm(twins.candidates(person('Phạm Quốc Khánh', { birthYear: 2001 })))).toEqual([]);
    // A hometown that differs is no corroboration: it counts against.
    expect(sent(person('Phạm Quốc Khánh', { birthYear: 2001, hometown: 'Cà Mau' }))).toEqual([]);
  });

  it('compares full dates of birth when both have one', () => {
    const dated = new WantedIndex([wanted('D-1', 'Hồ Văn Lâm', { birthYear: 1980, birthDate: '1980-05-02' })]);
    const [same] = dated.candidates(person('Ho Van Lam', { birthYear: 1980, birthDate: '1980-05-02' }));
    expect(same).toMatchObject({ year: 'date_same' });
    expect(toConfirm([same!])).toHaveLength(1);
    // Another day of the same year: the name alone, no candidate.
    expect(dated.candidates(person('Ho Van Lam', { birthYear: 1980, birthDate: '1980-11-20' }))).toEqual([]);
  });

  it('matches a name without diacritics, in capitals and in another order', () => {
    for (const written of ['nguyen van duc', 'NGUYEN VAN DUC', 'Đức Nguyễn Văn', 'duc nguyen van']) {
      expect(codes(person(written, { birthYear: 1985 }))[0], written).toBe('W-1');
    }
  });

  it('matches a typo in the given name and in the family name within the edit budget', () => {
    const found = index.candidates(person('Nguyen Van Duk', { birthYear: 1985 }));
    expect(
      found
        .map((c) => c.case.code)
        .slice(0, 2)
        .sort(),
    ).toEqual(['W-1', 'W-3']);
    expect(found[0]).toMatchObject({ name: 'name_close' });
    expect(codes(person('Ngyen Thi Hoa', { birthYear: 1990 }))).not.toContain('W-4');
    expect(codes(person('Tran Thi Hao', { birthYear: 1990 }))).toEqual(['W-4']);
  });

  it('matches a name with the middle name left out, and a one-year-off birth year', () => {
    const [hit] = index.candidates(person('Phạm Khánh', { birthYear: 2000 }));
    expect(hit).toMatchObject({ name: 'name_partial', year: 'year_near' });
    expect(hit!.case.code).toBe('W-6');
  });

  it('matches an alias like a name', () => {
    expect(codes(person('Tư Sẹo', { birthYear: 1978 }))).toEqual(['W-5']);
  });

  it('finds a name without a birth year as a candidate, never likely enough to ask on its own', () => {
    const [alone] = index.candidates(person('Pham Quoc Khanh'));
    expect(alone).toMatchObject({ year: 'year_unknown', hometown: 'hometown_unknown' });
    expect(alone!.score).toBeGreaterThanOrEqual(CANDIDATE_SCORE);
    expect(alone!.score).toBeLessThan(REQUEST_SCORE);
    const [withTown] = index.candidates(person('Pham Quoc Khanh', { hometown: 'TP Hải Phòng' }));
    expect(withTown!.score).toBeGreaterThan(alone!.score);
    expect(toConfirm([withTown!])).toEqual([]);
  });

  it('is no hit when both the ID and the birth year differ', () => {
    expect(codes(person('Trần Thị Hoa', { birthYear: 1970, nationalId: '987654321' }))).toEqual([]);
    // The same name with a differing ID but the same year stays a candidate, lower.
    const [hit] = index.candidates(person('Trần Thị Hoa', { birthYear: 1990, nationalId: '987654321' }));
    expect(hit).toMatchObject({ id: 'id_differs', idKind: 'cmnd' });
    expect(hit!.score).toBeLessThan(REQUEST_SCORE);
  });

  it('does not compare a CMND with a CCCD', () => {
    const [hit] = index.candidates(person('Nguyễn Văn Đức', { birthYear: 1985, nationalId: '123123123' }));
    expect(hit).toMatchObject({ id: 'id_unknown', idKind: null });
    expect(hit!.case.code).toBe('W-1');
  });

  it('finds no near miss: another given name, or a family name and given name of other people', () => {
    expect(codes(person('Nguyễn Văn Đạt', { birthYear: 1985 }))).toEqual([]);
    expect(codes(person('Võ Thành', { birthYear: 1980 }))).toEqual([]);
    expect(codes(person('Nguyễn Long'))).toEqual([]);
    expect(codes(person('Hoàng Văn Hùng', { birthYear: 1964 }))).toEqual([]);
  });

  it('keeps at most five candidates a person, the best first', () => {
    const found = index.candidates(person('Nguyễn Văn Hùng'));
    expect(found).toHaveLength(5);
    const scores = found.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
