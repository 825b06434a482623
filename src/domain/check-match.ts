import type { Danger } from '../../db/schema/index.ts';
import {
  editBudget,
  fieldOf,
  matchCase,
  rarityWeight,
  wordDistance,
  type MatchExplanation,
  type MatchField,
  type NameQuery,
} from './name-match.ts';
import { foldKey } from './text.ts';

/**
 * A list check: each person of a submitted list (a custody facility's detainees, new residents)
 * held against every wanted case, with the name matched as `case find` matches it (see
 * {@link matchCase}) and the birth year, national ID and hometown weighed beside it. Pure: the
 * wanted cases come in as an array and are indexed in memory, once a check.
 *
 * A candidate's score is 0.6 of the name's share, 0.3 of the birth year's (the same year or full
 * date 1, one year off 0.7, unknown on either side 0.5, other 0) and 0.1 of the hometown's (one's
 * words within the other's 1, unknown 0.5, other −1); a national ID of the same kind (CMND or CCCD) that differs
 * takes a fifth off, and with a birth year that differs too there is no hit at all. The same ID is
 * a certain hit whatever the name.
 *
 *   Nguyễn Văn Đức 1985 against Nguyễn Văn Đức 1985: 0.6 + 0.3 + 0.05 = 0.95, likely
 *   born 1986 instead:                                0.6 + 0.21 + 0.05 = 0.86, a candidate
 *   nguyen van duk, no year:                          0.6·0.9 + 0.15 + 0.05 ≈ 0.74, a candidate
 */

/** A wanted case as a check sees it: what confirms identity, and the owning unit. */
export interface WantedCase {
  id: number;
  code: string;
  fullName: string;
  aliases: readonly string[];
  birthYear: number | null;
  birthDate: string | null;
  nationalId: string | null;
  hometown: string | null;
  unitId: number;
  danger: Danger;
}

/** One person of the list, as read from the file. */
export interface CheckPerson {
  fullName: string;
  birthYear: number | null;
  birthDate: string | null;
  nationalId: string | null;
  hometown: string | null;
}

export type NameReason = 'name_same' | 'name_close' | 'name_partial';
export type YearReason = 'date_same' | 'date_differs' | 'year_same' | 'year_near' | 'year_differs' | 'year_unknown';
export type IdReason = 'id_same' | 'id_differs' | 'id_unknown';
export type HometownReason = 'hometown_same' | 'hometown_differs' | 'hometown_unknown';

export interface CheckCandidate {
  case: WantedCase;
  /** 0 to 1; 1 for the same national ID. */
  score: number;
  /** The same national ID: no doubt who it is, only whether the case still stands. */
  certain: boolean;
  name: NameReason | null;
  /** Edits between the name written and the case's. */
  edits: number;
  year: YearReason;
  id: IdReason;
  /** Which kind of ID was compared: a 9-digit CMND or a 12-digit CCCD. */
  idKind: 'cmnd' | 'cccd' | null;
  hometown: HometownReason;
  /** How the name matched, word by word; absent when its words are the case's. */
  match?: MatchExplanation;
}

/**
 * Below this a case is no candidate. A case born two years or more from the birth year written is
 * none either, whatever else agrees (but the ID): it is not even read.
 */
export const CANDIDATE_SCORE = 0.7;
/** From this a candidate goes to the owning unit to confirm: the name and the birth year, or the name and the hometown, agree. */
export const REQUEST_SCORE = 0.9;
/** A word in this share of the cases of the commonest, and in at least {@link MEANT_MIN_CASES}, is taken as written (as by case find). */
const MEANT_SHARE = 1 / 2_000;
const MEANT_MIN_CASES = 2;
/** The candidates kept a person, best first. */
export const CANDIDATES_PER_PERSON = 5;

const NAME_WEIGHT = 0.6;
const YEAR_WEIGHT = 0.3;
const HOMETOWN_WEIGHT = 0.1;
const YEAR_SHARE: Record<YearReason, number> = {
  date_same: 1,
  year_same: 1,
  year_near: 0.7,
  year_unknown: 0.5,
  year_differs: 0,
  date_differs: 0,
};
/** A hometown that differs counts against: where one was born does not change. */
const HOMETOWN_SHARE: Record<HometownReason, number> = { hometown_same: 1, hometown_unknown: 0.5, hometown_differs: -1 };
/** What a differing ID of the same kind leaves of the score: IDs are mistyped and reissued, names and years less often. */
const ID_DIFFERS_FACTOR = 0.8;

const words = (value: string): string[] =>
  foldKey(value)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const idKindOf = (id: string): 'cmnd' | 'cccd' | null => (id.length === 9 ? 'cmnd' : id.length === 12 ? 'cccd' : null);

interface Indexed {
  wanted: WantedCase;
  fields: MatchField[];
  /** The name's words, sorted: the same words in any order. */
  nameKey: string;
  hometown: string[];
}

/**
 * The wanted cases of one check, indexed by what a person of the list can be found by: the given
 * name with the family name of each field (the name, each alias; a one-word alias alone), the
 * national ID, and the name's words in any order. A person's words and their near spellings are
 * looked up in pairs, so that only cases with both a given and a family name near the person's are
 * read, whatever the size of the list.
 */
export class WantedIndex {
  private readonly cases: Indexed[] = [];
  /** `given|family` → cases; a one-word field as `given|`. For a person without a birth year. */
  private readonly byPair = new Map<string, number[]>();
  /** `given|family|year` (`-` for a case without one) → cases: a person with a birth year reads only the years near it. */
  private readonly byPairYear = new Map<string, number[]>();
  private readonly byId = new Map<string, number[]>();
  /** The name's words sorted, and `|year` (`-` for none): the same words in any order, born near a year. */
  private readonly byNameKey = new Map<string, number[]>();
  private readonly byNameKeyYear = new Map<string, number[]>();
  /** How many cases have each folded word, in any field. */
  private readonly wordCases = new Map<string, number>();
  /** Every folded word of the list, by length, for near spellings. */
  private wordsByLength: string[][] = [];
  private commonest = 1;
  private readonly variantCache = new Map<
    string,
    { list: Array<{ token: string; cost: number; cases: number }>; costs: Map<string, number> }
  >();

  constructor(wanted: Iterable<WantedCase>) {
    const push = (map: Map<string, number[]>, key: string, at: number) => {
      const list = map.get(key);
      if (list) {
        if (list.at(-1) !== at) list.push(at);
      } else map.set(key, [at]);
    };
    for (const c of wanted) {
      const at = this.cases.length;
      const fields = [fieldOf('name', c.fullName), ...c.aliases.map((a) => fieldOf('alias', a))].filter((f) => f.folded.length > 0);
      const name = fields.find((f) => f.kind === 'name');
      this.cases.push({
        wanted: c,
        fields,
        nameKey: [...(name?.folded ?? [])].sort().join(' '),
        hometown: c.hometown ? words(c.hometown) : [],
      });
      const seen = new Set<string>();
      for (const field of fields) {
        const pair = `${field.folded.at(-1)!}|${field.folded.length > 1 ? field.folded[0]! : ''}`;
        push(this.byPair, pair, at);
        push(this.byPairYear, `${pair}|${c.birthYear ?? '-'}`, at);
        for (const w of field.folded) seen.add(w);
      }
      for (const w of seen) this.wordCases.set(w, (this.wordCases.get(w) ?? 0) + 1);
      if (c.nationalId) push(this.byId, c.nationalId, at);
      if (name) {
        push(this.byNameKey, this.cases[at]!.nameKey, at);
        push(this.byNameKeyYear, `${this.cases[at]!.nameKey}|${c.birthYear ?? '-'}`, at);
      }
    }
    for (const [w, n] of this.wordCases) {
      this.commonest = Math.max(this.commonest, n);
      (this.wordsByLength[w.length] ??= []).push(w);
    }
  }

  get size(): number {
    return this.cases.length;
  }

  /** The candidates for one person, best first, at most {@link CANDIDATES_PER_PERSON}. */
  candidates(person: CheckPerson): CheckCandidate[] {
    const typed = fieldOf('name', person.fullName).folded;
    const query = this.query(typed);
    const sortedKey = query.key;
    const found = new Map<number, CheckCandidate | null>();
    const consider = (at: number) => {
      if (found.has(at)) return;
      found.set(at, this.score(at, person, typed, query));
    };
    if (person.nationalId) for (const at of this.byId.get(person.nationalId) ?? []) consider(at);
    if (typed.length > 0) {
      const years = person.birthYear === null ? null : [person.birthYear - 1, person.birthYear, person.birthYear + 1, '-'];
      // The same words in any order; with a birth year written, born within a year of it (or when unknown).
      if (years === null) for (const at of this.byNameKey.get(sortedKey) ?? []) consider(at);
      else for (const year of years) for (const at of this.byNameKeyYear.get(`${sortedKey}|${year}`) ?? []) consider(at);
      const lookup = (pair: string) => {
        if (years === null) {
          for (const at of this.byPair.get(pair) ?? []) if (!found.has(at)) consider(at);
        } else {
          for (const year of years) for (const at of this.byPairYear.get(`${pair}|${year}`) ?? []) if (!found.has(at)) consider(at);
        }
      };
      const variants = typed.map((w) => this.variants(w).list);
      typed.forEach((_, g) => {
        for (const given of variants[g]!) {
          if (typed.length === 1) lookup(`${given.token}|`);
          typed.forEach((__, f) => {
            if (f !== g) for (const family of variants[f]!) lookup(`${given.token}|${family.token}`);
          });
        }
      });
    }
    return [...found.values()]
      .filter((c): c is CheckCandidate => c !== null)
      .sort((a, b) => Number(b.certain) - Number(a.certain) || b.score - a.score || a.case.code.localeCompare(b.case.code))
      .slice(0, CANDIDATES_PER_PERSON);
  }

  private score(at: number, person: CheckPerson, typed: readonly string[], query: NameQuery & { key: string }): CheckCandidate | null {
    const { wanted, fields, nameKey, hometown } = this.cases[at]!;
    const idKind = person.nationalId && wanted.nationalId ? idKindOf(person.nationalId) : null;
    const comparable = idKind !== null && idKind === idKindOf(wanted.nationalId!);
    const id: IdReason = !comparable ? 'id_unknown' : person.nationalId === wanted.nationalId ? 'id_same' : 'id_differs';
    const year = yearReason(person, wanted);
    if (id === 'id_differs' && (year === 'year_differs' || year === 'date_differs')) return null;
    const town = hometownReason(person.hometown ? words(person.hometown) : [], hometown);
    const base = { case: wanted, id, idKind: comparable ? idKind : null, year, hometown: town };
    const rest = YEAR_WEIGHT * YEAR_SHARE[year] + HOMETOWN_WEIGHT * HOMETOWN_SHARE[town];
    // The most the name can add: below the bar with it, the name is not weighed at all.
    if (id !== 'id_same' && NAME_WEIGHT + rest < CANDIDATE_SCORE) return null;

    const name = typed.length > 0 ? this.nameMatch(typed, query, fields, nameKey) : undefined;
    if (id === 'id_same') {
      return {
        ...base,
        score: 1,
        certain: true,
        name: name?.reason ?? null,
        edits: name?.edits ?? 0,
        ...(name ? { match: name.match } : {}),
      };
    }
    if (!name) return null;
    const raw = NAME_WEIGHT * name.share + rest;
    const score = Math.round((id === 'id_differs' ? raw * ID_DIFFERS_FACTOR : raw) * 1000) / 1000;
    if (score < CANDIDATE_SCORE) return null;
    return { ...base, score, certain: false, name: name.reason, edits: name.edits, ...(name.match ? { match: name.match } : {}) };
  }

  /**
   * The name's share when it names the same person: the family and given names of the case's name
   * or of an alias found among the words written, and every other word on either side found on the
   * other but one: a middle name added (of three words or more written) or left out.
   */
  private nameMatch(typed: readonly string[], query: NameQuery & { key: string }, fields: readonly MatchField[], nameKey: string) {
    // The same words: nothing to weigh (common names have hundreds of namesakes at a million cases).
    if (query.key === nameKey) return { share: 1, reason: 'name_same' as NameReason, edits: 0, match: undefined };
    // Most cases read share a given and a family name with the person and differ in a middle name:
    // told apart by looking words up, before any is weighed.
    const near = (token: string) => query.words.some((w) => w.costs!.has(token));
    const viable = fields.some(
      (f) => f.folded.filter((t) => !near(t)).length + query.words.filter((w) => !f.folded.some((t) => w.costs!.has(t))).length <= 1,
    );
    if (!viable) return undefined;
    const match = matchCase(query, fields, null);
    if (!match?.givenMatched || !match.familyMatched) return undefined;
    const unmatched = match.words.filter((w) => w.matched === null).length;
    // One word more or one fewer than the case, not one for another: Nguyễn Văn Hùng is not Nguyễn Đức Hùng.
    if (unmatched + match.untyped.length > 1 || (unmatched > 0 && typed.length < 3)) return undefined;
    const edits = match.words.reduce((sum, w) => sum + w.edits, 0);
    const reason: NameReason = unmatched > 0 || match.untyped.length > 0 ? 'name_partial' : edits > 0 ? 'name_close' : 'name_same';
    return { share: Math.min(1, match.score), reason, edits, match };
  }

  /** The person's name as a query, with every near word of the list and its edits (see `QueryWord.costs`). */
  private query(typed: readonly string[]): NameQuery & { key: string } {
    return {
      key: [...typed].sort().join(' '),
      commonest: this.commonest,
      words: typed.map((word) => {
        const { list, costs } = this.variants(word);
        return {
          word,
          weight: rarityWeight(this.wordCases.get(word) ?? 1, this.commonest),
          // The word itself when the list lacks it: it then counts, unmatched, in the name's share.
          variants: list.length > 0 ? list : [{ token: word, cost: 0, cases: 0 }],
          costs,
        };
      }),
    };
  }

  /** The words of the list within the word's edit budget (see {@link editBudget}), the word itself first. */
  private variants(word: string): { list: Array<{ token: string; cost: number; cases: number }>; costs: Map<string, number> } {
    const cached = this.variantCache.get(word);
    if (cached) return cached;
    const budget = editBudget(word);
    const variants: Array<{ token: string; cost: number; cases: number }> = [];
    const known = this.wordCases.get(word) ?? 0;
    // A word the list knows well is the name meant, as case find takes it: `hung` is Hùng or Hưng, not Dũng or Tùng.
    const meant = known >= Math.max(MEANT_MIN_CASES, this.commonest * MEANT_SHARE);
    if (meant) variants.push({ token: word, cost: 0, cases: known });
    else {
      for (let length = Math.max(1, word.length - budget); length <= word.length + budget; length++) {
        for (const token of this.wordsByLength[length] ?? []) {
          const cost = wordDistance(word, token, budget);
          if (cost !== Infinity) variants.push({ token, cost, cases: this.wordCases.get(token)! });
        }
      }
    }
    variants.sort((a, b) => a.cost - b.cost);
    const entry = { list: variants, costs: new Map(variants.map((v) => [v.token, v.cost])) };
    this.variantCache.set(word, entry);
    return entry;
  }
}

/**
 * The candidates of one person that go to their owning units to confirm: a certain hit; a likely
 * one (from {@link REQUEST_SCORE}) that the hometown or the full date of birth corroborates; or the
 * one likely hit of a person, when there is no such, on name and birth year alone. A name and
 * birth year that several wanted people share point at none of them: they are listed for the
 * checker, not sent.
 */
export function toConfirm(candidates: readonly CheckCandidate[]): CheckCandidate[] {
  const likely = candidates.filter((c) => c.certain || c.score >= REQUEST_SCORE);
  const corroborated = (c: CheckCandidate) => c.certain || c.hometown === 'hometown_same' || c.year === 'date_same';
  const sure = likely.filter(corroborated);
  return sure.length > 0 || likely.length !== 1 ? sure : likely;
}

function yearReason(person: CheckPerson, wanted: WantedCase): YearReason {
  if (person.birthDate && wanted.birthDate) return person.birthDate === wanted.birthDate ? 'date_same' : 'date_differs';
  const written = person.birthYear;
  const stored = wanted.birthYear;
  if (written === null || stored === null) return 'year_unknown';
  const off = Math.abs(written - stored);
  return off === 0 ? 'year_same' : off === 1 ? 'year_near' : 'year_differs';
}

/** The same place when the shorter's words are all in the longer (`Hà Nội` in `Đông Anh, Hà Nội`). */
function hometownReason(written: readonly string[], stored: readonly string[]): HometownReason {
  if (written.length === 0 || stored.length === 0) return 'hometown_unknown';
  const [shorter, longer] = written.length <= stored.length ? [written, new Set(stored)] : [stored, new Set(written)];
  return shorter.every((w) => longer.has(w)) ? 'hometown_same' : 'hometown_differs';
}

/** A candidate's reasons as codes, read in this order: name, birth year, ID (with its kind), hometown. */
export function reasonCodes(c: CheckCandidate): string[] {
  return [...(c.name ? [c.name] : []), c.year, ...(c.id === 'id_unknown' ? [] : [`${c.id}${c.idKind ? `:${c.idKind}` : ''}`]), c.hometown];
}
