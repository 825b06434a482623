import type { Executor } from '../../db/client.ts';
import type { Logger } from '../logger.ts';
import { forgetInvocationsBefore } from '../repositories/invocations.ts';
import { forgetDeliveredBefore, giveUpExpiredAnswers } from '../repositories/outbox.ts';
import { forgetExpiredPendingActions } from '../repositories/pending-actions.ts';
import { HOUSEKEEPING_JOB } from './names.ts';

const DAY = 24 * 60 * 60_000;

// The job's name (src/jobs/names.ts, light enough for the command line to list it): in its log lines (`job`).
export { HOUSEKEEPING_JOB };

/** Delivered messages are kept this long, for operators looking into a delivery. */
const DELIVERED_RETENTION_DAYS = 30;

/** How many rows each kind of housekeeping forgot, and the instants it forgot them before. */
export interface Forgotten {
  /** Request ids claimed before `invocationsBefore`: a platform retries within minutes, never days later. */
  invocations: number;
  invocationsBefore: Date;
  /** Messages delivered before `deliveredBefore`; the undelivered stay for operators. */
  delivered: number;
  deliveredBefore: Date;
  /** Confirmations whose buttons expired. */
  confirmations: number;
  /**
   * Answers to requests whose platform handle expired undelivered: given up, their handle and
   * message forgotten (also done by every outbox pass; here for instances without a chat platform).
   */
  expiredAnswers: number;
}

/**
 * The housekeeping job: forgets processed request ids older than `invocationRetentionDays`
 * (`CASEDESK_INVOCATION_RETENTION_DAYS`), messages delivered over a month ago, expired
 * confirmations, and the handles and messages of answers that expired undelivered. Audit rows are not among them: casedesk never deletes one, and the database
 * refuses it. Each part is a plain delete of what is old enough, so a second instance or a retry
 * at the same time finds nothing more to forget: it needs no run ledger to be a no-op.
 *
 * @example
 *   const forgotten = await runHousekeeping(db, { now: new Date(), invocationRetentionDays: 30, logger });
 */
export async function runHousekeeping(
  db: Executor,
  input: { now: Date; invocationRetentionDays: number; logger: Logger },
): Promise<Forgotten> {
  const { now } = input;
  const invocationsBefore = new Date(now.getTime() - input.invocationRetentionDays * DAY);
  const deliveredBefore = new Date(now.getTime() - DELIVERED_RETENTION_DAYS * DAY);
  const invocations = await forgetInvocationsBefore(db, invocationsBefore);
  const delivered = await forgetDeliveredBefore(db, deliveredBefore);
  const confirmations = await forgetExpiredPendingActions(db, now);
  const expiredAnswers = await giveUpExpiredAnswers(db, now);
  const forgotten = { invocations, invocationsBefore, delivered, deliveredBefore, confirmations, expiredAnswers };
  const log = input.logger.child({ job: HOUSEKEEPING_JOB });
  const counts = { invocations, invocationRetentionDays: input.invocationRetentionDays, delivered, confirmations, expiredAnswers };
  // Hourly on every instance: a pass that forgot nothing is not worth a line at the usual level.
  if (invocations || delivered || confirmations || expiredAnswers) log.info(counts, 'housekeeping: old records forgotten');
  else log.debug(counts, 'housekeeping: nothing to forget');
  return forgotten;
}
