import type { Executor } from '../../db/client.ts';
import { forgetInvocationsBefore } from '../repositories/invocations.ts';
import { forgetDeliveredBefore } from '../repositories/outbox.ts';
import { forgetExpiredPendingActions } from '../repositories/pending-actions.ts';

const DAY = 24 * 60 * 60_000;

/** How many rows each kind of housekeeping forgot. */
export interface Forgotten {
  /** Request ids claimed more than a week ago: a platform retries within minutes, never a week later. */
  invocations: number;
  /** Messages delivered more than a month ago; the undelivered stay for operators. */
  delivered: number;
  /** Confirmations whose buttons expired. */
  confirmations: number;
}

/** The housekeeping job: forgets old invocation claims, long-delivered messages and expired confirmations. */
export async function forgetOldRecords(db: Executor, input: { now: Date }): Promise<Forgotten> {
  const { now } = input;
  const invocations = await forgetInvocationsBefore(db, new Date(now.getTime() - 7 * DAY));
  const delivered = await forgetDeliveredBefore(db, new Date(now.getTime() - 30 * DAY));
  const confirmations = await forgetExpiredPendingActions(db, now);
  return { invocations, delivered, confirmations };
}
