import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import { createMemoryDb, type DbHandle } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import type { Reply } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { cleanText } from '../src/domain/text.ts';
import { analyzeAll, sampleCases } from '../src/repositories/bench-data.ts';
import { searchCases } from '../src/repositories/case-search.ts';
import { insertMember } from '../src/repositories/members.ts';
import { findUnitByCode, insertUnit, unitSubtreeIds } from '../src/repositories/units.ts';
import { createRandom } from '../src/services/demo-data.ts';
import { DEMO_UNITS, writeDemoCases } from '../src/services/demo-seed.ts';
import { openKeptServerDb } from './databases.ts';
import { summarise, time, type Summary } from './stats.ts';

const TODAY = '2026-11-01';
const SEED = 327;

/** A reply that drops the message: the benchmark measures the core, not a renderer. */
const nullReply: Reply = { canBePrivate: true, send: async (_: ReplyMessage) => {} };

export interface CaseFindResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  queries: number;
  loadSeconds: number | null;
  dispatcher: Summary;
  bare: Summary;
  ratioP50: number;
  ratioP99: number;
}

/** Loads `count` demo cases into an empty migrated database (units and one lead member too). */
export async function loadBenchCases(handle: DbHandle, count: number): Promise<number> {
  const start = Date.now();
  const unitIds = new Map<string, number>();
  for (const u of DEMO_UNITS) {
    const unit = await insertUnit(handle.db, { code: u.code, name: u.name, parentId: u.parent ? unitIds.get(u.parent)! : null });
    unitIds.set(u.code, unit.id);
  }
  await insertMember(handle.db, { handle: 'bench.lead', displayName: 'Bench', role: 'lead', unitId: unitIds.get('C06')!, locale: 'vi' });
  const units = DEMO_UNITS.map((u) => ({ id: unitIds.get(u.code)!, code: u.code, weight: u.weight }));
  const step = 50_000;
  for (let done = 0; done < count; done += step) {
    await writeDemoCases(handle.db, {
      count: Math.min(step, count - done),
      seed: SEED + done,
      today: TODAY,
      units,
      firstSequence: done + 1,
      batchSize: 2000,
    });
    process.stderr.write(`  loaded ${Math.min(done + step, count).toLocaleString('en')} cases\n`);
  }
  await analyzeAll(handle.db);
  return (Date.now() - start) / 1000;
}

/**
 * The queries people type: names without diacritics (whole, with a typo, in another order, with a
 * word missing), aliases, codes and ID numbers, drawn from the data itself.
 */
export async function sampleQueries(handle: DbHandle, n: number): Promise<string[]> {
  const random = createRandom(SEED);
  const rows = await sampleCases(handle.db, { seed: SEED, limit: n });
  return rows.map((row) => {
    const words = row.search_key.split(' ');
    const name = words.slice(0, words.length - (row.aliases.length ? row.aliases.join(' ').split(' ').length : 0));
    const kind = random.weighted([
      ['name', 35],
      ['typo', 20],
      ['order', 10],
      ['missing', 10],
      ['code', 10],
      ['id', 5],
      ['alias', 10],
    ] as const);
    switch (kind) {
      case 'typo': {
        const i = name.length - 1;
        const w = name[i]!;
        const at = random.int(0, w.length - 1);
        name[i] = w.slice(0, at) + random.pick([...'abcdeghiklmnopqrstuvxy']) + w.slice(at + 1);
        return name.join(' ');
      }
      case 'order':
        return [...name.slice(1), name[0]].join(' ');
      case 'missing':
        return name.length > 2 ? [name[0], name[name.length - 1]].join(' ') : name.join(' ');
      case 'code':
        return row.code.toLowerCase();
      case 'id':
        return row.national_id ?? row.code;
      case 'alias':
        return row.aliases[0] ? row.aliases[0] : name.join(' ');
      default:
        return name.join(' ');
    }
  });
}

/**
 * The server's benchmark database with `cases` cases, loaded on first use and kept between runs
 * (loading a million cases takes minutes). Named after its size and seed.
 */
export async function openServerBenchDb(serverUrl: string, cases: number): Promise<{ handle: DbHandle; loadSeconds: number | null }> {
  return openKeptServerDb(serverUrl, {
    name: `casedesk_bench_${cases}_${SEED}`,
    cases,
    poolMax: 4,
    load: (handle) => loadBenchCases(handle, cases),
  });
}

export async function benchCaseFind(input: {
  driver: 'pglite' | 'postgres';
  cases: number;
  queries: number;
  serverUrl?: string;
}): Promise<CaseFindResult> {
  let handle: DbHandle;
  let loadSeconds: number | null;
  if (input.driver === 'pglite') {
    handle = await createMemoryDb();
    await migrateDb(handle);
    loadSeconds = await loadBenchCases(handle, input.cases);
  } else {
    ({ handle, loadSeconds } = await openServerBenchDb(input.serverUrl!, input.cases));
  }
  try {
    const dispatcher = createDispatcher({
      db: handle.db,
      commands,
      locale: 'vi',
      timeZone: 'Asia/Ho_Chi_Minh',
      logger: pino({ level: 'silent' }),
    });
    const root = (await findUnitByCode(handle.db, 'C06'))!;
    const scopeIds = await unitSubtreeIds(handle.db, root.id);
    const queries = await sampleQueries(handle, input.queries);
    const viaDispatcher = (q: string) =>
      dispatcher.dispatch(
        {
          id: `bench:${randomUUID()}`,
          actor: { platform: 'console', workspaceId: 'local', userId: 'bench.lead' },
          channel: { id: 'bench', isPrivate: true },
          input: { kind: 'text', line: `case find ${q}` },
        },
        nullReply,
      );
    const bare = (q: string) => searchCases(handle.db, { text: cleanText(q), unitIds: scopeIds, limit: 10 });
    // Warm up caches and the JIT on both paths.
    for (const q of queries.slice(0, 30)) {
      await viaDispatcher(q);
      await bare(q);
    }
    const viaSamples: number[] = [];
    const bareSamples: number[] = [];
    for (const q of queries) {
      // Alternate, so that drift in the machine's load touches both alike.
      const [result, viaMs] = await time(() => viaDispatcher(q));
      if (result.outcome === 'error') throw new Error(`case find ${q}: internal error ${result.reference}`);
      viaSamples.push(viaMs);
      bareSamples.push((await time(() => bare(q)))[1]);
    }
    const d = summarise(viaSamples);
    const b = summarise(bareSamples);
    return {
      driver: input.driver,
      cases: input.cases,
      queries: queries.length,
      loadSeconds,
      dispatcher: d,
      bare: b,
      ratioP50: d.p50 / b.p50,
      ratioP99: d.p99 / b.p99,
    };
  } finally {
    await handle.close();
  }
}
