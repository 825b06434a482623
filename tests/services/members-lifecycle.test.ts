import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { queryRows, type Database } from '../../db/client.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { Actor } from '../../src/core/invocation.ts';
import type { ReplyAction } from '../../src/domain/reply.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { cli as runCli } from '../support/cli.ts';
import { RecordingReply } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { instanceHandles } from '../support/schedules.ts';

let t: TestDb;
const instances = () => instanceHandles(t);
let extra: ReturnType<typeof instances>;
/** Two bot instances on the same database: on a server, each with its own pool, as two processes. */
let first: Instance;
let second: Instance;

const NOW = new Date('2024-09-01T03:00:00Z');
const HN_CASE = 'TN-2021-000001';
const HCM_CASE = 'TN-2021-000002';
const DISCORD = { platform: 'discord', workspaceId: 'G1', userId: 'U1' } as const satisfies Actor;

/** A reply with buttons, as on Discord and Slack. */
class ButtonReply extends RecordingReply {
  readonly interactive = true;
}

type Instance = ReturnType<typeof instance>;

function instance(db: Database) {
  const dispatcher = createDispatcher({
    db,
    commands,
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
  });
  const dispatch = async (
    actor: Actor,
    input: { kind: 'text'; line: string } | { kind: 'options'; command: string; options: Record<string, string | number> },
    buttons: boolean,
  ) => {
    const reply = buttons ? new ButtonReply() : new RecordingReply();
    const result = await dispatcher.dispatch({ id: randomUUID(), actor, channel: { id: 'c1', isPrivate: true }, input }, reply);
    return { result, reply };
  };
  const consoleActor = (handle: string): Actor => ({ platform: 'console', workspaceId: 'local', userId: handle });
  return {
    dispatcher,
    /** A line typed on the console as `handle`. */
    run: (handle: string, line: string) => dispatch(consoleActor(handle), { kind: 'text', line }, false),
    /** A line typed where buttons can be pressed. */
    ask: (handle: string, line: string, actor: Actor = consoleActor(handle)) => dispatch(actor, { kind: 'text', line }, true),
    press: (handle: string, action: ReplyAction) =>
      dispatch(consoleActor(handle), { kind: 'options', command: action.command, options: action.options }, true),
    as: (actor: Actor, line: string) => dispatch(actor, { kind: 'text', line }, false),
  };
}

const cli = (args: string[], locale: 'vi' | 'en' = 'en') =>
  runCli(args, { db: t.handle, env: { CASEDESK_LOCALE: locale, LOG_LEVEL: 'silent' }, operator: { user: 'ops', host: 'desk-1' } });

interface AuditRow {
  command: string;
  outcome: string;
  detail: string | null;
  member: string | null;
  args: Record<string, unknown>;
  os_user: string | null;
}
const auditRows = (where = sql`true`) =>
  queryRows<AuditRow>(
    t.db,
    sql`select a.command, a.outcome::text, a.detail, m.handle as member, a.args, a.os_user
        from audit_log a left join members m on m.id = a.member_id where ${where} order by a.id`,
  );
const lastAudit = async (command: string) => (await auditRows(sql`a.command = ${command}`)).at(-1);

beforeAll(async () => {
  t = await openTestDb();
  extra = instances();
  const [a, b] = await extra.dbs(2);
  first = instance(a!);
  second = instance(b!);
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'root.admin', role: 'admin', unit: 'C06' });
  await makeMember(t.db, { handle: 'hn.admin', role: 'admin', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hn.lead', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, {
    handle: 'duc',
    role: 'officer',
    unit: 'CA-HN',
    displayName: 'Nguyễn Văn Đức',
    discord: { guild: 'G1', user: 'U1' },
  });
  await makeMember(t.db, { handle: 'hcm.officer', role: 'officer', unit: 'CA-HCM' });
  await makeCase(t.db, { code: HN_CASE, fullName: 'Phạm Thị Hoa', unit: 'CA-HN' });
  await makeCase(t.db, { code: HCM_CASE, fullName: 'Lê Văn Tám', unit: 'CA-HCM' });
});
afterAll(async () => {
  await extra.close();
  await t.close();
});

describe('members lifecycle from the command line', () => {
  it('changes a role, which the next command obeys, and audits it with before and after', async () => {
    expect((await first.run('duc', 'digest preview')).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    const done = await cli(['members', 'role', 'duc', 'lead']);
    expect(done).toMatchObject({ code: 0, stdout: "Changed duc's role: officer → lead.\n" });
    expect((await first.run('duc', 'digest preview')).result.outcome).toBe('ok');
    expect(await lastAudit('casedesk members role')).toEqual({
      command: 'casedesk members role',
      outcome: 'ok',
      detail: null,
      member: null,
      os_user: 'ops',
      args: { handle: 'duc', role: 'lead', before: { role: 'officer' }, after: { role: 'lead' } },
    });
    expect((await cli(['members', 'role', 'hcm.officer', 'auditor'])).code).toBe(0);
    expect((await first.run('hcm.officer', `case show ${HCM_CASE}`)).result).toMatchObject({ outcome: 'denied' });
  });

  it("moves a member: at once they see the new unit's cases and no longer the old one's", async () => {
    expect((await first.run('duc', `case show ${HN_CASE}`)).result.outcome).toBe('ok');
    expect((await first.run('duc', `case show ${HCM_CASE}`)).result.code).toBe('not_found');
    const moved = await cli(['members', 'move', 'duc', 'ca-hcm']);
    expect(moved.code).toBe(0);
    expect(moved.stdout).toBe(
      'Moved duc from CA-HN to CA-HCM: from their next command they see the cases of CA-HCM and its sub-units, no longer those of CA-HN.\n',
    );
    // On the other instance, the very next command.
    expect((await second.run('duc', `case show ${HCM_CASE}`)).result.outcome).toBe('ok');
    const old = await second.run('duc', `case show ${HN_CASE}`);
    expect(old.result.code).toBe('not_found');
    expect(old.reply.text).toContain(`No case ${HN_CASE} within your units.`);
    expect((await lastAudit('casedesk members move'))!.args).toMatchObject({ before: { unit: 'CA-HN' }, after: { unit: 'CA-HCM' } });
  });

  it('disables a member, refused on the next command on another instance, and enables them again', async () => {
    expect((await first.run('duc', 'whoami')).result.outcome).toBe('ok');
    const disabled = await cli(['members', 'disable', 'duc', '--reason', 'nghỉ hưu']);
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toContain('Disabled duc: casedesk refuses every command of theirs from now on');
    const refused = await second.run('duc', 'whoami');
    expect(refused.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(refused.reply.text).toBe(
      "Your account is disabled, so casedesk is closed to you. If you think this is a mistake, ask your unit's administrator.",
    );
    expect(await lastAudit('whoami')).toMatchObject({ outcome: 'denied', detail: 'member_disabled', member: 'duc' });
    // Through a linked chat account too, and whatever the command.
    expect((await first.as(DISCORD, `case show ${HN_CASE}`)).result).toMatchObject({ outcome: 'denied', code: 'denied' });

    const row = (await lastAudit('casedesk members disable'))!;
    expect(row.args).toMatchObject({ handle: 'duc', reason: 'nghỉ hưu', before: { disabledAt: null } });
    expect(Date.parse((row.args.after as { disabledAt: string }).disabledAt)).toBeGreaterThan(NOW.getTime());
    const list = await cli(['members', 'list']);
    expect(list.stdout).toMatch(/^duc +officer +CA-HN +en +Nguyễn Văn Đức +discord:G1\/U1 +disabled \d{4}-\d\d-\d\d$/m);
    expect(list.stdout).toMatch(/^hn\.lead +lead +CA-HN +en +hn\.lead +-$/m);
    expect((await cli(['members', 'list'], 'vi')).stdout).toMatch(/TRẠNG THÁI\n(.*\n)*duc .* vô hiệu hoá \d{4}-/);

    expect(await cli(['members', 'enable', 'duc'])).toMatchObject({
      code: 0,
      stdout: 'Enabled duc again, with the role and unit they had.\n',
    });
    expect((await second.run('duc', 'whoami')).result.outcome).toBe('ok');
    expect((await lastAudit('casedesk members enable'))!.args).toMatchObject({ after: { disabledAt: null } });
  });

  it('refuses a disabled member their autocomplete suggestions', async () => {
    const suggest = (id: string) =>
      second.dispatcher.suggest({ id, actor: DISCORD, command: 'case show', option: 'code', partial: 'Phạm', channelId: 'c1' });
    expect(await suggest(randomUUID())).toEqual([{ label: expect.stringContaining(HN_CASE), value: HN_CASE }]);
    await cli(['members', 'disable', 'duc']);
    expect(await suggest(randomUUID())).toEqual([]);
    expect(await lastAudit('case show (autocomplete)')).toMatchObject({ outcome: 'denied', detail: 'member_disabled', member: 'duc' });
  });

  it('unlinks one account or every account of a platform: the account is a stranger from then on', async () => {
    await cli(['members', 'link', 'duc', '--platform', 'discord', '--workspace', 'G2', '--user', 'U9']);
    await cli(['members', 'link', 'duc', '--platform', 'slack', '--workspace', 'T1', '--user', 'U1']);
    const one = await cli(['members', 'unlink', 'duc', '--platform', 'discord', '--workspace', 'G1', '--user', 'U1']);
    expect(one).toMatchObject({ code: 0, stdout: 'Unlinked discord:G1/U1 from duc; that account can no longer use casedesk.\n' });
    const stranger = await first.as(DISCORD, 'whoami');
    expect(stranger.result).toMatchObject({ outcome: 'denied', code: 'unknown_user' });
    expect((await first.as({ platform: 'discord', workspaceId: 'G2', userId: 'U9' }, 'whoami')).result.outcome).toBe('ok');
    expect((await lastAudit('casedesk members unlink'))!.args).toMatchObject({
      before: { accounts: ['discord:G1/U1', 'discord:G2/U9', 'slack:T1/U1'] },
      after: { accounts: ['discord:G2/U9', 'slack:T1/U1'] },
    });
    expect((await cli(['members', 'unlink', 'duc', '--platform', 'discord'])).stdout).toContain('Unlinked discord:G2/U9 from duc');
    expect((await first.as({ platform: 'slack', workspaceId: 'T1', userId: 'U1' }, 'whoami')).result.outcome).toBe('ok');
    // The member and what they did stay.
    expect(await auditRows(sql`m.handle = 'duc'`)).toHaveLength(2);
  });

  it('keeps the last active admin of the root unit', async () => {
    for (const args of [
      ['members', 'disable', 'root.admin'],
      ['members', 'role', 'root.admin', 'lead'],
      ['members', 'move', 'root.admin', 'CA-HN'],
    ]) {
      const refused = await cli(args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        'casedesk: root.admin is the last active admin of the root unit C06; add or appoint another admin first (casedesk members add … --role admin --unit C06).\n',
      );
    }
    expect(await lastAudit('casedesk members move')).toMatchObject({ outcome: 'invalid', detail: 'conflict' });
    // An admin of another unit does not count; a second admin of the root does.
    await cli(['members', 'add', 'root.two', '--role', 'admin', '--unit', 'C06']);
    expect((await cli(['members', 'disable', 'root.admin'])).code).toBe(0);
    expect((await cli(['members', 'disable', 'root.two'])).stderr).toContain('root.two is the last active admin of the root unit C06');
    expect((await cli(['members', 'role', 'hn.admin', 'lead'])).code).toBe(0);
  });

  it.each([
    [['members', 'role', 'nobody', 'lead'], 'No member "nobody".'],
    [['members', 'role', 'duc', 'boss'], 'Role "boss" is not valid; choose one of: viewer, officer, lead, admin, auditor.'],
    [['members', 'role', 'duc', 'officer'], 'duc already has the officer role.'],
    [['members', 'move', 'duc', 'NOPE'], 'No unit "NOPE".'],
    [['members', 'move', 'duc', 'CA-HN'], 'duc is already in CA-HN.'],
    [['members', 'enable', 'duc'], 'duc is not disabled.'],
    [['members', 'unlink', 'duc', '--platform', 'slack'], 'duc has no linked slack account.'],
    [
      ['members', 'unlink', 'duc', '--platform', 'discord', '--workspace', 'G1', '--user', 'U2'],
      'duc has no linked discord G1/U2 account.',
    ],
    [['members', 'unlink', 'duc', '--platform', 'discord', '--workspace', 'G1'], 'Give both the workspace and the user id, or neither'],
    [['members', 'unlink', 'duc', '--platform', 'teams'], 'Platform "teams" is not valid'],
  ])('refuses %j with exit 1 and says why', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('refuses to disable a member twice, saying since when, in the operator language', async () => {
    await cli(['members', 'disable', 'duc']);
    expect((await cli(['members', 'disable', 'duc'])).stderr).toMatch(
      /^casedesk: duc is already disabled \(since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.\n$/,
    );
    expect((await cli(['members', 'disable', 'duc'], 'vi')).stderr).toMatch(/^casedesk: duc đã bị vô hiệu hoá từ \d{4}-/);
    expect((await cli(['members', 'role', 'nobody', 'lead'], 'vi')).stderr).toBe('casedesk: Không có thành viên "nobody".\n');
  });
});

describe('members lifecycle from chat', () => {
  it('disables a member on confirmation: refused on another instance at once, their pending buttons die', async () => {
    // hn.lead has a status change waiting for their confirmation.
    const pending = await first.ask('hn.lead', `case status ${HN_CASE} arrested on:2024-08-20`);
    const [leadsConfirm] = pending.reply.messages[0]!.actions!;

    const question = await first.ask('hn.admin', 'member disable hn.lead chuyển công tác');
    expect(question.reply.text).toContain('hn.lead: disable the account');
    expect(question.reply.text).toContain('Reason: chuyển công tác');
    expect(question.reply.messages[0]!.personal).toBe(true);
    expect((await second.run('hn.lead', 'whoami')).result.outcome).toBe('ok');
    const confirmed = await first.press('hn.admin', question.reply.messages[0]!.actions![0]!);
    expect(confirmed.result.outcome).toBe('ok');
    expect(confirmed.reply.text).toContain('Disabled hn.lead');

    const refused = await second.run('hn.lead', `case show ${HN_CASE}`);
    expect(refused.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(refused.reply.text).toContain('Your account is disabled');
    // Their own button is refused with them; pressed by anyone else, it has expired.
    expect((await second.press('hn.lead', leadsConfirm!)).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    const other = await second.press('hn.admin', leadsConfirm!);
    expect(other.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(other.reply.text).toContain('expired');
    expect(await queryRows(t.db, sql`select status from cases where code = ${HN_CASE}`)).toEqual([{ status: 'wanted' }]);

    expect(await lastAudit('member disable')).toMatchObject({
      outcome: 'ok',
      member: 'hn.admin',
      args: { handle: 'hn.lead', reason: 'chuyển công tác', before: { disabledAt: null }, after: { disabledAt: NOW.toISOString() } },
    });

    // Enabled again from chat, they work; the voided button stays dead.
    const enable = await first.ask('hn.admin', 'member enable hn.lead');
    await first.press('hn.admin', enable.reply.messages[0]!.actions![0]!);
    expect((await second.run('hn.lead', 'whoami')).result.outcome).toBe('ok');
    expect((await second.press('hn.lead', leadsConfirm!)).reply.text).toContain('expired');
  });

  it('changes a role and moves a member within the admin scope, with before and after in the audit', async () => {
    const role = await first.run('hn.admin', 'member role duc chỉ huy');
    expect(role.result.outcome).toBe('ok');
    expect(role.reply.text).toBe("Changed duc's role: officer → lead.");
    expect(await lastAudit('member role')).toMatchObject({
      member: 'hn.admin',
      args: { handle: 'duc', role: 'lead', before: { role: 'officer' }, after: { role: 'lead' } },
    });
    const move = await first.run('hn.admin', 'member move duc CAQ-HK');
    expect(move.result.outcome).toBe('ok');
    expect((await lastAudit('member move'))!.args).toEqual({
      handle: 'duc',
      unit: 'CAQ-HK',
      before: { unit: 'CA-HN' },
      after: { unit: 'CAQ-HK' },
    });
    expect((await second.run('duc', `case show ${HN_CASE}`)).result.code).toBe('not_found');
    // The root's admin reaches every unit.
    expect((await first.run('root.admin', 'member move duc CA-HCM')).result.outcome).toBe('ok');
    expect((await second.run('duc', `case show ${HCM_CASE}`)).result.outcome).toBe('ok');
  });

  it('asks to confirm a role change where buttons can be pressed, and changes nothing before', async () => {
    const question = await first.ask('hn.admin', 'member role duc lead');
    expect(question.reply.text).toContain('Nguyễn Văn Đức (duc): role officer → lead');
    expect(question.reply.text).toContain('Nothing changes until you press Confirm.');
    expect(await queryRows(t.db, sql`select role::text from members where handle = 'duc'`)).toEqual([{ role: 'officer' }]);
    const [, cancel] = question.reply.messages[0]!.actions!;
    expect((await first.press('hn.admin', cancel!)).reply.text).toContain('Cancelled');
    expect(await queryRows(t.db, sql`select role::text from members where handle = 'duc'`)).toEqual([{ role: 'officer' }]);
  });

  it('unlinks a chat account from chat: the account is a stranger from then on', async () => {
    expect((await first.as(DISCORD, 'whoami')).result.outcome).toBe('ok');
    const done = await first.run('hn.admin', 'member unlink duc discord');
    expect(done.reply.text).toBe('Unlinked discord:G1/U1 from duc; that account can no longer use casedesk.');
    expect((await second.as(DISCORD, 'whoami')).result).toMatchObject({ outcome: 'denied', code: 'unknown_user' });
    expect((await lastAudit('member unlink'))!.args).toMatchObject({ before: { accounts: ['discord:G1/U1'] }, after: { accounts: [] } });
  });

  it('refuses non-admins, members and units outside the scope, and changes to oneself', async () => {
    const lead = await first.run('hn.lead', 'member role duc viewer');
    expect(lead.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(lead.reply.text).toContain('"member role" needs the admin role or above; yours is lead.');

    const outside = await first.run('hn.admin', 'member disable hcm.officer');
    expect(outside.result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect(outside.reply.text).toBe('No member "hcm.officer" within your units.');
    const above = await first.run('hn.admin', 'member role root.admin lead');
    expect(above.reply.text).toBe('No member "root.admin" within your units.');
    const away = await first.run('hn.admin', 'member move duc CA-HCM');
    expect(away.result.code).toBe('not_found');
    expect(away.reply.text).toBe('No unit "CA-HCM" within your units.');

    const self = await first.run('hn.admin', 'member disable hn.admin');
    expect(self.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(self.reply.text).toContain('You cannot change your own account from chat; ask another administrator');
    expect((await first.run('root.admin', 'member role root.admin viewer')).result.code).toBe('denied');

    const bad = await first.run('hn.admin', 'member role duc boss');
    expect(bad.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect((await first.run('hn.admin', 'member enable duc')).reply.text).toBe('duc is not disabled.');
    expect((await first.run('hn.admin', 'member unlink duc slack')).reply.text).toBe('duc has no linked slack account.');

    expect(
      await queryRows(
        t.db,
        sql`select handle, role::text, disabled_at from members where handle in ('duc', 'hn.admin', 'hcm.officer') order by handle`,
      ),
    ).toEqual([
      { handle: 'duc', role: 'officer', disabled_at: null },
      { handle: 'hcm.officer', role: 'officer', disabled_at: null },
      { handle: 'hn.admin', role: 'admin', disabled_at: null },
    ]);
    expect(await lastAudit('member disable')).toMatchObject({ outcome: 'denied', detail: 'denied', member: 'hn.admin' });
  });

  it('answers in Vietnamese', async () => {
    await t.db.execute(sql`update members set locale = 'vi' where handle in ('hn.admin', 'duc')`);
    expect((await first.run('hn.admin', 'member move duc CA-HCM')).reply.text).toBe('Không có đơn vị "CA-HCM" trong phạm vi của bạn.');
    expect((await first.run('hn.admin', 'member role duc lead')).reply.text).toBe('Đã đổi vai trò của duc: cán bộ → chỉ huy.');
    await first.run('hn.admin', 'member disable duc');
    expect((await second.run('duc', 'whoami')).reply.text).toContain('Tài khoản của bạn đã bị vô hiệu hoá');
  });

  it("keeps a disabled member's notes, follow-ups and audit rows readable", async () => {
    await first.run('hn.lead', `case note ${HN_CASE} Đã xác minh nơi ở`);
    await first.run('hn.lead', `followup add ${HN_CASE} duc Xác minh nơi làm việc due:2024-09-30`);
    const before = (await auditRows(sql`m.handle = 'hn.lead'`)).length;
    await first.run('hn.admin', 'member disable hn.lead');
    const card = await second.run('duc', `case show ${HN_CASE}`);
    expect(card.reply.text).toContain('hn.lead: Đã xác minh nơi ở');
    expect((await second.run('duc', 'followup list')).reply.text).toContain('Xác minh nơi làm việc');
    expect(await auditRows(sql`m.handle = 'hn.lead'`)).toHaveLength(before);
    expect(await queryRows(t.db, sql`select count(*)::int as n from members where handle = 'hn.lead'`)).toEqual([{ n: 1 }]);
  });
});
