import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;

beforeAll(async () => {
  t = await openTestDb();
  // 2024-09-01 10:00 in Hanoi.
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead.hn', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'CA-HN' });
  await makeCase(t.db, { code: 'TN-2024-000001', fullName: 'Trần Văn Bình', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-08-10' });
  await makeCase(t.db, { code: 'TN-2024-000002', fullName: 'Lê Thị Hoa', unit: 'CA-HCM', status: 'arrested', resolvedOn: '2024-08-11' });
});
afterAll(() => t.close());

describe('digest preview', () => {
  it('shows a lead the digest of their own unit, privately, for the period asked', async () => {
    const { result, reply } = await core.run('lead.hn', 'digest preview month');
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain('August 2024 · CA-HN');
    expect(reply.text).toContain('1 wanted subject (arrested 1');
    expect(reply.messages[0]).toMatchObject({ personal: false, toChannel: false });
    expect(reply.text).not.toContain('Trần Văn Bình');
    expect(await queryRows(t.db, sql`select command, outcome::text, args from audit_log`)).toEqual([
      { command: 'digest preview', outcome: 'ok', args: { period: 'month' } },
    ]);
  });

  it('takes a period by dates, and refuses half of one', async () => {
    expect((await core.run('lead.hn', 'digest preview from:2024-08-11 to:2024-08-31')).reply.text).toContain('2024-08-11 to 2024-08-31');
    const half = await core.run('lead.hn', 'digest preview from:2024-08-11');
    expect(half.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(half.reply.text).toContain('Give both from and to');
    const backwards = await core.run('lead.hn', 'digest preview from:2024-08-31 to:2024-08-01');
    expect(backwards.reply.text).toContain('is after the end');
  });

  it("refuses since-last, which needs a schedule's previous digest, rather than guess a period", async () => {
    const since = await core.run('lead.hn', 'digest preview since-last');
    expect(since.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(since.reply.text).toContain('since-last needs a schedule');
    expect(since.reply.text).toContain('or a preset such as week');
  });

  it("refuses a unit outside the lead's scope, and an officer", async () => {
    const outside = await core.run('lead.hn', 'digest preview unit:CA-HCM');
    expect(outside.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(outside.reply.text).toContain('outside your scope');
    expect((await core.run('officer', 'digest preview')).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect((await core.run('lead.hn', 'digest preview unit:NOPE')).reply.text).toContain('There is no unit NOPE');
  });
});

describe('digest schedule', () => {
  const TEAM = 'T0CASEDESK';
  const inSlack = (user: string) => ({ actor: { platform: 'slack' as const, workspaceId: TEAM, userId: user }, channelId: 'C0COMMITTEE' });
  beforeEach(async () => {
    await makeMember(t.db, { handle: 'admin', role: 'admin', unit: 'C06', slack: { team: TEAM, user: 'U0ADMIN' } });
    await makeMember(t.db, { handle: 'lead.slack', role: 'lead', unit: 'CA-HN', slack: { team: TEAM, user: 'U0LEAD' } });
    await makeMember(t.db, { handle: 'admin.hn', role: 'admin', unit: 'CA-HN', slack: { team: TEAM, user: 'U0ADMINHN' } });
  });

  const stored = () =>
    queryRows<{ unit: string | null }>(
      t.db,
      sql`select u.code as unit from digest_schedules s left join units u on u.id = s.unit_id order by s.id`,
    );

  it("scopes a schedule with no unit to the admin's own unit, and only the root unit's admin to everything", async () => {
    const province = await core.run('', 'digest schedule add 0 7 * * 1', inSlack('U0ADMINHN'));
    expect(province.result.outcome).toBe('ok');
    expect(province.reply.text).toMatch(/· ytd · CA-HN · en$/);
    const root = await core.run('', 'digest schedule add 0 8 * * 1', inSlack('U0ADMIN'));
    expect(root.reply.text).toMatch(/· ytd · all units · en$/);
    expect(await stored()).toEqual([{ unit: 'CA-HN' }, { unit: null }]);
  });

  it("refuses a schedule for a unit outside the admin's scope, and takes one inside it", async () => {
    const outside = await core.run('', 'digest schedule add 0 7 * * 1 unit:CA-HCM', inSlack('U0ADMINHN'));
    expect(outside.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(outside.reply.text).toContain('Unit CA-HCM is outside your scope');
    const inside = await core.run('', 'digest schedule add 0 7 * * 1 unit:caq-hk', inSlack('U0ADMINHN'));
    expect(inside.reply.text).toMatch(/· CAQ-HK · en$/);
    expect(await stored()).toEqual([{ unit: 'CAQ-HK' }]);
  });

  it('refuses since-last for a schedule that fires more than once a day, and takes it once a day', async () => {
    const twice = await core.run('', 'digest schedule add 0 7,17 * * * period:since-last', inSlack('U0ADMIN'));
    expect(twice.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(twice.reply.text).toContain('fires more than once a day');
    expect(await queryRows(t.db, sql`select count(*)::int as n from digest_schedules`)).toEqual([{ n: 0 }]);
    expect((await core.run('', 'digest schedule add 0 7,17 * * * period:week', inSlack('U0ADMIN'))).result.outcome).toBe('ok');
    expect((await core.run('', 'digest schedule add 0 7 * * * period:since-last', inSlack('U0ADMIN'))).result.outcome).toBe('ok');
    expect(await queryRows(t.db, sql`select period from digest_schedules order by id`)).toEqual([
      { period: 'week' },
      { period: 'since-last' },
    ]);
  });

  it("names the period in the reader's language", async () => {
    await core.run('', 'digest schedule add 0 7 * * 1 period:week locale:vi', inSlack('U0ADMIN'));
    await t.db.execute(sql`update members set locale = 'vi' where handle = 'admin'`);
    const list = await core.run('', 'digest schedule list', inSlack('U0ADMIN'));
    expect(list.reply.text).toContain('· slack:C0COMMITTEE · tuần trước · tất cả đơn vị · vi');
    expect(list.reply.text).not.toContain('· week ·');
  });

  it('adds a schedule that posts to the channel it was typed in, lists and removes it', async () => {
    const added = await core.run('', 'digest schedule add 0 7 * * 1 tz:Asia/Bangkok period:week unit:CA-HN locale:vi', inSlack('U0ADMIN'));
    expect(added.result.outcome).toBe('ok');
    expect(added.reply.text).toMatch(/^Added: #\d+ · 0 7 \* \* 1 \(Asia\/Bangkok\) · slack:C0COMMITTEE · week · CA-HN · vi$/);
    expect(
      await queryRows(t.db, sql`select cron, time_zone, target_platform::text, target_channel, period, locale::text from digest_schedules`),
    ).toEqual([
      {
        cron: '0 7 * * 1',
        time_zone: 'Asia/Bangkok',
        target_platform: 'slack',
        target_channel: 'C0COMMITTEE',
        period: 'week',
        locale: 'vi',
      },
    ]);
    const id = /#(\d+)/.exec(added.reply.text)![1];
    expect((await core.run('', 'digest schedule list', inSlack('U0ADMIN'))).reply.text).toContain(`#${id} · 0 7 * * 1`);
    expect((await core.run('', `digest schedule remove ${id}`, inSlack('U0ADMIN'))).reply.text).toContain(`Removed schedule ${id}.`);
    expect(await queryRows(t.db, sql`select count(*)::int as n from digest_schedules`)).toEqual([{ n: 0 }]);
    expect(
      (await queryRows<{ command: string; outcome: string }>(t.db, sql`select command, outcome::text from audit_log order by id`)).map(
        (r) => `${r.command} ${r.outcome}`,
      ),
    ).toEqual(['digest schedule ok', 'digest schedule ok', 'digest schedule ok']);
  });

  it('refuses a bad cron expression or time zone, and stores nothing', async () => {
    const cron = await core.run('', 'digest schedule add 0 25 * * 1', inSlack('U0ADMIN'));
    expect(cron.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(cron.reply.text).toContain('is not a valid cron expression');
    const zone = await core.run('', 'digest schedule add 0 7 * * 1 tz:Mars/Olympus', inSlack('U0ADMIN'));
    expect(zone.reply.text).toContain('"Mars/Olympus" is not a time zone');
    expect(await queryRows(t.db, sql`select count(*)::int as n from digest_schedules`)).toEqual([{ n: 0 }]);
  });

  it('is for admins only, and needs a chat channel', async () => {
    const lead = await core.run('', 'digest schedule list', inSlack('U0LEAD'));
    expect(lead.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    const consoleAdd = await core.run('admin', 'digest schedule add 0 7 * * 1');
    expect(consoleAdd.reply.text).toContain('casedesk digest schedule add --target');
    expect((await core.run('', 'digest schedule remove 999', inSlack('U0ADMIN'))).reply.text).toContain(
      'There is no schedule 999 within your units.',
    );
  });

  it("shows and removes only the schedules of the admin's own units", async () => {
    await makeMember(t.db, { handle: 'admin.hcm', role: 'admin', unit: 'CA-HCM', slack: { team: TEAM, user: 'U0ADMINHCM' } });
    await core.run('', 'digest schedule add 0 7 * * 1', inSlack('U0ADMINHN'));
    await core.run('', 'digest schedule add 0 8 * * 1', inSlack('U0ADMIN'));
    const [hn, national] = (await queryRows<{ id: number }>(t.db, sql`select id from digest_schedules order by id`)).map((r) => r.id);
    const hcm = await core.run('', 'digest schedule list', inSlack('U0ADMINHCM'));
    expect(hcm.reply.text).toBe('No digest schedules yet.');
    const province = (await core.run('', 'digest schedule list', inSlack('U0ADMINHN'))).reply.text;
    expect(province).toContain(`#${hn} · 0 7 * * 1`);
    expect(province).toContain(`#${hn} · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0COMMITTEE · ytd · CA-HN · en`);
    expect(province).not.toContain(`#${national} ·`);
    // Another province's admin cannot remove it, nor can the province remove the national one.
    for (const [user, id] of [
      ['U0ADMINHCM', hn],
      ['U0ADMINHN', national],
    ] as const) {
      const refused = await core.run('', `digest schedule remove ${id}`, inSlack(user));
      expect(refused.result.code).toBe('not_found');
    }
    expect(await queryRows(t.db, sql`select count(*)::int as n from digest_schedules`)).toEqual([{ n: 2 }]);
    expect((await core.run('', 'digest schedule list', inSlack('U0ADMIN'))).reply.text).toContain(`#${hn} · 0 7 * * 1`);
  });
});
