import type { Database } from '../../db/client.ts';
import type { Platform } from '../../db/schema/index.ts';
import type { Poster, PostPart } from '../core/platform.ts';
import type { ReplyMessage } from '../domain/reply.ts';
import type { Logger } from '../logger.ts';
import { markDeliveredIfComplete } from '../repositories/digest-runs.ts';
import {
  giveUpExpiredAnswers,
  leaseNext,
  loadAttachment,
  markMessageDelivered,
  recordMessageFailure,
  recordProgress,
  renewLease,
  storedMessage,
  type OutboxRow,
} from '../repositories/outbox.ts';

export { canMessageDirectly, type Poster, type PostPart } from '../core/platform.ts';

/** What became of one message in a pass. */
export interface Delivery {
  key: string;
  platform: Platform;
  outcome: 'delivered' | 'failed' | 'gave-up';
  error?: string;
}

/** 1, 2, 4 … minutes, at most an hour, after the `attempt`th try. */
export function retryDelayMs(attempt: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempt - 1));
}

export interface OutboxWorkerDeps {
  db: Database;
  posters: Partial<Record<Platform, Poster>>;
  logger: Logger;
  instanceId: string;
  /** How long a lease lasts without being renewed (default 10 minutes). */
  leaseMs?: number;
  /** Attempts before a message is given up, its last error kept (default 8). */
  maxAttempts?: number;
  /** How often the lease is renewed while a part is being posted (default a third of the lease). */
  renewEveryMs?: number;
}

class LostLease extends Error {
  constructor() {
    super('Another instance took over this message.');
  }
}

/**
 * Posts what the outbox holds for the platforms this instance has posters for. Each message is
 * leased by one instance at a time; the lease is renewed while a slow call runs (Slack's client
 * retries for minutes, discord.js waits out rate limits), every part that went out is recorded
 * under the lease, and an instance that finds its lease lost stops. Messages for a platform no
 * poster here serves wait for an instance that has one.
 */
export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const maxAttempts = deps.maxAttempts ?? 8;
  const renewEveryMs = deps.renewEveryMs ?? Math.max(1_000, Math.floor(leaseMs / 3));
  const owner = deps.instanceId;
  const log = deps.logger.child({ job: 'outbox' });

  function partsOf(poster: Poster, row: OutboxRow): PostPart[] {
    const message = row.message as unknown as ReplyMessage;
    if (row.replyTo !== null) {
      if (!poster.answerParts) throw new Error(`${row.platform} cannot answer a request here.`);
      return poster.answerParts(row.replyTo, storedMessage(row));
    }
    if (row.channelId !== null) {
      const attachments = row.attachments.map(loadAttachment);
      return poster.parts ? poster.parts(row.channelId, message, attachments) : [() => poster.post(row.channelId!, message, attachments)];
    }
    const userId = row.userId!;
    if (poster.directParts) return poster.directParts(userId, message);
    if (poster.direct) return [() => poster.direct!(userId, message)];
    throw new Error(`${row.platform} cannot message a user directly here.`);
  }

  /**
   * Posts one leased message from where it stopped. `at()` is the pass's clock; backoff is counted
   * from `now`, when the pass started.
   */
  async function post(row: OutboxRow, poster: Poster, now: Date, at: () => Date): Promise<Delivery | undefined> {
    const base = { key: row.key, platform: row.platform };
    let lost = false;
    const renew = setInterval(() => {
      void renewLease(deps.db, { id: row.id, owner, leaseUntil: new Date(at().getTime() + leaseMs) })
        .then((held) => {
          if (!held) lost = true;
        })
        .catch((error) => log.warn({ key: row.key, err: error }, 'could not renew a lease'));
    }, renewEveryMs);
    renew.unref();
    try {
      const parts = partsOf(poster, row);
      for (let n = row.partsDone; n < parts.length; n++) {
        await parts[n]!();
        const held =
          n + 1 === parts.length
            ? await markMessageDelivered(deps.db, { id: row.id, owner, partsDone: n + 1, at: at() })
            : await recordProgress(deps.db, { id: row.id, owner, partsDone: n + 1, leaseUntil: new Date(at().getTime() + leaseMs) });
        if (!held || lost) throw new LostLease();
      }
      if (
        row.partsDone >= parts.length &&
        !(await markMessageDelivered(deps.db, { id: row.id, owner, partsDone: row.partsDone, at: at() }))
      )
        throw new LostLease();
      if (row.runId !== null) await markDeliveredIfComplete(deps.db, { runId: row.runId, at: at() });
      log.info({ key: row.key, attempt: row.attempts, parts: parts.length, resumedAt: row.partsDone }, 'message delivered');
      return { ...base, outcome: 'delivered' };
    } catch (error) {
      if (error instanceof LostLease) {
        // Whoever holds it now carries on from the parts recorded.
        log.warn({ key: row.key }, 'lease lost while posting; another instance carries on');
        return undefined;
      }
      const message = error instanceof Error ? error.message : String(error);
      const gaveUp = row.attempts >= maxAttempts;
      const retryAt = gaveUp ? null : new Date(now.getTime() + retryDelayMs(row.attempts));
      await recordMessageFailure(deps.db, { id: row.id, owner, error: message, retryAt });
      log.warn({ key: row.key, attempt: row.attempts, err: error }, gaveUp ? 'message given up' : 'message failed; will retry');
      return { ...base, outcome: gaveUp ? 'gave-up' : 'failed', error: message };
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Delivers every message due at `now`, one platform beside the other, one message at a time on
   * each. Time moves on from `now` as the pass takes (real) time, so leases and retries are
   * measured from the clock that started the pass. `until` ends the pass between two messages
   * when it says so (the instance is stopping).
   */
  async function deliverDue(
    now: Date,
    options: { limit?: number; answersOnly?: boolean; until?: () => boolean } = {},
  ): Promise<Delivery[]> {
    const started = Date.now();
    const at = () => new Date(now.getTime() + (Date.now() - started));
    const limit = options.limit ?? 500;
    const answersOnly = options.answersOnly ?? false;
    const platforms = (Object.keys(deps.posters) as Platform[]).filter((p) => deps.posters[p]);
    const expired = await giveUpExpiredAnswers(deps.db, now);
    if (expired > 0) log.warn({ answers: expired }, 'answers given up: the platform no longer takes them');
    const perPlatform = await Promise.all(
      platforms.map(async (platform) => {
        const poster = deps.posters[platform]!;
        const done: Delivery[] = [];
        for (let i = 0; i < limit && !options.until?.(); i++) {
          const row = await leaseNext(deps.db, { platforms: [platform], owner, now: at(), leaseMs, answersOnly });
          if (!row) break;
          const delivery = await post(row, poster, now, at);
          if (delivery) done.push(delivery);
        }
        return done;
      }),
    );
    return perPlatform.flat();
  }

  /**
   * Delivers only the answers to requests that are due: those whose instance died before sending
   * them, or whose live send failed. Cheap (one indexed look-up when there are none), so it can run
   * every few seconds: an answer is worth little once the user has given up waiting.
   */
  const deliverAnswers = (now: Date, options: { until?: () => boolean } = {}): Promise<Delivery[]> =>
    deliverDue(now, { ...options, answersOnly: true });

  return { deliverDue, deliverAnswers };
}
