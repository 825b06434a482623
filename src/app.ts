import type { DbHandle } from '../db/client.ts';
import { commands } from '../commands/index.ts';
import type { Config } from './config.ts';
import { createDispatcher, type Dispatcher } from './core/dispatcher.ts';
import type { Logger } from './logger.ts';

/**
 * The composition root: the one place that wires the command registry, the database, the clock
 * and the logger into a dispatcher. Adapters receive the dispatcher; they never build one.
 */
export function createCore(input: { handle: DbHandle; config: Config; logger: Logger; clock?: () => Date }): { dispatcher: Dispatcher } {
  return {
    dispatcher: createDispatcher({
      db: input.handle.db,
      commands,
      locale: input.config.locale,
      timeZone: input.config.timeZone,
      logger: input.logger,
      maxConcurrent: input.handle.driver === 'pglite' ? 1 : input.config.databasePoolMax,
      ...(input.clock ? { clock: input.clock } : {}),
    }),
  };
}
