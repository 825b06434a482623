import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../db/client.ts';
import type { Attachment, ReplyMessage } from '../../src/domain/reply.ts';
import { createDigestRunner, type Poster } from '../../src/scheduler/digests.ts';
import { startScheduler } from '../../src/scheduler/index.ts';
import { addSchedule } from '../../src/services/digest/schedules.ts';
import { createTestCore, messageText } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { addTestSchedule, instanceHandles } from '../support/schedules.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
const silent = pino({ level: 'silent' });
/** Monday 2024-09-02, 07:00 in Hanoi. */
const SLOT = new Date('2024-09-02T00:00:00Z');
const at = (ms: number) => new Date(SLOT.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DIGEST_KEY = `digest:1@${SLOT.toISOString()}`;

type Post = { channel: string; title: string | undefined; attachments: Attachment[] };

/** A poster that records what arrived, with an optional hook run before each channel post. */
function recorder(posts: Post[], before?: () => Promise<void>): Poster {
  return {
    async post(channel: string, message: ReplyMessage, attachments: Attachment[]) {
      await before?.();
      posts.push({ channel, title: message.title, attachments });
    },
  };
}

/** A promise the test resolves: a post that hangs until it is let go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  let entered!: () => void;
  const reached = new Promise<void>((resolve) => (entered = resolve));
  return { open, opened, reached, enter: () => entered() };
}

const outbox = () =>
  queryRows<{ key: string; attempts: number; parts_done: number; delivered: boolean; last_error: string | null }>(
    t.db,
    sql`select key, attempts, parts_done, delivered_at is not null as delivered, last_error from outbox order by id`,
  );

let instances: ReturnType<typeof instanceHandles>;
beforeAll(async () => {
  t = await openTestDb();
  instances = instanceHandles(t);
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeCase(t.db, { code: 'TN-2024-000001', fullName: 'Phạm Văn Tư', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-08-28' });
});
afterAll(async () => {
  await instances?.close();
  await t.close();
});

describe('delivering a digest through the outbox', () => {
  it('does not post a second time when another instance runs while a slow post holds the lease', async () => {
    await addTestSchedule(t);
    const [dbA, dbB] = await instances.dbs(2);
    const posts: Post[] = [];
    const slow = gate();
    const a = createDigestRunner({
      db: dbA!,
      posters: { slack: recorder(posts, async () => (slow.enter(), slow.opened)) },
      logger: silent,
      instanceId: 'a',
    });
    const b = createDigestRunner({ db: dbB!, posters: { slack: recorder(posts) }, logger: silent, instanceId: 'b' });
    const first = a.runDue(at(1_000));
    await slow.reached;
    // Past the old one-minute lease, and past the first attempt's backoff: still A's to post.
    expect(await b.runDue(at(62_000))).toEqual([]);
    expect(await b.runDue(at(5 * MINUTE))).toEqual([]);
    slow.open();
    expect(await first).toEqual([{ key: DIGEST_KEY, platform: 'slack', outcome: 'delivered' }]);
    expect(await b.runDue(at(20 * MINUTE))).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(await outbox()).toMatchObject([{ key: DIGEST_KEY, attempts: 1, delivered: true }]);
  });

  it('renews the lease while a post is slow, so that it is not taken over', async () => {
    await addTestSchedule(t);
    const [dbA, dbB] = await instances.dbs(2);
    const posts: Post[] = [];
    const slow = gate();
    // A one-second lease, renewed every second while the post runs.
    const a = createDigestRunner({
      db: dbA!,
      posters: { slack: recorder(posts, async () => (slow.enter(), slow.opened)) },
      logger: silent,
      instanceId: 'a',
      leaseMs: 1_000,
    });
    const b = createDigestRunner({ db: dbB!, posters: { slack: recorder(posts) }, logger: silent, instanceId: 'b', leaseMs: 1_000 });
    const first = a.runDue(at(1_000));
    await slow.reached;
    await new Promise((resolve) => setTimeout(resolve, 1_900));
    // Unrenewed, the lease would have run out at 2 s; renewed at about 1 s in, it lasts past 3 s.
    expect(await b.runDue(at(2_300))).toEqual([]);
    slow.open();
    expect(await first).toMatchObject([{ outcome: 'delivered' }]);
    expect(posts).toHaveLength(1);
  });

  it('stops an instance whose lease was taken over, after the call it had in flight', async () => {
    await addTestSchedule(t);
    const [dbA, dbB] = await instances.dbs(2);
    const arrived: string[] = [];
    const hang = gate();
    const threeParts = (name: string, hangFirst: boolean): Poster => ({
      post: async () => {},
      parts: () =>
        ['page 1', 'page 2', 'chart'].map((part, n) => async () => {
          if (hangFirst && n === 0) {
            hang.enter();
            await hang.opened;
          }
          arrived.push(`${name}: ${part}`);
        }),
    });
    const a = createDigestRunner({ db: dbA!, posters: { slack: threeParts('a', true) }, logger: silent, instanceId: 'a' });
    const b = createDigestRunner({ db: dbB!, posters: { slack: threeParts('b', false) }, logger: silent, instanceId: 'b' });
    const first = a.runDue(at(1_000));
    await hang.reached;
    // A hung beyond its ten-minute lease without renewing it: B takes the message over.
    expect(await b.runDue(at(11 * MINUTE))).toEqual([{ key: DIGEST_KEY, platform: 'slack', outcome: 'delivered' }]);
    hang.open();
    // A finds its lease gone after the call in flight, and posts nothing more.
    expect(await first).toEqual([]);
    expect(arrived).toEqual(['b: page 1', 'b: page 2', 'b: chart', 'a: page 1']);
    expect(await outbox()).toMatchObject([{ attempts: 2, parts_done: 3, delivered: true }]);
  });

  it('resumes a message that failed on part 2 of 3 at part 2, so every part arrives once', async () => {
    await addTestSchedule(t);
    const arrived: string[] = [];
    let failures = 1;
    const poster: Poster = {
      post: async () => {},
      parts: (channel: string, message: ReplyMessage, attachments: Attachment[]) => [
        async () => void arrived.push(`${channel} ${message.title}`),
        async () => {
          if (failures-- > 0) throw new Error('slack: service_unavailable');
          arrived.push('page 2');
        },
        async () => void arrived.push(attachments[0]!.name),
      ],
    };
    const runner = createDigestRunner({ db: t.db, posters: { slack: poster }, logger: silent });
    expect(await runner.runDue(at(1_000))).toEqual([
      { key: DIGEST_KEY, platform: 'slack', outcome: 'failed', error: 'slack: service_unavailable' },
    ]);
    expect(await outbox()).toMatchObject([{ attempts: 1, parts_done: 1, delivered: false, last_error: 'slack: service_unavailable' }]);
    expect(await runner.runDue(at(MINUTE + 1_000))).toMatchObject([{ outcome: 'delivered' }]);
    expect(arrived).toEqual([expect.stringMatching(/^C0DIGEST Tiến độ công tác truy nã/), 'page 2', 'digest-2024-09-01.png']);
    expect(await outbox()).toMatchObject([{ attempts: 2, parts_done: 3, delivered: true, last_error: null }]);
    expect(await queryRows(t.db, sql`select delivered_at is not null as delivered from digest_runs`)).toEqual([{ delivered: true }]);
  });

  it('sends the digest it built, not a rebuilt one, when a retry comes after the data changed', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    let failures = 1;
    const poster: Poster = {
      async post(channel, message, attachments) {
        if (failures-- > 0) throw new Error('timeout');
        posts.push({ channel, title: messageText(message), attachments });
      },
    };
    const runner = createDigestRunner({ db: t.db, posters: { slack: poster }, logger: silent });
    await runner.runDue(at(1_000));
    await makeCase(t.db, { code: 'TN-2024-000002', fullName: 'Lê Văn Hai', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-08-29' });
    await runner.runDue(at(MINUTE + 1_000));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.title).toContain('Bắt, vận động đầu thú, thanh loại 1 đối tượng truy nã');
  });

  it('gives a message up after eight attempts and keeps its last error', async () => {
    await addTestSchedule(t);
    const runner = createDigestRunner({
      db: t.db,
      posters: { slack: { post: async () => Promise.reject(new Error('channel_not_found')) } },
      logger: silent,
    });
    const outcomes = [];
    // 1 + 1 + 2 + 4 + … minutes apart: every attempt is due two hours later at the latest.
    for (let n = 0; n < 9; n++) outcomes.push(...(await runner.runDue(at(n * 2 * HOUR + 1_000))));
    expect(outcomes.map((o) => o.outcome)).toEqual([...Array(7).fill('failed'), 'gave-up']);
    expect(await outbox()).toMatchObject([{ attempts: 8, delivered: false, last_error: 'channel_not_found' }]);
    expect(await runner.runDue(at(30 * HOUR))).toEqual([]);
  });
});

describe('firing on time and catching up', () => {
  it('still sends on time when catching up is turned off (grace 0)', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, graceMs: 0 });
    expect(await runner.runDue(at(5_000))).toMatchObject([{ key: DIGEST_KEY, outcome: 'delivered' }]);
    expect(posts).toHaveLength(1);
  });

  it('does not catch up a missed slot when the grace is 0', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    expect(
      await createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, graceMs: 0 }).runDue(at(HOUR)),
    ).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('refuses a cron expression node-cron cannot run, though cron-parser reads it', async () => {
    const refused = await addSchedule(t.db, {
      cron: 'H 7 * * 1',
      timeZone: 'Asia/Ho_Chi_Minh',
      platform: 'slack',
      channel: 'C1',
      unitId: null,
      period: 'week',
      locale: 'en',
      createdByMemberId: null,
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.failure.text('en')).toContain('"H 7 * * 1" is not a valid cron expression');
  });

  it('registers the other schedules when one stored row has a cron expression node-cron refuses', async () => {
    await t.db.execute(sql`insert into digest_schedules (cron, time_zone, target_platform, target_channel, period, locale, created_at)
      values ('H 7 * * 1', 'Asia/Ho_Chi_Minh', 'slack', 'C0BAD', 'week', 'vi', '2024-01-01T00:00:00Z')`);
    const good = await addTestSchedule(t);
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, graceMs: 0 });
    const scheduler = await startScheduler({ db: t.db, runner, logger: silent, invocationRetentionDays: 30, clock: () => at(1_000) });
    try {
      expect(scheduler.registered()).toEqual([`${good.id}|0 7 * * 1|Asia/Ho_Chi_Minh`]);
      await scheduler.sync();
      expect(scheduler.registered()).toEqual([`${good.id}|0 7 * * 1|Asia/Ho_Chi_Minh`]);
      await scheduler.firstPass;
      expect(posts.map((p) => p.channel)).toContain('C0DIGEST');
    } finally {
      await scheduler.stop();
    }
  });
});

describe('meetings closed by the time-out', () => {
  /** A meeting opened on the console at 09:00 in Hanoi, then moved to `platform` for the test. */
  async function openMeeting(platform: 'slack' | 'discord' | 'console') {
    await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
    const core = createTestCore(t.db, { now: new Date('2024-09-02T02:00:00Z') });
    expect((await core.run('lead', 'meeting start Giao ban bỏ dở')).result.outcome).toBe('ok');
    await core.run('lead', 'meeting conclude Kết luận dở dang');
    if (platform !== 'console') await t.db.execute(sql`update meetings set platform = ${platform}, channel_id = 'C0COMMITTEE'`);
  }
  const LATE = new Date('2024-09-02T14:30:00Z');
  const runner = (db: Database, posters: Partial<Record<'slack' | 'discord', Poster>>, instanceId: string) =>
    createDigestRunner({
      db,
      posters,
      logger: silent,
      instanceId,
      meetingTimeoutMs: 12 * HOUR,
      locale: 'en',
      timeZone: 'Asia/Ho_Chi_Minh',
    });

  it('posts, once, the minutes of a meeting closed by an instance that cannot post to its platform', async () => {
    await openMeeting('slack');
    const [consoleDb, slackDb] = await instances.dbs(2);
    const posts: Post[] = [];
    const onlyConsole = runner(consoleDb!, {}, 'console-only');
    const withSlack = runner(slackDb!, { slack: recorder(posts) }, 'with-slack');
    expect(await onlyConsole.closeStaleMeetings(LATE)).toEqual([1]);
    expect(await onlyConsole.runDue(LATE)).toEqual([]);
    expect(await withSlack.closeStaleMeetings(LATE)).toEqual([]);
    expect(await withSlack.runDue(LATE)).toEqual([{ key: 'minutes:1', platform: 'slack', outcome: 'delivered' }]);
    expect(await withSlack.runDue(new Date(LATE.getTime() + HOUR))).toEqual([]);
    expect(posts).toEqual([{ channel: 'C0COMMITTEE', title: 'Minutes of meeting #1: Giao ban bỏ dở', attachments: [] }]);
  });

  it('retries a failed minutes post and delivers it once', async () => {
    await openMeeting('discord');
    const posts: Post[] = [];
    let failures = 1;
    const flaky: Poster = {
      async post(channel, message, attachments) {
        if (failures-- > 0) throw new Error('discord: 503');
        posts.push({ channel, title: messageText(message), attachments });
      },
    };
    const r = runner(t.db, { discord: flaky }, 'one');
    expect(await r.closeStaleMeetings(LATE)).toEqual([1]);
    expect(await r.runDue(LATE)).toEqual([{ key: 'minutes:1', platform: 'discord', outcome: 'failed', error: 'discord: 503' }]);
    expect(await r.runDue(new Date(LATE.getTime() + MINUTE))).toMatchObject([{ key: 'minutes:1', outcome: 'delivered' }]);
    expect(await r.runDue(new Date(LATE.getTime() + HOUR))).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.title).toContain('(closed automatically)');
    expect(posts[0]!.title).toContain('Kết luận dở dang');
  });

  it('posts the minutes once when two instances close the same meeting at once', async () => {
    await openMeeting('slack');
    const dbs = await instances.dbs(2);
    const posts: Post[] = [];
    const runners = dbs.map((db, i) => runner(db, { slack: recorder(posts) }, `instance-${i}`));
    expect((await Promise.all(runners.map((r) => r.closeStaleMeetings(LATE)))).flat()).toEqual([1]);
    expect((await Promise.all(runners.map((r) => r.runDue(LATE)))).flat()).toEqual([
      { key: 'minutes:1', platform: 'slack', outcome: 'delivered' },
    ]);
    expect(posts).toHaveLength(1);
    expect(await queryRows(t.db, sql`select ended_how from meetings`)).toEqual([{ ended_how: 'timeout' }]);
  });

  it('closes a console meeting and keeps its minutes, with nothing to post', async () => {
    await openMeeting('console');
    const posts: Post[] = [];
    const r = runner(t.db, { slack: recorder(posts) }, 'one');
    expect(await r.closeStaleMeetings(LATE)).toEqual([1]);
    expect(await r.runDue(LATE)).toEqual([]);
    expect(await outbox()).toEqual([]);
    expect(posts).toEqual([]);
    const minutes = await createTestCore(t.db, { now: LATE }).run('lead', 'meeting minutes 1');
    expect(minutes.reply.text).toContain('(closed automatically)');
    expect(minutes.reply.text).toContain('Kết luận dở dang');
  });
});
