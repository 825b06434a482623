import type { Platform } from '../../db/schema/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createDigestRunner, type DigestRunnerDeps, type Poster } from '../scheduler/digests.ts';

/**
 * The scheduled jobs' runner as the configuration sets it up: the same for `casedesk start` and
 * `casedesk digest run-schedules`.
 */
export function configuredDigestRunner(input: {
  config: Config;
  db: DigestRunnerDeps['db'];
  posters: Partial<Record<Platform, Poster>>;
  logger: Logger;
  observe?: DigestRunnerDeps['observe'];
  /** Names this process in leases: the dispatcher's, so that one release lets go of both. */
  instanceId?: string;
}) {
  return createDigestRunner({
    db: input.db,
    posters: input.posters,
    logger: input.logger,
    graceMs: input.config.digestCatchUpMs,
    escalateDays: input.config.overdueEscalateDays,
    validation: input.config.validation,
    meetingTimeoutMs: input.config.meetingTimeoutMs,
    locale: input.config.locale,
    timeZone: input.config.timeZone,
    ...(input.observe ? { observe: input.observe } : {}),
    ...(input.instanceId ? { instanceId: input.instanceId } : {}),
  });
}
