import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { createDigestRunner, type Poster } from '../../src/scheduler/digests.ts';
import { addSchedule } from '../../src/services/digest/schedules.ts';
import { messageText } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
const TEAM = 'T0CASEDESK';
/** 2024-09-02 08:00 in Hanoi. */
const NOW = new Date('2024-09-02T01:00:30Z');

type Sent = { to: string; text: string };
function poster(sent: Sent[], options: { direct: boolean }): Poster {
  const post = async (channel: string, message: ReplyMessage) => {
    sent.push({ to: `channel:${channel}`, text: messageText(message) });
  };
  return options.direct
    ? {
        post,
        direct: async (userId: string, message: ReplyMessage) => void sent.push({ to: `user:${userId}`, text: messageText(message) }),
      }
    : { post };
}

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  const units = await makeUnitTree(t.db);
  const duc = await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', slack: { team: TEAM, user: 'U0DUC' } });
  const nam = await makeMember(t.db, { handle: 'nam', role: 'officer', unit: 'CAQ-HK' });
  const lead = await makeMember(t.db, { handle: 'lead.hn', role: 'lead', unit: 'CA-HN', slack: { team: TEAM, user: 'U0LEAD' } });
  // Wanted this year: its review is not yet due, so the run holds the follow-ups' reminders alone.
  await makeCase(t.db, { code: 'TN-2024-000001', fullName: 'Hoàng Văn Nam', unit: 'CAQ-HK', wantedOn: '2024-03-01' });
  const followUp = (assignee: { member?: number; unit?: number }, due: string, task: string) =>
    t.db.execute(sql`insert into follow_ups (case_id, assignee_member_id, assignee_unit_id, task, due_on, created_by_member_id)
      select id, ${assignee.member ?? null}, ${assignee.unit ?? null}, ${task}, ${due}, ${lead.id} from cases where code = 'TN-2024-000001'`);
  await followUp({ member: duc.id }, '2024-09-01', 'Gặp Hoàng Văn Nam'); // 1 day late
  await followUp({ member: nam.id }, '2024-08-28', 'Xác minh nhà Hoàng Văn Nam'); // 5 days late
  await followUp({ unit: units['CA-HCM'].id }, '2024-08-29', 'Phối hợp'); // 4 days late, a unit
  await followUp({ member: duc.id }, '2024-09-02', 'Hôm nay'); // due today: not late
  const added = await addSchedule(t.db, {
    cron: '0 8 * * *',
    timeZone: 'Asia/Ho_Chi_Minh',
    platform: 'slack',
    channel: 'C0OPS',
    unitId: null,
    period: 'ytd',
    locale: 'en',
    createdByMemberId: lead.id,
    kind: 'overdue',
  });
  if (!added.ok) throw new Error('schedule refused');
  await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
});
afterAll(() => t.close());

describe('the overdue ladder', () => {
  it('reminds assignees directly, escalates the long-late to the nearest leads, and puts the rest in the channel, once', async () => {
    const sent: Sent[] = [];
    const runner = createDigestRunner({
      db: t.db,
      posters: { slack: poster(sent, { direct: true }) },
      logger: pino({ level: 'silent' }),
      escalateDays: 3,
    });
    expect(await runner.runDue(NOW)).toEqual(
      ['U0DUC', 'U0LEAD', 'channel'].map((to) => ({
        key: `overdue:1@2024-09-02T01:00:00.000Z:${to}`,
        platform: 'slack',
        outcome: 'delivered',
      })),
    );
    expect(await runner.runDue(new Date(NOW.getTime() + 60_000))).toEqual([]);

    const to = (who: string) => sent.filter((s) => s.to === who).map((s) => s.text);
    // duc has an account: reminded directly, of the one late item only.
    expect(to('user:U0DUC')).toEqual([expect.stringContaining('You have 1 overdue follow-up')]);
    expect(to('user:U0DUC')[0]).toMatch(/#1 · TN-2024-000001 · due 2024-09-01 \(1 day late\)/);
    // nam's unit (CAQ-HK) has no lead: its escalation goes to the lead of CA-HN above it.
    expect(to('user:U0LEAD')).toEqual([expect.stringContaining('CAQ-HK: 1 follow-up 3 or more days late')]);
    expect(to('user:U0LEAD')[0]).toContain('#2 · TN-2024-000001 · due 2024-08-28 (5 days late) · nam');
    // nam has no account, CA-HCM is a unit with no lead anywhere above it: both in the channel.
    const [channel] = to('channel:C0OPS');
    expect(channel).toContain('Overdue follow-ups on 2024-09-02');
    expect(channel).toContain('nam: #2');
    expect(channel).toContain('CA-HCM: #3');
    expect(channel).toContain("3 or more days late, for the units' leads");
    // Numbers, codes and dates only: never the task's text, which names people.
    for (const s of sent) expect(s.text).not.toMatch(/Hoàng Văn Nam|Xác minh|Phối hợp/);
    expect(sent).toHaveLength(3);
  });

  it('retries only the direct message that failed, without resending the others', async () => {
    const sent: Sent[] = [];
    let leadFailures = 1;
    const flaky = Object.assign(
      { post: async (channel: string, message: ReplyMessage) => void sent.push({ to: `channel:${channel}`, text: messageText(message) }) },
      {
        direct: async (userId: string, message: ReplyMessage) => {
          if (userId === 'U0LEAD' && leadFailures-- > 0) throw new Error('slack: user_not_found');
          sent.push({ to: `user:${userId}`, text: messageText(message) });
        },
      },
    );
    const runner = createDigestRunner({ db: t.db, posters: { slack: flaky }, logger: pino({ level: 'silent' }), escalateDays: 3 });
    const key = (to: string) => `overdue:1@2024-09-02T01:00:00.000Z:${to}`;
    expect(await runner.runDue(NOW)).toEqual([
      { key: key('U0DUC'), platform: 'slack', outcome: 'delivered' },
      { key: key('U0LEAD'), platform: 'slack', outcome: 'failed', error: 'slack: user_not_found' },
      { key: key('channel'), platform: 'slack', outcome: 'delivered' },
    ]);
    expect(await queryRows(t.db, sql`select delivered_at is null as pending from digest_runs`)).toEqual([{ pending: true }]);
    expect(await runner.runDue(new Date(NOW.getTime() + 60_000))).toEqual([
      { key: key('U0LEAD'), platform: 'slack', outcome: 'delivered' },
    ]);
    expect(await runner.runDue(new Date(NOW.getTime() + 3_600_000))).toEqual([]);
    expect(sent.map((s) => s.to).sort()).toEqual(['channel:C0OPS', 'user:U0DUC', 'user:U0LEAD']);
    expect(await queryRows(t.db, sql`select delivered_at is null as pending from digest_runs`)).toEqual([{ pending: false }]);
  });

  it('messages no disabled member: their reminders go to the channel, and escalations to the nearest active leads', async () => {
    // duc left, and so did the only lead of CA-HN: a disabled member sees nothing more, not even codes.
    await t.db.execute(sql`update members set disabled_at = '2024-09-01T00:00:00Z' where handle in ('duc', 'lead.hn')`);
    await makeMember(t.db, { handle: 'lead.c06', role: 'lead', unit: 'C06', slack: { team: TEAM, user: 'U0C06' } });
    const sent: Sent[] = [];
    await createDigestRunner({
      db: t.db,
      posters: { slack: poster(sent, { direct: true }) },
      logger: pino({ level: 'silent' }),
      escalateDays: 3,
    }).runDue(NOW);
    expect(sent.map((s) => s.to).sort()).toEqual(['channel:C0OPS', 'user:U0C06', 'user:U0C06']);
    const channel = sent.find((s) => s.to === 'channel:C0OPS')!.text;
    expect(channel).toContain('duc: #1 · TN-2024-000001 · due 2024-09-01 (1 day late)');
    // CAQ-HK's and CA-HCM's late follow-ups climb to the root unit's lead, who is active.
    expect(sent.filter((s) => s.to === 'user:U0C06').map((s) => s.text.split('\n')[0])).toEqual([
      'CAQ-HK: 1 follow-up 3 or more days late',
      'CA-HCM: 1 follow-up 3 or more days late',
    ]);
  });

  it('sends everything to the channel where the platform cannot message people directly', async () => {
    const sent: Sent[] = [];
    await createDigestRunner({
      db: t.db,
      posters: { slack: poster(sent, { direct: false }) },
      logger: pino({ level: 'silent' }),
      escalateDays: 3,
    }).runDue(NOW);
    expect(sent.map((s) => s.to)).toEqual(['channel:C0OPS']);
    expect(sent[0]!.text).toContain('duc: #1');
    expect(sent[0]!.text).toContain('CAQ-HK: #2');
  });
});
