import type { Database } from '../../db/client.ts';
import type { Logger } from '../logger.ts';
import { HIT_MESSAGES } from '../presenters/checks.ts';
import { dueHitRequests, updateHitRequest, type HitRequestView } from '../repositories/checks.ts';
import { ANSWER_WITHIN_MS, askOwningUnits } from '../services/checks.ts';
import { HIT_LADDER_JOB } from './names.ts';

// The job's name (src/jobs/names.ts, light enough for the command line to list it).
export { HIT_LADDER_JOB };

/** Requests moved up a stage a transaction; the rest wait for the next pass. */
const BATCH = 200;

export interface LadderPass {
  /** Requests asked again (stage 1), told to the unit's leads (stage 2), and now overdue (stage 3). */
  askedAgain: number;
  leadsTold: number;
  overdue: number;
}

/**
 * The hit confirmation ladder (NCIC's): a request unanswered by its time is asked again, with as
 * long again to answer; unanswered again, the owning unit's leads are told directly; unanswered
 * once more, it is overdue and the digest counts it. Each request moves once per deadline however
 * many instances run this: due requests are locked and skipped by the others, and each stage's
 * messages are queued in the transaction that moves them.
 */
export async function runHitLadder(db: Database, input: { now: Date; timeZone: string; logger: Logger }): Promise<LadderPass> {
  const pass: LadderPass = { askedAgain: 0, leadsTold: 0, overdue: 0 };
  for (;;) {
    const moved = await db.transaction(async (tx) => {
      const due = await dueHitRequests(tx, { now: input.now, limit: BATCH });
      const byStage = new Map<1 | 2, HitRequestView[]>();
      for (const request of due) {
        const stage = (request.stage + 1) as 1 | 2 | 3;
        const dueAt = stage === 3 ? request.dueAt : new Date(input.now.getTime() + ANSWER_WITHIN_MS[request.priority]);
        await updateHitRequest(tx, { id: request.id, set: { stage, dueAt } });
        if (stage === 3) pass.overdue++;
        else byStage.set(stage, [...(byStage.get(stage) ?? []), { ...request, stage, dueAt }]);
      }
      for (const [stage, requests] of byStage) {
        if (stage === 1) pass.askedAgain += requests.length;
        else pass.leadsTold += requests.length;
        await askOwningUnits(tx, {
          hits: requests,
          stage,
          now: input.now,
          timeZone: input.timeZone,
          // A request reaches each stage once, so the first of a batch names it.
          key: `ladder:${stage}:${requests[0]!.id}`,
          messages: HIT_MESSAGES,
        });
      }
      return due.length;
    });
    if (moved < BATCH) break;
  }
  if (pass.askedAgain + pass.leadsTold + pass.overdue > 0)
    input.logger.info({ job: HIT_LADDER_JOB, ...pass }, 'hit confirmations moved up the ladder');
  return pass;
}
