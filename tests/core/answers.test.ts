import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { queryRows } from '../../db/client.ts';
import { answerKey } from '../../src/core/claims.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { Invocation, Reply } from '../../src/core/invocation.ts';
import type { Poster } from '../../src/core/platform.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { acceptInvocation } from '../../src/repositories/invocations.ts';
import { runHousekeeping } from '../../src/jobs/housekeeping.ts';
import { createOutboxWorker } from '../../src/scheduler/outbox.ts';
import { messageText, RecordingReply } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
const silent = pino({ level: 'silent' });
const T0 = new Date('2024-09-01T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06', slack: { team: 'T1', user: 'U1' } });
});
afterAll(() => t.close());

/** A Slack slash command, as its adapter builds it: answerable through its response_url for 30 minutes. */
const invocation = (id: string, line = 'whoami'): Invocation => ({
  id,
  actor: { platform: 'slack', workspaceId: 'T1', userId: 'U1' },
  channel: { id: 'C1', isPrivate: false },
  input: { kind: 'text', line },
  receivedAt: T0,
  answerHandle: { to: { responseUrl: `https://hooks.example/${id}`, userId: 'U1' }, expiresAt: at(30 * MINUTE) },
});

/** An instance's dispatcher, its clock read from `now`. */
function instance(name: string, now: { at: Date }, extra: { turn?: <T>(work: () => Promise<T>) => Promise<T> } = {}) {
  return createDispatcher({
    db: t.db,
    commands,
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: silent,
    instanceId: name,
    clock: () => now.at,
    ...extra,
  });
}

/** A live reply whose instance dies as it starts to answer: nothing reaches the user, ever. */
function dyingReply() {
  let reached!: () => void;
  const sending = new Promise<void>((resolve) => (reached = resolve));
  const reply: Reply = {
    canBePrivate: true,
    send: () => {
      reached();
      return new Promise<void>(() => {});
    },
  };
  return { reply, sending };
}

/** The outbox worker of another instance, with a poster that records each answer it delivers. */
function answerWorker(name: string) {
  const answered: Array<{ to: Record<string, string>; message: ReplyMessage }> = [];
  const poster: Poster = {
    post: async () => {},
    answerParts: (to, message) => [async () => void answered.push({ to, message })],
  };
  const worker = createOutboxWorker({ db: t.db, posters: { slack: poster }, logger: silent, instanceId: name });
  return { worker, answered };
}

const answerRow = (id: string) =>
  queryRows<{
    delivered: boolean;
    given_up: boolean;
    reply_to: unknown;
    message: unknown;
    lease_owner: string | null;
    last_error: string | null;
  }>(
    t.db,
    sql`select delivered_at is not null as delivered, delivered_at is null and next_attempt_at is null as given_up, reply_to, message,
               lease_owner, last_error
        from outbox where key = ${answerKey(id)}`,
  ).then((rows) => rows[0]);

const auditCount = async () => (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log`))[0]!.n;

describe('answers that survive a crash', () => {
  it('stores the answer with the command and its audit row, sends it live, and keeps neither handle nor message once delivered', async () => {
    const now = { at: T0 };
    const reply = new RecordingReply();
    const result = await instance('a', now).dispatch(invocation('slack:1'), reply);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain('lead');
    expect(await auditCount()).toBe(1);
    expect(await answerRow('slack:1')).toMatchObject({ delivered: true, reply_to: {}, message: {}, lease_owner: null });
    // Nothing is left for another instance to deliver.
    const other = answerWorker('b');
    expect(await other.worker.deliverAnswers(at(5 * MINUTE))).toEqual([]);
    expect(other.answered).toEqual([]);
  });

  it('stores a refusal with its audit row, in the transaction apart from the rolled-back command', async () => {
    const reply = new RecordingReply();
    const result = await instance('a', { at: T0 }).dispatch(invocation('slack:2', 'case show TN-1999-000000'), reply);
    expect(result.outcome).toBe('invalid');
    expect(await answerRow('slack:2')).toMatchObject({ delivered: true });
    expect(await auditCount()).toBe(1);
  });

  it('delivers, once, through another instance, the answer of an instance that died between commit and answer', async () => {
    const dying = dyingReply();
    void instance('a', { at: T0 }).dispatch(invocation('slack:3'), dying.reply);
    await dying.sending;
    // Committed: the audit row and the answer are there, leased to the instance that died.
    expect(await auditCount()).toBe(1);
    expect(await answerRow('slack:3')).toMatchObject({ delivered: false, lease_owner: 'a' });
    const b = answerWorker('b');
    // While a's lease runs, b leaves it alone.
    expect(await b.worker.deliverAnswers(at(30_000))).toEqual([]);
    const deliveries = await b.worker.deliverAnswers(at(2 * MINUTE));
    expect(deliveries).toEqual([{ key: answerKey('slack:3'), platform: 'slack', outcome: 'delivered' }]);
    expect(b.answered).toHaveLength(1);
    expect(b.answered[0]!.to).toEqual({ responseUrl: 'https://hooks.example/slack:3', userId: 'U1' });
    expect(messageText(b.answered[0]!.message)).toContain('lead');
    expect(await answerRow('slack:3')).toMatchObject({ delivered: true, reply_to: {}, message: {} });
    // A third instance finds nothing to do, and neither does b again.
    expect(await answerWorker('c').worker.deliverAnswers(at(3 * MINUTE))).toEqual([]);
    expect(await b.worker.deliverAnswers(at(4 * MINUTE))).toEqual([]);
    expect(b.answered).toHaveLength(1);
    expect(await auditCount()).toBe(1);
  });

  it('answers a duplicate of a request whose answer was committed but not delivered, once, without running it again', async () => {
    const dying = dyingReply();
    void instance('a', { at: T0 }).dispatch(invocation('slack:4'), dying.reply);
    await dying.sending;
    const later = { at: at(2 * MINUTE) };
    const again = new RecordingReply();
    const acks: string[] = [];
    const result = await instance('b', later).dispatch(invocation('slack:4'), again, { acknowledge: async () => void acks.push('b') });
    expect(result).toEqual({ outcome: 'duplicate', redelivered: true });
    expect(acks).toEqual(['b']);
    expect(again.text).toContain('lead');
    expect(await auditCount()).toBe(1);
    expect(await answerRow('slack:4')).toMatchObject({ delivered: true });
    // Delivered now: the outbox and a further duplicate stay silent.
    const worker = answerWorker('c');
    expect(await worker.worker.deliverAnswers(at(3 * MINUTE))).toEqual([]);
    const third = new RecordingReply();
    expect(await instance('c', { at: at(3 * MINUTE) }).dispatch(invocation('slack:4'), third)).toEqual({ outcome: 'duplicate' });
    expect(third.messages).toEqual([]);
  });

  it('keeps a duplicate silent while the answer is being sent by the instance that ran the command', async () => {
    const dying = dyingReply();
    void instance('a', { at: T0 }).dispatch(invocation('slack:5'), dying.reply);
    await dying.sending;
    const again = new RecordingReply();
    expect(await instance('b', { at: at(10_000) }).dispatch(invocation('slack:5'), again)).toEqual({ outcome: 'duplicate' });
    expect(again.messages).toEqual([]);
  });

  it('keeps a duplicate of an answered request silent', async () => {
    const now = { at: T0 };
    await instance('a', now).dispatch(invocation('slack:6'), new RecordingReply());
    const again = new RecordingReply();
    const acks: string[] = [];
    now.at = at(2 * MINUTE);
    const result = await instance('b', now).dispatch(invocation('slack:6'), again, { acknowledge: async () => void acks.push('b') });
    expect(result).toEqual({ outcome: 'duplicate' });
    expect(again.messages).toEqual([]);
    expect(acks).toEqual([]);
    expect(await auditCount()).toBe(1);
  });

  it('gives up an answer whose handle expired before any instance could deliver it, forgetting handle and message', async () => {
    const dying = dyingReply();
    void instance('a', { at: T0 }).dispatch(invocation('slack:7'), dying.reply);
    await dying.sending;
    const b = answerWorker('b');
    expect(await b.worker.deliverAnswers(at(31 * MINUTE))).toEqual([]);
    expect(b.answered).toEqual([]);
    expect(await answerRow('slack:7')).toMatchObject({
      delivered: false,
      given_up: true,
      reply_to: {},
      message: {},
      last_error: 'expired: the platform no longer takes this answer',
    });
    const again = new RecordingReply();
    expect(await instance('c', { at: at(32 * MINUTE) }).dispatch(invocation('slack:7'), again)).toEqual({ outcome: 'duplicate' });
    expect(again.messages).toEqual([]);
  });

  it('has housekeeping give up expired answers on an instance with no chat platform', async () => {
    const dying = dyingReply();
    void instance('a', { at: T0 }).dispatch(invocation('slack:8'), dying.reply);
    await dying.sending;
    const forgotten = await runHousekeeping(t.db, { now: at(31 * MINUTE), invocationRetentionDays: 30, logger: silent });
    expect(forgotten.expiredAnswers).toBe(1);
    expect(await answerRow('slack:8')).toMatchObject({ given_up: true, reply_to: {}, message: {} });
  });

  it('lets a duplicate take over a claim whose instance died before committing, and run the command once', async () => {
    // Instance a claimed the request and died before its command committed: no answer, no audit row.
    expect(await acceptInvocation(t.db, { key: 'slack:9', claimedBy: 'a', now: T0, leaseMs: MINUTE })).toBe(true);
    const early = new RecordingReply();
    expect(await instance('b', { at: at(30_000) }).dispatch(invocation('slack:9'), early)).toEqual({ outcome: 'duplicate' });
    expect(early.messages).toEqual([]);
    const late = new RecordingReply();
    const result = await instance('b', { at: at(2 * MINUTE) }).dispatch(invocation('slack:9'), late);
    expect(result.outcome).toBe('ok');
    expect(late.text).toContain('lead');
    expect(await auditCount()).toBe(1);
    expect(await queryRows(t.db, sql`select claimed_by, lease_until from processed_invocations where key = 'slack:9'`)).toEqual([
      { claimed_by: 'b', lease_until: null },
    ]);
  });

  it('lets one of several duplicates take an abandoned claim over', async () => {
    expect(await acceptInvocation(t.db, { key: 'slack:10', claimedBy: 'a', now: T0, leaseMs: MINUTE })).toBe(true);
    const taken = await Promise.all(
      ['b', 'c', 'd'].map((name) => acceptInvocation(t.db, { key: 'slack:10', claimedBy: name, now: at(2 * MINUTE), leaseMs: MINUTE })),
    );
    expect(taken.filter(Boolean)).toHaveLength(1);
  });

  it('rolls back and silences an instance that comes back after its claim was taken over', async () => {
    let resume!: () => void;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    // Instance a accepts, then stalls before its command's turn (a long pause, as of a frozen process).
    const a = instance('a', { at: T0 }, { turn: async (work) => (await paused, work()) });
    const slow = new RecordingReply();
    const aDone = a.dispatch(invocation('slack:11'), slow);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const b = new RecordingReply();
    expect((await instance('b', { at: at(2 * MINUTE) }).dispatch(invocation('slack:11'), b)).outcome).toBe('ok');
    resume();
    expect(await aDone).toEqual({ outcome: 'duplicate' });
    expect(slow.messages).toEqual([]);
    expect(b.text).toContain('lead');
    expect(await auditCount()).toBe(1);
  });

  it('leaves an answer the platform refused live to the outbox, which delivers it', async () => {
    const refusing: Reply = {
      canBePrivate: true,
      send: () => Promise.reject(new Error('Slack answered 500')),
    };
    await instance('a', { at: T0 }).dispatch(invocation('slack:12'), refusing);
    expect(await answerRow('slack:12')).toMatchObject({ delivered: false, lease_owner: null, last_error: 'Slack answered 500' });
    const b = answerWorker('b');
    expect(await b.worker.deliverAnswers(at(MINUTE))).toEqual([{ key: answerKey('slack:12'), platform: 'slack', outcome: 'delivered' }]);
    expect(b.answered).toHaveLength(1);
  });

  it('stores no answer for a request that has no handle to answer it by (the console)', async () => {
    const { answerHandle: _, ...consoleLike } = invocation('console:1');
    expect((await instance('a', { at: T0 }).dispatch(consoleLike, new RecordingReply())).outcome).toBe('ok');
    expect(await answerRow('console:1')).toBeUndefined();
  });
});
