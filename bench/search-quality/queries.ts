import { foldKey } from '../../src/domain/text.ts';
import { createRandom, type Random } from '../../src/services/demo-data.ts';
import type { QualityCase } from './data.ts';
import {
  BIRTH_ORDER,
  DESCRIPTORS,
  FAMILY_NAMES,
  GIVEN_FEMALE,
  GIVEN_MALE,
  MIDDLE_FEMALE,
  MIDDLE_MALE,
  ONE_WORD_NICKNAMES,
} from './names.ts';

/**
 * The queries of the search-quality benchmark and what counts as a right answer to each.
 *
 * Every query is made from one target case. A result is right when it is the target, or a case the
 * query cannot tell from it (a "twin"); a target with at least one twin is "ambiguous":
 * - the name kinds (exact, no_diacritics, capitals, nfd, reordered, one_typo, two_typos): a case
 *   whose folded full name (no diacritics, lower case) is the target's. When 40 cases are named
 *   "Nguyễn Văn Hùng", any of them answers "nguyen van hung", and any answers its typos too;
 * - alias: a case with an alias whose folded form is the query's;
 * - dropped_middle ("nguyen hung" for Nguyễn Văn Hùng): a case whose folded family name (first
 *   word) and folded given name (last word) are the target's, whatever its middle names, or none;
 * - given_year ("hung 1985"): a case whose folded given name is the query's word, born that year.
 * A case matching the query better in some other way (a typo that happens to spell another name)
 * is not counted right: typos are drawn so that the mistyped word is no known name part, which
 * keeps the name kinds' truth exact.
 *
 * Eligible targets: every case for the name kinds; cases with an alias for `alias`; for
 * `dropped_middle`, cases with a middle name whose family + given name at most 10 cases share
 * (a query that 40 cases answer says nothing of ranking); for `given_year`, cases whose given
 * name and birth year at most 10 cases share. Targets are drawn at random among the eligible,
 * without repetition, the same ones for the same seed.
 */

export const QUERY_KINDS = [
  'exact',
  'no_diacritics',
  'capitals',
  'nfd',
  'reordered',
  'one_typo',
  'two_typos',
  'alias',
  'dropped_middle',
  'given_year',
] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** The most cases a dropped_middle or given_year query may fit, for its target to be drawn. */
export const MAX_SHARED = 10;

export interface QualityQuery {
  kind: QueryKind;
  text: string;
  target: number;
  /** How many cases are right answers (the target and its twins). */
  right: number;
}

/** What the truth needs of every case, in folded form: built once from the generated cases. */
export interface Truth {
  cases: number;
  name: string[];
  familyGiven: string[];
  givenYear: string[];
  aliases: Array<string[] | undefined>;
  count: { name: Map<string, number>; familyGiven: Map<string, number>; givenYear: Map<string, number>; alias: Map<string, number> };
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export function buildTruth(cases: readonly QualityCase[]): Truth {
  const truth: Truth = {
    cases: cases.length,
    name: [],
    familyGiven: [],
    givenYear: [],
    aliases: [],
    count: { name: new Map(), familyGiven: new Map(), givenYear: new Map(), alias: new Map() },
  };
  for (const c of cases) {
    const words = c.words.map(foldKey);
    const name = words.join(' ');
    const familyGiven = `${words[0]} ${words.at(-1)}`;
    const givenYear = `${words.at(-1)} ${c.birthYear}`;
    truth.name.push(name);
    truth.familyGiven.push(familyGiven);
    truth.givenYear.push(givenYear);
    bump(truth.count.name, name);
    bump(truth.count.familyGiven, familyGiven);
    bump(truth.count.givenYear, givenYear);
    if (c.aliases.length) {
      const folded = [...new Set(c.aliases.map(foldKey))];
      truth.aliases.push(folded);
      for (const a of folded) bump(truth.count.alias, a);
    } else {
      truth.aliases.push(undefined);
    }
  }
  return truth;
}

/** Whether the case at `index` is a right answer to `query`. */
export function isRight(truth: Truth, query: QualityQuery & { key: string }, index: number): boolean {
  if (index < 0 || index >= truth.cases) return false;
  switch (query.kind) {
    case 'alias':
      return truth.aliases[index]?.includes(query.key) ?? false;
    case 'dropped_middle':
      return truth.familyGiven[index] === query.key;
    case 'given_year':
      return truth.givenYear[index] === query.key;
    default:
      return truth.name[index] === query.key;
  }
}

/** Every folded word of every name part and nickname: a typo must not land on one of them. */
const KNOWN_WORDS = new Set(
  [FAMILY_NAMES, MIDDLE_MALE, MIDDLE_FEMALE, GIVEN_MALE, GIVEN_FEMALE, BIRTH_ORDER, DESCRIPTORS, ONE_WORD_NICKNAMES].flatMap((list) =>
    list.flatMap(([name]) => foldKey(name).split(' ')),
  ),
);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** One random edit of `word` (substitution, deletion, insertion or adjacent transposition), never a known word. */
function typo(random: Random, word: string): string | undefined {
  for (let attempt = 0; attempt < 50; attempt++) {
    const at = random.int(0, word.length - 1);
    let edited: string;
    switch (random.pick(['substitute', 'delete', 'insert', 'transpose'] as const)) {
      case 'substitute':
        edited = word.slice(0, at) + random.pick([...LETTERS]) + word.slice(at + 1);
        break;
      case 'delete':
        edited = word.slice(0, at) + word.slice(at + 1);
        break;
      case 'insert':
        edited = word.slice(0, at) + random.pick([...LETTERS]) + word.slice(at);
        break;
      case 'transpose': {
        const i = Math.min(at, word.length - 2);
        edited = word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
        break;
      }
    }
    if (edited !== word && edited.length > 0 && !KNOWN_WORDS.has(edited)) return edited;
  }
  return undefined;
}

/** The query of `kind` made from case `c`, or undefined when the case cannot give one (too few words). */
function makeQuery(
  random: Random,
  kind: QueryKind,
  c: QualityCase,
  truth: Truth,
  index: number,
): { text: string; key: string } | undefined {
  const folded = c.words.map(foldKey);
  const nameKey = truth.name[index]!;
  switch (kind) {
    case 'exact':
      return { text: c.fullName, key: nameKey };
    case 'no_diacritics':
      return { text: nameKey, key: nameKey };
    case 'capitals':
      return { text: c.fullName.toUpperCase(), key: nameKey };
    case 'nfd':
      return { text: c.fullName.normalize('NFD'), key: nameKey };
    case 'reordered': {
      const [family, ...rest] = folded;
      const given = rest.pop()!;
      const words = rest.length === 0 ? [given, family] : random.chance(0.5) ? [given, family!, ...rest] : [...rest, given, family!];
      return { text: words.join(' '), key: nameKey };
    }
    case 'one_typo':
    case 'two_typos': {
      const candidates = folded.flatMap((w, i) => (w.length >= 2 ? [i] : []));
      const edits = kind === 'one_typo' ? 1 : 2;
      if (candidates.length < edits) return undefined;
      const words = [...folded];
      for (let e = 0; e < edits; e++) {
        const i = candidates.splice(random.int(0, candidates.length - 1), 1)[0]!;
        const edited = typo(random, words[i]!);
        if (edited === undefined) return undefined;
        words[i] = edited;
      }
      return { text: words.join(' '), key: nameKey };
    }
    case 'alias': {
      if (c.aliases.length === 0) return undefined;
      const alias = random.pick(c.aliases);
      return { text: random.chance(0.5) ? foldKey(alias) : alias, key: foldKey(alias) };
    }
    case 'dropped_middle':
      if (folded.length < 3) return undefined;
      return { text: truth.familyGiven[index]!, key: truth.familyGiven[index]! };
    case 'given_year':
      return { text: truth.givenYear[index]!, key: truth.givenYear[index]! };
  }
}

function eligible(kind: QueryKind, truth: Truth, index: number): boolean {
  switch (kind) {
    case 'alias':
      return truth.aliases[index] !== undefined;
    case 'dropped_middle':
      return truth.count.familyGiven.get(truth.familyGiven[index]!)! <= MAX_SHARED && truth.name[index]!.split(' ').length >= 3;
    case 'given_year':
      return truth.count.givenYear.get(truth.givenYear[index]!)! <= MAX_SHARED;
    default:
      return true;
  }
}

function rightCount(kind: QueryKind, truth: Truth, key: string): number {
  switch (kind) {
    case 'alias':
      return truth.count.alias.get(key) ?? 0;
    case 'dropped_middle':
      return truth.count.familyGiven.get(key) ?? 0;
    case 'given_year':
      return truth.count.givenYear.get(key) ?? 0;
    default:
      return truth.count.name.get(key) ?? 0;
  }
}

export interface KindQueries {
  kind: QueryKind;
  /** How many cases could have been a target of this kind. */
  eligible: number;
  queries: Array<QualityQuery & { key: string }>;
}

/**
 * `perKind` queries of each kind, from targets drawn at random (seeded by `seed` and the kind). A
 * kind with fewer eligible targets gets fewer queries; its `eligible` says so.
 */
export function makeQueries(cases: readonly QualityCase[], truth: Truth, input: { seed: number; perKind: number }): KindQueries[] {
  return QUERY_KINDS.map((kind, k) => {
    const random = createRandom(input.seed * 31 + k + 1);
    const pool: number[] = [];
    for (let i = 0; i < cases.length; i++) if (eligible(kind, truth, i)) pool.push(i);
    const queries: KindQueries['queries'] = [];
    // A partial Fisher–Yates shuffle of the eligible: targets without repetition.
    for (let drawn = 0; drawn < pool.length && queries.length < input.perKind; drawn++) {
      const j = random.int(drawn, pool.length - 1);
      [pool[drawn], pool[j]] = [pool[j]!, pool[drawn]!];
      const target = pool[drawn]!;
      const made = makeQuery(random, kind, cases[target]!, truth, target);
      if (made) queries.push({ kind, text: made.text, key: made.key, target, right: rightCount(kind, truth, made.key) });
    }
    return { kind, eligible: pool.length, queries };
  });
}

export interface Scores {
  n: number;
  hit1: number;
  hit10: number;
  mrr: number;
}

/** The 1-based rank of the first right case among `codes`' cases (indexes), or 0 when none is right. */
export function firstRightRank(truth: Truth, query: QualityQuery & { key: string }, indexes: number[]): number {
  const at = indexes.slice(0, 10).findIndex((i) => isRight(truth, query, i));
  return at + 1;
}

/** hit@1, hit@10 and the mean reciprocal rank (within the top 10) of a list of first-right ranks. */
export function score(ranks: number[]): Scores {
  const n = ranks.length;
  if (n === 0) return { n, hit1: Number.NaN, hit10: Number.NaN, mrr: Number.NaN };
  return {
    n,
    hit1: ranks.filter((r) => r === 1).length / n,
    hit10: ranks.filter((r) => r >= 1 && r <= 10).length / n,
    mrr: ranks.reduce((sum, r) => sum + (r >= 1 && r <= 10 ? 1 / r : 0), 0) / n,
  };
}
