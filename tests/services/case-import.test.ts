import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { importCases, type ImportReport } from '../../src/services/case-import.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { cli as runCli, CASEDESK_FROM_SOURCES } from '../support/cli.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';
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
const run = (body: string | Buffer, dryRun = false) => importCases(t.db, { data: body, dryRun, now: NOW, timeZone: TZ });
const count = async (table: 'cases' | 'case_events' | 'case_decisions') =>
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

  it('reads dates written day first, as Excel saves them in a Vietnamese locale', async () => {
    const report = await run(csv('TN-2022-000003,Lê Văn Bình,,,normal,CA-HN,15/03/2020,bắt,5/1/2021,'));
    expect(report.created).toBe(1);
    expect(await findCaseByCode(t.db, 'TN-2022-000003')).toMatchObject({
      wantedOn: '2020-03-15',
      resolvedOn: '2021-01-05',
      status: 'arrested',
    });
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
    ['a day-first date that does not exist', 'TN-1,Tên,,,normal,CA-HN,31/04/2020,wanted,,', 'bad_date'],
    ['a month-first date', 'TN-1,Tên,,,normal,CA-HN,03/15/2020,wanted,,', 'bad_date'],
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

  it('writes identifying marks and criminal history as entries from the file, and on a re-import only what is new', async () => {
    const DETAILS = 'code,full_name,danger,unit,wanted_on,status,identifying_marks,criminal_history';
    const file = (...rows: string[]) => [DETAILS, ...rows].join('\n') + '\n';
    const entries = () =>
      queryRows<{ code: string; kind: string; text: string; source: string | null; added_by_label: string; member: number | null }>(
        t.db,
        sql`select c.code, d.kind, d.text, d.source, d.added_by_label, d.added_by_member_id as member
            from case_details d join cases c on c.id = d.case_id order by d.id`,
      );
    const first = file(
      'TN-2020-000700,Nguyễn Văn A,normal,CA-HN,2020-01-01,wanted,Sẹo ở cằm,1 tiền án',
      'TN-2020-000701,Nguyễn Văn B,normal,CA-HN,2020-01-01,wanted,,',
    );
    expect(await importCases(t.db, { data: first, name: 'danh-sach-thang-8.csv', now: NOW, timeZone: TZ })).toMatchObject({ created: 2 });
    expect(await entries()).toEqual([
      { code: 'TN-2020-000700', kind: 'marks', text: 'Sẹo ở cằm', source: 'danh-sach-thang-8.csv', added_by_label: 'import', member: null },
      {
        code: 'TN-2020-000700',
        kind: 'history',
        text: '1 tiền án',
        source: 'danh-sach-thang-8.csv',
        added_by_label: 'import',
        member: null,
      },
    ]);
    const second = file(
      'TN-2020-000700,Nguyễn Văn A,normal,CA-HN,2020-01-01,wanted,Sẹo ở cằm,2 tiền án',
      'TN-2020-000701,Nguyễn Văn B,normal,CA-HN,2020-01-01,wanted,Hình xăm ở lưng,',
    );
    expect(await importCases(t.db, { data: second, name: 'danh-sach-thang-9.csv', now: NOW, timeZone: TZ })).toMatchObject({ updated: 2 });
    expect((await entries()).slice(2).map((e) => [e.code, e.kind, e.text, e.source])).toEqual([
      ['TN-2020-000700', 'history', '2 tiền án', 'danh-sach-thang-9.csv'],
      ['TN-2020-000701', 'marks', 'Hình xăm ở lưng', 'danh-sach-thang-9.csv'],
    ]);
    expect(await findCaseByCode(t.db, 'TN-2020-000700')).toMatchObject({ identifyingMarks: 'Sẹo ở cằm', criminalHistory: '2 tiền án' });
    // The same file again adds nothing.
    await importCases(t.db, { data: second, name: 'danh-sach-thang-9.csv', now: NOW, timeZone: TZ });
    expect(await entries()).toHaveLength(4);
    // A dry run writes no entry.
    await importCases(t.db, { data: file('TN-2020-000702,Nguyễn Văn C,normal,CA-HN,2020-01-01,wanted,Sẹo,'), dryRun: true, timeZone: TZ });
    expect(await entries()).toHaveLength(4);
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

describe('import cases: files as Excel writes them', () => {
  const SEMI = [
    'code;full_name;aliases;danger;unit;wanted_on;status;resolved_on;hometown;national_id',
    'TN-2022-000001;Phạm Văn Hùng;"Hùng Đen;Hùng Béo";nguy hiểm;CA-HN;2022-01-05;truy nã;;"Số 1, ngõ 2; Hà Nội";001090000001',
    'TN-2022-000002;Đỗ Thị Mai;;bình thường;CA-HCM;2022-02-10;bắt;2023-03-01;"Quận 1, TP HCM";',
  ].join('\r\n');
  /** The same file with another separator, put in place of those outside quotes only: the quoted values keep theirs. */
  const separatedBy = (separator: string) => SEMI.replace(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/g, separator);
  const utf16 = (body: string, order: 'le' | 'be') => {
    const le = Buffer.from(`\uFEFF${body}`, 'utf16le');
    return order === 'le' ? le : Buffer.from(le).swap16();
  };
  /** The fields a dialect must not change, case by case. */
  const stored = async () =>
    queryRows<{ code: string; full_name: string; aliases: string[]; hometown: string | null; national_id: string | null; status: string }>(
      t.db,
      sql`select code, full_name, aliases, hometown, national_id, status::text from cases order by code`,
    );
  const EXPECTED = [
    {
      code: 'TN-2022-000001',
      full_name: 'Phạm Văn Hùng',
      aliases: ['Hùng Đen', 'Hùng Béo'],
      hometown: 'Số 1, ngõ 2; Hà Nội',
      national_id: '001090000001',
      status: 'wanted',
    },
    { code: 'TN-2022-000002', full_name: 'Đỗ Thị Mai', aliases: [], hometown: 'Quận 1, TP HCM', national_id: null, status: 'arrested' },
  ];

  it.each([
    ['";" as Excel writes it in a Vietnamese locale', Buffer.from(SEMI, 'utf8')],
    ['";" in UTF-8 with a byte-order mark', Buffer.from(`\uFEFF${SEMI}`, 'utf8')],
    ['tab, as "Unicode Text" in UTF-16 LE with its mark', utf16(separatedBy('\t'), 'le')],
    ['tab, in UTF-16 BE with its mark', utf16(separatedBy('\t'), 'be')],
    ['"," with separators of the other kinds inside quoted values', Buffer.from(separatedBy(','), 'utf8')],
  ])('reads a CSV with %s', async (_, data) => {
    const report = await importCases(t.db, { data, name: 'ds.csv', now: NOW, timeZone: TZ });
    expect(report).toMatchObject({ format: 'csv', created: 2, errors: [] });
    expect(await stored()).toEqual(EXPECTED);
  });

  it('tells the separator by the header even when the first values hold more of another', async () => {
    const body = ['"code";full_name;danger;unit;wanted_on;status', 'TN-1;"A, B, C, D, E";normal;CA-HN;2022-01-01;wanted'].join('\n');
    const report = await importCases(t.db, { data: body, name: 'x.csv', now: NOW, timeZone: TZ });
    expect(report).toMatchObject({ created: 1, errors: [] });
    expect((await findCaseByCode(t.db, 'TN-1'))!.fullName).toBe('A, B, C, D, E');
  });

  it('refuses a CSV that is not UTF-8 (Windows-1258), asking for "CSV UTF-8", and writes nothing', async () => {
    // "Nguyễn" in Windows-1258: ê is 0xEA, the tilde a combining byte 0xDE.
    const legacy = Buffer.concat([
      Buffer.from('code,full_name,danger,unit,wanted_on,status\nTN-1,Nguy', 'latin1'),
      Buffer.from([0xea, 0xde]),
      Buffer.from('n V\u0103n A,normal,CA-HN,2022-01-01,wanted\n', 'latin1'),
    ]);
    const report = await importCases(t.db, { data: legacy, name: 'ds.csv', now: NOW, timeZone: TZ });
    expect(problems(report)).toEqual([[2, 'bad_encoding']]);
    expect(report.errors[0]!.text('en')).toContain('"CSV UTF-8 (Comma delimited) (*.csv)"');
    expect(report.errors[0]!.text('en')).toContain('import it again');
    expect(report.errors[0]!.text('vi')).toContain('Windows-1258');
    expect(await count('cases')).toBe(0);
  });

  it('reads the first sheet of an .xlsx: dates as dates or text, an ID typed as a number gets its leading zero back', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    workbook.addWorksheet('Ghi chú').addRow(['not read']);
    sheet.addRow(['code', 'full_name', 'birth_year', 'national_id', 'danger', 'unit', 'wanted_on', 'status', 'resolved_on', 'has_photo']);
    sheet.addRow([
      'TN-2023-000001',
      'Vũ Văn Long',
      1988,
      1088000123,
      'nguy hiểm',
      'CA-HN',
      new Date('2023-04-05T00:00:00Z'),
      'bắt',
      '2024-01-02',
      true,
    ]);
    // A row whose trailing cells are empty: a sheet leaves them out.
    sheet.addRow(['TN-2023-000002', 'Lý Thị Nga', null, '012345678', 'normal', 'CA-HCM', '2023-05-06', 'wanted']);
    const data = new Uint8Array(await workbook.xlsx.writeBuffer());
    const report = await importCases(t.db, { data, name: 'ds.xlsx', now: NOW, timeZone: TZ });
    expect(report).toMatchObject({ format: 'xlsx', created: 2, errors: [] });
    expect(await findCaseByCode(t.db, 'TN-2023-000001')).toMatchObject({
      birthYear: 1988,
      nationalId: '001088000123',
      wantedOn: '2023-04-05',
      status: 'arrested',
      resolvedOn: '2024-01-02',
      hasPhoto: true,
    });
    expect(await findCaseByCode(t.db, 'TN-2023-000002')).toMatchObject({
      nationalId: '012345678',
      wantedOn: '2023-05-06',
      hasPhoto: false,
    });
  });

  it('names the sheet row of a bad xlsx row, and refuses a formula cell', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Danh sách');
    sheet.addRow([]);
    sheet.addRow(['code', 'full_name', 'danger', 'unit', 'wanted_on', 'status']);
    sheet.addRow(['TN-1', 'A', 'rất nguy hiểm', 'CA-HN', '2023-01-01', 'wanted']);
    const bad = await importCases(t.db, {
      data: new Uint8Array(await workbook.xlsx.writeBuffer()),
      name: 'a.xlsx',
      now: NOW,
      timeZone: TZ,
    });
    expect(problems(bad)).toEqual([[3, 'bad_danger']]);
    sheet.getCell('C3').value = { formula: 'LOWER("NORMAL")', result: 'normal' };
    const formula = await importCases(t.db, {
      data: new Uint8Array(await workbook.xlsx.writeBuffer()),
      name: 'a.xlsx',
      now: NOW,
      timeZone: TZ,
    });
    expect(problems(formula)).toEqual([[3, 'formula']]);
    expect(formula.errors[0]!.text('en')).toContain('Paste Special → Values');
    expect(await count('cases')).toBe(0);
  });

  it('hints at a leading zero Excel dropped from a national ID in a CSV', async () => {
    const report = await run(csv('TN-1,Tên,,,normal,CA-HN,2020-01-01,wanted,,1085012345'));
    expect(problems(report)).toEqual([[2, 'bad_national_id']]);
    expect(report.errors[0]!.text('en')).toContain('leading zero');
  });
});

describe('import cases: decisions as documents', () => {
  const DOC_HEADER = 'code,full_name,danger,unit,wanted_decision_no,wanted_on,status,resolved_on,cancellation_decision_no,cancelled_on';
  const docs = (...rows: string[]) => [DOC_HEADER, ...rows].join('\n') + '\n';
  /** The case's documents in the order recorded, each saying whether it still counts. */
  const documents = (code: string) =>
    queryRows<{
      kind: string;
      number: string | null;
      on: string;
      authority: string | null;
      by: string;
      corrects: string | null;
      current: boolean;
    }>(
      t.db,
      sql`select d.kind, d.number, d.decided_on::text as on, d.authority, d.actor_label as by,
                 (select o.decided_on::text from case_decisions o where o.id = d.supersedes_id) as corrects,
                 not exists (select 1 from case_decisions s where s.supersedes_id = d.id) as current
          from case_decisions d join cases c on c.id = d.case_id where c.code = ${code} order by d.id`,
    );
  /** What the figures' journal sums to for the case, by measure (measures summing to 0 kept). */
  const ledger = async (code: string) =>
    Object.fromEntries(
      (
        await queryRows<{ measure: string; total: number }>(
          t.db,
          sql`select l.measure, sum(l.delta)::int as total from case_ledger l join cases c on c.id = l.case_id
              where c.code = ${code} group by l.measure`,
        )
      ).map((r) => [r.measure, r.total]),
    );
  const eventsOf = (code: string) =>
    queryRows<{ kind: string; occurred_on: string | null; data: Record<string, unknown> }>(
      t.db,
      sql`select e.kind, e.occurred_on::text, e.data from case_events e join cases c on c.id = e.case_id
          where c.code = ${code} and e.kind <> 'created' order by e.id`,
    );

  it("records a new case's wanted decision, and its cancellation when the row has one", async () => {
    const report = await run(
      docs(
        'TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,',
        'TN-2,Trần Thị B,normal,CA-HN,,2021-01-10,đình nã,2024-05-20,7/QĐ-ĐN,2024-05-25',
      ),
    );
    expect(report).toMatchObject({ created: 2, errors: [] });
    expect(await documents('TN-1')).toEqual([
      { kind: 'wanted', number: '15/QĐ-CSĐT', on: '2020-03-15', authority: null, by: 'import', corrects: null, current: true },
    ]);
    expect(await documents('TN-2')).toEqual([
      { kind: 'wanted', number: null, on: '2021-01-10', authority: null, by: 'import', corrects: null, current: true },
      { kind: 'cancellation', number: '7/QĐ-ĐN', on: '2024-05-25', authority: null, by: 'import', corrects: null, current: true },
    ]);
    expect(await ledger('TN-2')).toEqual({ wanted: 0, cancelled: 1, wanted_decision: 1, cancellation_decision: 1 });
    expect(await count('case_events')).toBe(2);
  });

  it('dates a cancellation number given alone on the outcome, whatever the outcome', async () => {
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,,2019-07-01,arrested,2023-12-31,3/QĐ-ĐN,'));
    expect(await documents('TN-1')).toMatchObject([
      { kind: 'wanted', number: null, on: '2019-07-01' },
      { kind: 'cancellation', number: '3/QĐ-ĐN', on: '2023-12-31' },
    ]);
  });

  it('leaves a re-imported file unchanged: no new document, no event, no new version', async () => {
    const file = docs(
      'TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,',
      'TN-2,Trần Thị B,normal,CA-HN,,2021-01-10,arrested,2024-05-20,7/QĐ-ĐN,',
    );
    await run(file);
    const before = { documents: await count('case_decisions'), events: await count('case_events') };
    expect(await run(file)).toMatchObject({ created: 0, updated: 0, unchanged: 2, errors: [] });
    // A file that does not know a number the case has says nothing new about it either.
    expect(await run(csv('TN-1,Nguyễn Văn A,,,normal,CA-HN,2020-03-15,wanted,,'))).toMatchObject({ updated: 0, unchanged: 1 });
    expect({ documents: await count('case_decisions'), events: await count('case_events') }).toEqual(before);
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ version: 1 });
    expect(await findCaseByCode(t.db, 'TN-2')).toMatchObject({ version: 1 });
  });

  it('records a cancellation given later for an arrested case as a decision event, and bumps the version', async () => {
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,,2019-07-01,arrested,2023-12-31,,'));
    const report = await run(docs('TN-1,Lê Văn C,normal,CA-HN,,2019-07-01,arrested,2023-12-31,3/QĐ-ĐN,2024-01-05'));
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: 0, errors: [] });
    expect(await documents('TN-1')).toMatchObject([
      { kind: 'wanted', on: '2019-07-01' },
      { kind: 'cancellation', number: '3/QĐ-ĐN', on: '2024-01-05', by: 'import', current: true },
    ]);
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ status: 'arrested', version: 2 });
    expect(await eventsOf('TN-1')).toEqual([
      {
        kind: 'decision',
        occurred_on: '2024-01-05',
        data: { version: 2, decision: { kind: 'cancellation', number: '3/QĐ-ĐN', on: '2024-01-05' } },
      },
    ]);
    expect(await ledger('TN-1')).toMatchObject({ arrested: 1, cancellation_decision: 1 });
  });

  it('refuses a cancellation number with no day to give it, with its line, and writes nothing', async () => {
    const report = await run(
      docs('TN-1,Nguyễn Văn A,normal,CA-HN,,2020-03-15,wanted,,,', 'TN-2,Trần Thị B,normal,CA-HN,,2021-01-10,truy nã,,7/QĐ-ĐN,'),
    );
    expect(problems(report)).toEqual([[3, 'cancelled_on_missing']]);
    expect(report.errors[0]!.text('en')).toContain('cancelled_on');
    expect(report.errors[0]!.text('en')).toContain('7/QĐ-ĐN');
    expect(report.errors[0]!.text('vi')).toContain('cancelled_on');
    expect(await count('cases')).toBe(0);
    expect(await count('case_decisions')).toBe(0);
  });

  it('refuses a cancellation dated before the wanted decision', async () => {
    const report = await run(docs('TN-1,Lê Văn C,normal,CA-HN,,2020-01-01,arrested,2020-06-01,3/QĐ-ĐN,2019-12-31'));
    expect(problems(report)).toEqual([[2, 'cancelled_before_wanted']]);
    expect(await count('case_decisions')).toBe(0);
  });

  it('gives a decision its number once known: the new document supersedes the old, and counts once', async () => {
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,,2020-03-15,wanted,,,'));
    const report = await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,'));
    expect(report).toMatchObject({ updated: 1, unchanged: 0, errors: [] });
    const all = await documents('TN-1');
    expect(all.filter((d) => d.current)).toEqual([
      { kind: 'wanted', number: '15/QĐ-CSĐT', on: '2020-03-15', authority: null, by: 'import', corrects: '2020-03-15', current: true },
    ]);
    expect(all).toHaveLength(2);
    expect(await ledger('TN-1')).toEqual({ wanted: 1, wanted_decision: 1 });
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ version: 2 });
    expect(await eventsOf('TN-1')).toMatchObject([
      {
        kind: 'decision',
        data: {
          version: 2,
          decision: { kind: 'wanted', number: '15/QĐ-CSĐT', on: '2020-03-15', supersedes: { number: null, on: '2020-03-15' } },
        },
      },
    ]);
  });

  it('corrects the wanted date: the decision is redated, its number kept when the file has none', async () => {
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,'));
    expect(await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,,2020-03-16,wanted,,,'))).toMatchObject({ updated: 1, errors: [] });
    expect((await documents('TN-1')).filter((d) => d.current)).toMatchObject([
      { kind: 'wanted', number: '15/QĐ-CSĐT', on: '2020-03-16', corrects: '2020-03-15' },
    ]);
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ wantedOn: '2020-03-16', spell: 1, version: 2 });
    expect(await ledger('TN-1')).toEqual({ wanted: 1, wanted_decision: 1 });
    const [event] = await eventsOf('TN-1');
    expect(event).toMatchObject({
      kind: 'updated',
      data: { changes: { wanted_on: ['2020-03-15', '2020-03-16'] }, decision: { kind: 'wanted', number: '15/QĐ-CSĐT', on: '2020-03-16' } },
    });
    // The same number on another day redates it again.
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-17,wanted,,,'));
    expect((await documents('TN-1')).filter((d) => d.current)).toMatchObject([{ number: '15/QĐ-CSĐT', on: '2020-03-17' }]);
    expect(await ledger('TN-1')).toEqual({ wanted: 1, wanted_decision: 1 });
  });

  it('refuses to give back a document that was corrected, saying what is current, and writes nothing', async () => {
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,'));
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-16,wanted,,,'));
    const documentsBefore = await count('case_decisions');
    const report = await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,'));
    expect(problems(report)).toEqual([[2, 'decision_corrected']]);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 0 });
    expect(report.errors[0]!.text('en')).toContain('15/QĐ-CSĐT, 2020-03-16');
    expect(await count('case_decisions')).toBe(documentsBefore);
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ wantedOn: '2020-03-16', version: 2 });
  });

  it('starts a new spell for an arrested case wanted again later, and keeps the arrest in the figures', async () => {
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2019-07-01,arrested,2023-12-31,,'));
    const report = await run(docs('TN-1,Lê Văn C,normal,CA-HN,9/QĐ-CSĐT,2024-03-01,wanted,,,'));
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({
      status: 'wanted',
      wantedOn: '2024-03-01',
      resolvedOn: null,
      spell: 2,
      version: 2,
    });
    expect(await ledger('TN-1')).toEqual({ wanted: 1, arrested: 1, wanted_decision: 2 });
    expect((await documents('TN-1')).filter((d) => d.current).map((d) => [d.number, d.on])).toEqual([
      ['4/QĐ-CSĐT', '2019-07-01'],
      ['9/QĐ-CSĐT', '2024-03-01'],
    ]);
    expect(await eventsOf('TN-1')).toMatchObject([
      {
        kind: 'reopened',
        occurred_on: '2024-03-01',
        data: {
          version: 2,
          changes: { status: ['arrested', 'wanted'], spell: [1, 2] },
          decision: { kind: 'wanted', number: '9/QĐ-CSĐT', on: '2024-03-01' },
        },
      },
    ]);
    // The row now describes the second spell: an earlier spell's decision is not corrected by it,
    // even by a number that comes again.
    expect(await run(docs('TN-1,Lê Văn C,normal,CA-HN,9/QĐ-CSĐT,2024-03-01,wanted,,,'))).toMatchObject({ unchanged: 1 });
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2024-03-01,wanted,,,'));
    expect((await documents('TN-1')).find((d) => d.on === '2019-07-01')).toMatchObject({ number: '4/QĐ-CSĐT', current: true });
    expect(await ledger('TN-1')).toMatchObject({ wanted: 1, arrested: 1 });
  });

  it('starts a new spell even when the file already gives its outcome', async () => {
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2019-07-01,arrested,2023-12-31,,'));
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2024-03-01,đầu thú,2024-06-01,,'));
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ status: 'surrendered', spell: 2 });
    expect(await ledger('TN-1')).toEqual({ wanted: 0, arrested: 1, surrendered: 1, wanted_decision: 2 });
  });

  it('withdraws an outcome when the file turns the case back to wanted with the same wanted date', async () => {
    await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2019-07-01,arrested,2023-12-31,,'));
    const report = await run(docs('TN-1,Lê Văn C,normal,CA-HN,4/QĐ-CSĐT,2019-07-01,wanted,,,'));
    expect(report).toMatchObject({ updated: 1, errors: [] });
    expect(await findCaseByCode(t.db, 'TN-1')).toMatchObject({ status: 'wanted', spell: 1 });
    expect(await ledger('TN-1')).toEqual({ wanted: 1, arrested: 0, wanted_decision: 1 });
    expect(await eventsOf('TN-1')).toMatchObject([
      { kind: 'reopened', data: { withdrawn: true, changes: { status: ['arrested', 'wanted'] } } },
    ]);
  });

  it('says on a dry run that a new document would update the case, and writes nothing', async () => {
    await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,,2020-03-15,wanted,,,'));
    const report = await run(docs('TN-1,Nguyễn Văn A,normal,CA-HN,15/QĐ-CSĐT,2020-03-15,wanted,,,'), true);
    expect(report).toMatchObject({ dryRun: true, updated: 1, errors: [] });
    expect(await count('case_decisions')).toBe(1);
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

  it('gives the entries it writes the file name as their source, not its folder', async () => {
    const file = join(dir, 'marks.csv');
    writeFileSync(
      file,
      'code,full_name,danger,unit,wanted_on,status,identifying_marks\nTN-2020-000800,Lê Văn D,normal,CA-HN,2020-01-01,wanted,Sẹo\n',
    );
    expect((await cli(['import', 'cases', file])).code).toBe(0);
    expect(await queryRows(t.db, sql`select kind, text, source, added_by_label from case_details`)).toEqual([
      { kind: 'marks', text: 'Sẹo', source: 'marks.csv', added_by_label: 'import' },
    ]);
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

if (testDriver === 'postgres') {
  describe('casedesk import cases, when its database connection dies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casedesk-import-lost-'));
    const file = join(dir, 'cases.csv');
    writeFileSync(file, GOOD);

    /**
     * Runs the import as a program while this test holds a lock that its insert waits for; `cut`
     * then ends the connection under the waiting insert. Returns how the program ended.
     */
    async function importCut(cut: (backendPid: number) => Promise<void>, databaseUrl = t.url!) {
      const holder = postgres(t.url!, { max: 1, onnotice: () => {} });
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let lockTaken!: () => void;
      const taken = new Promise<void>((resolve) => (lockTaken = resolve));
      const holding = holder.begin(async (tx) => {
        await tx`lock table cases in share mode`;
        lockTaken();
        await released;
      });
      try {
        await taken;
        const child = spawn(process.execPath, [...CASEDESK_FROM_SOURCES, 'import', 'cases', file], {
          env: { ...process.env, DATABASE_URL: databaseUrl, CASEDESK_LOCALE: 'en', LOG_LEVEL: 'warn', TZ },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => (stdout += c));
        child.stderr.on('data', (c) => (stderr += c));
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        let waiting: Array<{ pid: number }> = [];
        for (let i = 0; i < 600 && waiting.length === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          waiting = await queryRows<{ pid: number }>(
            t.db,
            sql`select pid from pg_stat_activity
                where datname = current_database() and query like 'insert into "cases"%' and wait_event_type = 'Lock'`,
          );
        }
        expect(waiting).toHaveLength(1);
        await cut(waiting[0]!.pid);
        const code = await exited;
        return { code, stdout, stderr };
      } finally {
        release();
        await holding;
        await holder.end({ timeout: 5 });
      }
    }

    const terminate = (pid: number) => queryRows(t.db, sql`select pg_terminate_backend(${pid}::int)`).then(() => undefined);

    /** The program's own lines on standard error: the log's JSON lines left aside. */
    const ownLines = (stderr: string) => stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'));

    async function expectOneLineAndNothingWritten(run: { code: number | null; stdout: string; stderr: string }) {
      expect(run.stderr).not.toContain('TypeError');
      const lines = ownLines(run.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^casedesk: the database connection was lost \(.+\); nothing of this import was written; run it again \(reference E-[0-9A-F]{8}\)$/,
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(await count('cases')).toBe(0);
      const reference = /reference (E-[0-9A-F]{8})/.exec(lines[0]!)![1];
      expect(await queryRows(t.db, sql`select command, outcome, detail from audit_log where command = 'casedesk import cases'`)).toEqual([
        { command: 'casedesk import cases', outcome: 'error', detail: reference },
      ]);
    }

    it('ends with one line, not a stack trace, when the server terminates its backend', async () => {
      await expectOneLineAndNothingWritten(await importCut(terminate));
    }, 120_000);

    it('ends with one line when the network drops the connection under a query (the driver then throws from a timer)', async () => {
      // A proxy between the program and the server, whose connections are cut without a word from the server.
      const sockets = new Set<Socket>();
      const server = new URL(t.url!);
      const proxy = createServer((client) => {
        const upstream = connect(Number(server.port || 5432), server.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const proxied = new URL(t.url!);
      proxied.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      try {
        const run = await importCut(async (pid) => {
          for (const s of sockets) s.destroy();
          // The server does not notice a client gone while its query waits for a lock: end it here.
          await terminate(pid);
        }, proxied.toString());
        await expectOneLineAndNothingWritten(run);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise((resolve) => proxy.close(resolve));
      }
    }, 120_000);
  });
}
