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
  type QueryWord,
} from './name-match.ts';
import { foldKey } from './text.ts';

/**
 * A list check: each person of a submitted list (a custody facility's detainees, new residents)
 * held against every wanted case, with the name matched as `case find` matches it (see
 * {@link matchCase}) and the birth year, national ID and hometown weighed beside it. Pure: the
 * wanted cases come in as an array and are indexed in memory, once a check.
 *
 * A candidate's score is 0.6 of the name's share, 0.3 of the birth year's (the same 1, one year
 * off 0.7, unknown on either side 0.5, other 0) and 0.1 of the hometown's (one's words within the
 * other's 1, unknown 0.5, other 0); a national ID of the same kind (CMND or CCCD) that differs
 * takes a fifth off, and with a birth year that differs too there is no hit at all. The same ID is
 * a certain hit whatever the name.
 *
 *   Nguyễn Văn Đức 1985 against Nguyễn Văn Đức 1985: 0.6 + 0.3 + 0.05 = 0.95, a request
 *   nguyen van duk, no year:                          0.6·0.9 + 0.15 + 0.05 ≈ 0.74, a candidate
 */

/** A wanted case as a check sees it: what confirms identity, and the owning unit. */
export interface WantedCase {
  id: number;
  code: string;
  fullName: string;
  aliases: readonly string[];
  birthYear: number | null;
  nationalId: string | null;
  hometown: string | null;
  unitId: number;
  danger: Danger;
}

/** One person of the list, as read from the file. */
export interface CheckPerson {
  fullName: string;
  birthYear: number | null;
  nationalId: string | null;
  hometown: string | null;
}

export type NameReason = 'name_same' | 'name_close' | 'name_partial';
export type YearReason = 'year_same' | 'year_near' | 'year_differs' | 'year_unknown';
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
  match?: MatchExplanation;
}

/** Below this a case is no candidate. */
export const CANDIDATE_SCORE = 0.6;
/** From this a candidate goes to the owning unit to confirm: the name and the birth year, or the name and the hometown, agree. */
export const REQUEST_SCORE = 0.85;
/** The candidates kept a person, best first. */
export const CANDIDATES_PER_PERSON = 5;

const NAME_WEIGHT = 0.6;
const YEAR_WEIGHT = 0.3;
const HOMETOWN_WEIGHT = 0.1;
const YEAR_SHARE: Record<YearReason, number> = { year_same: 1, year_near: 0.7, year_unknown: 0.5, year_differs: 0 };
const HOMETOWN_SHARE: Record<HometownReason, number> = { hometown_same: 1, hometown_unknown: 0.5, hometown_differs: 0 };
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
 * The wanted cases of one check, indexed by what a person of the list can be found by: each
 * field's last word (the given name, or a one-word alias) with the birth year, the national ID,
 * and the name's words in any order.
 */
export class WantedIndex {
  private readonly cases: Indexed[] = [];
  /** `given|year` (`-` for no year) → cases. */
  private readonly byGivenYear = new Map<string, number[]>();
  private readonly byGiven = new Map<string, number[]>();
  private readonly byId = new Map<string, number[]>();
  private readonly byNameKey = new Map<string, number[]>();
  /** How many cases have each folded word, in any field. */
  private readonly wordCases = new Map<string, number>();
  /** The given names (last words) by length, for near spellings. */
  private givensByLength: string[][] = [];
  private commonest = 1;
  private readonly variantCache = new Map<string, QueryWord['variants']>();
  private readonly givenVariantCache = new Map<string, Array<{ token: string; cost: number }>>();

  constructor(wanted: Iterable<WantedCase>) {
    const push = (map: Map<string, number[]>, key: string, at: number) => {
      const list = map.get(key);
      if (list) {
        if (list.at(-1) !== at) list.push(at);
      } else map.set(key, [at]);
    };
    const givens = new Set<string>();
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
        const given = field.folded.at(-1)!;
        givens.add(given);
        push(this.byGivenYear, `${given}|${c.birthYear ?? '-'}`, at);
        push(this.byGiven, given, at);
        for (const w of field.folded) seen.add(w);
      }
      for (const w of seen) this.wordCases.set(w, (this.wordCases.get(w) ?? 0) + 1);
      if (c.nationalId) push(this.byId, c.nationalId, at);
      if (name) push(this.byNameKey, this.cases[at]!.nameKey, at);
    }
    for (const n of this.wordCases.values()) this.commonest = Math.max(this.commonest, n);
    for (const g of givens) (this.givensByLength[g.length] ??= []).push(g);
  }

  get size(): number {
    return this.cases.length;
  }

  /** The candidates for one person, best first, at most {@link CANDIDATES_PER_PERSON}. */
  candidates(person: CheckPerson): CheckCandidate[] {
    const typed = fieldOf('name', person.fullName).folded;
    const found = new Map<number, CheckCandidate>();
    const consider = (at: number) => {
      if (found.has(at)) return;
      const candidate = this.score(at, person, typed);
      if (candidate) found.set(at, candidate);
    };
    if (person.nationalId) for (const at of this.byId.get(person.nationalId) ?? []) consider(at);
    if (typed.length > 0) {
      for (const at of this.byNameKey.get([...typed].sort().join(' ')) ?? []) consider(at);
      const years = person.birthYear === null ? null : [person.birthYear - 1, person.birthYear, person.birthYear + 1, '-'];
      for (const word of new Set(typed)) {
        for (const { token } of this.givenVariants(word)) {
          if (years === null) for (const at of this.byGiven.get(token) ?? []) consider(at);
          else for (const y of years) for (const at of this.byGivenYear.get(`${token}|${y}`) ?? []) consider(at);
        }
      }
    }
    return [...found.values()]
      .sort((a, b) => Number(b.certain) - Number(a.certain) || b.score - a.score || a.case.code.localeCompare(b.case.code))
      .slice(0, CANDIDATES_PER_PERSON);
  }

  private score(at: number, person: CheckPerson, typed: readonly string[]): CheckCandidate | undefined {
    const { wanted, fields, nameKey, hometown } = this.cases[at]!;
    const idKind = person.nationalId && wanted.nationalId ? idKindOf(person.nationalId) : null;
    const comparable = idKind !== null && idKind === idKindOf(wanted.nationalId!);
    const id: IdReason = !comparable ? 'id_unknown' : person.nationalId === wanted.nationalId ? 'id_same' : 'id_differs';
    const year = yearReason(person.birthYear, wanted.birthYear);
    if (id === 'id_differs' && year === 'year_differs') return undefined;
    const town = hometownReason(person.hometown ? words(person.hometown) : [], hometown);
    const base = { case: wanted, id, idKind: comparable ? idKind : null, year, hometown: town };

    const name = typed.length > 0 ? this.nameMatch(typed, fields, nameKey) : undefined;
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
    if (!name) return undefined;
    const raw = NAME_WEIGHT * name.share + YEAR_WEIGHT * YEAR_SHARE[year] + HOMETOWN_WEIGHT * HOMETOWN_SHARE[town];
    const score = Math.round((id === 'id_differs' ? raw * ID_DIFFERS_FACTOR : raw) * 1000) / 1000;
    if (score < CANDIDATE_SCORE) return undefined;
    return { ...base, score, certain: false, name: name.reason, edits: name.edits, match: name.match };
  }

  /**
   * The name's share when it names the same person: the family and given names of the case's name
   * or of an alias found among the words written, every other word written found too but one of
   * three or more (a middle name added), and at most one of the field's words not written (a
   * middle name left out).
   */
  private nameMatch(typed: readonly string[], fields: readonly MatchField[], nameKey: string) {
    if ([...typed].sort().join(' ') === nameKey) {
      const name = fields.find((f) => f.kind === 'name')!;
      return { share: 1, reason: 'name_same' as NameReason, edits: 0, match: matchCase(this.query(typed), [name], null)! };
    }
    const match = matchCase(this.query(typed), fields, null);
    if (!match?.givenMatched || !match.familyMatched) return undefined;
    const unmatched = match.words.filter((w) => w.matched === null).length;
    if (unmatched > (typed.length >= 3 ? 1 : 0) || match.untyped.length > 1) return undefined;
    const edits = match.words.reduce((sum, w) => sum + w.edits, 0);
    const reason: NameReason = unmatched > 0 || match.untyped.length > 0 ? 'name_partial' : edits > 0 ? 'name_close' : 'name_same';
    return { share: Math.min(1, match.score), reason, edits, match };
  }

  private query(typed: readonly string[]): NameQuery {
    return {
      commonest: this.commonest,
      words: typed.map((word) => ({
        word,
        weight: rarityWeight(this.wordCases.get(word) ?? 1, this.commonest),
        variants: this.variants(word),
      })),
    };
  }

  /** The folded words of the list within the word's edit budget, or the word itself when none is (it then counts, unmatched). */
  private variants(word: string): QueryWord['variants'] {
    let variants = this.variantCache.get(word);
    if (!variants) {
      const cases = this.wordCases.get(word);
      variants = cases ? [{ token: word, cost: 0, cases }] : [{ token: word, cost: 0, cases: 0 }];
      this.variantCache.set(word, variants);
    }
    return variants;
  }

  /** The given names within the word's edit budget (see {@link editBudget}), the word itself first. */
  private givenVariants(word: string): Array<{ token: string; cost: number }> {
    let variants = this.givenVariantCache.get(word);
    if (variants) return variants;
    const budget = editBudget(word);
    variants = [];
    for (let length = Math.max(1, word.length - budget); length <= word.length + budget; length++) {
      for (const token of this.givensByLength[length] ?? []) {
        const cost = wordDistance(word, token, budget);
        if (cost !== Infinity) variants.push({ token, cost });
      }
    }
    variants.sort((a, b) => a.cost - b.cost);
    this.givenVariantCache.set(word, variants);
    return variants;
  }
}

function yearReason(written: number | null, stored: number | null): YearReason {
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
