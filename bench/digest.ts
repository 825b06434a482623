import type { DbHandle } from '../db/client.ts';
import {
  countHistoryRows,
  countReopenedCases,
  countRows,
  insertRandomHistory,
  insertRandomCaseEvents,
  insertRandomFollowUps,
  insertRandomLookups,
  maxCaseId,
  analyzeAll,
  vacuumAnalyzeCases,
} from '../src/repositories/bench-data.ts';
import { findUnitByCode } from '../src/repositories/units.ts';
import { buildDigest } from '../src/services/digest/digest.ts';
import { presetPeriod } from '../src/services/digest/period.ts';
import { openServerBenchDb } from './case-find.ts';
import { summarise, time, type Summary } from './stats.ts';

export interface DigestBenchResult {
  cases: number;
  events: number;
  /** Cases wanted again after an outcome, entries of the figures' journal, and decisions. */
  reopened: number;
  journal: number;
  decisions: number;
  auditRows: number;
  followUps: number;
  period: { from: string; to: string };
  everything: Summary;
  province: Summary;
}

/**
 * Brings the kept benchmark database up to `reopened` cases wanted again (with the decisions and
 * outcomes that follow, see insertRandomHistory), `events` case events, `auditRows` audit rows (lookups)
 * and `followUps` follow-ups, spread over the cases and the last three years. Idempotent: it tops
 * up what is missing.
 */
/** Audit rows a statement inserts when topping up. */
const AUDIT_BATCH = 2_000;

async function topUp(handle: DbHandle, input: { events: number; auditRows: number; followUps: number; reopened: number }): Promise<void> {
  const maxId = await maxCaseId(handle.db);
  // History for the figures: escapes and new wanted decisions, outcomes again, corrections.
  if ((await countReopenedCases(handle.db)) === 0) {
    await insertRandomHistory(handle.db, { count: input.reopened, today: '2026-11-01' });
    process.stderr.write(`  history: ${input.reopened.toLocaleString('en')} cases wanted again\n`);
  }
  const missingEvents = input.events - (await countRows(handle.db, { table: 'case_events' }));
  for (let left = missingEvents; left > 0; left -= 100_000) {
    const n = Math.min(100_000, left);
    await insertRandomCaseEvents(handle.db, { count: n, maxId });
    process.stderr.write(`  events: ${(missingEvents - left + n).toLocaleString('en')} added\n`);
  }
  const missingAudit = input.auditRows - (await countRows(handle.db, { table: 'audit_log' }));
  // A few thousand at a time: each row moves the audit chain's head, and one statement moving it
  // hundreds of thousands of times would walk ever longer chains of its versions.
  for (let left = missingAudit; left > 0; left -= AUDIT_BATCH) await insertRandomLookups(handle.db, { count: Math.min(AUDIT_BATCH, left) });
  const missingFollowUps = input.followUps - (await countRows(handle.db, { table: 'follow_ups' }));
  if (missingFollowUps > 0) await insertRandomFollowUps(handle.db, { count: missingFollowUps, maxId });
  // As autovacuum would in time: statistics, and the visibility map index-only scans rely on.
  await vacuumAnalyzeCases(handle.db);
  await analyzeAll(handle.db);
}

/** The digest for an 8-month period on the server, for everything and for one province. */
export async function benchDigest(input: { serverUrl: string; cases: number; events: number; runs: number }): Promise<DigestBenchResult> {
  const { handle } = await openServerBenchDb(input.serverUrl, input.cases);
  try {
    const auditRows = 500_000;
    const followUps = 20_000;
    await topUp(handle, { events: input.events, auditRows, followUps, reopened: Math.round(input.cases / 10) });
    // Sent on 1 September: "the first 8 months" of 2026.
    const today = '2026-09-01';
    const period = presetPeriod('ytd', today);
    const since = new Date('2026-08-25T00:00:00Z');
    const province = (await findUnitByCode(handle.db, 'CA-HN'))!;
    const asOf = new Date('2026-09-01T00:00:00Z');
    const run = (scopeUnitId: number | null) =>
      buildDigest(handle.db, { scopeUnitId, period, today, timeZone: 'Asia/Ho_Chi_Minh', since, asOf });
    await run(null);
    await run(province.id);
    const everything: number[] = [];
    const scoped: number[] = [];
    for (let i = 0; i < input.runs; i++) {
      everything.push((await time(() => run(null)))[1]);
      scoped.push((await time(() => run(province.id)))[1]);
    }
    const events = await countRows(handle.db, { table: 'case_events' });
    const reopened = await countReopenedCases(handle.db);
    const { journal, decisions } = await countHistoryRows(handle.db);
    return {
      cases: input.cases,
      events,
      reopened,
      journal,
      decisions,
      auditRows,
      followUps,
      period,
      everything: summarise(everything),
      province: summarise(scoped),
    };
  } finally {
    await handle.close();
  }
}
