import { sql } from 'drizzle-orm';
import { createMemoryDb } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { caseCodesByIds, insertRandomLookups } from '../src/repositories/bench-data.ts';
import { wantedCaseIds } from '../src/repositories/cases.ts';
import { verifyAuditChain } from '../src/services/audit.ts';
import { loadBenchCases } from './case-find.ts';
import { benchCommandRunner } from './commands.ts';
import { freshServerDb } from './databases.ts';
import { summarise, time, type Summary } from './stats.ts';

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Rows in the audit log before measuring: a log some months old. */
const EARLIER_AUDIT_ROWS = 200_000;
/** Samples are taken in blocks, alternating with and without the chain, so that drift hits both alike. */
const BLOCK = 25;

export interface AuditChainResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  auditRowsBefore: number;
  /** `case show <code>`: an audited read (one audit row in the command's transaction). */
  show: { chained: Summary; unchained: Summary; overheadP50: number; overheadMean: number };
  /** `case note <code> <text>`: an audited write. */
  note: { chained: Summary; unchained: Summary; overheadP50: number; overheadMean: number };
  /** On the server: notes from `clients` concurrent connections, per second, with and without the chain. */
  concurrent: { clients: number; seconds: number; chainedPerSecond: number; unchainedPerSecond: number } | null;
  /**
   * `casedesk audit verify` over the whole log at the end: how long, how many rows walked, and what
   * it found (`outside`, as it must: the rows written with the chain disabled have no place in it).
   */
  verify: { ms: number; rows: number; finding: string | null };
}

/**
 * The chain's cost per audited command: the same commands through the dispatcher with the chain's
 * trigger enabled and disabled (as the tables' owner can), in alternating blocks.
 */
export async function benchAuditChain(input: {
  driver: 'pglite' | 'postgres';
  cases?: number;
  samples?: number;
  serverUrl?: string;
}): Promise<AuditChainResult> {
  const cases = input.cases ?? 20_000;
  const samples = input.samples ?? 400;
  const handle =
    input.driver === 'pglite'
      ? await createMemoryDb()
      : await freshServerDb(input.serverUrl!, { name: 'casedesk_bench_audit_chain', poolMax: 8 });
  try {
    await migrateDb(handle);
    await loadBenchCases(handle, cases);
    // A few thousand at a time: each row moves the chain's head, and one statement moving it tens of
    // thousands of times would walk ever longer chains of its versions (a bot moves it once a command).
    for (let done = 0; done < EARLIER_AUDIT_ROWS; done += 2_000) await insertRandomLookups(handle.db, { count: 2_000 });
    // The head's dead versions, as the server's autovacuum (PGlite's page pruning) clears them.
    await handle.db.execute(sql`vacuum analyze audit_chain`);
    await handle.db.execute(sql`vacuum analyze audit_log`);
    const run = benchCommandRunner(handle, { timeZone: TIME_ZONE });
    const codes = await caseCodesByIds(handle.db, { ids: await wantedCaseIds(handle.db, { limit: 200 }) });
    const chain = (on: boolean) => handle.db.execute(sql.raw(`alter table audit_log ${on ? 'enable' : 'disable'} trigger audit_log_chain`));

    const measure = async (line: (i: number) => string) => {
      const chained: number[] = [];
      const unchained: number[] = [];
      for (let i = 0; i < 2 * BLOCK; i++) await run(line(i)); // warm-up
      for (let block = 0; chained.length < samples || unchained.length < samples; block++) {
        const on = block % 2 === 0;
        await chain(on);
        for (let i = 0; i < BLOCK; i++) (on ? chained : unchained).push(await run(line(block * BLOCK + i)));
      }
      await chain(true);
      const c = summarise(chained);
      const u = summarise(unchained);
      return { chained: c, unchained: u, overheadP50: c.p50 / u.p50 - 1, overheadMean: c.mean / u.mean - 1 };
    };
    const show = await measure((i) => `case show ${codes[i % codes.length]!}`);
    const note = await measure((i) => `case note ${codes[i % codes.length]!} Đã xác minh nơi ở lần ${i}`);

    let concurrent: AuditChainResult['concurrent'] = null;
    if (input.driver === 'postgres') {
      const clients = 8;
      const seconds = 3;
      const rounds = 4;
      // Notes from `clients` connections for `seconds`; how many were answered.
      const burst = async (on: boolean, round: number) => {
        await chain(on);
        const until = Date.now() + seconds * 1000;
        let done = 0;
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let i = 0; Date.now() < until; i++) {
              await run(`case note ${codes[(c * 25 + i) % codes.length]!} Ghi chú ${round}-${c}-${i}`);
              done++;
            }
          }),
        );
        return done;
      };
      let chainedNotes = 0;
      let unchainedNotes = 0;
      // Alternating, each mode first in turn, so that neither gains from the other's warm-up.
      for (let round = 0; round < rounds; round++) {
        const first = round % 2 === 0;
        const a = await burst(first, round);
        const b = await burst(!first, round);
        chainedNotes += first ? a : b;
        unchainedNotes += first ? b : a;
      }
      await chain(true);
      concurrent = {
        clients,
        seconds: seconds * rounds,
        chainedPerSecond: chainedNotes / (seconds * rounds),
        unchainedPerSecond: unchainedNotes / (seconds * rounds),
      };
    }

    const [verified, took] = await time(() => verifyAuditChain(handle.db));
    return {
      driver: input.driver,
      cases,
      auditRowsBefore: EARLIER_AUDIT_ROWS,
      show,
      note,
      concurrent,
      verify: { ms: took, rows: verified.rows, finding: verified.finding?.kind ?? null },
    };
  } finally {
    await handle.close();
  }
}
