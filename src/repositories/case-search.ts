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

/**
 * The best matches for a code, a national ID number, a name or an alias, within the given units.
 *
 * Names: each word of the query is matched to the words of the case's name and aliases (diacritics
 * and case ignored, any order, words may be missing from the query) exactly or within a small edit
 * distance, through the GIN index on those words; matches rank by trigram similarity to the whole
 * query. A query word like no known word is left out rather than matching nothing; when no case has
 * every word, cases with all words but one are taken instead (a wrong middle name, say).
 */
export async function searchCases(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  if (search.unitIds.length === 0) return [];
  if (looksLikeCode(search.text)) return searchByCode(db, search);

  const words = (await expandQueryWords(db, search.text)).filter((w) => w.tokens.length > 0);
  if (words.length === 0) return [];
  const hasWord = (w: QueryWord) => sql`string_to_array(c.search_key, ' ') && ${sql.param(w.tokens)}::text[]`;
  const every = (ws: QueryWord[]) => sql.join(ws.map(hasWord), sql` and `);
  const byName = (match: SQL) =>
    queryRows<CaseHit>(
      db,
      sql`select ${hitColumns}, similarity(c.search_key, q.key) as score
          from cases c join units u on u.id = c.unit_id,
               (select casedesk_search_key(${search.text}) as key) q
          where ${filters(search)} and (${match})
          order by score desc, c.code
          limit ${search.limit}`,
    );
  let hits = await byName(every(words));
  if (hits.length === 0 && words.length >= 2) {
    const allButOne = words.map((_, skip) => sql`(${every(words.filter((__, i) => i !== skip))})`);
    hits = await byName(sql.join(allButOne, sql` or `));
  }
  return hits.map(normaliseHit);
}

async function searchByCode(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  const code = search.text.toUpperCase().replace(/\s+/g, '');
  const hits = await queryRows<CaseHit>(
    db,
    sql`select ${hitColumns},
          case when c.code = ${code} then 3 when c.national_id = ${search.text} then 2 else 1 end as score
        from cases c join units u on u.id = c.unit_id
        where ${filters(search)}
          and (c.code = ${code} or c.national_id = ${search.text}
               or lower(c.code) like ${`${escapeLike(code.toLowerCase())}%`} escape '\\')
        order by score desc, c.code
        limit ${search.limit}`,
  );
  return hits.map(normaliseHit);
}

interface QueryWord {
  word: string;
  /** The known words it may stand for. Empty when none is near enough. */
  tokens: string[];
}

/**
 * The query's words, each with the known words it may stand for: itself and those one edit away
 * (two from eight letters on; none under three letters), or, when nothing is that close to a word
 * of four letters or more, one edit further (`hugn` → `hung`, a transposition).
 */
async function expandQueryWords(db: Executor, text: string): Promise<QueryWord[]> {
  const rows = await queryRows<{ word: string; ord: number; allowed: number; token: string | null; distance: number | null }>(
    db,
    sql`with w as (
          select word, ord,
                 case when length(word) >= 8 then 2 when length(word) >= 3 then 1 else 0 end as allowed,
                 case when length(word) >= 8 then 3 when length(word) >= 4 then 2 when length(word) >= 3 then 1 else 0 end as reach
          from unnest(string_to_array(casedesk_search_key(${text}), ' ')) with ordinality as t(word, ord)
          where word <> '')
        select w.word, w.ord::int as ord, w.allowed, v.token,
               case when v.token = w.word then 0 else levenshtein_less_equal(v.token, w.word, w.reach) end as distance
        from w left join search_vocabulary v
          on v.token = w.word
          or (w.reach > 0
              and abs(length(v.token) - length(w.word)) <= w.reach
              and levenshtein_less_equal(v.token, w.word, w.reach) <= w.reach)
        order by w.ord, distance, v.token`,
  );
  const words = new Map<number, { word: string; allowed: number; candidates: Array<{ token: string; distance: number }> }>();
  for (const row of rows) {
    const entry = words.get(row.ord) ?? { word: row.word, allowed: row.allowed, candidates: [] };
    if (row.token !== null && row.distance !== null) entry.candidates.push({ token: row.token, distance: row.distance });
    words.set(row.ord, entry);
  }
  return [...words.values()].map(({ word, allowed, candidates }) => {
    const close = candidates.filter((c) => c.distance <= allowed);
    const nearest = Math.min(...candidates.map((c) => c.distance));
    const chosen = close.length > 0 ? close : candidates.filter((c) => c.distance === nearest);
    return { word, tokens: chosen.map((c) => c.token) };
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
