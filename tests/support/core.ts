import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { commands } from '../../commands/index.ts';
import { createDispatcher, type DispatchResult } from '../../src/core/dispatcher.ts';
import type { Actor, InputFile, Invocation, Progress, Reply } from '../../src/core/invocation.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import type { ValidationPolicy } from '../../src/domain/validation.ts';
import type { Database } from '../../db/client.ts';

/** A Reply that keeps what it was sent. */
export class RecordingReply implements Reply {
  readonly messages: ReplyMessage[] = [];
  readonly progressShown: Progress[] = [];
  constructor(readonly canBePrivate = true) {}
  async send(message: ReplyMessage): Promise<void> {
    this.messages.push(message);
  }
  async progress(update: Progress): Promise<void> {
    this.progressShown.push(update);
  }
  /** Every string of every message, joined: what a reader would see. */
  get text(): string {
    return this.messages.map(messageText).join('\n');
  }
}

export function messageText(message: ReplyMessage): string {
  const parts: string[] = [];
  if (message.title) parts.push(message.title);
  for (const block of message.blocks) {
    if (block.kind === 'text' || block.kind === 'code') parts.push(block.text);
    else if (block.kind === 'list') parts.push(...block.items);
    else parts.push(...block.fields.map((f) => `${f.label}: ${f.value}`));
  }
  for (const action of message.actions ?? []) parts.push(`[${action.label}]`);
  return parts.join('\n');
}

export interface TestCore {
  dispatcher: ReturnType<typeof createDispatcher>;
  /** Runs a line of text as the console member `handle`. */
  run(
    handle: string,
    line: string,
    options?: { canBePrivate?: boolean; id?: string; actor?: Actor; channelId?: string; files?: Record<string, InputFile> },
  ): Promise<{ result: DispatchResult; reply: RecordingReply }>;
  /** Runs typed options (as Discord or a button would). */
  runOptions(
    handle: string,
    command: string,
    options: Record<string, string | number | undefined>,
    extra?: { id?: string; actor?: Actor; files?: Record<string, InputFile> },
  ): Promise<{ result: DispatchResult; reply: RecordingReply }>;
}

/** The real dispatcher and command registry over a test database, with a fixed clock. */
export function createTestCore(
  db: Database,
  options: { now?: Date; clock?: () => Date; timeZone?: string; validation?: ValidationPolicy } = {},
): TestCore {
  const now = options.now ?? new Date('2024-09-01T03:00:00Z');
  const dispatcher = createDispatcher({
    db,
    commands,
    locale: 'vi',
    timeZone: options.timeZone ?? 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? (() => now),
    ...(options.validation ? { validation: options.validation } : {}),
  });
  const invoke = async (invocation: Invocation, canBePrivate: boolean) => {
    const reply = new RecordingReply(canBePrivate);
    const result = await dispatcher.dispatch(invocation, reply);
    return { result, reply };
  };
  return {
    dispatcher,
    run: (handle, line, o = {}) =>
      invoke(
        {
          id: o.id ?? randomUUID(),
          actor: o.actor ?? { platform: 'console', workspaceId: 'local', userId: handle },
          channel: { id: o.channelId ?? 'console', isPrivate: true },
          input: { kind: 'text', line },
          openFile: (reference) => o.files?.[reference],
        },
        o.canBePrivate ?? true,
      ),
    runOptions: (handle, command, values, extra = {}) =>
      invoke(
        {
          id: extra.id ?? randomUUID(),
          actor: extra.actor ?? { platform: 'console', workspaceId: 'local', userId: handle },
          channel: { id: 'console', isPrivate: true },
          input: { kind: 'options', command, options: values },
          openFile: (reference) => extra.files?.[reference],
        },
        true,
      ),
  };
}
