import cron, { type ScheduledTask } from 'node-cron';
import type { Database } from '../../db/client.ts';
import type { Logger } from '../logger.ts';
import { listSchedules } from '../services/digest/schedules.ts';
import { HOUSEKEEPING_JOB, runHousekeeping } from '../jobs/housekeeping.ts';
import type { DigestRunner } from './digests.ts';

/**
 * Wires the scheduled jobs to node-cron in this process. Each enabled schedule is a cron task in
 * its own time zone; a task every minute picks up schedules added, changed or removed by any
 * instance, closes meetings left open too long, moves unanswered hit confirmations up their ladder,
 * retries what failed, and delivers the outbox;
 * hourly, the `housekeeping` job forgets request ids claimed more than `invocationRetentionDays`
 * ago, messages delivered over a month ago and confirmations whose buttons expired (never audit
 * rows). Every few seconds (`answerPollMs`), it delivers the answers to requests whose instance
 * died between committing a command and answering it. What actually goes out is decided by the run
 * ledger and the outbox's leases, so every instance can run this (with or without posters) and each
 * message is still sent once.
 *
 * @example
 *   const scheduler = await startScheduler({ db, runner, logger, invocationRetentionDays: config.invocationRetentionDays });
 *   // … on shutdown:
 *   await scheduler.stop();
 */
export async function startScheduler(input: {
  db: Database;
  runner: DigestRunner;
  logger: Logger;
  /** How many days processed request ids are kept (`CASEDESK_INVOCATION_RETENTION_DAYS`). */
  invocationRetentionDays: number;
  clock?: () => Date;
  /**
   * How often answers left undelivered are looked for (default 5 s; 0: only with the minute's
   * pass). One indexed look-up a pass when there are none.
   */
  answerPollMs?: number;
}) {
  const clock = input.clock ?? (() => new Date());
  const log = input.logger.child({ job: 'scheduler' });
  const tasks = new Map<string, ScheduledTask>();
  let running = Promise.resolve();

  /** One pass at a time in this process: the time-out, then the digests and the outbox. */
  const pass = (what: { meetings: boolean }) => {
    running = running
      .then(async () => {
        const now = clock();
        if (what.meetings) {
          await input.runner.closeStaleMeetings(now).catch((error) => log.error({ err: error }, 'could not close stale meetings'));
          await input.runner
            .advanceHits(now)
            .catch((error) => log.error({ err: error }, 'could not move hit confirmations up their ladder'));
        }
        await input.runner.runDue(now);
      })
      .catch((error) => log.error({ err: error }, 'digest pass failed'));
    return running;
  };

  /** Schedules node-cron refused: logged once, not every minute. */
  const refused = new Set<string>();

  /** Registers the enabled schedules; one node-cron refuses is logged and left out, the others go on. */
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
      if (tasks.has(key) || refused.has(key)) continue;
      try {
        tasks.set(
          key,
          cron.schedule(schedule.cron, () => pass({ meetings: false }), {
            timezone: schedule.timeZone,
            name: `digest-${schedule.id}`,
            noOverlap: true,
          }),
        );
      } catch (error) {
        refused.add(key);
        log.error(
          { schedule: schedule.id, cron: schedule.cron, timeZone: schedule.timeZone, err: error },
          'schedule not registered: node-cron refuses it; fix or remove it',
        );
      }
    }
  }
  /** Hourly, the `housekeeping` job: old request ids, long-delivered messages and expired confirmations are forgotten. */
  let lastHousekeeping = 0;
  const housekeeping = async () => {
    const now = clock();
    if (now.getTime() - lastHousekeeping < 60 * 60_000) return;
    lastHousekeeping = now.getTime();
    await runHousekeeping(input.db, { now, invocationRetentionDays: input.invocationRetentionDays, logger: input.logger });
  };

  const syncLogged = () => sync().catch((error) => log.error({ err: error }, 'could not reload digest schedules'));
  const passAndHousekeeping = async () => {
    // A slot missed while every instance was down goes out now, if it is within the grace.
    await pass({ meetings: true });
    await housekeeping().catch((error) => input.logger.child({ job: HOUSEKEEPING_JOB }).error({ err: error }, 'housekeeping failed'));
  };
  const maintenance = async () => {
    await syncLogged();
    await passAndHousekeeping();
  };
  await syncLogged();
  // The first pass (a slot missed while every instance was down, meetings left open, housekeeping)
  // runs while the instance already serves: a start is not held up by it. `firstPass` says when it is done.
  const firstPass = passAndHousekeeping();
  const minute = cron.schedule('* * * * *', maintenance, { name: 'digest-maintenance', noOverlap: true });
  // Answers apart from the minute's pass, so that they wait neither for it nor behind a digest.
  let answering: Promise<unknown> | undefined;
  const answerPollMs = input.answerPollMs ?? 5_000;
  const answers =
    answerPollMs > 0
      ? setInterval(() => {
          answering ??= input.runner
            .deliverAnswers(clock())
            .catch((error) => log.error({ err: error }, 'answer pass failed'))
            .finally(() => (answering = undefined));
        }, answerPollMs)
      : undefined;
  answers?.unref();
  log.info({ schedules: tasks.size }, 'digest scheduler started');

  return {
    /** The pass that catches up at start: what was due while no instance ran it goes out. */
    firstPass,
    /** The cron tasks registered for schedules, by `id|cron|tz`. */
    registered: () => [...tasks.keys()],
    /** Re-reads the schedules now instead of at the next minute. */
    sync,
    /**
     * Fires nothing more and waits for the pass under way, which finishes the message it is posting
     * and takes no other (see the runner's `stop`).
     */
    async stop(): Promise<void> {
      input.runner.stop();
      await firstPass;
      await minute.destroy();
      clearInterval(answers);
      await answering;
      for (const task of tasks.values()) await task.destroy();
      tasks.clear();
      await running;
    },
  };
}
