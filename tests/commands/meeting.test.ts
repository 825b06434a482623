import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { ReplyMessage } from '../../src/core/invocation.ts';
import { createDigestRunner } from '../../src/scheduler/digests.ts';
import { messageText, createTestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
/** The committee meets on 2024-09-02 at 09:00 in Hanoi, and again on 2024-09-30. */
const first = () => createTestCore(t.db, { now: new Date('2024-09-02T02:00:00Z') });
const second = () => createTestCore(t.db, { now: new Date('2024-09-30T02:00:00Z') });

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'lead.vi', role: 'lead', unit: 'CA-HN', locale: 'vi' });
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CAQ-HK' });
  await makeMember(t.db, { handle: 'officer.hn', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'viewer', role: 'viewer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hcm.lead', role: 'lead', unit: 'CA-HCM' });
  await makeCase(t.db, { code: 'TN-2024-000001', fullName: 'Trịnh Văn Quyết', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-08-20' });
  await makeCase(t.db, { code: 'TN-2024-000002', fullName: 'Đỗ Thị Lan', unit: 'CA-HN', wantedOn: '2024-03-01' });
});
afterAll(() => t.close());

async function holdFirstMeeting() {
  const core = first();
  const start = await core.run('lead', 'meeting start Giao ban tháng 9');
  expect(start.result.outcome).toBe('ok');
  await core.run('officer.hn', 'meeting note Đã rà soát danh sách truy nã quý III');
  // A district officer is outside the provincial committee's scope: not part of its meeting.
  expect((await core.run('duc', 'meeting note ghi chú')).result.code).toBe('not_found');
  await core.run('lead', 'meeting conclude Các đơn vị tăng cường vận động đầu thú');
  await core.run('lead', 'meeting conclude Hoàn thiện quy chế phối hợp unit:CAQ-HK due:2024-09-20');
  await core.run('lead', 'meeting conclude Báo cáo kết quả xác minh member:duc due:2024-10-15');
  await core.run('lead', 'followup add TN-2024-000002 duc "Xác minh nơi cư trú" due:2024-10-31');
  await core.run('viewer', 'meeting attend');
  const end = await core.run('lead', 'meeting end');
  return { start, end };
}

describe('a committee meeting on the console', () => {
  it('opens with an agenda from the data, records conclusions and directives, and posts the minutes', async () => {
    const { start, end } = await holdFirstMeeting();
    expect(start.reply.messages[0]).toMatchObject({ personal: false, toChannel: true, title: 'Meeting: Giao ban tháng 9' });
    expect(start.reply.text).toContain('Arrested, persuaded to surrender or cleared from the list: 1 wanted subjects');
    expect(start.reply.text).not.toContain('Trịnh Văn Quyết');

    const minutes = end.reply.text;
    expect(end.reply.messages[0]).toMatchObject({ toChannel: true, title: 'Minutes of meeting #1: Giao ban tháng 9' });
    expect(minutes).toContain('Attendees: lead, officer.hn, viewer');
    expect(minutes).toContain('Scope: CA-HN Công an TP Hà Nội');
    expect(minutes).toContain('Figures reviewed: 1 resolved; 1 still wanted');
    expect(minutes).toContain('Các đơn vị tăng cường vận động đầu thú');
    expect(minutes).toContain('Hoàn thiện quy chế phối hợp → CAQ-HK (due 2024-09-20) · #1');
    expect(minutes).toContain('Báo cáo kết quả xác minh → duc (due 2024-10-15) · #2');
    expect(minutes).toContain('Đã rà soát danh sách truy nã quý III');
    // Directives became follow-ups, and the follow-up assigned in the channel is the meeting's too.
    expect(await queryRows(t.db, sql`select f.id, coalesce(m.handle, u.code) as assignee from meeting_follow_ups l join follow_ups f on f.id = l.follow_up_id
      left join members m on m.id = f.assignee_member_id left join units u on u.id = f.assignee_unit_id order by f.id`)).toEqual([
      { id: 1, assignee: 'CAQ-HK' },
      { id: 2, assignee: 'duc' },
      { id: 3, assignee: 'duc' },
    ]);
    // Kept: listed and shown again, in the reader's language.
    expect((await first().run('viewer', 'meeting list')).reply.text).toContain('#1 · 2024-09-02 09:00 · CA-HN · Giao ban tháng 9');
    const vi = await first().run('lead.vi', 'meeting minutes 1');
    expect(vi.reply.text).toContain('Biên bản họp #1: Giao ban tháng 9');
    expect(vi.reply.text).toContain('Thành phần: lead, officer.hn, viewer');
    expect(vi.reply.text).toContain('Hoàn thiện quy chế phối hợp → CAQ-HK (hạn 20/09/2024) · #1');
    expect(vi.reply.messages[0]!.toChannel).toBe(false);
  });

  it("shows the next meeting the previous one's directives with their progress, and the cases changed since", async () => {
    await holdFirstMeeting();
    const later = second();
    await later.run('duc', 'followup done 2 đã báo cáo');
    await later.run('lead', 'case status TN-2024-000002 surrendered on:2024-09-25');
    const agenda = await later.run('lead', 'meeting start Giao ban tháng 10');
    const text = agenda.reply.text;
    expect(text).toContain('Directives of the previous meeting (#1 "Giao ban tháng 9", 2024-09-02 09:00):');
    expect(text).toContain('#1 · CAQ-HK · due 2024-09-20 · overdue: Hoàn thiện quy chế phối hợp');
    expect(text).toContain('#2 · duc · due 2024-10-15 · done: Báo cáo kết quả xác minh');
    expect(text).toContain('#3 · duc · due 2024-10-31 · open: Xác minh nơi cư trú');
    expect(text).toContain('Cases whose status changed since the previous meeting:');
    expect(text).toContain('TN-2024-000002 (surrendered)');
    // The figures run from the previous meeting's day.
    expect(text).toContain('2024-09-02 to 2024-09-30');
  });

  it('allows one open meeting a channel, and only members in scope with the role', async () => {
    const core = first();
    expect((await core.run('viewer', 'meeting start Họp')).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect((await core.run('lead', 'meeting start Họp')).result.outcome).toBe('ok');
    const again = await core.run('lead.vi', 'meeting start Họp nữa');
    expect(again.result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
    expect(again.reply.text).toContain('Đang có cuộc họp #1 "Họp" ở kênh này');
    expect((await core.run('viewer', 'meeting conclude Kết luận')).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    // The CA-HN committee's meeting is not there for a lead of another province.
    expect((await core.run('hcm.lead', 'meeting note ghi chú')).result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect((await core.run('hcm.lead', 'meeting end')).result.code).toBe('not_found');
    await core.run('lead', 'meeting end');
    const outside = await core.run('hcm.lead', 'meeting minutes 1');
    expect(outside.result.code).toBe('not_found');
    expect(outside.reply.text).toContain('There is no meeting #1 within your units.');
    expect((await core.run('hcm.lead', 'meeting list')).reply.text).toBe('No meetings yet.');
  });

  it('closes a meeting left open once, even with two instances, and posts its minutes', async () => {
    await first().run('lead', 'meeting start Họp bỏ dở');
    await first().run('lead', 'meeting conclude Kết luận dở dang');
    const posts: Array<{ channel: string; message: ReplyMessage }> = [];
    const poster = async (channel: string, message: ReplyMessage) => void posts.push({ channel, message });
    const runners = [0, 1].map(() => createDigestRunner({ db: t.db, posters: { console: poster }, logger: pino({ level: 'silent' }), meetingTimeoutMs: 12 * 3600_000, locale: 'en' }));
    // Eleven hours in: still open.
    expect(await runners[0]!.closeStaleMeetings(new Date('2024-09-02T13:00:00Z'))).toEqual([]);
    const closed = await Promise.all(runners.map((r) => r.closeStaleMeetings(new Date('2024-09-02T14:30:00Z'))));
    expect(closed.flat()).toEqual([1]);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('console');
    expect(messageText(posts[0]!.message)).toContain('(closed automatically)');
    expect(messageText(posts[0]!.message)).toContain('Kết luận dở dang');
    expect(await queryRows(t.db, sql`select ended_how from meetings`)).toEqual([{ ended_how: 'timeout' }]);
  });
});
