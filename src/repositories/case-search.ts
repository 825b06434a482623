import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import type { CaseStatus, Danger } from '../../db/schema/index.ts';

export interface CaseHit {
  code: string;
  fullName: string;
  aliases: string[];
  birthYear: number | null;
  unitCode: string;
  status: CaseStatus;
  danger: Danger;
  score: number;
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

/** Text that names a case by its code or an ID number rather than by a name: it has a digit. */
export const looksLikeCode = (text: string) => /\d/.test(text);

const hitColumns = sql`c.code, c.full_name as "fullName", c.aliases, c.birth_year as "birthYear",
  u.code as "unitCode", c.status, c.danger`;

function filters(search: CaseSearch): SQL {
  const parts: SQL[] = [sql`c.unit_id = any(${sql.param(search.unitIds)}::int[])`];
  if (search.status) parts.push(sql`c.status = ${search.status}`);
  if (search.danger) parts.push(sql`c.danger = ${search.danger}`);
  return sql.join(parts, sql` and `);
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** How many fuzzy candidates of a broad query are ranked: beyond that, it is too broad to rank. */
const CANDIDATES = 200;
/**
 * Up to this many cases with the indexed words (the vocabulary's count, an upper bound on the
 * matches), every match is ranked: the answer is exact, whatever the plan. Above it, the first
 * {@link CANDIDATES} the scan meets are, so that a broad query costs no more than a narrow one.
 */
const RANK_ALL_CASES = 3_000;
/** How many spellings of a whole name are looked up at most (the product of word candidates). */
const NAME_SPELLINGS = 64;
/** A word in more cases than this is too common to filter by reading the cases of the rarest. */
const COMMON_WORD_CASES = 5_000;

/**
 * The best matches for a code, a national ID number, a name or an alias, within the given units.
 *
 * Names, in tiers, each through an index:
 * 1. the whole name, in any word order and with small typos: every spelling the query's words can
 *    stand for (`nguyen van hugn` → `hung nguyen van`, …) is looked up in the b-tree on each
 *    name's sorted words;
 * 2. each query word equal to, or a small edit away from, a word of the name or aliases
 *    (diacritics and case ignored; words may be missing from the query). The GIN index is asked
 *    for the rarest query word only, the others filter its cases, and they are ranked by trigram
 *    similarity to the query (all of them, or for a broad query the first {@link CANDIDATES});
 * 3. when nothing has every word, the cases with all words but one (a wrong middle name, say).
 * A query word like no known word is left out rather than matching nothing.
 */
export async function searchCases(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  if (search.unitIds.length === 0) return [];
  if (looksLikeCode(search.text)) return searchByCode(db, search);

  const all = await expandQueryWords(db, search.text);
  const words = all.filter((w) => w.tokens.length > 0);
  if (words.length === 0) return [];

  const spellings = words.length === all.length ? nameSpellings(words) : [];
  const whole = spellings.length
    ? await queryRows<CaseHit>(
        db,
        // Each spelling reads at most `limit` cases, in code order, from the (name_key, code)
        // b-tree: a common name's thousands of namesakes are never all fetched.
        sql`select ${hitColumns}, similarity(c.search_key, q.key) as score
            from unnest(${sql.param(spellings)}::text[]) as s(key)
            cross join lateral (
              select * from cases c where c.name_key = s.key and ${filters(search)} order by c.code limit ${search.limit}
            ) c
            join units u on u.id = c.unit_id,
            (select casedesk_search_key(${search.text}) as key) q
            order by score desc, c.code
            limit ${search.limit}`,
      )
    : [];
  if (whole.length >= search.limit) return whole.map(normaliseHit);

  let hits = [
    ...whole,
    ...(await rankByName(
      db,
      search,
      words,
      whole.map((h) => h.code),
      search.limit - whole.length,
    )),
  ];
  if (hits.length === 0 && words.length >= 2) {
    for (let skip = 0; skip < words.length && hits.length < search.limit; skip++) {
      const seen = hits.map((h) => h.code);
      hits.push(
        ...(await rankByName(
          db,
          search,
          words.filter((_, i) => i !== skip),
          seen,
          search.limit - hits.length,
        )),
      );
    }
    hits = hits.sort((a, b) => Number(b.score) - Number(a.score) || a.code.localeCompare(b.code));
  }
  return hits.map(normaliseHit);
}

/**
 * The sorted-words keys the query's words can spell, fewest edits first, at most
 * {@link NAME_SPELLINGS} of them: the query as typed comes first.
 */
function nameSpellings(words: QueryWord[]): string[] {
  let keys: Array<{ words: string[]; edits: number }> = [{ words: [], edits: 0 }];
  for (const word of words) {
    keys = keys
      .flatMap((key) => word.tokens.map((token, i) => ({ words: [...key.words, token], edits: key.edits + word.distances[i]! })))
      .sort((a, b) => a.edits - b.edits)
      .slice(0, NAME_SPELLINGS);
  }
  return [...new Set(keys.map((key) => [...key.words].sort().join(' ')))];
}

/**
 * Cases having every one of `words` (each as one of its tokens), ranked by similarity to the
 * query. Only the rarest word's condition is in the form the GIN index answers; the others are
 * written so that the planner filters with them instead of reading their long posting lists.
 */
async function rankByName(db: Executor, search: CaseSearch, words: QueryWord[], exclude: string[], limit: number): Promise<CaseHit[]> {
  if (limit <= 0 || words.length === 0) return [];
  const byRarity = [...words].sort((a, b) => a.cases - b.cases);
  // The index is asked for the rarest word, and for the next one too when even the rarest is
  // common: intersecting two posting lists costs less than filtering thousands of table rows.
  const indexed = byRarity[0]!.cases > COMMON_WORD_CASES ? byRarity.slice(0, 2) : byRarity.slice(0, 1);
  const conditions = [
    ...indexed.map((w) => sql`string_to_array(c.search_key, ' ') && ${sql.param(w.tokens)}::text[]`),
    ...byRarity
      .slice(indexed.length)
      .map((w) => sql`(string_to_array(c.search_key, ' ') || '{}'::text[]) && ${sql.param(w.tokens)}::text[]`),
  ];
  if (exclude.length) conditions.push(sql`c.code <> all(${sql.param(exclude)}::text[])`);
  // A broad query's candidates are the first the scan meets, in the table's order (a bitmap
  // scan's, or a sequential scan's from the first block: the server connection turns
  // synchronized scans off, see db/client.ts), so the same query on the same data answers the
  // same. Ranking all of them would read every match: 15,000 rows and 130 ms for a common pair
  // of words on a million cases.
  const capped = Math.min(...indexed.map((w) => w.cases)) > RANK_ALL_CASES;
  return queryRows<CaseHit>(
    db,
    sql`select ${hitColumns}, similarity(c.search_key, q.key) as score
        from (select * from cases c where ${filters(search)} and ${sql.join(conditions, sql` and `)} ${capped ? sql`limit ${CANDIDATES}` : sql``}) c
        join units u on u.id = c.unit_id,
        (select casedesk_search_key(${search.text}) as key) q
        order by score desc, c.code
        limit ${limit}`,
  );
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

interface QueryWord {
  word: string;
  /** The known words it may stand for, nearest first. Empty when none is near enough. */
  tokens: string[];
  /** Edits from the query word to each token (an adjacent transposition counts as one). */
  distances: number[];
  /** About how many cases have one of them. */
  cases: number;
}

/** Whether `a` is `b` with two neighbouring letters swapped (`hugn`, `hung`). */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]] && a[diff[1]] === b[diff[0]!];
}

/**
 * The query's words, each with the known words it may stand for: itself and those one edit away
 * (two from eight letters on; none under three letters), or, when nothing is that close to a word
 * of four letters or more, one edit further (`hugn` → `hung`, a transposition).
 */
async function expandQueryWords(db: Executor, text: string): Promise<QueryWord[]> {
  const rows = await queryRows<{
    word: string;
    ord: number;
    allowed: number;
    token: string | null;
    distance: number | null;
    cases: number | null;
  }>(
    db,
    sql`with w as (
          select word, ord,
                 case when length(word) >= 8 then 2 when length(word) >= 3 then 1 else 0 end as allowed,
                 case when length(word) >= 8 then 3 when length(word) >= 4 then 2 when length(word) >= 3 then 1 else 0 end as reach
          from unnest(string_to_array(casedesk_search_key(${text}), ' ')) with ordinality as t(word, ord)
          where word <> '')
        select w.word, w.ord::int as ord, w.allowed, v.token, v.case_count as cases,
               case when v.token = w.word then 0 else levenshtein_less_equal(v.token, w.word, w.reach) end as distance
        from w left join search_vocabulary v
          on v.token = w.word
          or (w.reach > 0
              and abs(length(v.token) - length(w.word)) <= w.reach
              and levenshtein_less_equal(v.token, w.word, w.reach) <= w.reach)
        order by w.ord, distance, v.token`,
  );
  const words = new Map<number, { word: string; allowed: number; candidates: Array<{ token: string; distance: number; cases: number }> }>();
  for (const row of rows) {
    const entry = words.get(row.ord) ?? { word: row.word, allowed: row.allowed, candidates: [] };
    if (row.token !== null && row.distance !== null) {
      const distance = isTransposition(row.token, row.word) ? 1 : row.distance;
      entry.candidates.push({ token: row.token, distance, cases: Number(row.cases ?? 0) });
    }
    words.set(row.ord, entry);
  }
  return [...words.values()].map(({ word, allowed, candidates }) => {
    const close = candidates.filter((c) => c.distance <= allowed);
    const nearest = Math.min(...candidates.map((c) => c.distance));
    const chosen = close.length > 0 ? close : candidates.filter((c) => c.distance === nearest);
    chosen.sort((a, b) => a.distance - b.distance || a.token.localeCompare(b.token));
    return {
      word,
      tokens: chosen.map((c) => c.token),
      distances: chosen.map((c) => c.distance),
      cases: chosen.reduce((sum, c) => sum + c.cases, 0),
    };
  });
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
