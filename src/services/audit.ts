import type { Executor } from '../../db/client.ts';
import { auditChainHead, chainGenesis, chainHashAt, chainLinks, nextChainSeq, rowsOutsideChain } from '../repositories/audit.ts';

/** What breaks the audit log's hash chain first, if anything does. */
export type ChainFinding =
  /** The row's content or hash is not what was chained: it was changed. */
  | { kind: 'changed'; id: number; seq: number }
  /** The rows numbered `from` to `to` are gone; `nextId` is the row after the gap, if any. */
  | { kind: 'removed'; from: number; to: number; nextId: number | null }
  /** A row carries a number already taken: it was inserted out of order. */
  | { kind: 'out_of_order'; id: number; seq: number }
  /** Rows with no place in the chain: inserted with its trigger bypassed. */
  | { kind: 'outside'; id: number; count: number }
  /** Rows numbered past the chain's head: inserted with the head bypassed. */
  | { kind: 'beyond_head'; id: number; seq: number }
  /** The head kept outside the database (a digest's footer) no longer matches its row. */
  | { kind: 'kept_head'; seq: number; found: string | null };

export interface ChainReport {
  /** Rows checked in chain order. */
  rows: number;
  head: { seq: number; hash: string };
  finding: ChainFinding | null;
}

/** A head kept outside the database: a row number and the first characters of its hash. */
export interface KeptHead {
  seq: number;
  hashPrefix: string;
}

/**
 * Walks the audit log's hash chain from its first row, recomputing each row's hash from its
 * content and the previous row's, in batches (each one statement), and names the first row
 * that was changed, removed or inserted out of order. With `kept`, a head copied from a
 * delivered digest, it also proves the log up to that row was not rewritten wholesale.
 *
 * @example
 *   const report = await verifyAuditChain(db, { kept: { seq: 1234, hashPrefix: '5b9c143d976b' } });
 *   if (report.finding) console.log(report.finding.kind);
 */
export async function verifyAuditChain(db: Executor, input: { kept?: KeptHead; batch?: number } = {}): Promise<ChainReport> {
  const batch = input.batch ?? 20_000;
  const head = await auditChainHead(db);
  const report = (rows: number, finding: ChainFinding | null): ChainReport => ({ rows, head, finding });
  let after = 0;
  let previousHash = await chainGenesis(db);
  for (;;) {
    const links = await chainLinks(db, { after, count: batch, previousHash });
    if (links.length === 0) {
      const next = await nextChainSeq(db, after);
      if (next === null) break;
      const [first] = await chainLinks(db, { after: next - 1, count: 1, previousHash });
      return report(after, { kind: 'removed', from: after + 1, to: next - 1, nextId: first?.id ?? null });
    }
    for (const link of links) {
      if (link.seq > head.seq) return report(after, { kind: 'beyond_head', id: link.id, seq: link.seq });
      if (link.seq === after) return report(after, { kind: 'out_of_order', id: link.id, seq: link.seq });
      if (link.seq > after + 1) return report(after, { kind: 'removed', from: after + 1, to: link.seq - 1, nextId: link.id });
      if (link.hash !== link.expected) return report(after, { kind: 'changed', id: link.id, seq: link.seq });
      after = link.seq;
      previousHash = link.hash;
    }
  }
  if (after < head.seq) return report(after, { kind: 'removed', from: after + 1, to: head.seq, nextId: null });
  if (after > head.seq) {
    const [beyond] = await chainLinks(db, { after: head.seq, count: 1, previousHash });
    return report(after, { kind: 'beyond_head', id: beyond?.id ?? 0, seq: head.seq + 1 });
  }
  if (after > 0 && previousHash !== head.hash) {
    const [last] = await chainLinks(db, { after: after - 1, count: 1, previousHash });
    return report(after, { kind: 'changed', id: last?.id ?? 0, seq: after });
  }
  const outside = await rowsOutsideChain(db);
  if (outside.count > 0) return report(after, { kind: 'outside', id: outside.firstId!, count: outside.count });
  if (input.kept) {
    const found = await chainHashAt(db, input.kept.seq);
    if (!found?.startsWith(input.kept.hashPrefix.toLowerCase())) return report(after, { kind: 'kept_head', seq: input.kept.seq, found });
  }
  return report(after, null);
}

/** How many characters of a hash a digest's footer carries: 48 bits, enough to prove a copy. */
const KEPT_HASH_LENGTH = 12;

/** The head as a digest's footer prints it and `audit verify --head` reads it: `1234:5b9c143d976b`. */
export function keptHeadOf(head: { seq: number; hash: string }): string {
  return `${head.seq}:${head.hash.slice(0, KEPT_HASH_LENGTH)}`;
}

/** Reads `1234:5b9c143d976b`; undefined when it is not a row number and at least 8 hex digits. */
export function parseKeptHead(input: string): KeptHead | undefined {
  const match = /^(\d{1,15}):([0-9a-f]{8,64})$/i.exec(input.trim());
  if (!match) return undefined;
  return { seq: Number(match[1]), hashPrefix: match[2]!.toLowerCase() };
}
