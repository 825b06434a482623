import { commands } from '../../commands/index.ts';
import type { DbHandle } from '../../db/client.ts';
import type { Dispatcher } from '../core/dispatcher.ts';
import type { AdapterStatus, ChatPlatform } from '../core/platform.ts';
import type { Logger } from '../logger.ts';
import { createHealth } from './health.ts';
import { opsRoutes, startOpsServer } from './http.ts';
import { instrumentDispatcher } from './instrument.ts';
import { createMetrics } from './metrics.ts';

export { drainAndStop, type DrainResult } from './shutdown.ts';

/**
 * What an operator watches, for one process: the metrics (a registry of its own), readiness over
 * `handle` and the adapters running, and the routes serving both (see {@link opsRoutes}).
 *
 * @example
 *   const ops = createOperations({ handle, logger, adapters: () => running });
 *   const dispatcher = ops.instrument(core.dispatcher);
 *   const server = await ops.serve(config.httpPort); // unless an adapter serves ops.routes
 */
export function createOperations(input: {
  handle: DbHandle;
  logger: Logger;
  adapters: () => ReadonlyArray<{ platform: ChatPlatform; status(): AdapterStatus }>;
}) {
  const metrics = createMetrics({ handle: input.handle, logger: input.logger });
  const health = createHealth({ db: input.handle.acceptDb, adapters: input.adapters, logger: input.logger });
  const routes = opsRoutes({ health, metrics, logger: input.logger });
  const names = new Set(commands.all().map((c) => c.name));
  return {
    metrics,
    health,
    routes,
    /** The dispatcher, counted and timed (see {@link instrumentDispatcher}). */
    instrument: (dispatcher: Dispatcher): Dispatcher => instrumentDispatcher(dispatcher, metrics, { commands: names }),
    /** A server of its own for the routes, on `port`. */
    serve: (port: number) => startOpsServer({ port, routes }),
  };
}

export type Operations = ReturnType<typeof createOperations>;
