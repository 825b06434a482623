import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import {
  editBudget,
  editDistance,
  editShare,
  matchCase,
  queryWeight,
  rarityWeight,
  YEAR_WEIGHT,
  type MatchExplanation,
  type MatchField,
  type NameQuery,
  type QueryWord,
} from '../domain/name-match.ts';
import { cleanText } from '../domain/text.ts';

export interface CaseHit {
  code: string;
  fullName: string;
  aliases: string[];
  birthYear: number | null;
  unitCode: string;
  status: CaseStatus;
  danger: Danger;
  score: number;
  /** Why a name search found it (absent for a code or ID number). */
  match?: MatchExplanation;
}

export interface CaseSearch {
  /** The user's text, already cleaned (NFC, no invisible characters). */
  text: string;
  /** The units whose cases may be returned: the member's scope, narrowed by any unit filter. */
  unitIds: number[];
  status?: CaseStatus | undefined;
  danger?: Danger | undefined;
  limit: number;
}

/** A birth year typed with a name: four digits, 1900 to 2100. */
const YEAR = /^(19|20)\d\d$/;

/**
 * A name with at most one birth year among its words (`duc 1985`, `1985 nguyen duc`): the year
 * apart. Undefined for text that has other digits, or no letters.
 */
export function splitBirthYear(text: string): { name: string; year?: number } | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  const years = words.filter((w) => YEAR.test(w));
  const rest = words.filter((w) => !YEAR.test(w));
  if (years.length > 1 || rest.some((w) => /\d/.test(w)) || !rest.some((w) => /\p{L}/u.test(w))) return undefined;
  return years.length ? { name: rest.join(' '), year: Number(years[0]) } : { name: rest.join(' ') };
}

/** Text that names a case by its code or an ID number rather than by a name (with a birth year, perhaps). */
export const looksLikeCode = (text: string) => /\d/.test(text) && splitBirthYear(text) === undefined;

const hitColumns = sql`c.code, c.full_name as "fullName", c.aliases, c.birth_year as "birthYear",
  u.code as "unitCode", c.status, c.danger`;

function filters(search: CaseSearch): SQL {
  const parts: SQL[] = [sql`c.unit_id = any(${sql.param(search.unitIds)}::int[])`];
  if (search.status) parts.push(sql`c.status = ${search.status}`);
  if (search.danger) parts.push(sql`c.danger = ${search.danger}`);
  return sql.join(parts, sql` and `);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The most words of a query that are matched; more are ignored. */
const MAX_QUERY_WORDS = 8;
/**
 * How many cases one plan (a set of terms, see {@link plansOf}) reads at most. A plan that has
 * more is too broad for the rest to matter: they have the same words with the same edits, and
 * differ only by the words nobody typed.
 */
const PLAN_CASES = 200;
/** Plans read together in one statement. */
const PLANS_PER_ROUND = 4;
/** Statements of plans at most: a query nothing answers well stops there. */
const MAX_ROUNDS = 5;
/** How many edits (or words left out) a plan allows at most across the query. */
const MAX_RELAXED = 3;

/**
 * The best matches for a code, a national ID number, a name or an alias, within the given units.
 *
 * A name (or alias, perhaps with a birth year) is matched word by word: each word typed stands for
 * the words of the list within its edit budget (see {@link expandQuery}), and every case having
 * such words is a candidate, scored by {@link matchCase}: the rarer a word, the more it counts;
 * edits, words nobody typed and another order cost a little. Candidates are read through the GIN
 * index on `search_terms` by plans, most promising first (every word exact; one word with an
 * edit; …; a word left out), each plan asking for its first and last words as a field's first and
 * last words too, and reading stops when the best `limit` found score at least what the next plan
 * could give. So a common name costs no more than a rare one, and a case is never missed because
 * others came before it in the table.
 */
export async function searchCases(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  if (search.unitIds.length === 0) return [];
  if (looksLikeCode(search.text)) return searchByCode(db, search);
  const parts = splitBirthYear(search.text);
  if (!parts) return [];
  const query = await expandQuery(db, parts.name, parts.year);
  if (queryWeight(query) === 0 || query.words.every((w) => w.variants.length === 0)) return [];

  const found = new Map<string, CaseHit>();
  const best = () => [...found.values()].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  const enough = (upper: number) => {
    const top = best();
    return top.length >= search.limit && top[search.limit - 1]!.score >= upper;
  };
  const plans = plansOf(query);
  if (plans.length === 0) return [];

  // An exact name in any order is one b-tree lookup: a common name's namesakes, read in code
  // order, often settle the answer before any plan runs.
  const exact = query.words.every((w) => w.variants[0]?.cost === 0) && !query.year;
  if (exact) {
    const key = [...query.words.map((w) => w.word)].sort().join(' ');
    const rows = await queryRows<FetchedCase>(
      db,
      sql`select c.id, ${hitColumns}, casedesk_search_key(c.full_name) as "nameKey", array(select casedesk_search_key(a) from unnest(c.aliases) a) as "aliasKeys"
          from cases c join units u on u.id = c.unit_id
          where c.name_key = ${key} and ${filters(search)}
          order by c.code
          limit ${search.limit}`,
    );
    for (const row of rows) addScored(found, query, row);
    if (enough(plans[0]!.upper)) return best().slice(0, search.limit);
  }

  const seen = new Set<number>();
  for (let round = 0, next = 0; round < MAX_ROUNDS && next < plans.length; round++) {
    const batch = plans.slice(next, next + PLANS_PER_ROUND);
    next += batch.length;
    const rows = await queryRows<FetchedCase>(
      db,
      sql`with candidates as (${sql.join(
        batch.map(
          (plan) =>
            sql`(select c.id from cases c
                 where ${filters(search)} and ${sql.join(
                   plan.terms.map((set) =>
                     set.length === 1 ? sql`c.search_terms @> array[${set[0]}]::text[]` : sql`c.search_terms && ${sql.param(set)}::text[]`,
                   ),
                   sql` and `,
                 )}
                 ${seen.size ? sql`and c.id <> all(${sql.param([...seen])}::int[])` : sql``}
                 limit ${PLAN_CASES})`,
        ),
        sql` union `,
      )})
          select c.id, ${hitColumns}, casedesk_search_key(c.full_name) as "nameKey",
                 array(select casedesk_search_key(a) from unnest(c.aliases) a) as "aliasKeys"
          from candidates h join cases c on c.id = h.id join units u on u.id = c.unit_id`,
    );
    for (const row of rows) {
      seen.add(Number(row.id));
      addScored(found, query, row);
    }
    if (next < plans.length && enough(plans[next]!.upper)) break;
  }
  return best().slice(0, search.limit);
}

interface FetchedCase extends Omit<CaseHit, 'score' | 'match'> {
  id: number;
  /** The name's search key, and each alias's: their words folded by the database. */
  nameKey: string;
  aliasKeys: string[];
}

function addScored(found: Map<string, CaseHit>, query: NameQuery, row: FetchedCase): void {
  if (found.has(row.code)) return;
  const birthYear = row.birthYear === null ? null : Number(row.birthYear);
  const fields: MatchField[] = [
    fieldOf('name', row.fullName, row.nameKey),
    ...row.aliases.map((alias, i) => fieldOf('alias', alias, row.aliasKeys[i])),
  ];
  const match = matchCase(query, fields, birthYear);
  if (!match) return;
  found.set(row.code, {
    code: row.code,
    fullName: row.fullName,
    aliases: row.aliases,
    birthYear,
    unitCode: row.unitCode,
    status: row.status,
    danger: row.danger,
    score: match.score,
    match,
  });
}

/** A field's words, folded by the database and as stored (the folded ones shown if they do not pair up). */
function fieldOf(kind: MatchField['kind'], stored: string, folded: string | undefined): MatchField {
  const shown = cleanText(stored).split(' ').filter(Boolean);
  const words = (folded ?? '').split(' ').filter(Boolean);
  return { kind, folded: words, shown: words.length === shown.length ? shown : words };
}

/** A set of terms every case a plan reads has one of each; `upper` is the best score it can give. */
interface Plan {
  terms: string[][];
  upper: number;
}

/**
 * The plans of a query, best first: for each word, its exact form, its forms with edits, or
 * nothing; for the birth year, the year, a year off, or nothing. A plan keeping two words or more
 * is asked first with its first kept word as a field's first word and its last as a field's last
 * (`<nguyen`, `duc>`); a single word, as a field's last word (a given name). The upper bound
 * counts each kept word's weight at its fewest edits, and the most any bonus adds.
 */
function plansOf(query: NameQuery): Plan[] {
  const total = queryWeight(query);
  type Option = { terms: string[] | null; gain: number; relaxed: number };
  const wordOptions = query.words.map((w): Option[] => {
    const exact = w.variants.filter((v) => v.cost === 0).map((v) => v.token);
    const fuzzy = w.variants.filter((v) => v.cost > 0);
    const options: Option[] = [];
    if (exact.length) options.push({ terms: exact, gain: w.weight, relaxed: 0 });
    if (fuzzy.length) {
      const fewest = Math.min(...fuzzy.map((v) => v.cost));
      options.push({ terms: fuzzy.map((v) => v.token), gain: w.weight * editShare(fewest), relaxed: 1 });
    }
    // Left out: a relaxation for a known word; for a word like none of the list, the only way.
    options.push({ terms: null, gain: 0, relaxed: w.variants.length ? 1 : 0 });
    return options;
  });
  const year = query.year;
  const yearOptions: Option[] = year
    ? [
        { terms: [`y${year}`], gain: YEAR_WEIGHT, relaxed: 0 },
        { terms: [`y${year - 1}`, `y${year + 1}`], gain: YEAR_WEIGHT * 0.7, relaxed: 1 },
        { terms: null, gain: 0, relaxed: 1 },
      ]
    : [];
  const typedWords = query.words.filter((w) => w.variants.length > 0).length;
  const bonus = (typedWords >= 2 ? 0.03 : 0) + 0.02;

  const plans: Array<Plan & { relaxed: number; order: number }> = [];
  const walk = (i: number, chosen: Array<string[] | null>, gain: number, relaxed: number) => {
    if (relaxed > MAX_RELAXED) return;
    if (i === wordOptions.length) {
      const yearChoices = yearOptions.length ? yearOptions : [{ terms: null, gain: 0, relaxed: 0 }];
      for (const y of yearChoices) {
        const words = chosen.filter((t): t is string[] => t !== null);
        if (words.length === 0 || relaxed + y.relaxed > MAX_RELAXED) continue;
        const upper = (gain + y.gain) / total + bonus;
        const rest = y.terms ? [y.terms] : [];
        const tagged =
          words.length >= 2
            ? [words[0]!.map((t) => `<${t}`), ...words.slice(1, -1), words.at(-1)!.map((t) => `${t}>`)]
            : [words[0]!.map((t) => `${t}>`)];
        plans.push({ terms: [...tagged, ...rest], upper, relaxed: relaxed + y.relaxed, order: plans.length });
        plans.push({ terms: [...words, ...rest], upper, relaxed: relaxed + y.relaxed, order: plans.length });
      }
      return;
    }
    for (const option of wordOptions[i]!) walk(i + 1, [...chosen, option.terms], gain + option.gain, relaxed + option.relaxed);
  };
  walk(0, [], 0, 0);
  return plans.sort((a, b) => b.upper - a.upper || a.relaxed - b.relaxed || a.order - b.order);
}

/**
 * The query's words, folded, each with the words of the list it may stand for (see
 * {@link editBudget}; when nothing is that close to a word of four letters or more, one edit
 * further) and its weight, from how many cases have it.
 */
async function expandQuery(db: Executor, text: string, year: number | undefined): Promise<NameQuery> {
  const rows = await queryRows<{ word: string; ord: number; token: string | null; cases: number | null; commonest: number }>(
    db,
    sql`with w as (
          select word, ord, case when length(word) >= 6 then 3 when length(word) >= 3 then 2 when length(word) = 2 then 1 else 0 end as reach
          from unnest(string_to_array(casedesk_search_key(${text}), ' ')) with ordinality as t(word, ord)
          where word <> '' and ord <= ${MAX_QUERY_WORDS})
        select w.word, w.ord::int as ord, v.token, v.case_count as cases,
               (select coalesce(max(case_count), 1) from search_vocabulary) as commonest
        from w left join search_vocabulary v
          on v.token = w.word
          or (w.reach > 0
              and abs(length(v.token) - length(w.word)) <= w.reach
              and levenshtein_less_equal(v.token, w.word, w.reach) <= w.reach)
        order by w.ord, v.token`,
  );
  const words = new Map<number, { word: string; candidates: Array<{ token: string; cases: number }> }>();
  let commonest = 1;
  for (const row of rows) {
    commonest = Math.max(commonest, Number(row.commonest));
    const entry = words.get(row.ord) ?? { word: row.word, candidates: [] };
    if (row.token !== null) entry.candidates.push({ token: row.token, cases: Number(row.cases ?? 0) });
    words.set(row.ord, entry);
  }
  const expanded = [...words.values()].map(({ word, candidates }): QueryWord => {
    const budget = editBudget(word);
    const costed = candidates
      .map((c) => ({ ...c, cost: editDistance(word, c.token, budget + 1) }))
      .filter((c) => c.cost !== Infinity)
      .sort((a, b) => a.cost - b.cost || b.cases - a.cases || a.token.localeCompare(b.token));
    let variants = costed.filter((c) => c.cost <= budget);
    if (variants.length === 0 && word.length >= 4 && costed.length) variants = costed.filter((c) => c.cost === costed[0]!.cost);
    const exact = variants.find((v) => v.cost === 0);
    const fewest = variants.filter((v) => v.cost === variants[0]?.cost);
    const cases = exact ? exact.cases : fewest.reduce((sum, v) => sum + v.cases, 0);
    return { word, weight: rarityWeight(cases, commonest), variants };
  });
  return { words: expanded, year };
}

async function searchByCode(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  const code = search.text.toUpperCase().replace(/\s+/g, '');
  // The exact code or ID number (b-tree lookups) first; a code prefix only when neither matched.
  const exact = await queryRows<CaseHit>(
    db,
    sql`select ${hitColumns}, case when c.code = ${code} then 3 else 2 end as score
        from cases c join units u on u.id = c.unit_id
        where ${filters(search)} and (c.code = ${code} or c.national_id = ${search.text})
        order by score desc, c.code
        limit ${search.limit}`,
  );
  if (exact.length > 0) return exact.map(normaliseHit);
  const prefixed = await queryRows<CaseHit>(
    db,
    sql`select ${hitColumns}, 1 as score
        from cases c join units u on u.id = c.unit_id
        where ${filters(search)} and lower(c.code) like ${`${escapeLike(code.toLowerCase())}%`} escape '\\'
        order by c.code
        limit ${search.limit}`,
  );
  return prefixed.map(normaliseHit);
}

/** The codes nearest to a mistyped one, within the given units (nothing outside them leaks). */
export async function closestCodes(db: Executor, input: { text: string; unitIds: number[]; limit: number }): Promise<string[]> {
  if (input.unitIds.length === 0) return [];
  const code = input.text.toUpperCase().replace(/\s+/g, '');
  const rows = await queryRows<{ code: string }>(
    db,
    sql`select c.code from cases c
        where c.unit_id = any(${sql.param(input.unitIds)}::int[]) and lower(c.code) % ${code.toLowerCase()}
        order by similarity(lower(c.code), ${code.toLowerCase()}) desc, c.code
        limit ${input.limit}`,
  );
  return rows.map((r) => r.code);
}

function normaliseHit(hit: CaseHit): CaseHit {
  return { ...hit, birthYear: hit.birthYear === null ? null : Number(hit.birthYear), score: Number(hit.score) };
}
