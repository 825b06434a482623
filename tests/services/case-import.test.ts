import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { importCases, type ImportReport } from '../../src/services/case-import.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeUnitTree } from '../factories/index.ts';

let t: TestDb;
const NOW = new Date('2024-09-01T03:00:00Z');
const TZ = 'Asia/Ho_Chi_Minh';

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
});
afterAll(() => t.close());

const HEADER = 'code,full_name,aliases,birth_year,danger,unit,wanted_on,status,resolved_on,national_id';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const GOOD = csv(
  'TN-2020-000123,Nguyễn Văn Đức,Đức Sẹo;Đức Còi,1985,nguy hiểm,CAQ-HK,2020-03-15,truy nã,,001085012345',
  'TN-2021-000001,Trần Thị Đào,Tèo,1979,đặc biệt nguy hiểm,CA-HCM,2021-01-10,đầu thú,2024-05-20,',
  'tn-2019-000500,Lê Văn Tám,,1970,normal,ca-hn,2019-07-01,arrested,2023-12-31,',
);
const run = (body: string | Buffer, dryRun = false) => importCases(t.db, { csv: body, dryRun, now: NOW, timeZone: TZ });
const count = async (table: 'cases' | 'case_events') =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
const problems = (report: ImportReport) => report.errors.map((e) => [e.line, e.code]);

describe('import cases', () => {
  it('imports a good file with Vietnamese danger and status words, one created event per case', async () => {
    const report = await run(GOOD);
    expect(report).toMatchObject({ created: 3, updated: 0, unchanged: 0, errors: [] });
    expect(await findCaseByCode(t.db, 'TN-2020-000123')).toMatchObject({
      fullName: 'Nguyễn Văn Đức',
      aliases: ['Đức Sẹo', 'Đức Còi'],
      danger: 'dangerous',
      status: 'wanted',
      birthYear: 1985,
      searchKey: 'nguyen van duc duc seo duc coi',
      nationalId: '001085012345',
    });
    expect(await findCaseByCode(t.db, 'TN-2021-000001')).toMatchObject({
      danger: 'especially_dangerous',
      status: 'surrendered',
      resolvedOn: '2024-05-20',
    });
    expect(await findCaseByCode(t.db, 'TN-2019-000500')).toMatchObject({ status: 'arrested' });
    expect(await count('case_events')).toBe(3);
  });

  it('accepts a byte-order mark and columns in any order', async () => {
    const body = '\uFEFFunit,status,wanted_on,danger,full_name,code\nCA-HN,wanted,2022-01-01,normal,Phạm Văn A,TN-2022-000001\n';
    expect((await run(Buffer.from(body, 'utf8'))).created).toBe(1);
  });

  it('stores NFD names in NFC, found by their search key', async () => {
    const nfd = 'Nguyễn Thị Hồng'.normalize('NFD');
    await run(csv(`TN-2022-000002,${nfd},,,normal,CA-HN,2022-01-01,wanted,,`));
    const row = (await findCaseByCode(t.db, 'TN-2022-000002'))!;
    expect(row.fullName).toBe('Nguyễn Thị Hồng'.normalize('NFC'));
    expect(row.searchKey).toBe('nguyen thi hong');
  });

  it.each([
    ['an unknown unit', 'TN-1,Tên,,,normal,XYZ,2020-01-01,wanted,,', 'unknown_unit'],
    ['a malformed date', 'TN-1,Tên,,,normal,CA-HN,2020-02-30,wanted,,', 'bad_date'],
    ['a day-first date', 'TN-1,Tên,,,normal,CA-HN,15/03/2020,wanted,,', 'bad_date'],
    ['a future date', 'TN-1,Tên,,,normal,CA-HN,2024-09-02,wanted,,', 'future_date'],
    ['an outcome before the wanted date', 'TN-1,Tên,,,normal,CA-HN,2020-01-01,bắt,2019-12-31,', 'resolved_before_wanted'],
    ['an outcome without its date', 'TN-1,Tên,,,normal,CA-HN,2020-01-01,thanh loại,,', 'resolved_on_missing'],
    ['a wanted case with an outcome date', 'TN-1,Tên,,,normal,CA-HN,2020-01-01,wanted,2021-01-01,', 'resolved_on_unexpected'],
    ['an unknown danger word', 'TN-1,Tên,,,rất nguy hiểm,CA-HN,2020-01-01,wanted,,', 'bad_danger'],
    ['an unknown status word', 'TN-1,Tên,,,normal,CA-HN,2020-01-01,trốn,,', 'bad_status'],
    ['a missing required value', 'TN-1,,,,normal,CA-HN,2020-01-01,wanted,,', 'missing_value'],
    ['a birth year out of range', 'TN-1,Tên,,1850,normal,CA-HN,2020-01-01,wanted,,', 'bad_year'],
    ['a bad national ID', 'TN-1,Tên,,,normal,CA-HN,2020-01-01,wanted,,12AB', 'bad_national_id'],
    ['a bad code', 'TN 1!,Tên,,,normal,CA-HN,2020-01-01,wanted,,', 'bad_code'],
    ['a name too long', `TN-1,${'A'.repeat(201)},,,normal,CA-HN,2020-01-01,wanted,,`, 'too_long'],
    ['a wrong number of columns', 'TN-1,Tên,normal', 'column_count'],
  ])('refuses %s, with its line number, and imports nothing', async (_, badRow, code) => {
    const report = await run(csv('TN-2022-000010,Tên Tốt,,,normal,CA-HN,2020-01-01,wanted,,', badRow));
    expect(problems(report)).toEqual([[3, code]]);
    expect(report.errors[0]!.text('en').length).toBeGreaterThan(10);
    expect(report.errors[0]!.text('vi')).not.toBe(report.errors[0]!.text('en'));
    expect(await count('cases')).toBe(0);
    expect(await count('case_events')).toBe(0);
  });

  it('lists every bad row, including a duplicate code, by physical line even after a multi-line field', async () => {
    const body = [
      'code,full_name,danger,unit,wanted_on,status,outcome_note',
      'TN-1,"Tên, có phẩy",normal,CA-HN,2020-01-01,wanted,"dòng một',
      'dòng hai"',
      'TN-2,Tên,normal,NOPE,2020-01-01,wanted,',
      'tn-1,Tên,normal,CA-HN,2020-01-01,wanted,',
      'TN-3,Tên,normal,CA-HN,2020-13-01,wanted,',
    ].join('\n');
    const report = await run(body);
    expect(problems(report)).toEqual([
      [4, 'unknown_unit'],
      [5, 'duplicate_code'],
      [6, 'bad_date'],
    ]);
    expect(report.errors[1]!.text('en')).toContain('line 2');
    expect(await count('cases')).toBe(0);
  });

  it('refuses unknown and missing columns, naming them', async () => {
    const report = await run('code,full_name,danger,unit,wanted_on,photo_url\nTN-1,A,normal,CA-HN,2020-01-01,x\n');
    expect(problems(report)).toEqual([
      [1, 'unknown_column'],
      [1, 'missing_column'],
    ]);
    expect(report.errors[0]!.text('en')).toContain('"photo_url"');
    expect(report.errors[1]!.text('en')).toContain('"status"');
  });

  it('re-imports by code: no duplicates, one event per changed case, unchanged cases untouched', async () => {
    await run(GOOD);
    const changed = csv(
      'TN-2020-000123,Nguyễn Văn Đức,Đức Sẹo;Đức Còi,1985,nguy hiểm,CAQ-HK,2020-03-15,bắt,2024-08-30,001085012345',
      'TN-2021-000001,Trần Thị Đào,Tèo,1979,đặc biệt nguy hiểm,CA-HCM,2021-01-10,đầu thú,2024-05-20,',
      'TN-2019-000500,Lê Văn Tám,Tám Lùn,1970,normal,CA-HN,2019-07-01,arrested,2023-12-31,',
    );
    const report = await run(changed);
    expect(report).toMatchObject({ created: 0, updated: 2, unchanged: 1, errors: [] });
    expect(await count('cases')).toBe(3);
    expect(await findCaseByCode(t.db, 'TN-2021-000001')).toMatchObject({ version: 1 });
    expect(await findCaseByCode(t.db, 'TN-2020-000123')).toMatchObject({ status: 'arrested', resolvedOn: '2024-08-30', version: 2 });
    const events = await queryRows<{ code: string; kind: string; occurred_on: string | null; changes: Record<string, unknown> }>(
      t.db,
      sql`select c.code, e.kind, e.occurred_on::text, e.data->'changes' as changes
          from case_events e join cases c on c.id = e.case_id where e.kind <> 'created' order by c.code`,
    );
    expect(events).toEqual([
      { code: 'TN-2019-000500', kind: 'updated', occurred_on: null, changes: { aliases: [[], ['Tám Lùn']] } },
      {
        code: 'TN-2020-000123',
        kind: 'status_changed',
        occurred_on: '2024-08-30',
        changes: { status: ['wanted', 'arrested'], resolved_on: [null, '2024-08-30'] },
      },
    ]);
  });

  it('writes nothing on a dry run, yet says what would change', async () => {
    const report = await run(GOOD, true);
    expect(report).toMatchObject({ dryRun: true, created: 3, errors: [] });
    expect(await count('cases')).toBe(0);
  });

  it('imports 10,000 rows', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const status = i % 4 === 0 ? 'arrested,2023-06-01' : 'wanted,';
      return `TN-2020-${String(i).padStart(6, '0')},Nguyễn Văn Số ${i},,1980,normal,CA-HN,2020-01-01,${status},`;
    });
    const report = await run(csv(...rows));
    expect(report).toMatchObject({ created: 10_000, errors: [] });
    expect(await count('cases')).toBe(10_000);
    const again = await run(csv(...rows));
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 10_000 });
  });
});

describe('casedesk import cases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casedesk-import-'));
  const cli = (args: string[], locale = 'en') => runCli(args, { db: t.handle, env: { CASEDESK_LOCALE: locale, TZ } });

  it('reports the counts and exits 0', async () => {
    const file = join(dir, 'good.csv');
    writeFileSync(file, GOOD);
    const result = await cli(['import', 'cases', file]);
    expect(result).toMatchObject({ code: 0, stdout: 'Imported: 3 new, 0 updated, 0 unchanged.\n' });
    const vi = await cli(['import', 'cases', file, '--dry-run'], 'vi');
    expect(vi.stdout).toBe('Kiểm tra xong, chưa ghi gì: 0 hồ sơ mới, 0 cập nhật, 3 không đổi.\n');
  });

  it('lists each bad line, exits 1, and imports nothing', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, csv('TN-1,Tên,,,normal,XYZ,2020-01-01,wanted,,', 'TN-2,Tên,,,normal,CA-HN,2020-01-01,bắt,,'));
    const result = await cli(['import', 'cases', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('line 2: There is no unit "XYZ"');
    expect(result.stdout).toContain('line 3: Status bắt needs the outcome date');
    expect(result.stderr).toContain('Nothing was imported: 2 line(s)');
    expect(await count('cases')).toBe(0);
  });

  it('says clearly when the file cannot be read', async () => {
    const result = await cli(['import', 'cases', join(dir, 'missing.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot read');
  });
});
