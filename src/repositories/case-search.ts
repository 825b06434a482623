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
 * Names: each word of the query must equal, or be within a small edit distance of, a word of the
 * case's name or aliases (diacritics and case ignored, any order, words may be missing from the
 * query); matches are ranked by trigram similarity to the whole name. Only when that finds nothing
 * does a plain trigram similarity search run, which also tolerates a query word the name lacks.
 */
export async function searchCases(db: Executor, search: CaseSearch): Promise<CaseHit[]> {
  if (search.unitIds.length === 0) return [];
  if (looksLikeCode(search.text)) return searchByCode(db, search);

  const words = await expandQueryWords(db, search.text);
  if (words.length === 0) return [];
  if (words.every((w) => w.tokens.length > 0)) {
    const matchEveryWord = sql.join(
      words.map((w) => sql`string_to_array(c.search_key, ' ') && ${sql.param(w.tokens)}::text[]`),
      sql` and `,
    );
    const hits = await queryRows<CaseHit>(
      db,
      sql`select ${hitColumns}, similarity(c.search_key, q.key) as score
          from cases c join units u on u.id = c.unit_id,
               (select casedesk_search_key(${search.text}) as key) q
          where ${filters(search)} and ${matchEveryWord}
          order by score desc, c.code
          limit ${search.limit}`,
    );
    if (hits.length > 0) return hits.map(normaliseHit);
  }
  const hits = await queryRows<CaseHit>(
    db,
    sql`select ${hitColumns}, word_similarity(q.key, c.search_key) as score
        from cases c join units u on u.id = c.unit_id,
             (select casedesk_search_key(${search.text}) as key) q
        where ${filters(search)} and q.key <% c.search_key
        order by score desc, similarity(c.search_key, q.key) desc, c.code
        limit ${search.limit}`,
  );
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

/**
 * The query's words, each with the known words it may stand for: itself, and those one edit away
 * (two from eight letters on; none under three letters): `duk` → `duc`, `duk`.
 */
async function expandQueryWords(db: Executor, text: string): Promise<Array<{ word: string; tokens: string[] }>> {
  const rows = await queryRows<{ word: string; tokens: string[] | null }>(
    db,
    sql`select w.word, array_agg(v.token order by v.token) filter (where v.token is not null) as tokens
        from unnest(string_to_array(casedesk_search_key(${text}), ' ')) with ordinality as w(word, ord)
        left join search_vocabulary v
          on v.token = w.word
          or (length(w.word) >= 3
              and abs(length(v.token) - length(w.word)) <= case when length(w.word) >= 8 then 2 else 1 end
              and levenshtein_less_equal(v.token, w.word, case when length(w.word) >= 8 then 2 else 1 end)
                  <= case when length(w.word) >= 8 then 2 else 1 end)
        where w.word <> ''
        group by w.word, w.ord
        order by w.ord`,
  );
  return rows.map((r) => ({ word: r.word, tokens: r.tokens ?? [] }));
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
