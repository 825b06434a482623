import { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { runConsole } from '../../src/adapters/console/console-adapter.ts';
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
  await makeCase(t.db, {
    code: 'TN-2024-000001',
    fullName: 'Trịnh Văn Quyết',
    unit: 'CAQ-HK',
    status: 'arrested',
    resolvedOn: '2024-08-20',
  });
  await makeCase(t.db, { code: 'TN-2024-000002', fullName: 'Đỗ Thị Lan', unit: 'CA-HN', wantedOn: '2024-03-01' });
  // Assigned in August, due before the first meeting: overdue on its agenda.
  const august = createTestCore(t.db, { now: new Date('2024-08-10T02:00:00Z') });
  expect(
    (await august.run('lead', 'followup add TN-2024-000002 officer.hn "Rà soát lại lời khai của Đỗ Thị Lan" due:2024-08-25')).result
      .outcome,
  ).toBe('ok');
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
  // A member named by @handle at the end of the text, as the issue writes it.
  expect((await core.run('lead', 'meeting conclude Báo cáo kết quả xác minh @duc due:2024-10-15')).result.outcome).toBe('ok');
  await core.run('lead', 'followup add TN-2024-000002 duc "Xác minh nơi cư trú của Đỗ Thị Lan" due:2024-10-31');
  await core.run('lead', 'meeting conclude Rà soát hồ sơ tồn đọng member:officer.hn');
  await core.run('viewer', 'meeting attend');
  const end = await core.run('lead', 'meeting end');
  return { start, end };
}

describe('a committee meeting on the console', () => {
  it('opens with an agenda from the data, records conclusions and directives, and posts the minutes', async () => {
    const { start, end } = await holdFirstMeeting();
    expect(start.reply.messages[0]).toMatchObject({ personal: false, toChannel: true, title: 'Meeting: Giao ban tháng 9' });
    expect(start.reply.text).toMatch(/Arrested, persuaded to surrender or cleared from the list: 1 wanted subject\b/);
    // Overdue in scope: the follow-up from August, by number, case code and assignee only.
    expect(start.reply.text).toContain('#1 · TN-2024-000002 · officer.hn · due 2024-08-25');
    for (const personal of ['Trịnh Văn Quyết', 'Đỗ Thị Lan']) expect(start.reply.text).not.toContain(personal);
    // The audit rows name the case codes the agenda and the minutes showed.
    expect(
      await queryRows(t.db, sql`select command, case_codes from audit_log where command in ('meeting start', 'meeting end') order by id`),
    ).toEqual([
      { command: 'meeting start', case_codes: ['TN-2024-000002'] },
      { command: 'meeting end', case_codes: ['TN-2024-000002'] },
    ]);

    const minutes = end.reply.text;
    expect(end.reply.messages[0]).toMatchObject({ toChannel: true, title: 'Minutes of meeting #1: Giao ban tháng 9' });
    expect(minutes).toContain('Attendees: lead, officer.hn, viewer');
    expect(minutes).toContain('Scope: CA-HN Công an TP Hà Nội');
    expect(minutes).toContain('Figures reviewed: 2024-01-01 – 2024-09-01: 1 resolved; 1 still wanted; 1 follow-up overdue');
    expect(minutes).toContain('Conclusions:\nCác đơn vị tăng cường vận động đầu thú');
    expect(minutes).toContain('Hoàn thiện quy chế phối hợp → CAQ-HK (due 2024-09-20) · #2');
    expect(minutes).toContain('Báo cáo kết quả xác minh → duc (due 2024-10-15) · #3');
    expect(minutes).toContain('Rà soát hồ sơ tồn đọng → officer.hn · #5');
    // The follow-up assigned in the channel is in the minutes by case code; its task names a person.
    expect(minutes).toContain('Follow-ups assigned during the meeting:\n#4 · TN-2024-000002 · duc · due 2024-10-31 · open');
    expect(minutes).not.toContain('Đỗ Thị Lan');
    expect(minutes).toContain('Notes:\nĐã rà soát danh sách truy nã quý III');
    // Directives became follow-ups without a case, and the follow-up assigned in the channel is the meeting's too.
    expect(
      await queryRows(
        t.db,
        sql`select f.id, coalesce(m.handle, u.code) as assignee, f.case_id is null as directive from meeting_follow_ups l join follow_ups f on f.id = l.follow_up_id
      left join members m on m.id = f.assignee_member_id left join units u on u.id = f.assignee_unit_id order by f.id`,
      ),
    ).toEqual([
      { id: 2, assignee: 'CAQ-HK', directive: true },
      { id: 3, assignee: 'duc', directive: true },
      { id: 4, assignee: 'duc', directive: false },
      { id: 5, assignee: 'officer.hn', directive: true },
    ]);
    // A conclusion with no assignee is recorded, and makes no follow-up.
    expect(
      await queryRows(t.db, sql`select kind, follow_up_id from meeting_items where text = 'Các đơn vị tăng cường vận động đầu thú'`),
    ).toEqual([{ kind: 'conclusion', follow_up_id: null }]);
    // Kept: listed and shown again, in the reader's language.
    expect((await first().run('viewer', 'meeting list')).reply.text).toContain('#1 · 2024-09-02 09:00 · CA-HN · Giao ban tháng 9');
    const vi = await first().run('lead.vi', 'meeting minutes 1');
    expect(vi.reply.text).toContain('Biên bản họp #1: Giao ban tháng 9');
    expect(vi.reply.text).toContain('Thành phần tham dự: lead, officer.hn, viewer');
    expect(vi.reply.text).toContain(
      'Số liệu đã xem xét: 01/01/2024 – 01/09/2024: bắt, vận động đầu thú, thanh loại 1 đối tượng; còn truy nã 1; 1 việc cần làm quá hạn',
    );
    expect(vi.reply.text).toContain('Kết luận:\nCác đơn vị tăng cường vận động đầu thú');
    expect(vi.reply.text).toContain('Chỉ đạo:\nHoàn thiện quy chế phối hợp → CAQ-HK (hạn 20/09/2024) · #2');
    expect(vi.reply.text).toContain('Việc cần làm đã giao trong cuộc họp:\n#4 · TN-2024-000002 · duc · hạn 31/10/2024 · đang mở');
    expect(vi.reply.text).toContain('Ghi chú:\nĐã rà soát danh sách truy nã quý III');
    expect(vi.reply.messages[0]!.toChannel).toBe(false);
  });

  it("shows the next meeting the previous one's directives with their progress, and the cases changed since", async () => {
    await holdFirstMeeting();
    const later = second();
    await later.run('duc', 'followup done 3 đã báo cáo');
    await later.run('lead', 'followup cancel 5');
    await later.run('lead', 'case status TN-2024-000002 surrendered on:2024-09-25');
    const agenda = await later.run('lead', 'meeting start Giao ban tháng 10');
    const text = agenda.reply.text;
    expect(text).toContain('Directives and follow-ups of the previous meeting (#1 "Giao ban tháng 9", 2024-09-02 09:00):');
    expect(text).toContain('#2 · CAQ-HK · due 2024-09-20 · overdue: Hoàn thiện quy chế phối hợp');
    expect(text).toContain('#3 · duc · due 2024-10-15 · done: Báo cáo kết quả xác minh');
    expect(text).toContain('#4 · TN-2024-000002 · duc · due 2024-10-31 · open');
    expect(text).toContain('#5 · officer.hn · cancelled: Rà soát hồ sơ tồn đọng');
    expect(text).not.toContain('Đỗ Thị Lan');
    expect(text).toContain('Cases whose status changed since the previous meeting: 1');
    expect(text).toContain('TN-2024-000002 (surrendered)');
    // The figures run from the previous meeting's day.
    expect(text).toContain('2024-09-02 to 2024-09-30');
    // Its minutes record the review of the first meeting's directives.
    const minutes = (await later.run('lead', 'meeting end')).reply.text;
    expect(minutes).toContain('Previous meeting reviewed: #1: 4 directives and follow-ups (1 done, 1 open, 1 overdue)');

    const vi = await createTestCore(t.db, { now: new Date('2024-10-28T02:00:00Z') }).run('lead.vi', 'meeting start');
    expect(vi.reply.text).toContain('Chỉ đạo và việc cần làm của cuộc họp trước (#2 "Giao ban tháng 10", 30/09/2024 09:00):');
    // Untitled: named after the committee and the day, in the reader's format.
    expect(vi.reply.messages[0]!.title).toBe('Họp: CA-HN 28/10/2024');
  });

  it('counts every case whose status changed since the previous meeting, and lists the first 30 by code', async () => {
    await first().run('lead', 'meeting start Họp tháng 9');
    await first().run('lead', 'meeting end');
    const later = second();
    for (let i = 1; i <= 32; i++) {
      const code = `TN-2023-${String(i).padStart(6, '0')}`;
      await makeCase(t.db, { code, unit: 'CA-HN', wantedOn: '2023-01-10' });
      expect((await later.run('lead', `case status ${code} arrested on:2024-09-20`)).result.outcome).toBe('ok');
    }
    const text = (await later.run('lead', 'meeting start Họp tháng 10')).reply.text;
    expect(text).toContain('Cases whose status changed since the previous meeting: 32');
    expect(text).toContain('TN-2023-000030 (arrested) and 2 more');
    expect(text).not.toContain('TN-2023-000031');
  });

  it('takes a directive for one unit or one member, not both', async () => {
    const core = first();
    await core.run('lead', 'meeting start Họp');
    const both = await core.run('lead', 'meeting conclude Giao A unit:CAQ-HK member:officer.hn');
    expect(both.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(both.reply.text).toContain('not both');
    expect((await core.run('lead', 'meeting conclude Giao A @duc unit:CAQ-HK')).result.code).toBe('invalid');
    // An @handle of no member in scope is refused, not saved as a plain conclusion.
    const stranger = await core.run('lead', 'meeting conclude Báo cáo @hcm.lead due:2024-09-30');
    expect(stranger.result.code).toBe('not_found');
    expect(await queryRows(t.db, sql`select count(*)::int as n from meeting_items`)).toEqual([{ n: 0 }]);
  });

  it('runs from start to end on the console adapter', async () => {
    const session = async (handle: string, lines: string) => {
      const input = new PassThrough();
      const output = new PassThrough();
      let written = '';
      output.on('data', (chunk) => (written += chunk));
      const done = runConsole({ dispatcher: first().dispatcher, input, output, handle });
      input.end(lines);
      return { results: await done, written };
    };
    const opened = await session(
      'lead',
      'meeting start Giao ban tháng 9\nmeeting conclude Hoàn thiện quy chế phối hợp unit:CAQ-HK due:2024-09-20\n',
    );
    expect(opened.results.map((r) => r.outcome)).toEqual(['ok', 'ok']);
    expect(opened.written).toContain('Meeting: Giao ban tháng 9');
    expect(opened.written).toContain('Directive recorded for CAQ-HK (due 2024-09-20); follow-up #2.');
    const attended = await session('viewer', 'meeting attend\nmeeting end\n');
    expect(attended.results.map((r) => r.outcome)).toEqual(['ok', 'denied']);
    const ended = await session('lead', 'meeting end\n');
    expect(ended.written).toContain('Minutes of meeting #1: Giao ban tháng 9');
    expect(ended.written).toMatch(/Attendees:\s+lead, viewer\n/);
    expect(ended.written).toContain('Hoàn thiện quy chế phối hợp → CAQ-HK (due 2024-09-20) · #2');
    const audited = await queryRows<{ command: string; outcome: string }>(
      t.db,
      sql`select command, outcome::text from audit_log where command like 'meeting%' order by id`,
    );
    expect(audited).toEqual([
      { command: 'meeting start', outcome: 'ok' },
      { command: 'meeting conclude', outcome: 'ok' },
      { command: 'meeting attend', outcome: 'ok' },
      { command: 'meeting end', outcome: 'denied' },
      { command: 'meeting end', outcome: 'ok' },
    ]);
  });

  it('allows one open meeting a channel, and only members in scope with the role', async () => {
    const core = first();
    expect((await core.run('viewer', 'meeting start Họp')).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect((await core.run('lead', 'meeting start Họp')).result.outcome).toBe('ok');
    const again = await core.run('lead.vi', 'meeting start Họp nữa');
    expect(again.result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
    expect(again.reply.text).toContain('Đang có cuộc họp #1 "Họp" ở kênh này');
    // A lead of another province learns that the channel is taken, not what is discussed in it.
    const other = await core.run('hcm.lead', 'meeting start Họp riêng');
    expect(other.result.code).toBe('conflict');
    expect(other.reply.text).not.toContain('Họp"');
    expect(other.reply.text).not.toContain('#1');
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
    // A console meeting has no channel to post its minutes to (tests/scheduler/outbox.test.ts): held on Slack here.
    await t.db.execute(sql`update meetings set platform = 'slack', channel_id = 'C0COMMITTEE'`);
    const runners = [0, 1].map(() =>
      createDigestRunner({
        db: t.db,
        posters: { slack: { post: poster } },
        logger: pino({ level: 'silent' }),
        meetingTimeoutMs: 12 * 3600_000,
        locale: 'en',
      }),
    );
    // Eleven hours in: still open.
    expect(await runners[0]!.closeStaleMeetings(new Date('2024-09-02T13:00:00Z'))).toEqual([]);
    const closed = await Promise.all(runners.map((r) => r.closeStaleMeetings(new Date('2024-09-02T14:30:00Z'))));
    expect(closed.flat()).toEqual([1]);
    await Promise.all(runners.map((r) => r.runDue(new Date('2024-09-02T14:30:00Z'))));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.channel).toBe('C0COMMITTEE');
    expect(messageText(posts[0]!.message)).toContain('(closed automatically)');
    expect(messageText(posts[0]!.message)).toContain('Kết luận dở dang');
    expect(await queryRows(t.db, sql`select ended_how from meetings`)).toEqual([{ ended_how: 'timeout' }]);
    expect(await queryRows(t.db, sql`select command, outcome::text, member_id from audit_log where command like '%timeout%'`)).toEqual([
      { command: 'meeting end (timeout)', outcome: 'ok', member_id: null },
    ]);
  });
});
