import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { auditLog, type AuditOutcome } from '../../db/schema/index.ts';

export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at' | 'chainSeq' | 'hash'>;

/**
 * Appends one row to the audit log; the database chains it (number and hash) and refuses any
 * change after that. What was typed is kept as typed, except that a NUL, which Postgres cannot
 * store in text, is written as U+2400 (␀): the row of a refused line is written all the same.
 */
export async function insertAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(storable(entry));
}

const NUL = new RegExp(String.fromCharCode(0), 'g');

function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(NUL, '\u2400') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
  }
  return value;
}

/** The chain's head: the last row's number and hash (0 and the genesis hash on an empty log). */
export async function auditChainHead(db: Executor): Promise<{ seq: number; hash: string }> {
  const [row] = await queryRows<{ seq: string | number; hash: string }>(db, sql`select seq, hash from audit_chain`);
  if (!row) throw new Error('audit_chain has no head row: the audit migration did not run');
  return { seq: Number(row.seq), hash: row.hash };
}

/** One link of the chain as it is stored, with the hash its content and its predecessor give. */
export interface ChainLink {
  id: number;
  seq: number;
  hash: string | null;
  /** The hash recomputed from the row's content and the previous stored row's hash. */
  expected: string;
}

/**
 * The links numbered `after + 1` to `after + count`, in order, each checked against the stored
 * hash of the row before it (`previousHash` for the first). A number repeated or missing shows
 * as such in the answer.
 */
export async function chainLinks(
  db: Executor,
  input: { after: number; count: number; previousHash: string; upTo?: number },
): Promise<ChainLink[]> {
  const last = Math.min(input.after + input.count, input.upTo ?? Number.MAX_SAFE_INTEGER);
  const rows = await queryRows<{ id: string | number; seq: string | number; hash: string | null; expected: string }>(
    db,
    sql`select a.id, a.chain_seq as seq, a.hash,
               casedesk_audit_row_hash(coalesce(lag(a.hash) over w, ${input.previousHash}), a.chain_seq, a) as expected
          from audit_log a
         where a.chain_seq > ${input.after} and a.chain_seq <= ${last}
        window w as (order by a.chain_seq, a.id)
        order by a.chain_seq, a.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), seq: Number(r.seq), hash: r.hash, expected: r.expected }));
}

/** The first number in the chain after `after` (up to `upTo`), when the numbers after it are missing. */
export async function nextChainSeq(db: Executor, input: { after: number; upTo: number }): Promise<number | null> {
  const [row] = await queryRows<{ seq: string | number | null }>(
    db,
    sql`select min(chain_seq) as seq from audit_log where chain_seq > ${input.after} and chain_seq <= ${input.upTo}`,
  );
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/**
 * The first row numbered past the chain's head, read in one statement with the head, so that rows
 * chained while a verification runs are never taken for it.
 */
export async function firstRowBeyondHead(db: Executor): Promise<{ id: number; seq: number } | null> {
  const [row] = await queryRows<{ id: string | number; seq: string | number }>(
    db,
    sql`select a.id, a.chain_seq as seq from audit_log a
         where a.chain_seq > (select seq from audit_chain) order by a.chain_seq, a.id limit 1`,
  );
  return row ? { id: Number(row.id), seq: Number(row.seq) } : null;
}

/** Rows that carry no place in the chain: written with its trigger bypassed. */
export async function rowsOutsideChain(db: Executor): Promise<{ count: number; firstId: number | null }> {
  const [row] = await queryRows<{ n: number; first_id: string | number | null }>(
    db,
    sql`select count(*)::int as n, min(id) as first_id from audit_log where chain_seq is null or hash is null`,
  );
  return { count: row?.n ?? 0, firstId: row?.first_id === null || row?.first_id === undefined ? null : Number(row.first_id) };
}

/** The stored hash of the row numbered `seq` in the chain, if there is one. */
export async function chainHashAt(db: Executor, seq: number): Promise<string | null> {
  const [row] = await queryRows<{ hash: string | null }>(db, sql`select hash from audit_log where chain_seq = ${seq} order by id limit 1`);
  return row?.hash ?? null;
}

/** Where the chain starts: the "previous hash" of row 1. */
export async function chainGenesis(db: Executor): Promise<string> {
  const [row] = await queryRows<{ hash: string }>(db, sql`select casedesk_audit_genesis() as hash`);
  return row!.hash;
}

/** One audit row as a review shows it: who (member and unit, or the operating-system user), what, where, how it ended. */
export interface AuditReviewRow {
  id: number;
  seq: number | null;
  at: Date;
  memberHandle: string | null;
  memberUnit: string | null;
  platform: string;
  workspaceId: string | null;
  userId: string | null;
  channelId: string | null;
  osUser: string | null;
  osHost: string | null;
  command: string;
  args: Record<string, unknown>;
  caseCodes: string[];
  outcome: AuditOutcome;
  detail: string | null;
  hash: string | null;
}

/** Which rows a review reads: those naming a case, those of a member, or those of a period. */
export type AuditFilter =
  | { caseCode: string }
  | { memberId: number }
  | {
      from: Date;
      to: Date;
      /** Only rows by members of these units or naming cases of these units; every row when null. */
      unitIds: number[] | null;
    };

function filterSql(filter: AuditFilter) {
  if ('caseCode' in filter) return sql`a.case_codes @> array[${filter.caseCode}]::text[]`;
  if ('memberId' in filter) return sql`a.member_id = ${filter.memberId}`;
  const period = sql`a.at >= ${filter.from.toISOString()}::timestamptz and a.at < ${filter.to.toISOString()}::timestamptz`;
  if (filter.unitIds === null) return period;
  const units = sql`array[${sql.join(
    filter.unitIds.map((id) => sql`${id}`),
    sql`, `,
  )}]::int[]`;
  return sql`${period} and (m.unit_id = any(${units})
    or exists (select 1 from cases c where c.code = any(a.case_codes) and c.unit_id = any(${units})))`;
}

/**
 * Audit rows matching `filter`, newest first (`order: 'newest'`, for a review on screen) or in
 * the order written after `afterId` (`order: 'oldest'`, for an export read in pages).
 */
export async function auditRows(
  db: Executor,
  input: { filter: AuditFilter; limit: number; order: 'newest' | 'oldest'; afterId?: number },
): Promise<AuditReviewRow[]> {
  const order = input.order === 'newest' ? sql`a.id desc` : sql`a.id`;
  const after = input.afterId === undefined ? sql`true` : sql`a.id > ${input.afterId}`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`select a.id, a.chain_seq, a.at, m.handle as member_handle, u.code as member_unit, a.platform, a.workspace_id,
               a.user_id, a.channel_id, a.os_user, a.os_host, a.command, a.args, a.case_codes, a.outcome::text as outcome,
               a.detail, a.hash
          from audit_log a
          left join members m on m.id = a.member_id
          left join units u on u.id = m.unit_id
         where ${filterSql(input.filter)} and ${after}
         order by ${order}
         limit ${input.limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    seq: r.chain_seq === null ? null : Number(r.chain_seq),
    at: new Date(r.at as string),
    memberHandle: (r.member_handle as string | null) ?? null,
    memberUnit: (r.member_unit as string | null) ?? null,
    platform: r.platform as string,
    workspaceId: (r.workspace_id as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    channelId: (r.channel_id as string | null) ?? null,
    osUser: (r.os_user as string | null) ?? null,
    osHost: (r.os_host as string | null) ?? null,
    command: r.command as string,
    args: (typeof r.args === 'string' ? JSON.parse(r.args) : r.args) as Record<string, unknown>,
    caseCodes: (r.case_codes as string[] | null) ?? [],
    outcome: r.outcome as AuditOutcome,
    detail: (r.detail as string | null) ?? null,
    hash: (r.hash as string | null) ?? null,
  }));
}

/** How many audit rows match `filter`. */
export async function countAuditRows(db: Executor, filter: AuditFilter): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_log a left join members m on m.id = a.member_id where ${filterSql(filter)}`,
  );
  return row?.n ?? 0;
}
