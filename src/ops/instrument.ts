import type { Dispatcher } from '../core/dispatcher.ts';
import type { Metrics } from './metrics.ts';

/**
 * The dispatcher as it was, with each `dispatch` counted and timed in `metrics`: the command (a
 * name from `commands`; anything else, such as an unknown word or a repeated delivery that stops
 * before its command is read, is `other`, so that what a user typed never becomes a label) and the
 * outcome. A dispatch that throws is counted as `failed` and rethrown.
 *
 * @example
 *   const dispatcher = instrumentDispatcher(core.dispatcher, metrics, { commands: new Set(registry.all().map((c) => c.name)) });
 */
export function instrumentDispatcher(
  dispatcher: Dispatcher,
  metrics: Pick<Metrics, 'commandDone'>,
  options: { commands: ReadonlySet<string> },
): Dispatcher {
  const name = (command: string | undefined) => (command !== undefined && options.commands.has(command) ? command : 'other');
  return {
    ...dispatcher,
    async dispatch(...args: Parameters<Dispatcher['dispatch']>) {
      const started = performance.now();
      const seconds = () => (performance.now() - started) / 1000;
      try {
        const result = await dispatcher.dispatch(...args);
        metrics.commandDone({ command: name(result.command), outcome: result.outcome, seconds: seconds() });
        return result;
      } catch (error) {
        metrics.commandDone({ command: 'other', outcome: 'failed', seconds: seconds() });
        throw error;
      }
    },
  };
}
