import type { ChatAdapter } from '../core/platform.ts';
import type { Logger } from '../logger.ts';
import type { Health } from './health.ts';

/** What became of a graceful stop. */
export interface DrainResult {
  /** Everything in flight finished within the time allowed. */
  drained: boolean;
  /** Requests still being answered when the time ran out (0 when drained). */
  stillRunning: number;
  /** Outbox messages this instance held and let go of. */
  released: number;
}

/**
 * The graceful stop, in order: readiness fails at once; the adapters take no new requests and the
 * scheduler fires nothing more, while what is in flight (requests, the message being posted)
 * finishes, for at most `timeoutMs`; the outbox messages this instance holds are let go of, so
 * another instance posts them at once; the adapters disconnect. The database is closed by the
 * caller, last.
 *
 * @example
 *   const result = await drainAndStop({ health, adapters, scheduler, timeoutMs: config.shutdownTimeoutMs, logger });
 *   if (!result.drained) process.exitCode = 1;
 */
export async function drainAndStop(input: {
  health: Pick<Health, 'startDraining'>;
  adapters: readonly ChatAdapter[];
  scheduler: { stop(): Promise<void>; releaseHeld(): Promise<number> };
  timeoutMs: number;
  logger: Logger;
}): Promise<DrainResult> {
  const log = input.logger.child({ component: 'shutdown' });
  input.health.startDraining();
  const inFlight = () => input.adapters.reduce((n, a) => n + a.status().inFlight, 0);
  log.info({ inFlight: inFlight(), timeoutMs: input.timeoutMs }, 'stopping: no new requests; finishing those in flight');
  const work = Promise.all([
    ...input.adapters.map((adapter) =>
      adapter.drain().catch((error: unknown) => log.warn({ err: error, platform: adapter.platform }, 'could not drain')),
    ),
    input.scheduler.stop().catch((error: unknown) => log.warn({ err: error }, 'could not stop the scheduler')),
  ]).then(() => true);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), input.timeoutMs);
  });
  const drained = await Promise.race([work, late]);
  clearTimeout(timer);
  const stillRunning = drained ? 0 : inFlight();
  if (!drained) {
    log.warn(
      { stillRunning, timeoutMs: input.timeoutMs },
      `stopping anyway: ${stillRunning} request(s) still running after CASEDESK_SHUTDOWN_TIMEOUT_MS`,
    );
  }
  let released = 0;
  try {
    released = await input.scheduler.releaseHeld();
    if (released > 0) log.info({ released }, 'outbox messages let go of for another instance');
  } catch (error) {
    log.warn({ err: error }, 'could not let go of the outbox messages held; they wait for their lease to run out');
  }
  await Promise.all(
    input.adapters.map((adapter) =>
      adapter.stop().catch((error: unknown) => log.warn({ err: error, platform: adapter.platform }, 'could not stop')),
    ),
  );
  return { drained, stillRunning, released };
}
