import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { Attachment, ReplyMessage } from '../../src/domain/reply.ts';
import { createDigestRunner, retryDelayMs, type Poster } from '../../src/scheduler/digests.ts';
import { startScheduler } from '../../src/scheduler/index.ts';
import { messageText } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { addTestSchedule, instanceHandles } from '../support/schedules.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { insertMeeting, linkFollowUp } from '../../src/repositories/meetings.ts';
import { insertFollowUp } from '../../src/repositories/follow-ups.ts';
import { findUnitByCode } from '../../src/repositories/units.ts';

let t: TestDb;
const silent = pino({ level: 'silent' });
/** Monday 2024-09-02, 07:00 in Hanoi. */
const SLOT = new Date('2024-09-02T00:00:00Z');
const at = (ms: number) => new Date(SLOT.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Post = { channel: string; message: ReplyMessage; attachments: Attachment[] };
function recorder(posts: Post[], options: { failFirst?: number } = {}): Poster {
  let failures = options.failFirst ?? 0;
  return {
    async post(channel, message, attachments) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('slack: service_unavailable');
      }
      posts.push({ channel, message, attachments });
    },
  };
}

const runs = () =>
  queryRows<{ slot: string; attempts: number; delivered: boolean; period_from: string | null; period_to: string | null }>(
    t.db,
    sql`select slot, attempts, delivered_at is not null as delivered, period_from::text, period_to::text from digest_runs order by slot`,
  );

const messages = () =>
  queryRows<{ key: string; attempts: number; parts_done: number; delivered: boolean }>(
    t.db,
    sql`select key, attempts, parts_done, delivered_at is not null as delivered from outbox order by id`,
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

describe('scheduled digests, exactly once', () => {
  it('delivers one digest when three instances fire the same slot', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    const dbs = await instances.dbs(3);
    const runners = dbs.map((db, i) =>
      createDigestRunner({ db, posters: { slack: recorder(posts) }, logger: silent, instanceId: `instance-${i}` }),
    );
    const outcomes = await Promise.all(runners.map((r) => r.runDue(at(5_000))));
    expect(outcomes.flat()).toEqual([{ key: `digest:1@${SLOT.toISOString()}`, platform: 'slack', outcome: 'delivered' }]);
    expect(posts).toHaveLength(1);
    // A restart or a retry of the same instant sends nothing more.
    await Promise.all(runners.map((r) => r.runDue(at(30_000))));
    expect(posts).toHaveLength(1);
    expect(await runs()).toEqual([
      { slot: expect.anything(), attempts: 1, delivered: true, period_from: '2024-08-26', period_to: '2024-09-01' },
    ]);
    expect(await messages()).toEqual([{ key: `digest:1@${SLOT.toISOString()}`, attempts: 1, parts_done: 1, delivered: true }]);
    // Built once, audited once, by no member.
    expect(await queryRows(t.db, sql`select command, member_id, channel_id, args from audit_log`)).toEqual([
      {
        command: 'digest schedule run',
        member_id: null,
        channel_id: 'C0DIGEST',
        args: { schedule: 1, slot: SLOT.toISOString(), messages: 1 },
      },
    ]);
  });

  it("posts aggregates with the chart, to the schedule's channel", async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    await createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent }).runDue(at(1_000));
    const [post] = posts;
    expect(post!.channel).toBe('C0DIGEST');
    expect(post!.message).toMatchObject({ personal: false, toChannel: true });
    expect(messageText(post!.message)).toContain('Bắt, vận động đầu thú, thanh loại 1 đối tượng truy nã');
    expect(messageText(post!.message)).not.toContain('Phạm Văn Tư');
    expect(post!.attachments[0]).toMatchObject({ name: 'digest-2024-09-01.png', contentType: 'image/png' });
    expect(Buffer.from(post!.attachments[0]!.data).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('catches up a slot missed while every instance was down, once, within the grace', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, graceMs: 6 * HOUR });
    expect(await runner.runDue(at(2 * HOUR))).toMatchObject([{ outcome: 'delivered', key: `digest:1@${SLOT.toISOString()}` }]);
    expect(await runner.runDue(at(3 * HOUR))).toEqual([]);
    expect(posts).toHaveLength(1);
  });

  it('skips a slot older than the grace, and slots from before the schedule existed', async () => {
    await addTestSchedule(t);
    await addTestSchedule(t, { createdAt: at(HOUR) });
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, graceMs: 6 * HOUR });
    expect(await runner.runDue(at(7 * HOUR))).toEqual([]);
    expect(await runner.runDue(at(2 * HOUR))).toHaveLength(1);
    expect(posts).toHaveLength(1);
  });

  it('retries a failed delivery with backoff, and delivers it once', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts, { failFirst: 2 }) }, logger: silent });
    expect(await runner.runDue(at(0))).toMatchObject([{ outcome: 'failed', error: 'slack: service_unavailable' }]);
    // Not due again before its backoff.
    expect(await runner.runDue(at(retryDelayMs(1) - 1_000))).toEqual([]);
    expect(await runner.runDue(at(retryDelayMs(1)))).toMatchObject([{ outcome: 'failed' }]);
    expect(await runner.runDue(at(retryDelayMs(1) + retryDelayMs(2)))).toMatchObject([{ outcome: 'delivered' }]);
    expect(await runner.runDue(at(HOUR))).toEqual([]);
    expect(posts).toHaveLength(1);
    // Built once; posted on the third attempt.
    expect(await runs()).toMatchObject([{ attempts: 1, delivered: true }]);
    expect(await messages()).toMatchObject([{ attempts: 3, delivered: true }]);
  });

  it('leaves a run for an instance that can post to its platform', async () => {
    await addTestSchedule(t);
    const posts: Post[] = [];
    expect(await createDigestRunner({ db: t.db, posters: {}, logger: silent }).runDue(at(1_000))).toEqual([]);
    expect(await createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent }).runDue(at(2_000))).toMatchObject([
      { outcome: 'delivered' },
    ]);
    expect(posts).toHaveLength(1);
  });

  it('covers since-last from the end of the previous digest', async () => {
    await addTestSchedule(t, { period: 'since-last' });
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent });
    await runner.runDue(at(0));
    await runner.runDue(at(7 * 24 * HOUR));
    expect((await runs()).map((r) => [r.period_from, r.period_to])).toEqual([
      ['2024-08-26', '2024-09-01'],
      ['2024-09-02', '2024-09-08'],
    ]);
    expect(messageText(posts[1]!.message)).toContain('Từ báo cáo trước');
  });
});

describe('a committee pre-read', () => {
  it("covers the time since the committee's last meeting in the channel", async () => {
    await addTestSchedule(t, { period: 'since-meeting' });
    const lead = await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const meeting = (await insertMeeting(t.db, {
      title: 'Giao ban',
      unitId: hn.id,
      platform: 'slack',
      channelId: 'C0DIGEST',
      startedByMemberId: lead.id,
      startedAt: new Date('2024-08-20T02:00:00Z'),
      agenda: {},
    }))!;
    // What that meeting directed, due before the pre-read: overdue now.
    const directive = await insertFollowUp(t.db, {
      caseId: null,
      assigneeMemberId: null,
      assigneeUnitId: hn.id,
      task: 'Hoàn thiện quy chế phối hợp',
      dueOn: '2024-08-30',
      createdByMemberId: lead.id,
    });
    await linkFollowUp(t.db, { meetingId: meeting.id, followUpId: directive.id });
    const posts: Post[] = [];
    await createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent }).runDue(at(1_000));
    expect((await runs()).map((r) => [r.period_from, r.period_to])).toEqual([['2024-08-20', '2024-09-01']]);
    const text = messageText(posts[0]!.message);
    expect(text).toContain('Bắt, vận động đầu thú, thanh loại 1 đối tượng truy nã');
    expect(text).toContain('Từ cuộc họp trước:');
    expect(text).toContain(`Chỉ đạo và việc cần làm của cuộc họp trước (#${meeting.id} "Giao ban", 20/08/2024 09:00):`);
    expect(text).toContain(`#${directive.id} · CA-HN · hạn 30/08/2024 · quá hạn: Hoàn thiện quy chế phối hợp`);
  });
});

describe('the scheduler in a running instance', () => {
  it('registers each enabled schedule with node-cron and follows changes', async () => {
    const first = await addTestSchedule(t);
    await t.db.execute(
      sql`insert into processed_invocations (key, claimed_by, claimed_at) values ('old', 'x', ${at(-8 * 24 * HOUR).toISOString()}), ('recent', 'x', ${at(-HOUR).toISOString()})`,
    );
    const lead = await makeMember(t.db, { handle: 'lead.confirm', role: 'lead', unit: 'CA-HN' });
    await t.db.execute(sql`insert into pending_actions (key, command, options, offered_to_member_id, expires_at)
      values ('expired', 'case status', '{}', ${lead.id}, ${at(-HOUR).toISOString()}), ('live', 'case status', '{}', ${lead.id}, ${at(HOUR).toISOString()})`);
    const posts: Post[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: silent, clock: () => at(0) });
    const scheduler = await startScheduler({ db: t.db, runner, logger: silent, invocationRetentionDays: 7, clock: () => at(1_000) });
    try {
      expect(scheduler.registered()).toEqual([`${first.id}|0 7 * * 1|Asia/Ho_Chi_Minh`]);
      await scheduler.firstPass;
      // At start it sent the slot it found due.
      expect(posts).toHaveLength(1);
      // Request ids claimed before the configured age (7 days here) were forgotten at start; recent ones kept.
      expect(await queryRows(t.db, sql`select key from processed_invocations order by key`)).toEqual([{ key: 'recent' }]);
      // Confirmations whose buttons expired too.
      expect(await queryRows(t.db, sql`select key from pending_actions`)).toEqual([{ key: 'live' }]);
      const second = await addTestSchedule(t, { cron: '30 6 1 * *' });
      await t.db.execute(sql`delete from digest_schedules where id = ${first.id}`);
      await scheduler.sync();
      expect(scheduler.registered()).toEqual([`${second.id}|30 6 1 * *|Asia/Ho_Chi_Minh`]);
    } finally {
      await scheduler.stop();
    }
  });
});
