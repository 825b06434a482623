import { randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { pendingActions } from '../../db/schema/index.ts';

export interface PendingAction {
  command: string;
  options: Record<string, string | number | boolean>;
}

/** Stores a command to be run when its button is pressed, and returns the key the button carries. */
export async function insertPendingAction(
  db: Executor,
  input: PendingAction & { memberId: number; now: Date; ttlMs: number },
): Promise<string> {
  const key = randomBytes(12).toString('base64url');
  await db.insert(pendingActions).values({
    key,
    command: input.command,
    options: input.options,
    offeredToMemberId: input.memberId,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.ttlMs),
  });
  return key;
}

/**
 * Takes the pending action behind a button: at most one press runs it. Undefined when it expired,
 * was used, or never existed. Inside the command's transaction, so a press that is then refused
 * (the presser lacks the role) rolls back and leaves the action for someone who may.
 */
export async function consumePendingAction(db: Executor, input: { key: string; now: Date }): Promise<PendingAction | undefined> {
  const [row] = await db
    .delete(pendingActions)
    .where(and(eq(pendingActions.key, input.key), gt(pendingActions.expiresAt, input.now)))
    .returning({ command: pendingActions.command, options: pendingActions.options });
  return row;
}

/** Forgets actions whose buttons expired before `now` (the scheduler's hourly housekeeping). */
export async function forgetExpiredPendingActions(db: Executor, now: Date): Promise<number> {
  const rows = await db.delete(pendingActions).where(lt(pendingActions.expiresAt, now)).returning({ key: pendingActions.key });
  return rows.length;
}

/** Voids every confirm button offered to a member (who was just disabled): pressed later, they answer "expired". */
export async function deletePendingActionsOfferedTo(db: Executor, input: { memberId: number }): Promise<number> {
  const rows = await db
    .delete(pendingActions)
    .where(eq(pendingActions.offeredToMemberId, input.memberId))
    .returning({ key: pendingActions.key });
  return rows.length;
}
