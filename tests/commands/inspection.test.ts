import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { Attachment, ReplyMessage } from '../../src/domain/reply.ts';
import { createOutboxWorker, type Poster } from '../../src/scheduler/outbox.ts';
import { createTestCore, messageText, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
/** Monday 2024-09-02, 09:00 in Hanoi. */
const NOW = new Date('2024-09-02T02:00:00Z');
const CHANNEL = 'C-TRUY-NA';
const NAMES = ['Phạm Văn Hùng', 'Lê Thị Mai', 'Trần Quốc Toản', 'Vũ Đình Khang', 'Ngô Bảo Châu'];
const CODES = ['TN-2024-000101', 'TN-2024-000102', 'TN-2024-000103', 'TN-2024-000104', 'TN-2024-000105'];

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db, { now: NOW });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'hn.lead', role: 'lead', unit: 'CA-HN', discord: { guild: 'G1', user: '1001' } });
  await makeMember(t.db, { handle: 'hn.officer', role: 'officer', unit: 'CA-HN', discord: { guild: 'G1', user: '1002' } });
  await makeMember(t.db, { handle: 'hn.viewer', role: 'viewer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hk.lead', role: 'lead', unit: 'CAQ-HK', locale: 'vi' });
  await makeMember(t.db, { handle: 'hk.officer', role: 'officer', unit: 'CAQ-HK' });
  await makeMember(t.db, { handle: 'hcm.lead', role: 'lead', unit: 'CA-HCM' });
  for (const [i, code] of CODES.entries()) {
    await makeCase(t.db, { code, fullName: NAMES[i], unit: 'CAQ-HK', hasPhoto: i % 2 === 0, identifyingMarks: 'nốt ruồi dưới mắt trái' });
  }
  await makeCase(t.db, { code: 'TN-2024-000201', fullName: 'Đặng Văn Lâm', unit: 'CA-HCM' });
});
afterAll(() => t.close());

/** Runs a line from the Discord channel where the inspection is held, as a member with a Discord account there. */
const inChannel = (handle: string, line: string) =>
  core.run(handle, line, {
    actor: { platform: 'discord', workspaceId: 'G1', userId: handle === 'hn.lead' ? '1001' : '1002' },
    channelId: CHANNEL,
  });

const sampleOf = (reply: string) => [...reply.matchAll(/^(\d+)\. (TN-\d{4}-\d{6})/gm)].map((m) => m[2]!);

/** A poster that records what each instance posted to which channel. */
function recorder(posts: Array<{ channel: string; message: ReplyMessage }>): Poster {
  return {
    async post(channel: string, message: ReplyMessage, _attachments: Attachment[]) {
      posts.push({ channel, message });
    },
  };
}

describe('an inspection from start to its follow-ups', () => {
  it('draws a reproducible sample, takes the marks, and closes into follow-ups and a summary posted once', async () => {
    const start = await inChannel('hn.lead', 'inspection start unit:CAQ-HK sample:3 seed:quy-3-2024');
    expect(start.result.outcome).toBe('ok');
    expect(start.reply.messages[0]).toMatchObject({ personal: true, title: 'Records inspection #1 · CAQ-HK' });
    expect(start.reply.text).toContain("Inspection #1 of CAQ-HK's records is open: 3 records.");
    expect(start.reply.text).toContain('3 records drawn at random (3 asked for, seed quy-3-2024)');
    const sample = sampleOf(start.reply.text);
    expect(sample).toHaveLength(3);
    expect(sample.every((code) => CODES.includes(code))).toBe(true);
    expect([...sample].sort()).toEqual(sample);
    for (const name of NAMES) expect(start.reply.text).not.toContain(name);

    // Officer of the unit above marks: by position, by case code, and again (the second replaces the first).
    expect((await inChannel('hn.officer', 'inspection mark 1 1 ok')).result.outcome).toBe('ok');
    const finding = await inChannel('hn.officer', `inspection mark 1 ${sample[1]!.toLowerCase()} Ảnh chụp đã cũ, không nhận dạng được`);
    expect(finding.result.outcome).toBe('ok');
    expect(finding.reply.messages[0]!.personal).toBe(true);
    expect(finding.reply.text).toContain(`2. ${sample[1]} · `);
    expect(finding.reply.text).toContain('finding (hn.officer): Ảnh chụp đã cũ, không nhận dạng được');
    await inChannel('hn.lead', 'inspection mark 1 3 đạt');
    await inChannel('hn.lead', 'inspection mark 1 3 Chưa rà soát tiền án từ năm 2022');
    const shown = await core.run('hn.officer', 'inspection show 1');
    expect(shown.reply.text).toContain(`1. ${sample[0]} · `);
    expect(shown.reply.text).toContain('ok (hn.officer)');
    expect(shown.reply.text).toContain('finding (hn.lead): Chưa rà soát tiền án từ năm 2022');
    expect(shown.reply.text).not.toContain('ok (hn.lead)');

    const close = await inChannel('hn.lead', 'inspection close 1');
    expect(close.result.outcome).toBe('ok');
    expect(close.reply.text).toContain('Records inspected: 3');
    expect(close.reply.text).toContain('Ok: 1');
    expect(close.reply.text).toContain('With findings: 2');
    expect(close.reply.text).toContain('Not marked: 0');
    expect(close.reply.text).toContain(`#1 · ${sample[1]} · CAQ-HK · due 2024-10-02`);
    expect(close.reply.text).toContain(`#2 · ${sample[2]} · CAQ-HK · due 2024-10-02`);
    expect(close.reply.text).toContain('The summary (counts only) is posted to the channel it was opened in.');

    // The summary waits in the outbox, addressed to the channel, with counts and no case code or finding.
    const queued = await queryRows<{ key: string; platform: string; channel_id: string; message: ReplyMessage }>(
      t.db,
      sql`select key, platform, channel_id, message from outbox where key like 'inspection:%'`,
    );
    expect(queued.map((q) => [q.key, q.platform, q.channel_id])).toEqual([['inspection:1', 'discord', CHANNEL]]);
    const posted = messageText(queued[0]!.message);
    expect(posted).toContain('2 findings were assigned to CAQ-HK to act on');
    expect(posted).toContain('Complete / incomplete: ');
    for (const leak of [...CODES, ...NAMES, 'Ảnh chụp', 'tiền án từ']) expect(posted).not.toContain(leak);
    // Two instances deliver: it is posted once.
    const posts: Array<{ channel: string; message: ReplyMessage }> = [];
    const worker = (id: string) =>
      createOutboxWorker({ db: t.db, posters: { discord: recorder(posts) }, logger: pino({ level: 'silent' }), instanceId: id });
    await Promise.all([worker('a').deliverDue(NOW), worker('b').deliverDue(NOW)]);
    await worker('c').deliverDue(new Date(NOW.getTime() + 3_600_000));
    const summaries = posts.filter((p) => p.message.title?.startsWith('Records inspection #1'));
    expect(summaries.map((p) => p.channel)).toEqual([CHANNEL]);

    // The inspected unit finds the findings among its follow-ups, each naming its case code.
    const list = await core.run('hk.officer', 'followup list unit:CAQ-HK');
    expect(list.reply.text).toContain(`Act on the finding of inspection #1, case ${sample[1]}: Ảnh chụp đã cũ, không nhận dạng được`);
    expect(list.reply.text).toContain(`Act on the finding of inspection #1, case ${sample[2]}: Chưa rà soát tiền án từ năm 2022`);
    expect((await core.run('hk.officer', 'followup done 1 đã bổ sung ảnh mới')).result.outcome).toBe('ok');

    // Audited: the commands, the codes each read or changed, and the inspection.
    const audit = await queryRows<{ command: string; outcome: string; case_codes: string[]; args: Record<string, unknown> }>(
      t.db,
      sql`select command, outcome, case_codes, args from audit_log where command like 'inspection %' order by id`,
    );
    expect(audit.map((a) => [a.command, a.outcome])).toEqual([
      ['inspection start', 'ok'],
      ['inspection mark', 'ok'],
      ['inspection mark', 'ok'],
      ['inspection mark', 'ok'],
      ['inspection mark', 'ok'],
      ['inspection show', 'ok'],
      ['inspection close', 'ok'],
    ]);
    expect([...audit[0]!.case_codes].sort()).toEqual(sample);
    expect(audit[0]!.args).toMatchObject({ inspection: 1, seed: 'quy-3-2024', sampled: 3 });
    expect(audit[2]!.case_codes).toEqual([sample[1]]);
    expect(audit[2]!.args).toMatchObject({ inspection: 1, position: 2, result: 'finding' });
    expect([...audit[6]!.case_codes].sort()).toEqual([sample[1], sample[2]]);
    expect(audit[6]!.args).toMatchObject({ inspection: 1, followUps: [1, 2], summary: { sampled: 3, ok: 1, findings: 2 } });

    // The same seed over the same records draws the same sample again.
    const again = await core.run('hn.lead', 'inspection start unit:CAQ-HK sample:3 seed:quy-3-2024');
    expect(again.result.outcome).toBe('ok');
    expect(sampleOf(again.reply.text)).toEqual(sample);
    const list2 = await core.run('hn.viewer', 'inspection list');
    expect(list2.result.code).toBe('denied');
    const listed = await core.run('hn.officer', 'inspection list unit:CAQ-HK');
    expect(listed.reply.text).toContain('#2 · CAQ-HK · opened 2024-09-02 09:00 (hn.lead) · open · 0 of 3 records marked, 0 findings');
    expect(listed.reply.text).toContain(
      '#1 · CAQ-HK · opened 2024-09-02 09:00 (hn.lead) · closed 2024-09-02 09:00 · 3 of 3 records marked, 2 findings',
    );
  });

  it('refuses what it should, in the member’s language, and writes nothing when it does', async () => {
    const count = async () => (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from inspections`))[0]!.n;
    expect((await core.run('hn.viewer', 'inspection start unit:CAQ-HK')).result.code).toBe('denied');
    expect((await core.run('hn.officer', 'inspection start unit:CAQ-HK')).result.code).toBe('denied');
    const outOfScope = await core.run('hn.lead', 'inspection start unit:CA-HCM');
    expect(outOfScope.result.code).toBe('not_found');
    expect(outOfScope.reply.text).toBe('No unit CA-HCM within your units.');
    const own = await core.run('hk.lead', 'inspection start unit:CAQ-HK');
    expect(own.result.code).toBe('denied');
    expect(own.reply.text).toContain('Đơn vị CAQ-HK là đơn vị của bạn');
    expect((await core.run('hn.lead', 'inspection start unit:CAQ-HK sample:0')).result.code).toBe('invalid');
    expect(await count()).toBe(0);

    expect((await core.run('hn.lead', 'inspection start unit:CAQ-HK sample:2 seed:a')).result.outcome).toBe('ok');
    const second = await core.run('hn.lead', 'inspection start unit:CAQ-HK');
    expect(second.result.code).toBe('conflict');
    expect(second.reply.text).toContain('CAQ-HK already has inspection #1 open; see it with: inspection show 1');
    expect(await count()).toBe(1);

    expect((await core.run('hk.officer', 'inspection mark 1 1 ok')).result.code).toBe('denied');
    expect((await core.run('hcm.lead', 'inspection show 1')).result.code).toBe('not_found');
    expect((await core.run('hcm.lead', 'inspection mark 1 1 ok')).result.code).toBe('not_found');
    const unknown = await core.run('hn.officer', 'inspection mark 1 9 ok');
    expect(unknown.result.code).toBe('not_found');
    expect(unknown.reply.text).toContain('"9" is not in the sample of inspection #1 (2 records, numbered 1–2)');
    expect((await core.run('hn.officer', 'inspection mark 1 TN-2024-000201 ok')).result.code).toBe('not_found');
    expect((await core.run('hn.officer', 'inspection mark 1 1 ok')).result.outcome).toBe('ok');

    const unmarked = await core.run('hn.lead', 'inspection close 1');
    expect(unmarked.result.code).toBe('invalid');
    expect(unmarked.reply.text).toContain('inspection close 1 partial:yes');
    expect((await core.run('hn.officer', 'inspection close 1 partial:yes')).result.code).toBe('denied');
    expect((await core.run('hk.lead', 'inspection close 1 partial:yes')).result.code).toBe('denied');
    const partial = await core.run('hn.lead', 'inspection close 1 partial:yes');
    expect(partial.result.outcome).toBe('ok');
    expect(partial.reply.text).toContain('Not marked: 1');
    // Opened on the console: no channel to post to.
    expect(partial.reply.text).not.toContain('is posted to the channel');
    expect(await queryRows(t.db, sql`select id from outbox where key like 'inspection:%'`)).toEqual([]);
    expect(await queryRows(t.db, sql`select id from follow_ups`)).toEqual([]);

    const late = await core.run('hn.officer', 'inspection mark 1 2 Thiếu ảnh');
    expect(late.result.code).toBe('conflict');
    expect(late.reply.text).toContain('Inspection #1 is closed');
    expect((await core.run('hn.lead', 'inspection close 1 partial:yes')).result.code).toBe('conflict');
    expect(await queryRows(t.db, sql`select result from inspection_records order by position`)).toEqual([
      { result: 'ok' },
      { result: null },
    ]);
  });
});

describe('the digest and the meeting agenda', () => {
  beforeEach(async () => {
    expect((await core.run('hn.lead', 'inspection start unit:CAQ-HK sample:2 seed:b')).result.outcome).toBe('ok');
    await core.run('hn.officer', 'inspection mark 1 1 ok');
    await core.run('hn.officer', 'inspection mark 1 2 Thiếu đặc điểm nhận dạng của đối tượng');
    expect((await core.run('hn.lead', 'inspection close 1')).result.outcome).toBe('ok');
  });

  it('counts the inspections held in the period in the digest', async () => {
    const digest = await core.run('hn.lead', 'digest preview from:2024-09-01 to:2024-09-02');
    expect(digest.reply.text).toContain('Records inspections: 1 held (CAQ-HK 1); 2 records inspected, 1 finding.');
    const before = await core.run('hn.lead', 'digest preview from:2024-08-01 to:2024-08-31');
    expect(before.reply.text).not.toContain('Records inspections');
  });

  it('lists the open findings on the agenda by follow-up, case code and unit, without their text', async () => {
    const code = (await queryRows<{ code: string }>(t.db, sql`select c.code from follow_ups f join cases c on c.id = f.case_id`))[0]!.code;
    const agenda = await core.run('hn.lead', 'meeting start Giao ban tháng 9');
    expect(agenda.result.outcome).toBe('ok');
    expect(agenda.reply.text).toContain('Records inspection findings still open: 1');
    expect(agenda.reply.text).toContain(`#1 · ${code} · CAQ-HK · due 2024-10-02 (inspection #1)`);
    expect(agenda.reply.text).not.toContain('Thiếu đặc điểm');
    const [row] = await queryRows<{ case_codes: string[] }>(t.db, sql`select case_codes from audit_log where command = 'meeting start'`);
    expect(row!.case_codes).toContain(code);
    await core.run('hn.lead', 'meeting end');
    expect((await core.run('hk.officer', 'followup done 1')).result.outcome).toBe('ok');
    const next = await createTestCore(t.db, { now: new Date('2024-09-09T02:00:00Z') }).run('hn.lead', 'meeting start');
    expect(next.reply.text).not.toContain('Records inspection findings still open');
  });
});
