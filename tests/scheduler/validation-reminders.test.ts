import { sql } from 'drizzle-orm';
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
/** 2024-09-02 08:00 in Hanoi, when the daily overdue schedule fires. */
const NOW = new Date('2024-09-02T01:00:30Z');
const SLOT = '2024-09-02T01:00:00.000Z';
const silent = pino({ level: 'silent' });

type Sent = { to: string; text: string };
function poster(sent: Sent[], options: { direct: boolean }): Poster {
  const post = async (channel: string, message: ReplyMessage) => void sent.push({ to: `channel:${channel}`, text: messageText(message) });
  return options.direct
    ? {
        post,
        direct: async (userId: string, message: ReplyMessage) => void sent.push({ to: `user:${userId}`, text: messageText(message) }),
      }
    : { post };
}

let units: Awaited<ReturnType<typeof makeUnitTree>>;
const schedule = async (unitId: number | null) => {
  const added = await addSchedule(t.db, {
    cron: '0 8 * * *',
    timeZone: 'Asia/Ho_Chi_Minh',
    platform: 'slack',
    channel: 'C0OPS',
    unitId,
    period: 'ytd',
    locale: 'en',
    createdByMemberId: null,
    kind: 'overdue',
  });
  if (!added.ok) throw new Error('schedule refused');
  await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
};

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  units = await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead.hn', role: 'lead', unit: 'CA-HN', slack: { team: TEAM, user: 'U0LEAD' } });
  // CAQ-HK (no lead of its own: CA-HN's answers for it): one review 2 days late, one long late.
  await makeCase(t.db, { code: 'TN-2023-000001', fullName: 'Hoàng Văn Nam', unit: 'CAQ-HK', wantedOn: '2023-08-31' });
  await makeCase(t.db, { code: 'TN-2023-000002', fullName: 'Trần Văn Bình', unit: 'CAQ-HK', wantedOn: '2023-01-10' });
  // CA-HCM (no lead anywhere above it): long late. CA-HN's own: validated a month ago, not due.
  await makeCase(t.db, {
    code: 'TN-2020-000003',
    fullName: 'Lê Thị Hoa',
    unit: 'CA-HCM',
    wantedOn: '2020-01-01',
    validatedOn: '2023-05-01',
  });
  await makeCase(t.db, { code: 'TN-2020-000004', fullName: 'Phạm Văn Cường', unit: 'CA-HN', validatedOn: '2024-08-01' });
  // Resolved long ago: never reminded.
  await makeCase(t.db, { code: 'TN-2020-000005', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2021-01-01' });
});
afterAll(() => t.close());

describe('the overdue ladder for validation', () => {
  it('reminds each unit in the channel, tells the nearest leads of the records 3 or more days late, and sends each once', async () => {
    await schedule(null);
    const sent: Sent[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: poster(sent, { direct: true }) }, logger: silent, escalateDays: 3 });
    expect(await runner.runDue(NOW)).toEqual(
      ['U0LEAD', 'channel'].map((to) => ({ key: `overdue:1@${SLOT}:validation:${to}`, platform: 'slack', outcome: 'delivered' })),
    );
    expect(await runner.runDue(new Date(NOW.getTime() + 60_000))).toEqual([]);

    const to = (who: string) => sent.filter((s) => s.to === who).map((s) => s.text);
    expect(to('user:U0LEAD')).toEqual([
      [
        'CAQ-HK: 1 record 3 or more days overdue for validation',
        'TN-2023-000002 · due 2024-01-10 (236 days late)',
        'The whole list: validation due unit:CAQ-HK; to record one: case validate <code>.',
      ].join('\n'),
    ]);
    const [channel] = to('channel:C0OPS');
    expect(channel).toContain('Validations overdue on 2024-09-02');
    expect(channel).toContain(
      'CAQ-HK: 2 records — TN-2023-000002 · due 2024-01-10 (236 days late); TN-2023-000001 · due 2024-08-31 (2 days late)',
    );
    expect(channel).toContain(
      "3 or more days overdue, for the units' leads:\nCA-HCM: 1 record — TN-2020-000003 · due 2024-05-01 (124 days late)",
    );
    expect(channel).not.toContain('TN-2020-000004');
    expect(channel).not.toContain('TN-2020-000005');
    // Codes and dates only: never a name.
    for (const s of sent) expect(s.text).not.toMatch(/Hoàng|Trần|Lê Thị|Phạm/);
    expect(sent).toHaveLength(2);
  });

  it('escalates a record once it is late enough, on a later day, and keeps to the schedule scope', async () => {
    await schedule(units['CA-HN'].id);
    const sent: Sent[] = [];
    const runner = createDigestRunner({ db: t.db, posters: { slack: poster(sent, { direct: true }) }, logger: silent, escalateDays: 3 });
    await runner.runDue(NOW);
    // Two days on, the review due 2024-08-31 is 4 days late: the lead hears of both.
    await runner.runDue(new Date('2024-09-04T01:00:30Z'));
    const lead = sent.filter((s) => s.to === 'user:U0LEAD').map((s) => s.text.split('\n')[0]);
    expect(lead).toEqual([
      'CAQ-HK: 1 record 3 or more days overdue for validation',
      'CAQ-HK: 2 records 3 or more days overdue for validation',
    ]);
    const channels = sent.filter((s) => s.to === 'channel:C0OPS').map((s) => s.text);
    expect(channels).toHaveLength(2);
    for (const channel of channels) expect(channel).not.toContain('CA-HCM');
  });

  it('lists the ten most overdue records of a unit and counts the rest, all in the channel where nobody can be messaged directly', async () => {
    await schedule(null);
    for (let i = 1; i <= 12; i++)
      await makeCase(t.db, {
        code: `TN-2019-${String(i).padStart(6, '0')}`,
        unit: 'CA-HCM',
        wantedOn: `2019-01-${String(i).padStart(2, '0')}`,
      });
    const sent: Sent[] = [];
    await createDigestRunner({ db: t.db, posters: { slack: poster(sent, { direct: false }) }, logger: silent, escalateDays: 3 }).runDue(
      NOW,
    );
    expect(sent.map((s) => s.to)).toEqual(['channel:C0OPS']);
    const lines = sent[0]!.text.split('\n');
    const hcm = lines.find((l) => l.startsWith('CA-HCM: 13 records'))!;
    expect(hcm.match(/TN-\d{4}-\d{6}/g)).toEqual([...Array.from({ length: 10 }, (_, i) => `TN-2019-${String(i + 1).padStart(6, '0')}`)]);
    expect(hcm).toMatch(/; and 3 more$/);
    // The leads cannot be messaged here: the escalations go to the channel.
    const escalated = lines.slice(lines.indexOf("3 or more days overdue, for the units' leads:") + 1);
    expect(escalated.map((l) => l.split(' — ')[0])).toEqual([
      'CA-HCM: 13 records',
      'CAQ-HK: 1 record',
      expect.stringMatching(/^The whole list/),
    ]);
  });

  it('counts the months between reviews from the configuration', async () => {
    await schedule(units['CA-HN'].id);
    const sent: Sent[] = [];
    await createDigestRunner({
      db: t.db,
      posters: { slack: poster(sent, { direct: false }) },
      logger: silent,
      escalateDays: 3,
      validation: { months: 1, windowDays: 30 },
    }).runDue(NOW);
    // A month on, CA-HN's own record validated on 2024-08-01 was due 2024-09-01.
    expect(sent[0]!.text).toContain('CA-HN: 1 record — TN-2020-000004 · due 2024-09-01 (1 day late)');
  });
});
