/**
 * How well a case's name or alias matches what someone typed: the scoring behind `case find`
 * (and the list checks, which match names the same way). Pure: the words come folded (no
 * diacritics, lower case, as the database's `casedesk_search_key` gives them).
 *
 * A query is a few words, each with a weight for how rare it is, and perhaps a birth year. A field
 * (the full name, or one alias) scores the weighted share of the query's words it has, each word
 * discounted by its edits, less a little for each of its own words nobody typed, plus a little when
 * the words come in its order (or its order with the given name put first), and when the first and
 * last words typed are its first and last (the family and the given name):
 *
 *   "tran khoa":  Trần Khoa 1.07 > Trần Văn Khoa 1.05 > Trần Hoà (one edit) ≈ 0.86
 *
 * A case scores its best field, plus the birth year's share when one was typed.
 */

import { cleanText } from './text.ts';

/** What one edit costs, and how far each word may be from the word it stands for. */
export const EDIT_COST = 1;
/** Substituting one of these letters for the other costs half an edit: they sound alike in Vietnamese. */
const CONFUSABLE = new Set(['ck', 'kc', 'cq', 'qc', 'kq', 'qk', 'iy', 'yi', 'sx', 'xs', 'dz', 'zd']);
const SUBSTITUTE_CONFUSABLE = 0.5;
/** How much of a word's weight each edit takes away. */
const EDIT_PENALTY = 0.3;
/** What each word of a field that matched nothing typed costs (a middle name left out, say). */
const UNTYPED_WORD_PENALTY = 0.02;
const UNTYPED_WORDS_COUNTED = 3;
/** Bonus when two or more matched words come in the field's order. */
const ORDER_BONUS = 0.03;
/**
 * Bonus when they come in the field's order but for one cut (`duc nguyen van`, `van duc nguyen`:
 * the given name put first, the family name last), as names are written in other languages.
 */
const ROTATED_BONUS = 0.025;
/** Bonus, words in order, when the first word typed is the field's first (the family name). */
const FIRST_WORD_BONUS = 0.01;
/** Bonus, words in order, when the last word typed is the field's last (the given name, as people are called). */
const LAST_WORD_BONUS = 0.03;
/**
 * Bonus when the one word typed is the field's last: a single name typed (`duc 1985`) is a given
 * name, before every middle or family name of the same spelling, whatever their length; or a
 * whole one-word alias (`Tèo`), which a longer field's given name does not pass.
 */
const GIVEN_NAME_BONUS = 0.1;
/**
 * Among words with the same edits, the commoner one is likelier meant (`hugn` is more often Hùng
 * than Huân): a word with edits earns up to this much for how common the word it matched is.
 */
const COMMON_WORD_BONUS = 0.005;

/**
 * The most a field can add above the words' share, for a query of `words` words, some `edited` or
 * none: what the search's stopping rule allows for.
 */
export function maxBonus(words: number, edited: boolean): number {
  return (words >= 2 ? ORDER_BONUS + FIRST_WORD_BONUS + LAST_WORD_BONUS : GIVEN_NAME_BONUS) + (edited ? COMMON_WORD_BONUS : 0);
}
/** The weight of a birth year: about as telling as a given name of middling frequency. */
export const YEAR_WEIGHT = 4;
/** A birth year one off (a date of birth misremembered, a year read from an age) counts this share. */
const NEAR_YEAR_SHARE = 0.7;

/**
 * Edits a query word may be from the word it stands for: one for short words (a single letter
 * stands for the words it begins, see {@link wordDistance}), two from six letters on (`nguyen` →
 * `ngyen`, `nguen`).
 */
export function editBudget(word: string): number {
  return word.length >= 6 ? 2 : 1;
}

/**
 * Optimal-string-alignment distance: insertions, deletions and substitutions cost one edit, as
 * does swapping two neighbouring letters (`avn` → `van`); a substitution between letters that
 * sound alike (c/k/q, i/y, s/x, d/z) costs half. Stops early, returning `Infinity`, beyond `max`.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return Infinity;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let best = Infinity;
    for (let j = 1; j < cols; j++) {
      const ca = a[i - 1]!;
      const cb = b[j - 1]!;
      const substitute = ca === cb ? 0 : CONFUSABLE.has(ca + cb) ? SUBSTITUTE_CONFUSABLE : EDIT_COST;
      let v = Math.min(d[i - 1]![j]! + EDIT_COST, d[i]![j - 1]! + EDIT_COST, d[i - 1]![j - 1]! + substitute);
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) v = Math.min(v, d[i - 2]![j - 2]! + EDIT_COST);
      d[i]![j] = v;
      if (v < best) best = v;
    }
    if (best > max) return Infinity;
  }
  const result = d[rows - 1]![cols - 1]!;
  return result > max ? Infinity : result;
}

/**
 * Edits from a typed word to a word of a name: {@link editDistance}, but a single letter typed is
 * an initial (`v thanh duy`), a whole edit from any word it begins.
 */
export function wordDistance(typed: string, token: string, max: number): number {
  if (typed.length === 1) return token === typed ? 0 : token.startsWith(typed) && max >= EDIT_COST ? EDIT_COST : Infinity;
  return editDistance(typed, token, max);
}

/** One word as typed, folded, with how much it tells. */
export interface QueryWord {
  word: string;
  /** 1 for the commonest word of the list, more the rarer it is. */
  weight: number;
  /** The folded words of the list it may stand for, with their edits: the search's candidates. */
  variants: ReadonlyArray<{ token: string; cost: number; cases: number }>;
  /**
   * The edits to every word of the list within the word's budget, when the caller has them all (a
   * list check): a word of a field not in it is out of reach, and no edit distance is computed.
   */
  costs?: ReadonlyMap<string, number>;
}

export interface NameQuery {
  words: readonly QueryWord[];
  /** How many cases have the commonest word of the list. */
  commonest?: number;
  /** A birth year typed among the words (`duc 1985`). */
  year?: number | undefined;
}

/** A field of a case to match: its folded words and the same words as stored (for explaining). */
export interface MatchField {
  kind: 'name' | 'alias';
  folded: readonly string[];
  shown: readonly string[];
}

/** How one typed word matched a field. */
export interface WordMatch {
  typed: string;
  /** The field's word as stored (`Đức`), or null when it matched none. */
  matched: string | null;
  edits: number;
}

/** Why a case matched, for `case find … explain:yes` and for tuning. */
export interface MatchExplanation {
  field: 'name' | 'alias';
  /** The alias that matched, as stored; the name is shown anyway. */
  alias?: string;
  words: WordMatch[];
  /** The field's words nobody typed. */
  untyped: string[];
  inOrder: boolean;
  /** In order but for one cut: the given name first, or the family name last. */
  rotated: boolean;
  /** The first word typed is the field's first (a family name), the words in order. */
  firstWord: boolean;
  /** The last word typed is the field's last (a given name). */
  lastWord: boolean;
  /** Some word typed matched the field's last word (the given name), in whatever order. */
  givenMatched: boolean;
  /** Some word typed matched the field's first word (the family name), in whatever order. */
  familyMatched: boolean;
  year?: { typed: number; stored: number | null; share: number };
  score: number;
}

/** The sum of the weights of the words and year a query can match: a perfect field scores 1 plus bonuses. */
export function queryWeight(query: NameQuery): number {
  return query.words.filter((w) => w.variants.length > 0).reduce((sum, w) => sum + w.weight, 0) + (query.year ? YEAR_WEIGHT : 0);
}

/** The share of a birth year's weight a case's year earns for a typed one. */
export function yearShare(typed: number, stored: number | null): number {
  if (stored === null) return 0;
  const off = Math.abs(typed - stored);
  return off === 0 ? 1 : off === 1 ? NEAR_YEAR_SHARE : 0;
}

/** The share of a word's weight it keeps with `edits` edits. */
export const editShare = (edits: number) => Math.max(0, 1 - EDIT_PENALTY * edits);

function matchField(query: NameQuery, field: MatchField, total: number, yearGain: number) {
  // Greedy assignment, best pairs first: with a handful of words on each side it is what an
  // optimal assignment gives, at a fraction of the cost.
  const pairs: Array<{ q: number; f: number; edits: number; gain: number }> = [];
  query.words.forEach((w, q) => {
    const budget = w.costs ? 0 : editBudget(w.word) + (w.variants.every((v) => v.cost > editBudget(w.word)) ? 1 : 0);
    field.folded.forEach((token, f) => {
      const edits = w.costs ? (w.costs.get(token) ?? Infinity) : wordDistance(w.word, token, budget);
      if (edits !== Infinity) pairs.push({ q, f, edits, gain: w.weight * editShare(edits) });
    });
  });
  pairs.sort((a, b) => b.gain - a.gain || a.edits - b.edits || a.f - b.f);
  const byQuery = new Map<number, { f: number; edits: number; gain: number }>();
  const usedFields = new Set<number>();
  for (const p of pairs) {
    if (byQuery.has(p.q) || usedFields.has(p.f)) continue;
    byQuery.set(p.q, p);
    usedFields.add(p.f);
  }
  const matched = [...byQuery.entries()].sort((a, b) => a[0] - b[0]);
  const gain = matched.reduce((sum, [, p]) => sum + p.gain, 0);
  const positions = matched.map(([, p]) => p.f);
  const inOrder = positions.length >= 2 && positions.every((f, i) => i === 0 || f > positions[i - 1]!);
  const cuts = positions.filter((f, i) => i > 0 && f < positions[i - 1]!).length;
  const rotated = !inOrder && positions.length >= 2 && cuts === 1 && positions.at(-1)! < positions[0]!;
  const lastTyped = matched.at(-1);
  const single = query.words.length === 1;
  // Read from the cut, a rotation is in order too: its family and given names are where they belong.
  const lastWord =
    (single && lastTyped !== undefined && lastTyped[1].f === field.folded.length - 1) ||
    (inOrder && lastTyped![0] === query.words.length - 1 && lastTyped![1].f === field.folded.length - 1) ||
    (rotated && positions.includes(field.folded.length - 1));
  const firstWord = (inOrder && matched[0]![0] === 0 && matched[0]![1].f === 0) || (rotated && positions.includes(0));
  const untyped = field.folded.length - usedFields.size;
  let common = 0;
  for (const [q, p] of matched) {
    if (p.edits === 0) continue;
    const cases = query.words[q]!.variants.find((v) => v.token === field.folded[p.f])?.cases ?? 0;
    common = Math.max(common, Math.log1p(cases) / Math.log1p(Math.max(query.commonest ?? 1, cases, 1)));
  }
  const score =
    (gain + yearGain) / total -
    UNTYPED_WORD_PENALTY * Math.min(untyped, UNTYPED_WORDS_COUNTED) +
    (inOrder ? ORDER_BONUS : rotated ? ROTATED_BONUS : 0) +
    (firstWord ? FIRST_WORD_BONUS : 0) +
    (lastWord ? (single ? GIVEN_NAME_BONUS : LAST_WORD_BONUS) : 0) +
    COMMON_WORD_BONUS * common;
  return { score, byQuery, usedFields, inOrder, rotated, firstWord, lastWord };
}

/**
 * The best match among a case's fields (its name and each alias), with the reasons; undefined when
 * no field has any typed word.
 */
export function matchCase(query: NameQuery, fields: readonly MatchField[], birthYear: number | null): MatchExplanation | undefined {
  const total = queryWeight(query);
  if (total === 0) return undefined;
  const share = query.year ? yearShare(query.year, birthYear) : 0;
  let best: { field: MatchField; m: ReturnType<typeof matchField> } | undefined;
  for (const field of fields) {
    if (field.folded.length === 0) continue;
    const m = matchField(query, field, total, share * YEAR_WEIGHT);
    if (m.byQuery.size === 0) continue;
    if (!best || m.score > best.m.score) best = { field, m };
  }
  if (!best) return undefined;
  const { field, m } = best;
  return {
    field: field.kind,
    ...(field.kind === 'alias' ? { alias: field.shown.join(' ') } : {}),
    words: query.words.map((w, q) => {
      const p = m.byQuery.get(q);
      return { typed: w.word, matched: p ? (field.shown[p.f] ?? field.folded[p.f]!) : null, edits: p?.edits ?? 0 };
    }),
    untyped: field.folded.flatMap((token, f) => (m.usedFields.has(f) ? [] : [field.shown[f] ?? token])),
    inOrder: m.inOrder,
    rotated: m.rotated,
    firstWord: m.firstWord,
    lastWord: m.lastWord,
    givenMatched: m.usedFields.has(field.folded.length - 1),
    familyMatched: m.usedFields.has(0),
    ...(query.year ? { year: { typed: query.year, stored: birthYear, share } } : {}),
    score: m.score,
  };
}

/**
 * The weight of a word found in `cases` cases when the commonest word of the list is in
 * `commonest`: 1 for the commonest, growing with the logarithm of how much rarer it is.
 */
export function rarityWeight(cases: number, commonest: number): number {
  return 1 + Math.log(Math.max(1, commonest / Math.max(1, cases)));
}

/** How much each earlier answer spelt the same way takes from the next (see {@link diversify}). */
const REPEAT_PENALTY = 0.005;

/**
 * The best `limit` of scored answers, spellings taking turns when they score alike: `pham duc mnnh`
 * is a letter from Phạm Đức Minh and from Phạm Đức Mạnh, and twenty namesakes of the commoner must
 * not hide the other. Each answer counts a little less for every answer already chosen that
 * matched the same words; a spelling ahead by more than that keeps its places (a name typed
 * exactly lists its namesakes before any near one).
 */
export function diversify<T extends { score: number; code: string; match?: MatchExplanation | undefined }>(
  sorted: readonly T[],
  limit: number,
): T[] {
  const spelling = (hit: T) =>
    hit.match
      ? `${hit.match.field}:${hit.match.words.map((w) => w.matched ?? '').join(' ')}:${hit.match.untyped.join(' ')}`.toLowerCase()
      : hit.code;
  const taken = new Map<string, number>();
  const rest = [...sorted];
  const chosen: T[] = [];
  while (chosen.length < limit && rest.length > 0) {
    let bestAt = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < rest.length; i++) {
      const value = rest[i]!.score - REPEAT_PENALTY * (taken.get(spelling(rest[i]!)) ?? 0);
      if (value > bestValue + 1e-12) {
        bestValue = value;
        bestAt = i;
      }
    }
    const [hit] = rest.splice(bestAt, 1);
    taken.set(spelling(hit!), (taken.get(spelling(hit!)) ?? 0) + 1);
    chosen.push(hit!);
  }
  return chosen;
}

/**
 * A word folded as the database's `casedesk_search_key` folds it for Vietnamese: no marks, `đ` as
 * `d`, lower case. Done in the application rather than by the database for every candidate read,
 * which cost more than the search itself on the embedded database; for letters `unaccent` maps
 * otherwise (`ø`, `æ`), a word may then count as a letter off, never as missing.
 */
export const foldWord = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

/** A field's words as stored and folded (see {@link foldWord}). */
export function fieldOf(kind: MatchField['kind'], stored: string): MatchField {
  const shown = cleanText(stored).split(' ').filter(Boolean);
  return { kind, folded: shown.map(foldWord), shown };
}
