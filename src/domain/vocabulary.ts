import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import { foldKey } from './text.ts';

export const DANGERS = ['normal', 'dangerous', 'especially_dangerous'] as const satisfies readonly Danger[];
export const CASE_STATUSES = ['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled'] as const satisfies readonly CaseStatus[];
/** The statuses that take a case off the wanted list. */
export const OUTCOMES = ['arrested', 'surrendered', 'cleared', 'cancelled'] as const satisfies readonly CaseStatus[];

/** Accepted words, compared by {@link foldKey}: English, Vietnamese with or without marks, hyphenated. */
const DANGER_WORDS: Record<string, Danger> = {
  normal: 'normal',
  'binh thuong': 'normal',
  thuong: 'normal',
  dangerous: 'dangerous',
  'nguy hiem': 'dangerous',
  'especially dangerous': 'especially_dangerous',
  'dac biet nguy hiem': 'especially_dangerous',
};

const STATUS_WORDS: Record<string, CaseStatus> = {
  wanted: 'wanted',
  'truy na': 'wanted',
  arrested: 'arrested',
  bat: 'arrested',
  'bat giu': 'arrested',
  surrendered: 'surrendered',
  'dau thu': 'surrendered',
  cleared: 'cleared',
  'thanh loai': 'cleared',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  'dinh na': 'cancelled',
};

/** `nguy hiểm` → `dangerous`; unknown words give `undefined`. */
export function parseDanger(word: string): Danger | undefined {
  return DANGER_WORDS[foldKey(word)];
}

/** `đầu thú`, `dau-thu`, `surrendered` → `surrendered`; unknown words give `undefined`. */
export function parseStatus(word: string): CaseStatus | undefined {
  return STATUS_WORDS[foldKey(word)];
}

const YES = new Set(['1', 'true', 'yes', 'y', 'co', 'x']);
const NO = new Set(['', '0', 'false', 'no', 'n', 'khong']);

/** `có`, `yes`, `1`, `x` → true; `không`, `no`, `0`, empty → false; anything else `undefined`. */
export function parseYesNo(word: string): boolean | undefined {
  const key = foldKey(word);
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return undefined;
}
