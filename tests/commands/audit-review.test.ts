import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { cli as runCli } from '../support/cli.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
let core: TestCore;
beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
afterAll(() => t.close());

const IN = 'TN-2020-000001';
const OUT = 'TN-2020-000002';

beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'hn.admin', role: 'admin', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hn.auditor', role: 'auditor', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hn.officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hcm.officer', role: 'officer', unit: 'CA-HCM' });
  await makeCase(t.db, { code: IN, fullName: 'Nguyễn Văn Đức', unit: 'CAQ-HK', wantedOn: '2020-01-10' });
  await makeCase(t.db, { code: OUT, fullName: 'Lê Văn Đức', unit: 'CA-HCM', wantedOn: '2020-01-10' });
  await core.run('hn.officer', `case show ${IN}`);
  await core.run('hn.officer', `case note ${IN} đã xác minh nơi ở tại số 5 ngõ 12`);
  await core.run('hn.officer', `case show ${OUT}`);
  await core.run('hcm.officer', `case show ${OUT}`);
});

describe('audit case', () => {
  it("shows an auditor who read or changed a case in scope, privately, and nothing of the case's details", async () => {
    const { result, reply } = await core.run('hn.auditor', `audit case ${IN}`);
    expect(result.outcome).toBe('ok');
    const message = reply.messages[0]!;
    expect(message.personal).toBe(true);
    expect(message.title).toBe(`Access to case ${IN} (2)`);
    const lines = reply.text.split('\n').filter((l) => l.includes('hn.officer (CA-HN)'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/case note · TN-2020-000001 · ok$/);
    expect(lines[1]).toMatch(/case show · TN-2020-000001 · ok$/);
    expect(reply.text).not.toContain('Nguyễn Văn Đức');
    expect(reply.text).not.toContain('ngõ 12');
  });

  it('answers "not found" for a case outside the reviewer\'s scope, and refuses officers', async () => {
    expect((await core.run('hn.auditor', `audit case ${OUT}`)).result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect((await core.run('hn.admin', `audit case ${OUT}`)).result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect((await core.run('hn.officer', `audit case ${IN}`)).result).toMatchObject({ outcome: 'denied', code: 'denied' });
  });

  it('keeps the case itself from an auditor', async () => {
    expect((await core.run('hn.auditor', `case show ${IN}`)).result).toMatchObject({ outcome: 'denied' });
    expect((await core.run('hn.auditor', 'case find nguyen van duc')).result).toMatchObject({ outcome: 'denied' });
    expect((await core.run('hn.auditor', 'whoami')).result.outcome).toBe('ok');
  });
});

describe('audit member', () => {
  it('lists what a member in scope did, newest first, refused and failed requests included', async () => {
    const { result, reply } = await core.run('hn.admin', 'audit member hn.officer');
    expect(result.outcome).toBe('ok');
    expect(reply.messages[0]!.personal).toBe(true);
    const lines = reply.text.split('\n').filter((l) => l.startsWith('• #') || l.startsWith('#'));
    expect(lines.map((l) => l.replace(/^• /, '').split(' · ').slice(4).join(' · '))).toEqual([
      `case show · invalid (not_found)`,
      `case note · ${IN} · ok`,
      `case show · ${IN} · ok`,
    ]);
  });

  it('refuses a member outside the scope and an unknown handle alike', async () => {
    expect((await core.run('hn.auditor', 'audit member hcm.officer')).result.code).toBe('not_found');
    expect((await core.run('hn.auditor', 'audit member nobody')).result.code).toBe('not_found');
  });

  it('audits the reviews themselves', async () => {
    await core.run('hn.auditor', `audit case ${IN}`);
    await core.run('hn.auditor', 'audit member hn.officer');
    const rows = await queryRows<{ command: string; outcome: string; args: Record<string, unknown> }>(
      t.db,
      sql`select a.command, a.outcome::text, a.args from audit_log a join members m on m.id = a.member_id where m.handle = 'hn.auditor' order by a.id`,
    );
    expect(rows).toEqual([
      { command: 'audit case', outcome: 'ok', args: { code: IN } },
      { command: 'audit member', outcome: 'ok', args: { handle: 'hn.officer' } },
    ]);
  });
});

describe('casedesk audit export', () => {
  const cli = (args: string[]) =>
    runCli(args, {
      db: t.handle,
      env: { CASEDESK_LOCALE: 'en', CASEDESK_TIME_ZONE: 'Asia/Ho_Chi_Minh' },
      operator: { user: 'kiemtra', host: 'pc-01' },
      logger: pino({ level: 'silent' }),
    });

  it("writes a period's rows for one unit's members and cases to a CSV file, and audits the export", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casedesk-audit-'));
    const file = join(dir, 'audit.csv');
    // The test core's clock says 2024-09-01 10:00 in Hanoi; the rows' own time is the database's.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const result = await cli(['audit', 'export', '--from', today, '--to', today, '--unit', 'CA-HN', file]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`Wrote 3 audit rows (${today} to ${today}, CA-HN) to ${file}.`);
    const content = readFileSync(file, 'utf8');
    expect(content.charCodeAt(0)).toBe(0xfeff);
    const records = parse<Record<string, string>>(content, { bom: true, columns: true });
    expect(records.map((r) => [r.member, r.command, r.case_codes, r.outcome])).toEqual([
      ['hn.officer', 'case show', IN, 'ok'],
      ['hn.officer', 'case note', IN, 'ok'],
      ['hn.officer', 'case show', '', 'invalid'],
    ]);
    expect(JSON.parse(records[1]!.args!)).toMatchObject({ code: IN });
    expect(records[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const everything = join(dir, 'all.csv');
    // The four requests, and the export above.
    expect((await cli(['audit', 'export', '--from', today, '--to', today, everything])).stdout).toContain('Wrote 5 audit rows');
    const yesterday = join(dir, 'none.csv');
    expect((await cli(['audit', 'export', '--from', '2020-01-01', '--to', '2020-01-31', yesterday])).stdout).toContain(
      'Wrote 0 audit rows',
    );

    const [exported] = await queryRows<{ command: string; os_user: string; args: Record<string, unknown> }>(
      t.db,
      sql`select command, os_user, args from audit_log where command = 'casedesk audit export' order by id limit 1`,
    );
    expect(exported).toMatchObject({ os_user: 'kiemtra', args: { unit: 'CA-HN', rows: 3, from: today, to: today } });
  });

  it('refuses bad dates, an unknown unit and a file that exists, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casedesk-audit-'));
    const taken = join(dir, 'taken.csv');
    writeFileSync(taken, 'keep me');
    const cases: Array<[string[], string]> = [
      [['--from', '2024-13-01', '--to', '2024-12-31', join(dir, 'a.csv')], '--from: 2024-13-01 is not a real date (there is no month 13).'],
      [['--from', '2024-12-31', '--to', '2024-01-01', join(dir, 'b.csv')], 'The dates are not valid'],
      [['--from', '2024-01-01', '--to', '2024-01-31', '--unit', 'NOPE', join(dir, 'c.csv')], 'No unit "NOPE"'],
      [['--from', '2024-01-01', '--to', '2024-01-31', taken], 'exists already'],
    ];
    for (const [args, reason] of cases) {
      const result = await cli(['audit', 'export', ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(reason);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
  });
});
