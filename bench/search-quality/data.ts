import type { Danger } from '../../db/schema/index.ts';
import { foldKey } from '../../src/domain/text.ts';
import type { CaseFields } from '../../src/repositories/cases.ts';
import type { Random } from '../../src/services/demo-data.ts';
import {
  BIRTH_ORDER,
  DESCRIPTORS,
  FAMILY_NAMES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  MIDDLE_FEMALE,
  MIDDLE_MALE,
  ONE_WORD_NICKNAMES,
  type Weighted,
} from './names.ts';

/** One synthetic wanted person of the search-quality benchmark, as loaded and as the queries see it. */
export interface QualityCase {
  code: string;
  fullName: string;
  /** The words of the full name: family name first, given name last, middle names between. */
  words: string[];
  aliases: string[];
  birthYear: number;
  female: boolean;
  danger: Danger;
  wantedOn: string;
  /** Index into the unit list the loader makes (0 is the root). */
  unit: number;
}

/** The benchmark's units: a root department and provinces under it, with their share of the cases. */
export const QUALITY_UNITS: ReadonlyArray<{ code: string; name: string; weight: number }> = [
  { code: 'C06', name: 'Cục Cảnh sát hình sự', weight: 1 },
  { code: 'HNI', name: 'Công an thành phố Hà Nội', weight: 6 },
  { code: 'HCM', name: 'Công an Thành phố Hồ Chí Minh', weight: 7 },
  { code: 'HPG', name: 'Công an thành phố Hải Phòng', weight: 2 },
  { code: 'DNG', name: 'Công an thành phố Đà Nẵng', weight: 2 },
  { code: 'CTO', name: 'Công an thành phố Cần Thơ', weight: 2 },
  { code: 'NAN', name: 'Công an tỉnh Nghệ An', weight: 3 },
];

/** The code of the case at `index` (from 0), and back: codes are the only link from a hit to the truth. */
export const qualityCode = (index: number) => `SQ-${String(index + 1).padStart(7, '0')}`;
export const qualityIndex = (code: string) => (/^SQ-\d{7}$/.test(code) ? Number(code.slice(3)) - 1 : -1);

function pickOther(random: Random, list: Weighted, not: string[]): string {
  for (;;) {
    const value = random.weighted(list);
    if (!not.includes(value)) return value;
  }
}

/** A nickname: a birth-order or the given name with a descriptor (Tư Sẹo, Hùng Mập), a word alone (Tèo, Út). */
function nickname(random: Random, given: string): string {
  switch (
    random.weighted([
      ['order', 40],
      ['given', 30],
      ['word', 22],
      ['order alone', 8],
    ] as const)
  ) {
    case 'order':
      return `${random.weighted(BIRTH_ORDER)} ${random.weighted(DESCRIPTORS)}`;
    case 'given':
      return `${given} ${random.weighted(DESCRIPTORS)}`;
    case 'word':
      return random.weighted(ONE_WORD_NICKNAMES);
    default:
      return random.weighted(BIRTH_ORDER);
  }
}

/** Wanted dates over six years before this day. */
const LAST_WANTED_MS = Date.parse('2026-10-20T00:00:00Z');

/**
 * The case at `index`, drawn from `random` (one stream for all cases, in index order: the same seed
 * gives the same cases). About 15 % of names have two middle names, 3 % none; a quarter of the
 * people have a nickname, a fifth of those two; birth years run from 1950 to 2006, most in the
 * 1980s and 1990s.
 */
export function generateQualityCase(random: Random, index: number): QualityCase {
  const female = random.chance(0.14);
  const family = random.weighted(FAMILY_NAMES);
  const middles = female ? MIDDLE_FEMALE : MIDDLE_MALE;
  const given = random.weighted(female ? GIVEN_FEMALE : GIVEN_MALE);
  const shape = random.weighted([
    ['three', 82],
    ['four', 15],
    ['two', 3],
  ] as const);
  const words = [family];
  if (shape !== 'two') words.push(pickOther(random, middles, [given]));
  // A second middle name is a name of its own (Thu, Quốc), rarely Văn or Thị again.
  if (shape === 'four') words.push(pickOther(random, middles, [words[1]!, 'Văn', 'Thị', given]));
  words.push(given);
  const aliases: string[] = [];
  if (random.chance(0.25)) {
    aliases.push(nickname(random, given));
    if (random.chance(0.2)) {
      const second = nickname(random, given);
      if (foldKey(second) !== foldKey(aliases[0]!)) aliases.push(second);
    }
  }
  // Ages 20 to 76 in 2026, skewed young: most wanted people are in their twenties to forties.
  const birthYear = 2006 - Math.floor(57 * random.next() ** 1.6);
  const danger = random.weighted([
    ['normal', 70],
    ['dangerous', 25],
    ['especially_dangerous', 5],
  ] as const);
  const wantedOn = new Date(LAST_WANTED_MS - random.int(0, 6 * 365) * 86_400_000).toISOString().slice(0, 10);
  const unit = random.weighted(QUALITY_UNITS.map((u, i) => [i, u.weight] as const));
  return { code: qualityCode(index), fullName: words.join(' '), words, aliases, birthYear, female, danger, wantedOn, unit };
}

/** The row a case is written as, wanted, in the unit with id `unitId`. */
export function qualityCaseFields(c: QualityCase, unitId: number): CaseFields {
  return {
    code: c.code,
    fullName: c.fullName,
    aliases: c.aliases,
    birthYear: c.birthYear,
    gender: c.female ? 'female' : 'male',
    danger: c.danger,
    wantedOn: c.wantedOn,
    status: 'wanted',
    resolvedOn: null,
    unitId,
  };
}
