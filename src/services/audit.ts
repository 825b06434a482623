import type { Executor } from '../../db/client.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { Scope } from '../domain/scope.ts';
import { text } from '../i18n/text.ts';
import {
  auditChainHead,
  auditRows,
  chainGenesis,
  chainHashAt,
  chainLinks,
  countAuditRows,
  firstRowBeyondHead,
  nextChainSeq,
  rowsOutsideChain,
  type AuditReviewRow,
} from '../repositories/audit.ts';
import { findMemberByHandle } from '../repositories/members.ts';
import { getCaseInScope } from './cases.ts';

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
  // The head when the walk starts: the rows up to it are checked; the rows chained meanwhile by a
  // running bot are left to the next verification.
  const head = await auditChainHead(db);
  const report = (rows: number, finding: ChainFinding | null): ChainReport => ({ rows, head, finding });
  const beyond = await firstRowBeyondHead(db);
  if (beyond) return report(0, { kind: 'beyond_head', id: beyond.id, seq: beyond.seq });
  let after = 0;
  let previousHash = await chainGenesis(db);
  while (after < head.seq) {
    const links = await chainLinks(db, { after, count: batch, previousHash, upTo: head.seq });
    if (links.length === 0) {
      const next = await nextChainSeq(db, { after, upTo: head.seq });
      if (next === null) break;
      const [first] = await chainLinks(db, { after: next - 1, count: 1, previousHash });
      return report(after, { kind: 'removed', from: after + 1, to: next - 1, nextId: first?.id ?? null });
    }
    for (const link of links) {
      if (link.seq === after) return report(after, { kind: 'out_of_order', id: link.id, seq: link.seq });
      if (link.seq > after + 1) return report(after, { kind: 'removed', from: after + 1, to: link.seq - 1, nextId: link.id });
      if (link.hash !== link.expected) return report(after, { kind: 'changed', id: link.id, seq: link.seq });
      after = link.seq;
      previousHash = link.hash;
    }
  }
  if (after < head.seq) return report(after, { kind: 'removed', from: after + 1, to: head.seq, nextId: null });
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

/** How many rows a review shows on screen; the rest are counted and left to `casedesk audit export`. */
export const AUDIT_REVIEW_LIMIT = 30;

export interface AuditReview {
  rows: AuditReviewRow[];
  total: number;
}

/**
 * Who read or changed a case, newest first: for auditors and admins whose scope holds the case.
 * Says nothing of the case but its code.
 */
export async function auditOfCase(
  db: Executor,
  input: { scope: Scope; code: string; limit?: number },
): Promise<Result<AuditReview & { code: string }>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const filter = { caseCode: found.value.code };
  const [rows, total] = await Promise.all([
    auditRows(db, { filter, limit: input.limit ?? AUDIT_REVIEW_LIMIT, order: 'newest' }),
    countAuditRows(db, filter),
  ]);
  return ok({ code: found.value.code, rows, total });
}

/** What a member did, newest first: for auditors and admins whose scope holds the member's unit. */
export async function auditOfMember(
  db: Executor,
  input: { scope: Scope; handle: string; limit?: number },
): Promise<Result<AuditReview & { handle: string }>> {
  const handle = input.handle.trim().toLowerCase();
  const member = await findMemberByHandle(db, handle);
  if (!member || !input.scope.unitIds.includes(member.unitId))
    return fail(
      'not_found',
      text(
        `Không có thành viên "${handle}" trong phạm vi của bạn; xem lại tên đăng nhập (lệnh whoami cho biết phạm vi).`,
        `No member "${handle}" in your scope; check the handle (whoami shows your scope).`,
      ),
    );
  const filter = { memberId: member.id };
  const [rows, total] = await Promise.all([
    auditRows(db, { filter, limit: input.limit ?? AUDIT_REVIEW_LIMIT, order: 'newest' }),
    countAuditRows(db, filter),
  ]);
  return ok({ handle: member.handle, rows, total });
}

/**
 * Every audit row of a period (of members of `unitIds` or naming their cases, or all), in the
 * order written, page by page so that a large export never sits in memory whole.
 */
export async function* auditRowsOfPeriod(
  db: Executor,
  input: { from: Date; to: Date; unitIds: number[] | null; pageSize?: number },
): AsyncGenerator<AuditReviewRow> {
  const filter = { from: input.from, to: input.to, unitIds: input.unitIds };
  let afterId: number | undefined;
  for (;;) {
    const page = await auditRows(db, { filter, limit: input.pageSize ?? 5_000, order: 'oldest', afterId });
    yield* page;
    if (page.length < (input.pageSize ?? 5_000)) return;
    afterId = page.at(-1)!.id;
  }
}
