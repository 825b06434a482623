import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import type { DbHandle } from '../db/client.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import type { Reply } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { time } from './stats.ts';

/**
 * Runs chat commands as the console member `bench.lead` (which loadBenchCases creates) through the
 * real dispatcher, and resolves to how long each took (ms). Console text is not interactive, so a
 * change is made at once, without a confirmation step. A refusal or an error throws, saying why:
 * the answer, or the reference under which the log (errors only, on stderr) holds the stack;
 * `answers` names the refusal codes that are answers here (a search finding nothing is `not_found`).
 */
export function benchCommandRunner(
  handle: DbHandle,
  options: { timeZone: string; clock?: () => Date; answers?: readonly string[] },
): (line: string) => Promise<number> {
  const dispatcher = createDispatcher({
    db: handle.db,
    commands,
    locale: 'vi',
    timeZone: options.timeZone,
    logger: pino({ level: 'error' }, pino.destination(2)),
    turn: handle.turn,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  // Keeps the answers (the renderer is not measured), so that a refusal can say why.
  const answers: ReplyMessage[] = [];
  const reply: Reply = {
    canBePrivate: true,
    send: async (message) => {
      answers.push(message);
    },
  };
  return async (line) => {
    answers.length = 0;
    const [result, took] = await time(() =>
      dispatcher.dispatch(
        {
          id: `bench:${randomUUID()}`,
          actor: { platform: 'console', workspaceId: 'local', userId: 'bench.lead' },
          channel: { id: 'bench', isPrivate: true },
          input: { kind: 'text', line },
        },
        reply,
      ),
    );
    if (result.outcome !== 'ok' && !(result.code !== undefined && options.answers?.includes(result.code))) {
      const why = result.reference ? `reference ${result.reference}` : JSON.stringify(answers.at(-1)?.blocks ?? null);
      throw new Error(`${line}: ${result.outcome} (${result.code ?? '?'}): ${why}`);
    }
    return took;
  };
}
