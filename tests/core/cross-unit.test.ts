import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { findUnitByCode } from '../../src/repositories/units.ts';
import { createDigestRunner, type Poster } from '../../src/scheduler/digests.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { addSchedule } from '../../src/services/digest/schedules.ts';
import { createTestCore, messageText, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

/**
 * What a unit sees of another unit's case: a root lead assigns follow-ups on a case of CA-HCM
 * (unit A) to an officer of CA-HN and to CA-HN itself (unit B). B sees the code and the task, as it
 * must to act, and nothing else of the case, on every path that shows follow-ups.
 */
let t: TestDb;
let core: TestCore;
const TEAM = 'T0CASEDESK';
const CODE = 'TN-2021-000777';
const TASK = 'Xác minh nhà trọ số 12 đường Lý Thường Kiệt';
const UNIT_TASK = 'Phối hợp rà soát bến xe Giáp Bát';
/** The case's own fields, and its unit's code and name: none may reach unit B. */
const PERSONAL = ['Lê Văn Tám', 'Tám Sẹo', '079090001234', 'Bình Chánh', 'Giết người', 'Sẹo dài ở cằm', '1990', 'CA-HCM', 'Hồ Chí Minh'];
/** What else a case card says: its danger and its status. */
const CASE_STATE = ['dangerous', 'nguy hiểm', 'wanted', 'truy nã'];

const expectNothingOfTheCase = (text: string, also: string[] = CASE_STATE) => {
  for (const word of [...PERSONAL, ...also]) expect(text).not.toContain(word);
};

beforeAll(async () => {
  t = await openTestDb();
  // 10:00 on 2024-09-01 in Hanoi.
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead.c06', role: 'lead', unit: 'C06' });
  await makeMember(t.db, { handle: 'lead.hn', role: 'lead', unit: 'CA-HN', slack: { team: TEAM, user: 'U0LEADHN' } });
  await makeMember(t.db, { handle: 'officer.hn', role: 'officer', unit: 'CA-HN', slack: { team: TEAM, user: 'U0OFFHN' } });
  await makeMember(t.db, { handle: 'officer.hcm', role: 'officer', unit: 'CA-HCM' });
  await makeCase(t.db, {
    code: CODE,
    fullName: 'Lê Văn Tám',
    aliases: ['Tám Sẹo'],
    nationalId: '079090001234',
    birthYear: 1990,
    hometown: 'Bình Chánh',
    charges: 'Giết người',
    identifyingMarks: 'Sẹo dài ở cằm',
    danger: 'especially_dangerous',
    unit: 'CA-HCM',
  });
  expect((await core.run('lead.c06', `followup add ${CODE} officer.hn "${TASK}" due:2024-09-05`)).result.outcome).toBe('ok');
  expect((await core.run('lead.c06', `followup add ${CODE} unit:CA-HN "${UNIT_TASK}" due:2024-09-04`)).result.outcome).toBe('ok');
});
afterAll(() => t.close());

describe("another unit's case, seen through a follow-up assigned to this unit", () => {
  it('shows the assignee the code and the task in followup list, and lets them complete it', async () => {
    const list = await core.run('officer.hn', 'followup list');
    expect(list.result.outcome).toBe('ok');
    expect(list.reply.text).toContain(`#1 · ${CODE} · ${TASK} → officer.hn · due 2024-09-05`);
    expect(list.reply.text).toContain(`#2 · ${CODE} · ${UNIT_TASK} → CA-HN · due 2024-09-04`);
    expectNothingOfTheCase(list.reply.text);

    const lead = await core.run('lead.hn', 'followup list all');
    expect(lead.reply.text).toContain(`#1 · ${CODE} · ${TASK}`);
    expectNothingOfTheCase(lead.reply.text);

    // Naming the unit: the assignee and the unit's lead see them; another officer of the unit only
    // the one assigned to the unit, not a colleague's.
    for (const who of ['officer.hn', 'lead.hn']) {
      const unit = await core.run(who, 'followup list unit:CA-HN');
      expect(unit.reply.text, who).toContain(`#1 · ${CODE} · ${TASK}`);
      expect(unit.reply.text, who).toContain(`#2 · ${CODE} · ${UNIT_TASK}`);
      expectNothingOfTheCase(unit.reply.text);
    }
    await makeMember(t.db, { handle: 'officer2.hn', role: 'officer', unit: 'CA-HN' });
    const colleague = await core.run('officer2.hn', 'followup list unit:CA-HN');
    expect(colleague.reply.text).toContain(`#2 · ${CODE} · ${UNIT_TASK}`);
    expect(colleague.reply.text).not.toContain(TASK);
    expectNothingOfTheCase(colleague.reply.text);
    // Unit A, which owns the case, sees both under its own unit.
    const owner = await core.run('officer.hcm', 'followup list unit:CA-HCM');
    expect(owner.reply.text).toContain(`#1 · ${CODE} · ${TASK}`);
    expect(owner.reply.text).toContain(`#2 · ${CODE} · ${UNIT_TASK}`);

    const done = await core.run('officer.hn', 'followup done 1 đã xác minh, không có mặt');
    expect(done.result.outcome).toBe('ok');
    expectNothingOfTheCase(done.reply.text);
    const unitsOwn = await core.run('officer.hn', 'followup done 2');
    expect(unitsOwn.result.outcome).toBe('ok');
    expectNothingOfTheCase(unitsOwn.reply.text);
    // Unit A sees what was done, in the case it owns.
    const card = await core.run('officer.hcm', `case show ${CODE}`);
    expect(card.reply.text).toContain('đã xác minh, không có mặt');
  });

  it('lets a lead of the assigned unit withdraw it, saying nothing of the case', async () => {
    const cancelled = await core.run('lead.hn', 'followup cancel 2');
    expect(cancelled.result.outcome).toBe('ok');
    expectNothingOfTheCase(cancelled.reply.text);
  });

  it('does not show, find or suggest the case itself', async () => {
    const show = await core.run('officer.hn', `case show ${CODE}`);
    expect(show.result.code).toBe('not_found');
    expect(show.reply.text).toBe(`No case ${CODE} within your units.`);
    for (const query of ['Lê Văn Tám', 'le van tam', 'Tám Sẹo', '079090001234', CODE]) {
      const found = await core.run('officer.hn', `case find "${query}"`);
      expect(found.result.code, query).toBe('not_found');
      expectNothingOfTheCase(found.reply.text.replace(`"${query}"`, ''));
      // Unit A finds it by the same words.
      expect((await core.run('officer.hcm', `case find "${query}"`)).reply.text, query).toContain(CODE);
    }
    for (const [command, option, partial] of [
      ['case show', 'code', 'TN-2021-0007'],
      ['case show', 'code', 'Lê Văn'],
      ['case find', 'text', 'Tám'],
      ['followup add', 'code', 'TN-2021'],
    ] as const) {
      const suggestions = await core.dispatcher.suggest({
        id: randomUUID(),
        actor: { platform: 'console', workspaceId: 'local', userId: 'lead.hn' },
        command,
        option,
        partial,
        channelId: 'console',
      });
      expect(suggestions, `${command} ${partial}`).toEqual([]);
    }
    // The same suggestions within unit A: the test would pass for the wrong reason otherwise.
    const own = await core.dispatcher.suggest({
      id: randomUUID(),
      actor: { platform: 'console', workspaceId: 'local', userId: 'officer.hcm' },
      command: 'case show',
      option: 'code',
      partial: 'Lê Văn',
      channelId: 'console',
    });
    expect(own).toEqual([{ label: `${CODE} · Lê Văn Tám · 1990`, value: CODE }]);
    // Nor may unit B use the case for its own follow-ups, or filter by it.
    expect((await core.run('lead.hn', `followup add ${CODE} officer.hn Khác`)).result.code).toBe('not_found');
    const filtered = await core.run('officer.hn', `followup list case:${CODE}`);
    expect(filtered.result.code).toBe('not_found');
    expectNothingOfTheCase(filtered.reply.text);
  });

  it("reminds the assignee and escalates to the unit's leads by code and dates only", async () => {
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const added = await addSchedule(t.db, {
      cron: '0 8 * * *',
      timeZone: 'Asia/Ho_Chi_Minh',
      platform: 'slack',
      channel: 'C0HN',
      unitId: hn.id,
      period: 'ytd',
      locale: 'en',
      createdByMemberId: null,
      kind: 'overdue',
    });
    if (!added.ok) throw new Error('schedule refused');
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    const sent: Array<{ to: string; text: string }> = [];
    const record = (to: string, message: ReplyMessage) => void sent.push({ to, text: messageText(message) });
    const poster: Poster = {
      post: async (channel, message) => record(`channel:${channel}`, message),
      direct: async (userId, message) => record(`user:${userId}`, message),
    };
    const runner = createDigestRunner({ db: t.db, posters: { slack: poster }, logger: pino({ level: 'silent' }), escalateDays: 3 });
    // 2024-09-10 08:00 in Hanoi: five and six days late.
    await runner.runDue(new Date('2024-09-10T01:00:30Z'));
    expect(sent.map((s) => s.to).sort()).toEqual(['channel:C0HN', 'user:U0LEADHN', 'user:U0OFFHN']);
    const to = (who: string) => sent.find((s) => s.to === who)!.text;
    expect(to('user:U0OFFHN')).toContain(`#1 · ${CODE} · due 2024-09-05 (5 days late)`);
    expect(to('user:U0LEADHN')).toContain(`#2 · ${CODE} · due 2024-09-04 (6 days late) · CA-HN`);
    expect(to('user:U0LEADHN')).toContain(`#1 · ${CODE} · due 2024-09-05 (5 days late) · officer.hn`);
    expect(to('channel:C0HN')).toContain(`CA-HN: #2 · ${CODE} · due 2024-09-04 (6 days late)`);
    for (const s of sent) {
      // Reminders carry no task either: it may name the person.
      expectNothingOfTheCase(s.text);
      expect(s.text).not.toContain(TASK);
      expect(s.text).not.toContain(UNIT_TASK);
    }
  });

  it("lists the unit's overdue follow-ups in its digest by code and assignee only", async () => {
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const digest = await buildDigest(t.db, {
      scopeUnitId: hn.id,
      period: { from: '2024-01-01', to: '2024-09-09' },
      today: '2024-09-10',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(digest.followUps.oldestOverdue).toEqual([
      { id: 2, caseCode: CODE, assignee: 'CA-HN', dueOn: '2024-09-04' },
      { id: 1, caseCode: CODE, assignee: 'officer.hn', dueOn: '2024-09-05' },
    ]);
    for (const locale of ['en', 'vi'] as const) {
      const text = messageText(digestMessage(digest, locale));
      expect(text).toContain(`#1 · ${CODE} · officer.hn`);
      // The digest's own words say "wanted" of aggregates: only the case's fields are checked here.
      expectNothingOfTheCase(text, []);
      expect(text).not.toContain(TASK);
      // Nor do unit A's figures count in unit B's digest.
      expect(digest.outstanding.total).toBe(0);
    }
  });

  it("shows a meeting of unit B the code of a follow-up on unit A's case assigned in it, and nothing else", async () => {
    const room = { channelId: 'room-hn' };
    expect((await core.run('lead.c06', 'meeting start Giao ban unit:CA-HN', room)).result.outcome).toBe('ok');
    expect((await core.run('lead.c06', `followup add ${CODE} officer.hn "${TASK}" due:2024-09-20`, room)).result.outcome).toBe('ok');
    expect((await core.run('lead.c06', `meeting conclude Báo cáo kết quả xác minh @officer.hn due:2024-09-25`, room)).result.outcome).toBe(
      'ok',
    );
    const end = await core.run('lead.c06', 'meeting end', room);
    expect(end.reply.text).toContain(`#3 · ${CODE} · officer.hn · due 2024-09-20 · open`);
    expectNothingOfTheCase(end.reply.text, ['dangerous', 'nguy hiểm']);
    expect(end.reply.text).not.toContain(TASK);

    const minutes = await core.run('officer.hn', 'meeting minutes 1');
    expect(minutes.result.outcome).toBe('ok');
    expect(minutes.reply.text).toContain(`#3 · ${CODE} · officer.hn`);
    expectNothingOfTheCase(minutes.reply.text, ['dangerous', 'nguy hiểm']);

    // The next meeting's agenda reviews it, by code.
    const later = createTestCore(t.db, { now: new Date('2024-09-30T02:00:00Z') });
    const agenda = await later.run('lead.hn', 'meeting start Giao ban tháng 10', room);
    expect(agenda.result.outcome).toBe('ok');
    expect(agenda.reply.text).toContain(`#3 · ${CODE} · officer.hn · due 2024-09-20 · overdue`);
    // The agenda opens with the committee's digest, whose own words say "dangerous" of aggregates.
    expectNothingOfTheCase(agenda.reply.text, []);
    expect(agenda.reply.text).not.toContain(TASK);
  });
});
