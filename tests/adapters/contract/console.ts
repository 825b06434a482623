import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { expect } from 'vitest';
// The console adapter, reached only through runConsole: the import to re-point when it moves.
import { runConsole } from '../../../src/adapters/console/console-adapter.ts';
import { createDispatcher, type DispatchResult } from '../../../src/core/dispatcher.ts';
import { makeMember } from '../../factories/index.ts';
import { CONTRACT_COMMANDS, type Harness, type HarnessOptions, type Seen } from './harness.ts';

/**
 * The console chat, as `casedesk console` runs it: each command a line piped in, each answer what
 * it writes. A terminal is private to its operator, has no buttons, no channels and no limits.
 */
export async function startConsoleHarness({ db }: HarnessOptions): Promise<Harness> {
  const dispatcher = createDispatcher({
    db,
    commands: CONTRACT_COMMANDS,
    // As `casedesk console` runs with CASEDESK_LOCALE=en: what a stranger is told.
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
  /** What the dispatcher made of the last line. */
  let results: DispatchResult[] = [];
  const none = (what: string) => () => {
    throw new Error(`the console has no ${what}`);
  };
  return {
    platform: 'console',
    can: {
      buttons: false,
      channelAnswers: 'terminal',
      directMessages: false,
      fileUpload: false,
      rateLimits: false,
      refusalsApart: true,
      firstPageBack: 'absent',
    },
    channel: 'console',
    messagesPerAnswer: Number.POSITIVE_INFINITY,
    cutNote: undefined,
    bullet: '-',
    mention: '@everyone',
    stranger: { handle: 'stranger', userId: 'stranger' },
    accessHint: (user) => `There is no member "${user.handle}"`,
    async join(member) {
      await makeMember(db, { ...member, locale: 'en' });
      return { handle: member.handle, userId: member.handle };
    },
    async send(user, request) {
      const written: string[] = [];
      const output = new Writable({
        write(chunk, _encoding, done) {
          written.push(String(chunk));
          done();
        },
      });
      const input = new PassThrough();
      const done = runConsole({ dispatcher, input, output, handle: user.handle });
      input.end(`${request.line}\n`);
      results = await done;
      expect(results).toHaveLength(1);
      // The console writes each answer whole, at once.
      return written.map((text): Seen => ({ where: 'private', replaces: false, text: text.replace(/\n$/, ''), buttons: [], raw: text }));
    },
    press: none('buttons'),
    posts: () => [],
    // No poster: the scheduler sends nothing to the console (see `casedesk start`).
    poster: undefined,
    postAttempts: () => [],
    uploads: () => [],
    rateLimitNext: none('rate limits'),
    live: (s) => [...s.text.matchAll(/\u001b/g)].map((m) => m[0]),
    withinLimits: (s) => expect(typeof s.raw).toBe('string'),
    specific: {
      unknownUser() {
        expect(results[0]!.code).toBe('unknown_user');
      },
    },
    async stop() {},
  };
}
