import { createMemoryDb } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { caseCodesByIds } from '../src/repositories/bench-data.ts';
import { wantedCaseIds } from '../src/repositories/cases.ts';
import { loadBenchCases } from './case-find.ts';
import { benchCommandRunner } from './commands.ts';
import { freshServerDb } from './databases.ts';
import { summarise, type Summary } from './stats.ts';

/**
 * The day loadBenchCases loads its demo cases as of (TODAY in case-find.ts): every wanted date is
 * at least ten days before it. The dispatcher's clock is fixed on it, so that `on:TODAY` is after
 * every wanted date and never in the future, and a re-run on another day makes the same changes.
 */
const TODAY = '2026-11-01';
const TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Cases resolved and reopened before measuring (two changes each), to warm caches and the JIT. */
const WARM_UP_CASES = 15;

export interface CaseStatusResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  /** Cases measured: each is resolved once and reopened once. */
  changes: number;
  today: string;
  loadSeconds: number;
  /** `case status <code> arrested on:<today>` on a wanted case. */
  resolve: Summary;
  /** `case status <code> wanted` on the case just resolved. */
  reopen: Summary;
}

export async function benchCaseStatus(input: {
  driver: 'pglite' | 'postgres';
  cases?: number;
  changes?: number;
  serverUrl?: string;
}): Promise<CaseStatusResult> {
  const cases = input.cases ?? 100_000;
  const changes = input.changes ?? 400;
  const handle =
    input.driver === 'pglite'
      ? await createMemoryDb()
      : await freshServerDb(input.serverUrl!, { name: `casedesk_bench_status_${cases}`, poolMax: 4 });
  try {
    await migrateDb(handle);
    const loadSeconds = await loadBenchCases(handle, cases);
    const change = benchCommandRunner(handle, { timeZone: TIME_ZONE, clock: () => new Date(`${TODAY}T12:00:00+07:00`) });
    const codes = await caseCodesByIds(handle.db, { ids: await wantedCaseIds(handle.db, { limit: WARM_UP_CASES + changes }) });
    if (codes.length < WARM_UP_CASES + changes) throw new Error(`only ${codes.length} wanted cases; ${WARM_UP_CASES + changes} needed`);

    const resolve = (code: string) => change(`case status ${code} arrested on:${TODAY}`);
    const reopen = (code: string) => change(`case status ${code} wanted`);

    for (const code of codes.slice(0, WARM_UP_CASES)) {
      await resolve(code);
      await reopen(code);
    }
    const resolveSamples: number[] = [];
    const reopenSamples: number[] = [];
    for (const code of codes.slice(WARM_UP_CASES)) {
      resolveSamples.push(await resolve(code));
      reopenSamples.push(await reopen(code));
    }
    return {
      driver: input.driver,
      cases,
      changes,
      today: TODAY,
      loadSeconds,
      resolve: summarise(resolveSamples),
      reopen: summarise(reopenSamples),
    };
  } finally {
    await handle.close();
  }
}
