import { sql } from 'drizzle-orm';
import type { InputFile } from '../../src/core/invocation.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MemberRole } from '../../db/schema/index.ts';
import { queryRows } from '../../db/client.ts';
import { mayRun } from '../../src/core/command.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { insertFollowUp } from '../../src/repositories/follow-ups.ts';
import { findMemberByHandle } from '../../src/repositories/members.ts';
import { commands } from '../../commands/index.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makePhoto, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  for (const role of ['viewer', 'officer', 'lead', 'admin', 'auditor'] as const) {
    await makeMember(t.db, { handle: `hn.${role}`, role, unit: 'CA-HN' });
  }
  await makeCase(t.db, {
    code: 'TN-2020-000001',
    fullName: 'Nguyễn Văn Đức',
    unit: 'CAQ-HK',
    wantedOn: '2020-01-10',
    nationalId: '001085000001',
  });
  await makeCase(t.db, {
    code: 'TN-2020-000002',
    fullName: 'Lê Văn Đức',
    unit: 'CA-HCM',
    wantedOn: '2020-01-10',
    nationalId: '001085000002',
  });
  await makeMember(t.db, { handle: 'hcm.officer', role: 'officer', unit: 'CA-HCM' });
  await makePhoto(t.db, { code: 'TN-2020-000001' });
  await makePhoto(t.db, { code: 'TN-2020-000002' });
  // A member who left: an admin of the unit (who could run anything) with a linked account, disabled.
  await makeMember(t.db, { handle: 'hn.gone', role: 'admin', unit: 'CA-HN', discord: { guild: 'G1', user: 'U1' } });
  await t.db.execute(sql`update members set disabled_at = now() where handle = 'hn.gone'`);
  // Follow-up #1 is on the in-scope case, assigned to hn.officer; #2 is on the other, to hcm.officer.
  await core.run('hn.admin', `followup add ${IN} hn.officer "Xác minh nơi ở"`);
  await insertFollowUp(t.db, {
    caseId: (await findCaseByCode(t.db, OUT))!.id,
    assigneeMemberId: (await findMemberByHandle(t.db, 'hcm.officer'))!.id,
    task: 'x',
  });
  expect((await run('hn.admin', 'case check list.csv')).result.outcome).toBe('ok');
});
afterAll(() => t.close());

/** A list whose two rows are certain hits: request #1 on the in-scope case (CAQ-HK), #2 on the other (CA-HCM). */
const fileOf = (text: string): InputFile => {
  const data = new TextEncoder().encode(text);
  return { name: 'list.csv', size: data.length, read: async () => data };
};
const FILES = { 'list.csv': fileOf('Họ tên;CCCD\nNguyễn Văn Đức;001085000001\nLê Văn Đức;001085000002\n') };
const run = (handle: string, line: string) => core.run(handle, line, { files: FILES });

const ROLES: MemberRole[] = ['viewer', 'officer', 'lead', 'admin', 'auditor'];
const IN = 'TN-2020-000001';
const OUT = 'TN-2020-000002';

/**
 * One line per command that touches a case, written for a case code. Commands that do not touch a
 * case are in GLOBAL. Every command in the registry must appear in one of the two (checked below),
 * so a new command cannot skip the matrix.
 */
const CASE_COMMANDS: Record<string, (code: string) => string> = {
  'case show': (code) => `case show ${code}`,
  'case history': (code) => `case history ${code}`,
  'case status': (code) => `case status ${code} arrested on:2024-05-01 bắt tại nhà`,
  'case decision': (code) => `case decision ${code} wanted 77/QĐ-CSĐT on:2024-05-01`,
  'case note': (code) => `case note ${code} đã xác minh nơi ở`,
  'case info': (code) => `case info ${code} marks sẹo ở má trái`,
  'case validate': (code) => `case validate ${code} complete`,
  'case photo-retire': (code) => `case photo-retire ${code} 1 nhầm người`,
  'followup add': (code) => `followup add ${code} unit:CAQ-HK Vận động ra đầu thú due:2024-12-31`,
  'followup done': (code) => `followup done ${code === IN ? 1 : 2} đã xác minh`,
  'followup cancel': (code) => `followup cancel ${code === IN ? 1 : 2}`,
  'audit case': (code) => `audit case ${code}`,
  'hit confirm': (code) => `hit confirm ${code === IN ? 1 : 2}`,
  'hit reject': (code) => `hit reject ${code === IN ? 1 : 2} khác người`,
  'hit wait': (code) => `hit wait ${code === IN ? 1 : 2} 30`,
  'inspection start': (code) => `inspection start unit:${code === IN ? 'CAQ-HK' : 'CA-HCM'}`,
  // The rest need an inspection of each case's unit: #1 of CAQ-HK, #2 of CA-HCM (see INSPECTED).
  'inspection mark': (code) => `inspection mark ${code === IN ? 1 : 2} 1 ok`,
  'inspection close': (code) => `inspection close ${code === IN ? 1 : 2} partial:yes`,
  'inspection show': (code) => `inspection show ${code === IN ? 1 : 2}`,
};
/** The commands on an inspection: a lead of the root unit has opened one of each case's unit first. */
const INSPECTED = new Set(['inspection mark', 'inspection close', 'inspection show']);
const GLOBAL: Record<string, string> = {
  'case find': 'case find nguyen van duc',
  'case check': 'case check list.csv',
  'hit list': 'hit list',
  'validation due': 'validation due',
  'followup list': 'followup list',
  'digest preview': 'digest preview month',
  'digest schedule': 'digest schedule list',
  'meeting list': 'meeting list',
  'inspection list': 'inspection list',
  'audit member': 'audit member hn.viewer',
  'meeting start': 'meeting start Giao ban',
  // The rest need a meeting: opened first by the unit's admin.
  'meeting minutes': 'open: meeting minutes 1',
  'meeting note': 'open: meeting note ghi chú',
  'meeting conclude': 'open: meeting conclude kết luận',
  'meeting attend': 'open: meeting attend',
  'meeting end': 'open: meeting end',
  'member role': 'member role hn.viewer officer',
  'member move': 'member move hn.viewer CAQ-HK',
  'member disable': 'member disable hn.viewer',
  'member enable': 'member enable hn.gone',
  'member unlink': 'member unlink hn.gone discord',
  help: 'help',
  whoami: 'whoami',
};

const lastDetail = async () =>
  (await queryRows<{ detail: string | null }>(t.db, sql`select detail from audit_log order by id desc limit 1`))[0]?.detail;

it('covers every registered command', () => {
  const covered = [...Object.keys(CASE_COMMANDS), ...Object.keys(GLOBAL)].sort();
  const registered = commands
    .all()
    .map((c) => c.name)
    .sort();
  expect(covered).toEqual(registered);
});

describe.each(Object.entries(CASE_COMMANDS))('%s', (name, line) => {
  const command = commands.get(name)!;
  beforeEach(async () => {
    if (!INSPECTED.has(name)) return;
    await makeMember(t.db, { handle: 'c06.lead', role: 'lead', unit: 'C06' });
    for (const unit of ['CAQ-HK', 'CA-HCM'])
      expect((await core.run('c06.lead', `inspection start unit:${unit}`)).result.outcome).toBe('ok');
  });
  it.each(ROLES)('as %s: allowed in scope only when the role suffices; out of scope is "not found"', async (role) => {
    const inScope = await run(`hn.${role}`, line(IN));
    const outScope = await run(`hn.${role}`, line(OUT));
    if (mayRun(role, command)) {
      expect(inScope.result.outcome).toBe('ok');
      expect(outScope.result.code).toBe('not_found');
      expect(outScope.reply.text).not.toContain('Lê Văn Đức');
    } else {
      expect(inScope.result.code).toBe('denied');
      expect(outScope.result.code).toBe('denied');
    }
  });

  it('refuses an unknown user', async () => {
    const { result, reply } = await core.run('nobody', line(IN));
    expect(result).toMatchObject({ outcome: 'denied', code: 'unknown_user' });
    expect(reply.text).not.toContain('Nguyễn');
  });

  it('refuses a disabled member', async () => {
    const { result, reply } = await core.run('hn.gone', line(IN));
    expect(result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(reply.text).not.toContain('Nguyễn');
    expect(await lastDetail()).toBe('member_disabled');
  });
});

describe.each(Object.entries(GLOBAL))('%s', (name, spec) => {
  const needsMeeting = spec.startsWith('open: ');
  const line = spec.replace(/^open: /, '');
  beforeEach(async () => {
    if (needsMeeting) expect((await core.run('hn.admin', 'meeting start Giao ban')).result.outcome).toBe('ok');
  });
  it.each(ROLES)('as %s', async (role) => {
    const { result } = await run(`hn.${role}`, line);
    expect(result.outcome).toBe(mayRun(role, commands.get(name)!) ? 'ok' : 'denied');
  });
  it('refuses an unknown user', async () => {
    expect((await core.run('nobody', line)).result.code).toBe('unknown_user');
  });
  it('refuses a disabled member', async () => {
    expect((await core.run('hn.gone', line)).result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(await lastDetail()).toBe('member_disabled');
  });
});

describe('role-dependent answers', () => {
  it('gives a viewer a summary of a case and an officer the full card', async () => {
    const viewer = await core.run('hn.viewer', `case show ${IN}`);
    const officer = await core.run('hn.officer', `case show ${IN}`);
    expect(viewer.reply.text).toContain('Nguyễn Văn Đức');
    expect(viewer.reply.text).not.toContain('National ID');
    expect(officer.reply.text).toContain('National ID');
  });

  it('lists only the commands a member may run in help', async () => {
    const viewer = await core.run('hn.viewer', 'help');
    const admin = await core.run('hn.admin', 'help');
    expect(viewer.reply.text).not.toContain('case status <code>');
    expect(admin.reply.text).toContain('case status <code>');
  });
});

it('writes exactly one audit row per invocation, with its outcome', async () => {
  // Only the rows of this test: the setup's follow-up left one of its own.
  const [{ last }] = (await queryRows<{ last: number }>(t.db, sql`select coalesce(max(id), 0)::int as last from audit_log`)) as [
    { last: number },
  ];
  await core.run('hn.viewer', `case show ${IN}`);
  await core.run('hn.viewer', `case status ${IN} arrested`);
  await core.run('hn.lead', `case status ${IN} arrested on:2020-01-01`);
  await core.run('nobody', 'whoami');
  await core.run('hn.lead', `case show ${OUT}`);
  const rows = await queryRows<{
    member: string | null;
    user_id: string;
    command: string;
    outcome: string;
    detail: string | null;
    case_codes: string[];
  }>(
    t.db,
    sql`select m.handle as member, a.user_id, a.command, a.outcome, a.detail, a.case_codes
        from audit_log a left join members m on m.id = a.member_id where a.id > ${last} order by a.id`,
  );
  expect(rows).toEqual([
    { member: 'hn.viewer', user_id: 'hn.viewer', command: 'case show', outcome: 'ok', detail: null, case_codes: [IN] },
    { member: 'hn.viewer', user_id: 'hn.viewer', command: 'case status', outcome: 'denied', detail: 'denied', case_codes: [] },
    { member: 'hn.lead', user_id: 'hn.lead', command: 'case status', outcome: 'invalid', detail: 'invalid', case_codes: [] },
    { member: null, user_id: 'nobody', command: 'whoami', outcome: 'denied', detail: 'unknown_user', case_codes: [] },
    { member: 'hn.lead', user_id: 'hn.lead', command: 'case show', outcome: 'invalid', detail: 'not_found', case_codes: [] },
  ]);
});
