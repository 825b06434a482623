import { and, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { processedInvocations, type Platform } from '../../db/schema/index.ts';
import type { Member } from './members.ts';

export interface ResolvedActor {
  member: Member | undefined;
  /** The member's unit and its descendants. */
  unitIds: number[];
}

/**
 * Takes an invocation id for `claimedBy`, leased until `now + leaseMs`: true for the first taker,
 * and for a duplicate that finds the claim abandoned (its lease ran out before it was finished: the
 * claimer died); false while another instance holds it, or once it is finished. A single statement,
 * committed at once, so that the platform is acknowledged by the one instance that will answer;
 * of several duplicates taking over at once, the row lock lets one win.
 */
export async function acceptInvocation(
  db: Executor,
  input: { key: string; claimedBy: string; now: Date; leaseMs: number },
): Promise<boolean> {
  const leaseUntil = new Date(input.now.getTime() + input.leaseMs);
  const rows = await db
    .insert(processedInvocations)
    .values({ key: input.key, claimedBy: input.claimedBy, leaseUntil })
    .onConflictDoUpdate({
      target: processedInvocations.key,
      set: { claimedBy: input.claimedBy, leaseUntil },
      setWhere: and(isNotNull(processedInvocations.leaseUntil), lt(processedInvocations.leaseUntil, input.now)),
    })
    .returning({ key: processedInvocations.key });
  return rows.length === 1;
}

/** Extends `claimedBy`'s lease on an unfinished claim while its command runs; false when it was lost. */
export function renewInvocationLease(db: Executor, input: { key: string; claimedBy: string; leaseUntil: Date }): Promise<boolean> {
  return setOwnClaimLease(db, input);
}

/**
 * Finishes `claimedBy`'s claim: call it in the transaction that commits the command's audit row and
 * answer, so that the claim is finished exactly when they are. False when another instance took the
 * claim over meanwhile: this one's transaction must then roll back and stay silent. The row stays
 * locked until the commit, so a duplicate taking over at that moment waits and then finds it finished.
 */
export function finishInvocation(db: Executor, input: { key: string; claimedBy: string }): Promise<boolean> {
  return setOwnClaimLease(db, { ...input, leaseUntil: null });
}

/** Sets the lease of `claimedBy`'s unfinished claim (null finishes it); false when it is not theirs, or finished. */
async function setOwnClaimLease(db: Executor, input: { key: string; claimedBy: string; leaseUntil: Date | null }): Promise<boolean> {
  const rows = await db
    .update(processedInvocations)
    .set({ leaseUntil: input.leaseUntil })
    .where(
      and(
        eq(processedInvocations.key, input.key),
        eq(processedInvocations.claimedBy, input.claimedBy),
        isNotNull(processedInvocations.leaseUntil),
      ),
    )
    .returning({ key: processedInvocations.key });
  return rows.length === 1;
}

/**
 * In one statement: finds the member behind the chat account (on the console, by handle) and
 * their units. One round trip on the hot path of every command instead of two.
 */
export async function resolveActor(
  db: Executor,
  input: { platform: Platform; workspaceId: string; userId: string },
): Promise<ResolvedActor> {
  const byHandle = input.platform === 'console';
  const [row] = await queryRows<{ member: Record<string, unknown> | null; unit_ids: number[] | null }>(
    db,
    sql`with recursive
          member as (
            select m.* from members m
            where ${byHandle} and m.handle = ${input.userId}
            union all
            select m.* from member_identities i join members m on m.id = i.member_id
            where not ${byHandle} and i.platform = ${input.platform} and i.workspace_id = ${input.workspaceId} and i.user_id = ${input.userId}
            limit 1),
          tree(id) as (
            select unit_id from member
            union all
            select u.id from units u join tree on u.parent_id = tree.id)
        select (select row_to_json(member) from member) as member,
               (select array_agg(id) from tree) as unit_ids`,
  );
  const m = row?.member;
  return {
    member: m
      ? {
          id: Number(m.id),
          handle: String(m.handle),
          displayName: String(m.display_name),
          role: m.role as Member['role'],
          unitId: Number(m.unit_id),
          locale: (m.locale as Member['locale']) ?? null,
          createdAt: new Date(String(m.created_at)),
          disabledAt: typeof m.disabled_at === 'string' ? new Date(m.disabled_at) : null,
        }
      : undefined,
    unitIds: (row?.unit_ids ?? []).map(Number),
  };
}

/**
 * Forgets claims older than `before` (the housekeeping job's retention): platforms retry within
 * minutes, so an id that old will not come back. Keeps the table from growing without bound; the
 * audit log keeps the history.
 */
export async function forgetInvocationsBefore(db: Executor, before: Date): Promise<number> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`with gone as (delete from processed_invocations where claimed_at < ${before.toISOString()}::timestamptz returning 1) select count(*)::int as n from gone`,
  );
  return rows[0]?.n ?? 0;
}
