import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import { createMemoryDb } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import type { Reply } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { caseCodesByIds } from '../src/repositories/bench-data.ts';
import { wantedCaseIds } from '../src/repositories/cases.ts';
import { loadBenchCases } from './case-find.ts';
import { freshServerDb } from './databases.ts';
import { summarise, time, type Summary } from './stats.ts';

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
    const dispatcher = createDispatcher({
      db: handle.db,
      commands,
      locale: 'vi',
      timeZone: TIME_ZONE,
      // Errors only, to stderr: a failed change throws with its reference, and the stack is found under it.
      logger: pino({ level: 'error' }, pino.destination(2)),
      clock: () => new Date(`${TODAY}T12:00:00+07:00`),
    });
    const codes = await caseCodesByIds(handle.db, { ids: await wantedCaseIds(handle.db, { limit: WARM_UP_CASES + changes }) });
    if (codes.length < WARM_UP_CASES + changes) throw new Error(`only ${codes.length} wanted cases; ${WARM_UP_CASES + changes} needed`);

    // Keeps the answers (the renderer is not measured), so that a refusal can say why.
    const answers: ReplyMessage[] = [];
    const reply: Reply = {
      canBePrivate: true,
      send: async (message) => {
        answers.push(message);
      },
    };
    // Console text: not interactive, so the change is made at once, without a confirmation step.
    const change = async (line: string): Promise<number> => {
      answers.length = 0;
      const [result, took] = await time(() =>
        dispatcher.dispatch(
          {
            id: `bench:${randomUUID()}`,
            actor: { platform: 'console', workspaceId: 'local', userId: 'bench.lead' },
            channel: { id: 'bench', isPrivate: true },
            input: { kind: 'text', line },
          },
          reply,
        ),
      );
      if (result.outcome !== 'ok') {
        const why = result.reference ? `reference ${result.reference}` : JSON.stringify(answers.at(-1)?.blocks ?? null);
        throw new Error(`${line}: ${result.outcome} (${result.code ?? '?'}): ${why}`);
      }
      return took;
    };
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
