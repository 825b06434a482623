import { createMemoryDb, type DbHandle } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { cleanText } from '../src/domain/text.ts';
import { analyzeAll, baselineTrigramSearch, createBaselineTrigramIndex, dropBaselineTrigramIndex } from '../src/repositories/bench-data.ts';
import { searchCases, type CaseHit } from '../src/repositories/case-search.ts';
import { findCasesByCodes, insertCases } from '../src/repositories/cases.ts';
import { insertMember } from '../src/repositories/members.ts';
import { findUnitByCode, insertUnit, unitSubtreeIds } from '../src/repositories/units.ts';
import { createRandom } from '../src/services/demo-data.ts';
import { benchCommandRunner } from './commands.ts';
import { openKeptServerDb } from './databases.ts';
import { generateQualityCase, QUALITY_UNITS, qualityCaseFields, qualityIndex, type QualityCase } from './search-quality/data.ts';
import { buildTruth, firstRightRank, makeQueries, MAX_SHARED, score, type QueryKind, type Scores } from './search-quality/queries.ts';
import { summarise, time, type Summary } from './stats.ts';

/**
 * How well `searchCases` finds the person meant, whatever its implementation: queries of ten kinds
 * (the name as written, without diacritics, in capitals, NFD, reordered, with one or two typos, an
 * alias, without the middle name, given name + birth year) made from random target cases of a
 * synthetic roll with realistic Vietnamese name frequencies (bench/search-quality/), scored by
 * hit@1, hit@10 and MRR against the truth defined in bench/search-quality/queries.ts. A plain
 * pg_trgm k-nearest search on the same folded key, through a GiST index the benchmark makes for the
 * purpose, is scored on the same queries as a baseline. Also times `case find` through the
 * dispatcher.
 *
 * The engine under test gets what the command gives it: the query cleaned (NFC, so the `nfd` kind
 * tests the command's cleaning rather than the search), the root's units, a limit of 10.
 */

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const LIMIT = 10;
const BATCH = 2_000;
/** Cases compared with the generator's when a kept database is reused. */
const FINGERPRINT_CASES = 64;
const WARM_UP = 20;
/** Queries not answered first kept per kind for the report, to show what the engine gets wrong. */
const MISSES_KEPT = 5;

export interface QualityKindResult {
  kind: QueryKind;
  /** Cases that could have been a target of this kind. */
  eligible: number;
  /** Queries made (fewer than asked when few cases are eligible). */
  n: number;
  /** Targets with a twin: another case that is as right an answer. */
  ambiguous: number;
  casedesk: Scores;
  baseline: Scores;
  /**
   * Queries whose first casedesk answer was not right (`rank` is that of the first right one, 0 when
   * none was in the top 10), with the target, its number of right cases and the first answer.
   */
  misses: Array<{ query: string; target: string; right: number; rank: number; first: string | null }>;
}

export interface SearchQualityResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  seed: number;
  queriesPerKind: number;
  loadSeconds: number | null;
  baselineIndexSeconds: number;
  kinds: QualityKindResult[];
  overall: { casedesk: Scores; baseline: Scores };
  latency: {
    /** `case find <query>` through the dispatcher as bench.lead, every query once. */
    dispatcher: Summary;
    /** searchCases called directly (the scored calls). */
    casedesk: Summary;
    /** The baseline's k-nearest query. */
    baseline: Summary;
  };
  notes: string[];
}

/** Writes the cases under the benchmark's unit tree, with a `bench.lead` lead at the root; seconds taken. */
async function loadQualityCases(handle: DbHandle, cases: readonly QualityCase[]): Promise<number> {
  const start = Date.now();
  const unitIds: number[] = [];
  for (const [i, u] of QUALITY_UNITS.entries()) {
    unitIds.push((await insertUnit(handle.db, { code: u.code, name: u.name, parentId: i === 0 ? null : unitIds[0]! })).id);
  }
  await insertMember(handle.db, { handle: 'bench.lead', displayName: 'Bench', role: 'lead', unitId: unitIds[0]!, locale: 'vi' });
  for (let done = 0; done < cases.length; done += BATCH) {
    await insertCases(
      handle.db,
      cases.slice(done, done + BATCH).map((c) => qualityCaseFields(c, unitIds[c.unit]!)),
    );
    if ((done + BATCH) % 50_000 === 0 || done + BATCH >= cases.length) {
      process.stderr.write(`  loaded ${Math.min(done + BATCH, cases.length).toLocaleString('en')} cases\n`);
    }
  }
  await analyzeAll(handle.db);
  return (Date.now() - start) / 1000;
}

/** Refuses a kept database whose cases are not the generator's (loaded by an earlier version of it). */
async function checkFingerprint(handle: DbHandle, cases: readonly QualityCase[], name: string): Promise<void> {
  const step = Math.max(1, Math.floor(cases.length / FINGERPRINT_CASES));
  const sample = cases.filter((_, i) => i % step === 0 || i === cases.length - 1);
  const rows = new Map(
    (
      await findCasesByCodes(
        handle.db,
        sample.map((c) => c.code),
      )
    ).map((r) => [r.code, r]),
  );
  for (const c of sample) {
    const row = rows.get(c.code);
    if (!row || row.fullName !== c.fullName || row.birthYear !== c.birthYear || row.aliases.join('|') !== c.aliases.join('|')) {
      throw new Error(`${name}: case ${c.code} is not the generator's (another version loaded it): drop the database and run again`);
    }
  }
}

export async function benchSearchQuality(input: {
  driver: 'pglite' | 'postgres';
  cases: number;
  perKind: number;
  seed: number;
  serverUrl?: string;
}): Promise<SearchQualityResult> {
  const random = createRandom(input.seed);
  const cases = Array.from({ length: input.cases }, (_, i) => generateQualityCase(random, i));

  let handle: DbHandle;
  let loadSeconds: number | null;
  if (input.driver === 'pglite') {
    handle = await createMemoryDb();
    await migrateDb(handle);
    loadSeconds = await loadQualityCases(handle, cases);
  } else {
    const name = `casedesk_quality_${input.cases}_${input.seed}`;
    ({ handle, loadSeconds } = await openKeptServerDb(input.serverUrl!, {
      name,
      cases: input.cases,
      poolMax: 4,
      load: (h) => loadQualityCases(h, cases),
    }));
    try {
      await checkFingerprint(handle, cases, name);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  try {
    // Left by a run that stopped half-way: the engine under test never gets the baseline's index.
    await dropBaselineTrigramIndex(handle.db);
    const truth = buildTruth(cases);
    const byKind = makeQueries(cases, truth, { seed: input.seed, perKind: input.perKind });
    const all = byKind.flatMap((k) => k.queries);
    const root = (await findUnitByCode(handle.db, QUALITY_UNITS[0]!.code))!;
    const unitIds = await unitSubtreeIds(handle.db, root.id);

    const casedesk = (text: string) => searchCases(handle.db, { text: cleanText(text), unitIds, limit: LIMIT });
    for (const q of all.slice(0, WARM_UP)) await casedesk(q.text);
    const casedeskRanks = new Map<(typeof all)[number], number>();
    const casedeskFirst = new Map<(typeof all)[number], CaseHit | undefined>();
    const casedeskMs: number[] = [];
    for (const q of all) {
      const [hits, took] = await time(() => casedesk(q.text));
      casedeskMs.push(took);
      casedeskRanks.set(
        q,
        firstRightRank(
          truth,
          q,
          hits.map((h) => qualityIndex(h.code)),
        ),
      );
      casedeskFirst.set(q, hits[0]);
    }

    const run = benchCommandRunner(handle, { timeZone: TIME_ZONE, answers: ['not_found'] });
    for (const q of all.slice(0, WARM_UP)) await run(`case find ${q.text}`);
    const dispatcherMs: number[] = [];
    for (const q of all) dispatcherMs.push(await run(`case find ${q.text}`));

    const [, indexMs] = await time(() => createBaselineTrigramIndex(handle.db));
    await analyzeAll(handle.db);
    const baselineRanks = new Map<(typeof all)[number], number>();
    const baselineMs: number[] = [];
    try {
      for (const q of all.slice(0, WARM_UP)) await baselineTrigramSearch(handle.db, { text: cleanText(q.text), limit: LIMIT });
      for (const q of all) {
        const [codes, took] = await time(() => baselineTrigramSearch(handle.db, { text: cleanText(q.text), limit: LIMIT }));
        baselineMs.push(took);
        baselineRanks.set(q, firstRightRank(truth, q, codes.map(qualityIndex)));
      }
    } finally {
      await dropBaselineTrigramIndex(handle.db);
    }

    const notes: string[] = [];
    const kinds = byKind.map(({ kind, eligible, queries }): QualityKindResult => {
      if (queries.length < input.perKind) {
        notes.push(
          `${kind}: only ${queries.length} queries (${eligible.toLocaleString('en')} eligible targets: ${kind === 'given_year' || kind === 'dropped_middle' ? `few cases share their key with at most ${MAX_SHARED} others at this size` : 'few cases can give one'})`,
        );
      }
      return {
        kind,
        eligible,
        n: queries.length,
        ambiguous: queries.filter((q) => q.right > 1).length,
        casedesk: score(queries.map((q) => casedeskRanks.get(q)!)),
        baseline: score(queries.map((q) => baselineRanks.get(q)!)),
        misses: queries
          .filter((q) => casedeskRanks.get(q) !== 1)
          .slice(0, MISSES_KEPT)
          .map((q) => ({
            query: q.text,
            target: [cases[q.target]!.fullName, ...cases[q.target]!.aliases.map((a) => `"${a}"`)].join(' '),
            right: q.right,
            rank: casedeskRanks.get(q)!,
            first: casedeskFirst.get(q) ? `${casedeskFirst.get(q)!.fullName} (${casedeskFirst.get(q)!.code})` : null,
          })),
      };
    });
    for (const k of kinds) {
      const share = k.eligible / input.cases;
      if ((k.kind === 'given_year' || k.kind === 'dropped_middle') && share < 0.2) {
        notes.push(`${k.kind}: targets are rare at this size: ${(share * 100).toFixed(1)} % of cases are eligible (the rarer names)`);
      }
    }
    return {
      driver: input.driver,
      cases: input.cases,
      seed: input.seed,
      queriesPerKind: input.perKind,
      loadSeconds,
      baselineIndexSeconds: indexMs / 1000,
      kinds,
      overall: {
        casedesk: score(all.map((q) => casedeskRanks.get(q)!)),
        baseline: score(all.map((q) => baselineRanks.get(q)!)),
      },
      latency: { dispatcher: summarise(dispatcherMs), casedesk: summarise(casedeskMs), baseline: summarise(baselineMs) },
      notes,
    };
  } finally {
    await handle.close();
  }
}
