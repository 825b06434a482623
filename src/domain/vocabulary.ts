import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import { foldKey } from './text.ts';

export const DANGERS = ['normal', 'dangerous', 'especially_dangerous'] as const satisfies readonly Danger[];
export const CASE_STATUSES = ['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled'] as const satisfies readonly CaseStatus[];

/** Other words accepted for each value, compared by {@link foldKey} (marks, case and hyphens ignored). */
export const DANGER_WORDS: Record<Danger, readonly string[]> = {
  normal: ['bình thường', 'thường'],
  dangerous: ['nguy hiểm'],
  especially_dangerous: ['especially dangerous', 'đặc biệt nguy hiểm', 'dac-biet'],
};

export const STATUS_WORDS: Record<CaseStatus, readonly string[]> = {
  wanted: ['truy nã', 'truy-na'],
  arrested: ['bắt', 'bắt giữ', 'bat'],
  surrendered: ['đầu thú', 'dau-thu'],
  cleared: ['thanh loại', 'thanh-loai'],
  cancelled: ['canceled', 'đình nã', 'dinh-na'],
};

function lookup<T extends string>(words: Record<T, readonly string[]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, aliases] of Object.entries(words) as Array<[T, readonly string[]]>) {
    for (const word of [value, ...aliases]) map.set(foldKey(word), value);
  }
  return map;
}

const DANGER_LOOKUP = lookup(DANGER_WORDS);
const STATUS_LOOKUP = lookup(STATUS_WORDS);

/** `nguy hiểm` → `dangerous`; unknown words give `undefined`. */
export function parseDanger(word: string): Danger | undefined {
  return DANGER_LOOKUP.get(foldKey(word));
}

/** `đầu thú`, `dau-thu`, `surrendered` → `surrendered`; unknown words give `undefined`. */
export function parseStatus(word: string): CaseStatus | undefined {
  return STATUS_LOOKUP.get(foldKey(word));
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
