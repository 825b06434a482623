import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import type { CaseStatus, Danger } from '../../db/schema/index.ts';
import {
  diversify,
  editBudget,
  editShare,
  matchCase,
  maxBonus,
  queryWeight,
  rarityWeight,
  YEAR_WEIGHT,
  yearShare,
  type MatchExplanation,
  fieldOf,
  type MatchField,
  type NameQuery,
  type QueryWord,
  wordDistance,
} from '../domain/name-match.ts';

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
const PLAN_CASES = 50;
/** Plans read together in one statement. */
const PLANS_PER_ROUND = 2;
/** Statements of plans at most: a query nothing answers well stops there. */
const MAX_ROUNDS = 10;
/** How many edits (or words left out) a plan allows at most across the query. */
const MAX_RELAXED = 3;
/** A typed word in at least this share of the cases the commonest word is in is not looked at with edits. */
const MEANT_SHARE = 1 / 2_000;
/**
 * A plan is run only if it can score this much: a case with less than half of what was typed (by
 * weight) is no answer to it, whatever else matched.
 */
const LEAST_UPPER = 0.5;
/**
 * What reading a case from the table costs against reading an entry of the index (see
 * {@link planCondition}): measured at a million cases, a case read from a page not in memory costs
 * as much as about a hundred entries of a posting list.
 */
const HEAP_COST = 256;
/** The most sets of terms one plan asks the index for. */
const MAX_INDEXED_SETS = 4;
/**
 * Nor once something found scores this much more than the plan could: what it would add ranks far
 * below the best answer (two edits in the rarest words cost less than this).
 */
const BELOW_BEST = 0.35;

/**
 * The best matches for a code, a national ID number, a name or an alias, within the given units.
 *
 * A name (or alias, perhaps with a birth year) is matched word by word: each word typed stands for
 * itself if it is a known word of some currency, else for the words of the list within its edit
 * budget (see {@link expandQuery}); every case having such words is a candidate, scored by
 * {@link matchCase}: the rarer a word, the more it counts; edits, words nobody typed and another
 * order cost a little. Candidates are read through the GIN index on `search_terms` by plans, most
 * promising first (every word as typed; one word with edits; …; a word left out; see
 * {@link plansOf}), and reading stops when the best `limit` found score at least what the next
 * plan could give, or when the next could give nothing near the best found. So a common name costs
 * no more than a rare one, and a case is never missed because others came before it in the table.
 */
export async function searchCases(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  if (search.unitIds.length === 0) return [];
  if (looksLikeCode(search.text)) return searchByCode(db, search);
  const parts = splitBirthYear(search.text);
  if (!parts) return [];
  const query = await expandQuery(db, parts.name, parts.year);
  if (queryWeight(query) === 0 || query.words.every((w) => w.variants.length === 0)) return [];
  // A plan's limit makes a sequential scan look cheap to the planner when it takes a set of terms
  // for common: it never is here (reading 200,000 cases for a rare one took 80 ms at a million).
  // Off for the plans' statements only: set in a savepoint, and set back before it ends.
  return db.transaction(async (tx) => {
    const [setting] = await queryRows<{ previous: string }>(
      tx,
      sql`select current_setting('enable_seqscan') as previous, set_config('enable_seqscan', 'off', true)`,
    );
    const hits = await readPlans(tx, search, query);
    await tx.execute(sql`select set_config('enable_seqscan', ${setting?.previous ?? 'on'}, true)`);
    return hits;
  });
}

/** The cases the plans of a query read, best first (see {@link searchCases}). */
async function readPlans(db: Executor, search: CaseSearch, query: ExpandedQuery): Promise<CaseHit[]> {
  const found = new Map<string, CaseHit>();
  const best = () => [...found.values()].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  const enough = (upper: number) => {
    const top = best();
    // Within a rounding error: a perfect match's share is a sum of weights over their sum.
    return top.length >= search.limit && top[search.limit - 1]!.score >= upper - 1e-9;
  };
  const plans = plansOf(query);
  if (plans.length === 0) return [];
  const seen = new Set<number>();

  // An exact name in any order is one b-tree lookup: a common name's namesakes, read in code
  // order, often settle the answer before any plan runs.
  const exact = query.words.every((w) => w.variants[0]?.cost === 0) && !query.year;
  if (exact) {
    const key = [...query.words.map((w) => w.word)].sort().join(' ');
    const rows = await queryRows<FetchedCase>(
      db,
      sql`select c.id, ${hitColumns}
          from cases c join units u on u.id = c.unit_id
          where c.name_key = ${key} and ${filters(search)}
          order by c.code
          limit ${search.limit}`,
    );
    for (const row of rows) addScored(found, query, row);
    if (enough(plans[0]!.upper)) return diversify(best(), search.limit);
    for (const row of rows) seen.add(Number(row.id));
  }

  for (let round = 0, next = 0; round < MAX_ROUNDS && next < plans.length; round++) {
    const batch = plans.slice(next, next + PLANS_PER_ROUND);
    next += batch.length;
    const rows = await queryRows<FetchedCase>(
      db,
      sql`with candidates as (${sql.join(
        batch.map(
          (plan) =>
            sql`(select c.id from cases c
                 where ${filters(search)} and ${planCondition(plan, query.total)}
                 ${seen.size ? sql`and c.id <> all(${sql.param([...seen])}::int[])` : sql``}
                 limit ${PLAN_CASES})`,
        ),
        sql` union `,
      )})
          select c.id, ${hitColumns}
          from candidates h join cases c on c.id = h.id join units u on u.id = c.unit_id`,
    );
    for (const row of rows) {
      seen.add(Number(row.id));
      addScored(found, query, row);
    }
    if (next >= plans.length) break;
    const upper = plans[next]!.upper;
    if (enough(upper) || (found.size > 0 && upper < best()[0]!.score - BELOW_BEST)) break;
  }
  return diversify(best(), search.limit);
}

interface FetchedCase extends Omit<CaseHit, 'score' | 'match'> {
  id: number;
}

function addScored(found: Map<string, CaseHit>, query: NameQuery, row: FetchedCase): void {
  if (found.has(row.code)) return;
  const birthYear = row.birthYear === null ? null : Number(row.birthYear);
  const fields: MatchField[] = [fieldOf('name', row.fullName), ...row.aliases.map((alias) => fieldOf('alias', alias))];
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

/** Terms a case must have one of, with about how many cases have one. */
interface TermSet {
  terms: string[];
  cases: number;
}

/** Sets of terms a case must have one of each of; `upper` is the best score it can give. */
interface Plan {
  sets: TermSet[];
  upper: number;
}

/**
 * The plans of a query, best first: for each word, its exact form, its forms with edits, or
 * nothing; for the birth year, the year, a year off, or nothing. The upper bound counts each kept
 * word's weight at its fewest edits, and the most any bonus adds. A plan that would read more than
 * {@link PLAN_CASES} cases is asked first for the fields laid out as typed: when it keeps every word
 * typed, fields of as many words with the first typed first and the last typed last (`<nguyen`,
 * `duc>3`); then any field with its first kept word first and its last kept word last (`<nguyen`,
 * `duc>`; a single word, as a field's last: a given name). So the few cases laid out as typed are
 * not lost among the many that merely have the words.
 */
function plansOf(query: ExpandedQuery): Plan[] {
  const total = queryWeight(query);
  const casesOf = (tokens: string[]) => tokens.reduce((sum, t) => sum + (query.cases.get(t) ?? 0), 0);
  type Option = { set: TermSet | null; gain: number; relaxed: number; edited?: boolean };
  const wordOptions = query.words.map((w): Option[] => {
    const exact = w.variants.filter((v) => v.cost === 0).map((v) => v.token);
    const fuzzy = w.variants.filter((v) => v.cost > 0);
    const options: Option[] = [];
    if (exact.length) options.push({ set: { terms: exact, cases: casesOf(exact) }, gain: w.weight, relaxed: 0 });
    // A word typed as a known word of some currency is meant as typed: its neighbours (`thu` for
    // `thi`) would be read for nothing, they are common words too. Scoring still counts a case's
    // word a letter away from it.
    const meant = exact.length > 0 && casesOf(exact) >= query.commonest * MEANT_SHARE;
    if (fuzzy.length && !meant) {
      const tokens = fuzzy.map((v) => v.token);
      options.push({
        set: { terms: tokens, cases: casesOf(tokens) },
        gain: w.weight * editShare(fuzzy[0]!.cost),
        relaxed: 1,
        edited: true,
      });
    }
    // Left out: a relaxation for a known word; for a word like none of the list, the only way.
    options.push({ set: null, gain: 0, relaxed: w.variants.length ? 1 : 0 });
    return options;
  });
  const year = query.year;
  const yearOptions: Option[] = year
    ? [
        { set: { terms: [`y${year}`], cases: casesOf([`y${year}`]) }, gain: YEAR_WEIGHT, relaxed: 0 },
        {
          set: { terms: [`y${year - 1}`, `y${year + 1}`], cases: casesOf([`y${year - 1}`, `y${year + 1}`]) },
          gain: YEAR_WEIGHT * yearShare(year, year + 1),
          relaxed: 1,
        },
        { set: null, gain: 0, relaxed: 1 },
      ]
    : [{ set: null, gain: 0, relaxed: 0 }];
  const typedWords = query.words.filter((w) => w.variants.length > 0).length;
  const estimate = (sets: TermSet[]) => sets.reduce((n, set) => n * Math.min(1, set.cases / query.total), query.total);
  const mark = (set: TermSet, marked: (t: string) => string): TermSet => {
    const terms = set.terms.map(marked);
    return { terms, cases: casesOf(terms) };
  };

  const plans: Array<Plan & { relaxed: number; order: number }> = [];
  const typed = query.words.length;
  const walk = (i: number, chosen: TermSet[], gain: number, relaxed: number, edited: boolean, whole: boolean) => {
    if (relaxed > MAX_RELAXED) return;
    if (i < wordOptions.length) {
      for (const o of wordOptions[i]!) {
        walk(
          i + 1,
          o.set ? [...chosen, o.set] : chosen,
          gain + o.gain,
          relaxed + o.relaxed,
          edited || o.edited === true,
          whole && o.set !== null,
        );
      }
      return;
    }
    if (chosen.length === 0) return;
    for (const y of yearOptions) {
      if (relaxed + y.relaxed > MAX_RELAXED) continue;
      const upper = (gain + y.gain) / total + maxBonus(typedWords, edited);
      const rest = y.set ? [y.set] : [];
      const add = (sets: TermSet[]) => plans.push({ sets, upper, relaxed: relaxed + y.relaxed, order: plans.length });
      if (estimate([...chosen, ...rest]) > PLAN_CASES) {
        const first = mark(chosen[0]!, (t) => `<${t}`);
        // Every word typed kept: first the fields of exactly as many words, laid out as typed.
        if (whole && chosen.length >= 2) {
          add([first, ...chosen.slice(1, -1), mark(chosen.at(-1)!, (t) => `${t}>${typed}`), ...rest]);
        }
        const last = mark(chosen.at(-1)!, (t) => `${t}>`);
        add([...(chosen.length >= 2 ? [first, ...chosen.slice(1, -1)] : []), last, ...rest]);
      }
      add([...chosen, ...rest]);
    }
  };
  walk(0, [], 0, 0, false, true);
  // A set no case has (counted exactly, by the same transactions that change the cases) reads nothing.
  return plans
    .filter((p) => p.upper >= LEAST_UPPER && p.sets.every((set) => set.cases > 0))
    .sort((a, b) => b.upper - a.upper || a.relaxed - b.relaxed || a.order - b.order);
}

/**
 * A plan's condition. The index is asked for the plan's rarest set of terms, and for the next
 * rarest too (up to {@link MAX_INDEXED_SETS}) when that costs less: the index reads every entry of
 * their lists, compressed and in order, where the table is read a page for each case the index
 * gives.
 * The other sets filter the cases read, written so that the planner cannot take them to the index
 * (`|| '{}'`): a common word's long list is never read.
 */
function planCondition(plan: Plan, total: number): SQL {
  const sets = [...plan.sets].sort((a, b) => a.cases - b.cases);
  const share = (list: TermSet[]) => list.reduce((p, set) => p * Math.min(1, set.cases / total), 1);
  // The cases a plan reads are counted in full, as if none were left unread by the limit: the
  // plans still running are those whose cases are fewer than their words' counts suggest.
  const cost = (indexed: number) =>
    sets.slice(0, indexed).reduce((sum, set) => sum + set.cases, 0) + HEAP_COST * total * share(sets.slice(0, indexed));
  let indexed = 1;
  for (let k = 2; k <= Math.min(sets.length, MAX_INDEXED_SETS); k++) if (cost(k) < cost(indexed)) indexed = k;
  return sql.join(
    sets.map((set, i) => {
      const column = i < indexed ? sql`c.search_terms` : sql`(c.search_terms || '{}'::text[])`;
      return set.terms.length === 1 ? sql`${column} @> array[${set.terms[0]}]::text[]` : sql`${column} && ${sql.param(set.terms)}::text[]`;
    }),
    sql` and `,
  );
}

/**
 * The query's words, folded, each with the words of the list it may stand for (see
 * {@link editBudget}; when nothing is that close to a word of four letters or more, one edit
 * further) and its weight, from how many cases have it.
 */
/** A query with what the plans need to know of the list: how many cases have each word, and in all. */
interface ExpandedQuery extends NameQuery {
  commonest: number;
  cases: Map<string, number>;
  /** About how many cases there are (the planner's estimate, or the commonest word's count if more). */
  total: number;
}

async function expandQuery(db: Executor, text: string, year: number | undefined): Promise<ExpandedQuery> {
  const years = year ? [year - 1, year, year + 1].map((y) => `y${y}`) : [];
  const rows = await queryRows<{
    word: string;
    ord: number;
    token: string | null;
    cases: number | null;
    first: number | null;
    last: number | null;
    laidOut: number | null;
    commonest: number;
    total: number;
    years: Record<string, number> | null;
  }>(
    db,
    // The words of the list a typed word may stand for, with how many cases have each, as a word
    // anywhere, as a field's first, as its last, and as the last of a field as long as the query.
    sql`with w as (
          select word, ord, case when length(word) >= 6 then 3 when length(word) >= 2 then 2 else 0 end as reach
          from unnest(string_to_array(casedesk_search_key(${text}), ' ')) with ordinality as t(word, ord)
          where word <> '' and ord <= ${MAX_QUERY_WORDS}),
        typed as (select count(*) as n from w)
        select w.word, w.ord::int as ord, v.token, v.case_count as cases,
               (select m.case_count from search_vocabulary m where m.token = '<' || v.token) as first,
               (select m.case_count from search_vocabulary m where m.token = v.token || '>') as last,
               (select m.case_count from search_vocabulary m, typed where m.token = v.token || '>' || typed.n) as "laidOut",
               (select coalesce(max(case_count), 1) from search_vocabulary) as commonest,
               (select greatest(reltuples, 0)::bigint from pg_class where oid = 'cases'::regclass) as total,
               (select json_object_agg(token, case_count) from search_vocabulary where token = any(${sql.param(years)}::text[])) as years
        from w left join search_vocabulary v
          on v.token !~ '^y[0-9]|[<>]'
          and (v.token = w.word
               or (length(w.word) = 1 and left(v.token, 1) = w.word)
               or (w.reach > 0
                   and abs(length(v.token) - length(w.word)) <= w.reach
                   and levenshtein_less_equal(v.token, w.word, w.reach) <= w.reach))
        order by w.ord, v.token`,
  );
  const words = new Map<number, { word: string; candidates: Array<{ token: string; cases: number }> }>();
  let commonest = 1;
  let total = 1;
  const cases = new Map<string, number>();
  const typed = new Set(rows.map((r) => r.ord)).size;
  for (const row of rows) {
    commonest = Math.max(commonest, Number(row.commonest));
    total = Math.max(total, Number(row.total), commonest);
    for (const [term, count] of Object.entries(row.years ?? {})) cases.set(term, Number(count));
    if (row.token !== null) {
      cases.set(row.token, Number(row.cases ?? 0));
      cases.set(`<${row.token}`, Number(row.first ?? 0));
      cases.set(`${row.token}>`, Number(row.last ?? 0));
      cases.set(`${row.token}>${typed}`, Number(row.laidOut ?? 0));
    }
    const entry = words.get(row.ord) ?? { word: row.word, candidates: [] };
    if (row.token !== null) entry.candidates.push({ token: row.token, cases: Number(row.cases ?? 0) });
    words.set(row.ord, entry);
  }
  const expanded = [...words.values()].map(({ word, candidates }): QueryWord => {
    const budget = editBudget(word);
    const costed = candidates
      .map((c) => ({ ...c, cost: wordDistance(word, c.token, budget + 1) }))
      .filter((c) => c.cost !== Infinity)
      .sort((a, b) => a.cost - b.cost || b.cases - a.cases || a.token.localeCompare(b.token));
    let variants = costed.filter((c) => c.cost <= budget);
    if (variants.length === 0 && word.length >= 4 && costed.length) variants = costed.filter((c) => c.cost === costed[0]!.cost);
    const exact = variants.find((v) => v.cost === 0);
    const fewest = variants.filter((v) => v.cost === variants[0]?.cost);
    const count = exact ? exact.cases : fewest.reduce((sum, v) => sum + v.cases, 0);
    return { word, weight: rarityWeight(count, commonest), variants };
  });
  return { words: expanded, year, commonest, cases, total };
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
