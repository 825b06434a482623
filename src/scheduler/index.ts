import cron, { type ScheduledTask } from 'node-cron';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../logger.ts';
import { forgetInvocationsBefore } from '../repositories/invocations.ts';
import { listSchedules } from '../services/digest/schedules.ts';
import type { DigestRunner } from './digests.ts';

/**
 * Wires the digest schedules to node-cron in this process. Each enabled schedule is a cron task in
 * its own time zone; a task every minute picks up schedules added, changed or removed by any
 * instance, retries failed deliveries, and (hourly) forgets request ids claimed over a week ago.
 * What actually goes out is decided by the run ledger,
 * so every instance can run this and each slot is still sent once.
 *
 * @example
 *   const scheduler = await startScheduler({ db, runner, logger });
 *   // … on shutdown:
 *   await scheduler.stop();
 */
export async function startScheduler(input: { db: Database; runner: DigestRunner; logger: Logger; clock?: () => Date }) {
  const clock = input.clock ?? (() => new Date());
  const log = input.logger.child({ job: 'scheduler' });
  const tasks = new Map<string, ScheduledTask>();
  let running = Promise.resolve();

  /** Runs the due digests, one pass at a time in this process. */
  const runDue = () => {
    running = running
      .then(async () => {
        await input.runner.runDue(clock());
      })
      .catch((error) => log.error({ err: error }, 'digest pass failed'));
    return running;
  };

  async function sync(): Promise<void> {
    const schedules = await listSchedules(input.db, { enabledOnly: true });
    const wanted = new Map(schedules.map((s) => [`${s.id}|${s.cron}|${s.timeZone}`, s]));
    for (const [key, task] of tasks) {
      if (!wanted.has(key)) {
        await task.destroy();
        tasks.delete(key);
      }
    }
    for (const [key, schedule] of wanted) {
      if (tasks.has(key)) continue;
      tasks.set(key, cron.schedule(schedule.cron, () => runDue(), { timezone: schedule.timeZone, name: `digest-${schedule.id}`, noOverlap: true }));
    }
  }

  /** Hourly: request ids claimed more than a week ago are forgotten. */
  let lastHousekeeping = 0;
  const housekeeping = async () => {
    const now = clock();
    if (now.getTime() - lastHousekeeping < 60 * 60_000) return;
    lastHousekeeping = now.getTime();
    const forgotten = await forgetInvocationsBefore(input.db, new Date(now.getTime() - 7 * 24 * 60 * 60_000));
    if (forgotten) log.info({ forgotten }, 'old request ids forgotten');
  };

  await sync();
  // A slot missed while every instance was down goes out now, if it is within the grace.
  await runDue();
  await housekeeping().catch((error) => log.error({ err: error }, 'housekeeping failed'));
  const minute = cron.schedule(
    '* * * * *',
    async () => {
      try {
        await sync();
      } catch (error) {
        log.error({ err: error }, 'could not reload digest schedules');
      }
      await runDue();
      await input.runner.closeStaleMeetings(clock()).catch((error) => log.error({ err: error }, 'could not close stale meetings'));
      await housekeeping().catch((error) => log.error({ err: error }, 'housekeeping failed'));
    },
    { name: 'digest-maintenance', noOverlap: true },
  );
  log.info({ schedules: tasks.size }, 'digest scheduler started');

  return {
    /** The cron tasks registered for schedules, by `id|cron|tz`. */
    registered: () => [...tasks.keys()],
    /** Re-reads the schedules now instead of at the next minute. */
    sync,
    async stop(): Promise<void> {
      await minute.destroy();
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      await running;
    },
  };
}
