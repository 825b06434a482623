import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { runHousekeeping } from '../../src/jobs/housekeeping.ts';
import { startScheduler } from '../../src/scheduler/index.ts';
import { createDigestRunner } from '../../src/scheduler/digests.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
const NOW = new Date('2024-09-30T03:00:00Z');
const DAY = 24 * 60 * 60_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  for (const [key, age] of [
    ['discord:old', 45],
    ['slack:just-over', 30.01],
    ['slack:just-under', 29.99],
    ['discord:week', 7.5],
    ['console:today', 0.1],
  ] as const) {
    await t.db.execute(sql`insert into processed_invocations (key, claimed_by, claimed_at) values (${key}, 'pid-1', ${daysAgo(age)})`);
  }
  // Audit rows older than any retention: the job must leave them as they are.
  for (const age of [400, 45, 1]) {
    await t.db.execute(sql`insert into audit_log (at, platform, command, outcome) values (${daysAgo(age)}, 'console', 'case show', 'ok')`);
  }
});
afterAll(() => t.close());

const claims = async () =>
  (await queryRows<{ key: string }>(t.db, sql`select key from processed_invocations order by claimed_at`)).map((r) => r.key);
const auditRows = () => queryRows(t.db, sql`select id, at, chain_seq, hash from audit_log order by id`);

describe('the housekeeping job', () => {
  it('forgets request ids older than the configured age, keeps the younger ones, and no audit row', async () => {
    const audit = await auditRows();
    const forgotten = await runHousekeeping(t.db, { now: NOW, invocationRetentionDays: 30, logger: silent });
    expect(forgotten).toMatchObject({ invocations: 2, invocationsBefore: new Date(daysAgo(30)), delivered: 0, confirmations: 0 });
    expect(await claims()).toEqual(['slack:just-under', 'discord:week', 'console:today']);
    expect(await auditRows()).toEqual(audit);
    expect(audit).toHaveLength(3);

    // Run again, or by a second instance: nothing more to forget.
    expect((await runHousekeeping(t.db, { now: NOW, invocationRetentionDays: 30, logger: silent })).invocations).toBe(0);
    expect(await claims()).toEqual(['slack:just-under', 'discord:week', 'console:today']);

    // A shorter age forgets more.
    expect((await runHousekeeping(t.db, { now: NOW, invocationRetentionDays: 7, logger: silent })).invocations).toBe(2);
    expect(await claims()).toEqual(['console:today']);
    expect(await auditRows()).toEqual(audit);
  });

  it('runs from the scheduler with the configured age, named in its log line', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const runner = createDigestRunner({ db: t.db, posters: {}, logger: silent });
    const scheduler = await startScheduler({ db: t.db, runner, logger, invocationRetentionDays: 7, clock: () => NOW });
    await scheduler.stop();
    expect(await claims()).toEqual(['console:today']);
    expect(lines.filter((l) => l.job === 'housekeeping')).toEqual([
      expect.objectContaining({
        msg: 'housekeeping: old records forgotten',
        invocations: 4,
        invocationRetentionDays: 7,
        delivered: 0,
        confirmations: 0,
      }),
    ]);
    expect(await auditRows()).toHaveLength(3);
  });

  it('cannot delete audit rows even if asked: the database refuses', async () => {
    const refused: unknown = await t.db.execute(sql`delete from audit_log where at < ${daysAgo(30)}`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    const reason = (refused as Error).cause instanceof Error ? ((refused as Error).cause as Error).message : (refused as Error).message;
    expect(reason).toContain('audit_log is append-only: DELETE refused');
    expect(await auditRows()).toHaveLength(3);
  });
});
