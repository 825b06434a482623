import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DbHandle } from '../../db/client.ts';
import type { OnAcknowledged } from '../core/platform.ts';
import type { DigestRunOutcome } from '../jobs/schedule-runs.ts';
import type { Logger } from '../logger.ts';
import { outboxBacklog } from '../repositories/outbox.ts';
import type { Delivery } from '../scheduler/outbox.ts';

/** Seconds: from a quick read to a long check of a file (commands may run for minutes). */
const COMMAND_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];
/** Seconds: platforms give three to acknowledge, so the buckets are finest below that. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

/**
 * The process's Prometheus metrics, in a registry of its own (never prom-client's global one), so
 * that two in one process (tests) do not mix. Counters and histograms are fed by the instrumented
 * dispatcher, the adapters and the scheduler; the outbox and database gauges are read when
 * scraped. Labels hold command names from the registry, platforms and outcomes, never a user,
 * a channel or what was typed.
 *
 * @example
 *   const metrics = createMetrics({ handle, logger });
 *   const dispatcher = instrumentDispatcher(core.dispatcher, metrics, { commands: names });
 *   res.end(await metrics.registry.metrics());
 */
export function createMetrics(input: { handle: Pick<DbHandle, 'db' | 'turns'>; logger: Logger; registry?: Registry; clock?: () => Date }) {
  const registry = input.registry ?? new Registry();
  const clock = input.clock ?? (() => new Date());
  const log = input.logger.child({ component: 'metrics' });
  collectDefaultMetrics({ register: registry });

  const commands = new Counter({
    name: 'casedesk_commands_total',
    help: 'Chat requests dispatched, by command and outcome (ok, denied, invalid, error, duplicate; failed: the dispatch itself threw).',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const commandSeconds = new Histogram({
    name: 'casedesk_command_duration_seconds',
    help: 'Time from the hand-over of a request to the core to its answer, by command and outcome.',
    labelNames: ['command', 'outcome'] as const,
    buckets: COMMAND_BUCKETS,
    registers: [registry],
  });
  const acknowledgementSeconds = new Histogram({
    name: 'casedesk_acknowledgement_duration_seconds',
    help: "Time from a request's arrival to the platform's acknowledgement (Slack's ack, Discord's deferral), by platform.",
    labelNames: ['platform'] as const,
    buckets: ACK_BUCKETS,
    registers: [registry],
  });
  const digestRuns = new Counter({
    name: 'casedesk_digest_runs_total',
    help: 'Digest runs this instance tried to build, by outcome (built, failed, gave_up).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'casedesk_outbox_deliveries_total',
    help: 'Outbox messages this instance tried to post, by platform and outcome (delivered, failed, gave_up).',
    labelNames: ['platform', 'outcome'] as const,
    registers: [registry],
  });

  // Read at each scrape, one query for both gauges. A platform with nothing left shows 0.
  let backlog: Promise<Awaited<ReturnType<typeof outboxBacklog>> | undefined> | undefined;
  const readBacklog = () => {
    backlog ??= outboxBacklog(input.handle.db)
      .catch((error: unknown) => {
        log.warn({ err: error }, 'could not read the outbox backlog for the metrics');
        return undefined;
      })
      .finally(() => setImmediate(() => (backlog = undefined)));
    return backlog;
  };
  new Gauge({
    name: 'casedesk_outbox_backlog',
    help: 'Outbox messages not delivered, by platform and state (waiting: still to be tried; given_up: last error kept).',
    labelNames: ['platform', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await readBacklog()) ?? []) {
        this.set({ platform: row.platform, state: 'waiting' }, row.waiting);
        this.set({ platform: row.platform, state: 'given_up' }, row.givenUp);
      }
    },
  });
  new Gauge({
    name: 'casedesk_outbox_oldest_waiting_seconds',
    help: 'Age of the oldest outbox message still to be tried, by platform (absent when none waits).',
    labelNames: ['platform'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = clock().getTime();
      for (const row of (await readBacklog()) ?? []) {
        if (row.oldestWaitingSince) this.set({ platform: row.platform }, Math.max(0, (now - row.oldestWaitingSince.getTime()) / 1000));
      }
    },
  });
  const turnGauge = (name: string, help: string, read: (t: ReturnType<DbHandle['turns']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(input.handle.turns()));
      },
    });
  turnGauge(
    'casedesk_db_turns_active',
    "Commands doing their database work now (on a server, each holds one of the pool's connections; PGlite runs one at a time).",
    (t) => t.active,
  );
  turnGauge('casedesk_db_turns_waiting', 'Commands waiting for a database turn.', (t) => t.waiting);
  turnGauge(
    'casedesk_db_turns_size',
    'Commands that may do their database work at once: DATABASE_POOL_MAX on a server, 1 on PGlite.',
    (t) => t.size,
  );

  const label = (outcome: string) => outcome.replace(/-/g, '_');
  const onAcknowledged: OnAcknowledged = ({ platform, seconds }) => acknowledgementSeconds.observe({ platform }, seconds);
  return {
    registry,
    /** One dispatched request: its command (a registry name, or `other`), outcome and duration. */
    commandDone(input: { command: string; outcome: string; seconds: number }): void {
      commands.inc({ command: input.command, outcome: input.outcome });
      commandSeconds.observe({ command: input.command, outcome: input.outcome }, input.seconds);
    },
    onAcknowledged,
    /** What the scheduler's runner reports (see DigestRunnerDeps.observe). */
    scheduler: {
      digestRun: (outcome: DigestRunOutcome) => digestRuns.inc({ outcome: label(outcome) }),
      delivery: (delivery: Delivery) => deliveries.inc({ platform: delivery.platform, outcome: label(delivery.outcome) }),
    },
    /** The text exposition Prometheus scrapes. */
    exposition: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
