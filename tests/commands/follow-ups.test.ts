import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
const HN = 'TN-2021-000001';
const HCM = 'TN-2021-000002';

beforeAll(async () => {
  t = await openTestDb();
  // 10:00 on 2024-09-01 in Hanoi.
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead.hn', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer.hn', role: 'officer', unit: 'CA-HN', discord: { guild: 'G1', user: '4242' } });
  await makeMember(t.db, { handle: 'officer.hk', role: 'officer', unit: 'CAQ-HK' });
  await makeMember(t.db, { handle: 'officer.hcm', role: 'officer', unit: 'CA-HCM' });
  await makeMember(t.db, { handle: 'viewer.hn', role: 'viewer', unit: 'CA-HN' });
  await makeCase(t.db, { code: HN, fullName: 'Nguyễn Văn Đức', unit: 'CAQ-HK' });
  await makeCase(t.db, { code: HCM, fullName: 'Lê Văn Tám', unit: 'CA-HCM' });
});
afterAll(() => t.close());

const rows = () =>
  queryRows<{
    id: number;
    status: string;
    assignee: string;
    due_on: string | null;
    completed_by: string | null;
    completion_note: string | null;
  }>(
    t.db,
    sql`select f.id, f.status, coalesce(m.handle, u.code) as assignee, f.due_on::text, cb.handle as completed_by, f.completion_note
        from follow_ups f left join members m on m.id = f.assignee_member_id left join units u on u.id = f.assignee_unit_id
        left join members cb on cb.id = f.completed_by_member_id order by f.id`,
  );

describe('follow-ups', () => {
  it('goes from assignment to done, shown in lists until then, and in the case history', async () => {
    const added = await core.run('lead.hn', `followup add ${HN} officer.hn Xác minh nơi ở tại Gia Lâm due:2024-09-10`);
    expect(added.result.outcome).toBe('ok');
    expect(added.reply.text).toBe(`Follow-up #1 (${HN}) assigned to officer.hn, due 2024-09-10: Xác minh nơi ở tại Gia Lâm`);

    const mine = await core.run('officer.hn', 'followup list');
    expect(mine.reply.text).toContain(`#1 · ${HN} · Xác minh nơi ở tại Gia Lâm → officer.hn · due 2024-09-10`);
    expect(mine.reply.messages[0]!.actions).toEqual([
      { label: 'Done #1', style: 'primary', command: 'followup done', options: { id: '1' } },
    ]);

    const done = await core.run('officer.hn', 'followup done 1 đã xác minh, không có mặt');
    expect(done.result.outcome).toBe('ok');
    expect(await rows()).toEqual([
      {
        id: 1,
        status: 'done',
        assignee: 'officer.hn',
        due_on: '2024-09-10',
        completed_by: 'officer.hn',
        completion_note: 'đã xác minh, không có mặt',
      },
    ]);
    expect((await core.run('officer.hn', 'followup list')).reply.text).toBe('No open follow-ups.');
    const card = await core.run('officer.hn', `case show ${HN}`);
    expect(card.reply.text).toContain('#1 Xác minh nơi ở tại Gia Lâm (done) — đã xác minh, không có mặt');
    expect(card.reply.text).toContain('#1 Xác minh nơi ở tại Gia Lâm (assigned to officer.hn)');
  });

  it('assigns to a unit with unit:CODE, and to a linked chat account by mention', async () => {
    expect((await core.run('lead.hn', `followup add ${HN} unit:CAQ-HK Rà soát địa bàn`)).result.outcome).toBe('ok');
    const mention = await core.dispatcher.dispatch(
      {
        id: 'discord:1',
        actor: { platform: 'discord', workspaceId: 'G1', userId: 'lead-discord-id' },
        channel: { id: 'c', isPrivate: false },
        input: { kind: 'text', line: `followup add ${HN} <@4242> Gọi điện cho gia đình` },
      },
      { canBePrivate: true, send: async () => {} },
    );
    // The lead has no Discord account linked: denied, and nothing assigned.
    expect(mention.code).toBe('unknown_user');
    await makeMember(t.db, { handle: 'lead.discord', role: 'lead', unit: 'CA-HN', discord: { guild: 'G1', user: '77' } });
    const linked = await core.dispatcher.dispatch(
      {
        id: 'discord:2',
        actor: { platform: 'discord', workspaceId: 'G1', userId: '77' },
        channel: { id: 'c', isPrivate: false },
        input: { kind: 'text', line: `followup add ${HN} <@4242> Gọi điện cho gia đình` },
      },
      { canBePrivate: true, send: async () => {} },
    );
    expect(linked.outcome).toBe('ok');
    expect((await rows()).map((r) => r.assignee)).toEqual(['CAQ-HK', 'officer.hn']);
  });

  it.each([
    ['an officer assigning', 'officer.hn', `followup add ${HN} officer.hn x`, 'denied'],
    ['a case outside the scope', 'lead.hn', `followup add ${HCM} officer.hn x`, 'not_found'],
    ['a member outside the scope', 'lead.hn', `followup add ${HN} officer.hcm x`, 'not_found'],
    ['a unit outside the scope', 'lead.hn', `followup add ${HN} unit:CA-HCM x`, 'not_found'],
    ['a past due date', 'lead.hn', `followup add ${HN} officer.hn x due:2024-08-31`, 'invalid'],
    ['an impossible due date', 'lead.hn', `followup add ${HN} officer.hn x due:31/02/2024`, 'invalid'],
    ['a missing task', 'lead.hn', `followup add ${HN} officer.hn`, 'invalid'],
    ['a viewer listing', 'viewer.hn', 'followup list', 'denied'],
    ['an officer listing all', 'officer.hn', 'followup list all', 'denied'],
  ])('refuses %s and assigns nothing', async (_, who, line, code) => {
    const { result } = await core.run(who, line);
    expect(result.code).toBe(code);
    expect(await rows()).toEqual([]);
  });

  it('computes overdue against the configured today, overdue first', async () => {
    await core.run('lead.hn', `followup add ${HN} officer.hn Việc còn hạn due:2024-09-05`);
    const later = createTestCore(t.db, { now: new Date('2024-09-07T03:00:00Z') });
    await later.run('lead.hn', `followup add ${HN} officer.hk Việc mới due:2024-09-20`);
    const overdue = await later.run('lead.hn', 'followup list overdue');
    expect(overdue.reply.text).toContain('#1 · TN-2021-000001 · Việc còn hạn → officer.hn · due 2024-09-05 · OVERDUE');
    expect(overdue.reply.text).not.toContain('#2');
    const all = await later.run('lead.hn', 'followup list all');
    expect(all.reply.text.indexOf('#1')).toBeLessThan(all.reply.text.indexOf('#2'));
    // An officer's "overdue" is their own.
    expect((await later.run('officer.hk', 'followup list overdue')).reply.text).toBe('No open follow-ups.');
  });

  it('lets the assignee, the assigned unit or a lead close it, and nobody else', async () => {
    await core.run('lead.hn', `followup add ${HN} officer.hn Việc một`);
    await core.run('lead.hn', `followup add ${HN} unit:CAQ-HK Việc hai`);
    expect((await core.run('officer.hk', 'followup done 1')).result.code).toBe('denied');
    expect((await core.run('officer.hcm', 'followup done 1')).result.code).toBe('not_found');
    expect((await core.run('officer.hk', 'followup done 2')).result.outcome).toBe('ok');
    expect((await core.run('officer.hn', 'followup cancel 1')).result.code).toBe('denied');
    expect((await core.run('lead.hn', 'followup cancel 1')).result.outcome).toBe('ok');
    expect((await core.run('lead.hn', 'followup done 1')).result.code).toBe('conflict');
    expect((await rows()).map((r) => r.status)).toEqual(['cancelled', 'done']);
  });

  it('reads an id only as plain decimal digits: 0x10 is not #16, 1e3 is not #1000, and a huge id is refused, not an error', async () => {
    await queryRows(t.db, sql`select setval(pg_get_serial_sequence('follow_ups', 'id'), 15)`);
    await core.run('lead.hn', `followup add ${HN} officer.hn Việc mười sáu`);
    await queryRows(t.db, sql`select setval(pg_get_serial_sequence('follow_ups', 'id'), 999)`);
    await core.run('lead.hn', `followup add ${HN} officer.hn Việc một nghìn`);
    expect((await rows()).map((r) => [r.id, r.status])).toEqual([
      [16, 'open'],
      [1000, 'open'],
    ]);
    const typed = ['0x10', '1e3', '+16', '16.0', 'id:" 16"', '2147483648', '99999999999999999999', '-16'];
    for (const id of typed) {
      const { result, reply } = await core.run('officer.hn', `followup done ${id}`);
      expect(result, id).toEqual({ outcome: 'invalid', code: 'invalid', command: 'followup done' });
      expect(reply.text).toContain('id must be a whole number from 1 to 2147483647, written with digits only, e.g. 12;');
    }
    expect((await rows()).map((r) => r.status)).toEqual(['open', 'open']);
    const audited = await queryRows<{ outcome: string; detail: string }>(
      t.db,
      sql`select outcome, detail from audit_log where command = 'followup done' order by id`,
    );
    expect(audited).toEqual(typed.map(() => ({ outcome: 'invalid', detail: 'invalid' })));
    expect((await core.run('officer.hn', 'followup done 16')).result.outcome).toBe('ok');
    expect((await rows()).map((r) => r.status)).toEqual(['done', 'open']);
  });

  it('filters by case and unit within scope', async () => {
    await core.run('lead.hn', `followup add ${HN} unit:CAQ-HK Việc một`);
    expect((await core.run('lead.hn', `followup list all case:${HN}`)).reply.text).toContain('Việc một');
    expect((await core.run('lead.hn', `followup list all case:${HCM}`)).result.code).toBe('not_found');
    expect((await core.run('lead.hn', 'followup list all unit:CAQ-HK')).reply.text).toContain('Việc một');
    expect((await core.run('lead.hn', 'followup list all unit:CA-HCM')).result.code).toBe('not_found');
  });

  it('lists everything open of a unit or a case that is named, for whoever may see it; without one, their own', async () => {
    await makeMember(t.db, { handle: 'admin.root', role: 'admin', unit: 'C06' });
    await core.run('lead.hn', `followup add ${HN} officer.hk Việc của quận`);
    await core.run('lead.hn', `followup add ${HN} unit:CA-HN Việc của thành phố`);
    await core.run('admin.root', `followup add ${HCM} officer.hcm Việc phía Nam`);
    await core.run('lead.hn', `followup add ${HN} officer.hn Việc đã xong`);
    await core.run('officer.hn', 'followup done 4');
    const listed = (text: string) => [...text.matchAll(/#(\d+) ·/g)].map((m) => Number(m[1]));

    // The admin of the root unit assigned none of them: "mine" is empty, the unit is not.
    expect((await core.run('admin.root', 'followup list')).reply.text).toBe('No open follow-ups.');
    const unit = await core.run('admin.root', 'followup list unit:CA-HN');
    expect(unit.result.outcome).toBe('ok');
    expect(listed(unit.reply.text)).toEqual([1, 2]);
    expect(unit.reply.text).toContain('Follow-ups (2)');
    // A sub-unit: its own case's follow-ups, whoever they are assigned to.
    expect(listed((await core.run('admin.root', 'followup list unit:CAQ-HK')).reply.text)).toEqual([1, 2]);
    expect(listed((await core.run('admin.root', 'followup list unit:CA-HCM')).reply.text)).toEqual([3]);
    expect(listed((await core.run('admin.root', `followup list case:${HN}`)).reply.text)).toEqual([1, 2]);
    // An officer too, within their scope: not only their own.
    expect(listed((await core.run('officer.hn', `followup list case:${HN}`)).reply.text)).toEqual([1, 2]);
    expect(listed((await core.run('officer.hn', 'followup list unit:CAQ-HK')).reply.text)).toEqual([1, 2]);
    expect(listed((await core.run('officer.hn', 'followup list all unit:CAQ-HK')).reply.text)).toEqual([1, 2]);
    expect(listed((await core.run('officer.hn', 'followup list mine unit:CA-HN')).reply.text)).toEqual([2]);
    expect((await core.run('officer.hn', 'followup list unit:CA-HCM')).result.code).toBe('not_found');
    expect((await core.run('officer.hk', 'followup list unit:CA-HN')).result.code).toBe('not_found');
    // Without a unit or a case, an officer's default is still their own, and "all" is for leads.
    expect(listed((await core.run('officer.hn', 'followup list')).reply.text)).toEqual([2]);
    expect((await core.run('officer.hn', 'followup list all')).result.code).toBe('denied');
  });

  it('has one effect when the same invocation arrives twice', async () => {
    await core.run('lead.hn', `followup add ${HN} officer.hn Một lần thôi`, { id: 'slack:T1:trig-9' });
    const again = await core.run('lead.hn', `followup add ${HN} officer.hn Một lần thôi`, { id: 'slack:T1:trig-9' });
    expect(again.result.outcome).toBe('duplicate');
    expect(await rows()).toHaveLength(1);
  });

  it('answers in Vietnamese', async () => {
    await makeMember(t.db, { handle: 'lead.vi', role: 'lead', unit: 'CA-HN', locale: 'vi' });
    const { reply } = await core.run('lead.vi', `followup add ${HN} officer.hn Xác minh due:2024-09-10`);
    expect(reply.text).toBe(`Đã giao việc #1 (${HN}) cho officer.hn, hạn 10/09/2024: Xác minh`);
    const past = await core.run('lead.vi', `followup add ${HN} officer.hn Xác minh due:2024-08-10`);
    expect(past.reply.text).toContain('Hạn 10/08/2024 đã qua; hôm nay là 01/09/2024.');
  });
});
