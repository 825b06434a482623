import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../commands/index.ts';
import { CliInternalError } from '../src/cli/context.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import { createLogger, serializeError, type Logger } from '../src/logger.ts';
import { cli } from './support/cli.ts';
import { RecordingReply } from './support/core.ts';
import { openTestDb, testDriver, type TestDb } from './support/db.ts';
import { makeCase, makeMember, makeUnitTree } from './factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06' });
  await makeCase(t.db, { code: 'TN-2020-000009', unit: 'CA-HN', fullName: 'Nguyễn Văn Đức', nationalId: '001085012345' });
});
afterAll(() => t.close());

/** A logger writing to memory, as the application's (createLogger) or pino's own. */
function capture(make: (stream: { write(line: string): void }) => Logger = (stream) => createLogger('info', stream)) {
  const lines: string[] = [];
  return { logger: make({ write: (line) => void lines.push(line) }), text: () => lines.join('') };
}

/** Runs `work` while the database refuses rows of `table` by a check constraint (added and dropped here). */
async function whileRefused<T>(table: 'case_events' | 'cases', check: string, work: () => Promise<T>): Promise<T> {
  await t.db.execute(sql.raw(`alter table ${table} add constraint test_refused check (${check}) not valid`));
  try {
    return await work();
  } finally {
    await t.db.execute(sql.raw(`alter table ${table} drop constraint test_refused`));
  }
}

const NOTE = 'Gặp Trần Thị Bí Mật ở chợ Đồng Xuân, CCCD 079190001234';

describe(`logs without personal data (${testDriver})`, () => {
  it('logs a command that fails in the database with its SQL, code and reference, never its parameters', async () => {
    const note = (logger: Logger, id: string) =>
      createDispatcher({ db: t.db, commands, locale: 'en', timeZone: 'Asia/Ho_Chi_Minh', logger }).dispatch(
        {
          id,
          actor: { platform: 'console', workspaceId: 'local', userId: 'lead' },
          channel: { id: 'c', isPrivate: true },
          input: { kind: 'text', line: `case note TN-2020-000009 ${NOTE}` },
        },
        new RecordingReply(),
      );
    const ours = capture();
    const plain = capture((stream) => pino({ level: 'info' }, stream));
    const [result, unfiltered] = await whileRefused('case_events', "kind <> 'note'", async () => [
      await note(ours.logger, 'n1'),
      await note(plain.logger, 'n2'),
    ]);
    expect(result).toMatchObject({ outcome: 'error', reference: expect.stringMatching(/^E-/) });
    expect(unfiltered.outcome).toBe('error');
    // The same failure logged by pino's own serializer carries the note and the ID: what is at stake.
    expect(plain.text()).toContain('079190001234');

    const log = ours.text();
    const failed = log
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; reference?: string; err?: Record<string, unknown> })
      .find((entry) => entry.msg === 'command failed');
    expect(failed).toMatchObject({
      reference: result.reference,
      err: {
        type: 'DrizzleQueryError',
        query: expect.stringContaining('insert into "case_events"'),
        cause: { code: '23514', constraint: 'test_refused', table: 'case_events' },
      },
    });
    expect(log).toContain('insert into \\"case_events\\"');
    for (const secret of ['079190001234', 'Bí Mật', 'Đồng Xuân']) expect(log).not.toContain(secret);
  });

  it('logs a failed import without the names and national IDs it was writing, and prints none', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'casedesk-log-')), 'cases.csv');
    writeFileSync(
      file,
      'code,full_name,aliases,birth_year,danger,unit,wanted_on,status,resolved_on,national_id\n' +
        'TN-2021-000777,Phạm Thị Kín Đáo,Kín,1990,normal,CA-HN,2021-02-01,wanted,,038190007777\n',
    );
    const ours = capture();
    const run = await whileRefused('cases', "code <> 'TN-2021-000777'", () =>
      cli(['import', 'cases', file], { db: t.handle, logger: ours.logger, env: { CASEDESK_LOCALE: 'en' } }),
    );
    expect(run.code).toBe(2);
    const reference = /reference (E-[0-9A-F]{8})/.exec(run.stderr)?.[1];
    expect(reference).toBeDefined();
    const log = ours.text();
    expect(log).toContain(reference);
    expect(log).toContain('insert into \\"cases\\"');
    for (const secret of ['038190007777', 'Kín Đáo']) {
      expect(log).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('keeps the parameters out of the message and stack of an error that wraps a failed query, and quotes no value a type refused', async () => {
    let failure: unknown;
    try {
      await t.db.execute(sql`select ${'CCCD 079190001234'}::int as n`);
    } catch (error) {
      failure = error;
    }
    const logged = JSON.stringify(serializeError(new CliInternalError('E-00000001', failure)));
    expect(String((failure as Error).message)).toContain('079190001234');
    expect(logged).not.toContain('079190001234');
    expect(logged).toContain('select $1::int as n');
    expect(JSON.parse(logged)).toMatchObject({
      type: 'CliInternalError',
      cause: { type: 'DrizzleQueryError', cause: { code: '22P02', message: 'invalid input syntax for type integer: "…"' } },
    });
  });
});
