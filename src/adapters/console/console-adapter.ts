import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher, DispatchResult } from '../../core/dispatcher.ts';
import type { Invocation, Operator, Reply } from '../../core/invocation.ts';
import type { ReplyMessage } from '../../domain/reply.ts';
import { renderText } from './render.ts';

export interface ConsoleAdapterOptions {
  dispatcher: Dispatcher;
  input: Readable;
  output: Writable;
  /** The member the console acts as. */
  handle: string;
  /** Show a prompt (an interactive terminal); off for pipes. */
  prompt?: boolean;
  /** Who runs the terminal, audited with every line. */
  operator?: Operator;
}

/** A Reply that prints to the terminal. A local terminal is private to the one who types. */
export class ConsoleReply implements Reply {
  readonly canBePrivate = true;
  readonly messages: ReplyMessage[] = [];
  constructor(private readonly output: Writable) {}
  async send(message: ReplyMessage): Promise<void> {
    this.messages.push(message);
    this.output.write(`${renderText(message)}\n`);
  }
}

/** An invocation for one line typed at the console. */
export function consoleInvocation(handle: string, line: string, operator?: Operator): Invocation {
  return {
    id: `console:${randomUUID()}`,
    actor: { platform: 'console', workspaceId: 'local', userId: handle },
    channel: { id: 'console', isPrivate: true },
    input: { kind: 'text', line },
    operator,
  };
}

/**
 * The console chat: reads commands line by line, answers each before reading the next, and
 * resolves when the input ends (or on `exit`). Scripts can pipe commands in.
 */
export async function runConsole(options: ConsoleAdapterOptions): Promise<DispatchResult[]> {
  const lines = createInterface({ input: options.input, terminal: false, crlfDelay: Infinity });
  const results: DispatchResult[] = [];
  const prompt = () => {
    if (options.prompt) options.output.write('casedesk> ');
  };
  prompt();
  // for await reads one line at a time: the next is not taken until this one is answered.
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line && !line.startsWith('#')) {
      if (results.length > 0) options.output.write('\n');
      results.push(
        await options.dispatcher.dispatch(consoleInvocation(options.handle, line, options.operator), new ConsoleReply(options.output)),
      );
    }
    prompt();
  }
  lines.close();
  return results;
}
