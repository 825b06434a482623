import type { Database, Executor } from '../../db/client.ts';
import type { ReplyMessage } from '../domain/reply.ts';
import type { Logger } from '../logger.ts';
import { acceptInvocation, finishInvocation, renewInvocationLease } from '../repositories/invocations.ts';
import {
  enqueueAnswer,
  leaseAnswer,
  markMessageDelivered,
  recordMessageFailure,
  renewLease,
  storedMessage,
} from '../repositories/outbox.ts';
import type { AnswerContext, Invocation, Reply } from './invocation.ts';

/** The outbox key of the answer to an invocation. */
export const answerKey = (invocationId: string): string => `answer:${invocationId}`;

/** When a live answer the platform refused is tried again by the outbox. */
const LIVE_RETRY_MS = 15_000;

/** Thrown inside a transaction when another instance took the claim over: roll back, stay silent. */
export class LostClaim extends Error {
  constructor() {
    super('Another instance took this invocation over.');
  }
}

/**
 * One instance's hold on the requests it answers, so that each is answered once whatever dies:
 *
 * - a claim of the invocation id, leased and renewed while its command runs: an instance that dies
 *   before committing lets it run out, and a later delivery of the request takes it over;
 * - the answer, stored in the outbox in the command's own transaction (`settle`, which also
 *   finishes the claim) and leased to this instance while it is sent live (`deliver`): one that dies
 *   after committing leaves it to another instance's outbox worker, or to a duplicate (`unanswered`).
 *
 * @example
 *   const claims = createClaims({ db: acceptDb, instanceId, clock });
 *   if (!(await claims.accept(invocation.id))) return;
 */
export function createClaims(deps: {
  /** Outside the commands' pool (the handle's `acceptDb`): a claim must not wait behind the work it guards. */
  db: Database;
  instanceId: string;
  clock: () => Date;
  /** How long a claim is held without renewal while its command runs (default a minute, renewed). */
  claimLeaseMs?: number;
  /** How long the stored answer is held while it is sent live (default a minute, renewed). */
  answerLeaseMs?: number;
}) {
  const { db, instanceId: owner, clock } = deps;
  const claimLeaseMs = deps.claimLeaseMs ?? 60_000;
  const answerLeaseMs = deps.answerLeaseMs ?? 60_000;
  const later = (ms: number) => new Date(clock().getTime() + ms);

  return {
    /**
     * Takes the invocation id, leased: false when another instance or an earlier delivery has it
     * (running, or finished). A claim left unfinished by an instance that died is taken over once
     * its lease has run out.
     */
    accept: (invocationId: string): Promise<boolean> =>
      acceptInvocation(db, { key: invocationId, claimedBy: owner, now: clock(), leaseMs: claimLeaseMs }),

    /** Keeps the claim leased while its command runs; `stop` when it is settled. */
    hold: (invocationId: string, log: Logger): { stop(): void } =>
      keepLeased(
        () => renewInvocationLease(db, { key: invocationId, claimedBy: owner, leaseUntil: later(claimLeaseMs) }),
        claimLeaseMs,
        log,
      ),

    /** Finishes a claim answered without a stored answer (an autocomplete), so that no later delivery takes it over. */
    finish: (invocationId: string): Promise<boolean> => finishInvocation(db, { key: invocationId, claimedBy: owner }),

    /**
     * The answer an earlier delivery of this request committed and nobody delivered or is delivering
     * (its instance died), leased to this instance to send; undefined otherwise.
     */
    async unanswered(invocationId: string): Promise<{ id: number; message: ReplyMessage } | undefined> {
      const row = await leaseAnswer(db, { key: answerKey(invocationId), owner, now: clock(), leaseMs: answerLeaseMs });
      return row ? { id: row.id, message: storedMessage(row) } : undefined;
    },

    /**
     * In the transaction of the command's audit row: finishes the claim (or throws {@link LostClaim})
     * and stores the answer, leased to this instance, which sends it live next. Gives its outbox id,
     * or undefined where the platform gave no handle to answer through later (the console).
     */
    async settle(tx: Executor, invocation: Invocation, message: ReplyMessage): Promise<number | undefined> {
      if (!(await finishInvocation(tx, { key: invocation.id, claimedBy: owner }))) throw new LostClaim();
      const handle = invocation.answerHandle;
      if (!handle) return undefined;
      return enqueueAnswer(tx, {
        answer: {
          key: answerKey(invocation.id),
          platform: invocation.actor.platform,
          replyTo: handle.to,
          expiresAt: handle.expiresAt,
          message,
        },
        now: clock(),
        owner,
        leaseUntil: later(answerLeaseMs),
      });
    },

    /**
     * Sends an answer through the live reply and, if it was stored (`answerId`), marks it delivered
     * under this instance's lease, renewed while the platform is slow. What the platform refused is
     * left to the outbox to try again.
     */
    async deliver(
      reply: Reply,
      message: ReplyMessage,
      answerId: number | undefined,
      context: AnswerContext | undefined,
      log: Logger,
    ): Promise<void> {
      if (answerId === undefined) {
        await reply.send(message, context).catch((error: unknown) => log.error({ err: error }, 'could not deliver the reply'));
        return;
      }
      const lease = keepLeased(() => renewLease(db, { id: answerId, owner, leaseUntil: later(answerLeaseMs) }), answerLeaseMs, log);
      try {
        await reply.send(message, context);
      } catch (error) {
        lease.stop();
        log.error({ err: error }, 'could not deliver the reply; the outbox tries again');
        await recordMessageFailure(db, {
          id: answerId,
          owner,
          error: error instanceof Error ? error.message : String(error),
          retryAt: later(LIVE_RETRY_MS),
        }).catch((failed: unknown) => log.error({ err: failed }, 'could not record that the reply failed'));
        return;
      }
      lease.stop();
      const held = await markMessageDelivered(db, { id: answerId, owner, partsDone: 1, at: clock() }).catch(
        (error: unknown) => (log.error({ err: error }, 'could not record that the answer was delivered'), true),
      );
      if (!held) log.warn('the lease of the answer ran out while it was sent: another instance may have sent it as well');
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;

/**
 * Runs `renew` every third of `leaseMs` until stopped, so that a lease outlives slow work but not a
 * dead process. A renewal that fails is logged; the next one tries again.
 */
function keepLeased(renew: () => Promise<boolean>, leaseMs: number, log: Logger): { stop(): void } {
  const timer = setInterval(
    () => {
      renew()
        .then((held) => {
          if (!held) clearInterval(timer);
        })
        .catch((error: unknown) => log.warn({ err: error }, 'could not renew a lease'));
    },
    Math.max(1_000, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
