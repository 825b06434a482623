import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Dispatcher, DispatchResult } from '../../core/dispatcher.ts';
import type { InputFile, Invocation, Operator, Progress, Reply } from '../../core/invocation.ts';
import type { Attachment } from '../../domain/reply.ts';
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

/** Where the console puts the files of a reply: a folder (each under its own name) or one path. */
export type FileTarget = { dir: string } | { path: string };

/**
 * A Reply that prints to the terminal. A local terminal is private to the one who types. Files
 * (a check's result) are saved, never overwriting one there, and their paths printed; progress is
 * drawn on `progressTo` when it is a terminal.
 */
export class ConsoleReply implements Reply {
  readonly canBePrivate = true;
  readonly messages: ReplyMessage[] = [];
  readonly saved: string[] = [];
  private bar = false;
  constructor(
    private readonly output: Writable,
    private readonly options: { files?: FileTarget; progressTo?: Writable & { isTTY?: boolean } } = {},
  ) {}

  async send(message: ReplyMessage): Promise<void> {
    this.endBar();
    this.messages.push(message);
    this.output.write(`${renderText(message)}\n`);
    for (const file of message.files ?? []) {
      const path = await saveFile(file, this.options.files ?? { dir: process.cwd() });
      this.saved.push(path);
      this.output.write(`→ ${path}\n`);
    }
  }

  async progress(update: Progress): Promise<void> {
    const to = this.options.progressTo;
    if (!to?.isTTY) return;
    const width = 30;
    const filled = update.total > 0 ? Math.round((width * update.done) / update.total) : width;
    to.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${renderText(update.message)}`);
    this.bar = true;
  }

  private endBar(): void {
    if (this.bar) this.options.progressTo?.write('\n');
    this.bar = false;
  }
}

/** Writes `file` to its target without replacing anything there: `name.csv`, then `name-2.csv`, … */
async function saveFile(file: Attachment, target: FileTarget): Promise<string> {
  if ('path' in target) {
    await writeFile(target.path, file.data);
    return target.path;
  }
  const safe = basename(file.name).replace(/[^\p{L}\p{N}._-]+/gu, '-') || 'casedesk-file';
  const ext = extname(safe);
  for (let n = 1; ; n++) {
    const path = resolve(target.dir, n === 1 ? safe : `${safe.slice(0, safe.length - ext.length)}-${n}${ext}`);
    try {
      await writeFile(path, file.data, { flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * A file named by its path on the console, relative to `cwd`: the one who types it runs casedesk
 * on this machine and may read what they name.
 */
export function localFile(reference: string, cwd = process.cwd()): InputFile {
  const path = resolve(cwd, reference);
  return {
    name: basename(path),
    size: null,
    async read(maxBytes) {
      try {
        const info = await stat(path);
        if (!info.isFile()) return 'unreadable';
        if (info.size > maxBytes) return 'too_large';
        const handle = await open(path, constants.O_RDONLY);
        try {
          const buffer = Buffer.alloc(maxBytes + 1);
          let length = 0;
          for (;;) {
            const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
            if (bytesRead === 0) break;
            length += bytesRead;
            if (length > maxBytes) return 'too_large';
          }
          return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
        } finally {
          await handle.close();
        }
      } catch {
        return 'unreadable';
      }
    },
  };
}

/** An invocation for one line typed at the console. */
export function consoleInvocation(handle: string, line: string, operator?: Operator): Invocation {
  return {
    id: `console:${randomUUID()}`,
    actor: { platform: 'console', workspaceId: 'local', userId: handle },
    channel: { id: 'console', isPrivate: true },
    input: { kind: 'text', line },
    operator,
    openFile: (reference) => localFile(reference),
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
