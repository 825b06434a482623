import { randomUUID } from 'node:crypto';
import type { DbHandle } from '../db/client.ts';
import { commands } from '../commands/index.ts';
import type { Config } from './config.ts';
import { createDispatcher, type Dispatcher } from './core/dispatcher.ts';
import type { Logger } from './logger.ts';

/**
 * The composition root: the one place that wires the command registry, the database, the clock
 * and the logger into a dispatcher. Adapters receive the dispatcher; they never build one.
 */
export function createCore(input: { handle: DbHandle; config: Config; logger: Logger; clock?: () => Date }): {
  dispatcher: Dispatcher;
  /** Names this process in claims and leases, for operators reading the tables: one per process. */
  instanceId: string;
} {
  const instanceId = `pid-${process.pid}-${randomUUID().slice(0, 8)}`;
  return {
    instanceId,
    dispatcher: createDispatcher({
      db: input.handle.db,
      acceptDb: input.handle.acceptDb,
      turn: input.handle.turn,
      instanceId,
      commands,
      locale: input.config.locale,
      timeZone: input.config.timeZone,
      validation: input.config.validation,
      logger: input.logger,
      ...(input.clock ? { clock: input.clock } : {}),
    }),
  };
}
