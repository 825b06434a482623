import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Database } from '../../db/client.ts';
import { importCases } from '../../src/services/case-import.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeUnitTree } from '../factories/index.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const NOW = new Date('2024-09-01T03:00:00Z');

let t: TestDb;
/** The database an export is imported into: empty but for its units. */
let fresh: TestDb;
beforeAll(async () => {
  t = await openTestDb();
  fresh = await openTestDb();
});
beforeEach(async () => {
  await Promise.all([t.reset(), fresh.reset()]);
  await makeUnitTree(t.db);
  await makeUnitTree(fresh.db);
});
afterAll(async () => {
  await t.close();
  await fresh.close();
});

const cli = (args: string[], locale: 'vi' | 'en' = 'en', db = t) => runCli(args, { db: db.handle, env: { CASEDESK_LOCALE: locale, TZ } });
const dir = () => mkdtempSync(join(tmpdir(), 'casedesk-export-'));

/** A list with what an export must carry through: marks, line breaks, formula characters, leading zeros, documents. */
const LIST = [
  'code,full_name,aliases,birth_year,gender,national_id,hometown,charges,danger,unit,wanted_decision_no,wanted_on,status,resolved_on,outcome_note,cancellation_decision_no,cancelled_on,has_photo,identifying_marks,criminal_history',
  'TN-2020-000123,Nguyễn Văn Đức,Đức Sẹo;Đức Còi,1985,nam,001085012345,"Hoàn Kiếm, Hà Nội","- Giết người\n- Cướp tài sản",nguy hiểm,CAQ-HK,123/QĐ-CSĐT,2020-03-15,truy nã,,,,,có,Sẹo ở má trái,',
  'TN-2021-000001,Trần Thị Đào,,1979,nữ,012345678,,=1+1,đặc biệt nguy hiểm,CA-HCM,,2021-01-10,bắt,2024-05-20,"Bắt tại ""bến xe""",45/QĐ-ĐN,2024-05-22,không,,@tiền án 2010',
  'TN-2019-000500,Lê Văn Tám,,,,,,+84 tổng đài,normal,CA-HN,9/QĐ,2019-07-01,arrested,2023-12-31,,,,,,',
].join('\n');

/** Every field of every case and its current documents: what a round trip must keep. */
async function snapshot(db: Database) {
  const cases = await queryRows<Record<string, unknown>>(
    db,
    sql`select c.code, c.full_name, c.aliases, c.birth_year, c.gender::text, c.national_id, c.hometown, c.charges,
               c.danger::text, u.code as unit, c.wanted_on::text, c.status::text, c.resolved_on::text, c.outcome_note,
               c.has_photo, c.identifying_marks, c.criminal_history,
               (select coalesce(json_agg(json_build_array(d.kind, d.number, d.decided_on::text) order by d.kind, d.decided_on), '[]')
                  from case_decisions d
                 where d.case_id = c.id and not exists (select 1 from case_decisions s where s.supersedes_id = d.id)) as documents
          from cases c join units u on u.id = c.unit_id order by c.code`,
  );
  return cases;
}

async function load(db: Database, data: string) {
  const report = await importCases(db, { data, name: 'list.csv', now: NOW, timeZone: TZ });
  expect(report.errors).toEqual([]);
}

const audits = () =>
  queryRows<{ command: string; outcome: string; args: Record<string, unknown> }>(
    t.db,
    sql`select command, outcome, args from audit_log where command = 'casedesk export cases' order by id`,
  );

describe('casedesk export cases', () => {
  it.each([
    ['csv', 'en'],
    ['xlsx', 'vi'],
  ] as const)('exports a list that imports into a fresh database as the same cases (.%s, words in %s)', async (format, locale) => {
    // A decision whose number came later: the export carries the current document only.
    await load(t.db, LIST.replace('123/QĐ-CSĐT', ''));
    await load(t.db, LIST);
    const folder = dir();
    const file = join(folder, `list.${format}`);
    const result = await cli(['export', 'cases', file], locale);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain(locale === 'vi' ? `3 hồ sơ vào ${file}` : `3 case(s) to ${file}`);
    // The temporary file is gone: only the export is left.
    expect(readdirSync(folder)).toEqual([`list.${format}`]);

    const imported = await cli(['import', 'cases', file], 'en', fresh);
    expect(imported).toMatchObject({ code: 0, stdout: 'Imported: 3 new, 0 updated, 0 unchanged.\n' });
    const before = await snapshot(t.db);
    expect(before).toHaveLength(3);
    expect(await snapshot(fresh.db)).toEqual(before);
    // Back into the database it came from, it changes nothing.
    expect((await cli(['import', 'cases', file])).stdout).toBe('Imported: 0 new, 0 updated, 3 unchanged.\n');
  });

  it('writes an xlsx whose IDs are text, dates are dates and formula characters plain text', async () => {
    await load(t.db, LIST);
    const file = join(dir(), 'ds.xlsx');
    await cli(['export', 'cases', file]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(LIST.split('\n')[0]!.split(','));
    const cell = (row: number, column: string) => sheet.getRow(row).getCell(header.indexOf(column) + 1).value;
    // Rows in code order: TN-2019-000500, TN-2020-000123, TN-2021-000001.
    expect(cell(3, 'national_id')).toBe('001085012345');
    expect(cell(3, 'wanted_on')).toEqual(new Date('2020-03-15T00:00:00Z'));
    expect(cell(3, 'birth_year')).toBe(1985);
    expect(cell(4, 'charges')).toBe('=1+1');
  });

  it('writes CSV for Excel: a byte-order mark, the Vietnamese words, formula characters behind an apostrophe', async () => {
    await load(t.db, LIST);
    const file = join(dir(), 'ds.csv');
    expect((await cli(['export', 'cases', file], 'vi')).stdout).toBe(`Đã ghi 3 hồ sơ vào ${file}.\n`);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString('utf8');
    expect(body.split('\n')[0]).toBe(`\uFEFF${LIST.split('\n')[0]}`);
    expect(body).toContain(`"'- Giết người\n- Cướp tài sản"`);
    expect(body).toContain(`,'=1+1,`);
    expect(body).toContain(`,'+84 tổng đài,`);
    expect(body).toContain(`,'@tiền án 2010`);
    expect(body).toContain(',đặc biệt nguy hiểm,CA-HCM,,2021-01-10,bắt,2024-05-20,');
    expect(body).toContain('001085012345');
  });

  it('keeps to a unit and its sub-units with --unit', async () => {
    await load(t.db, LIST);
    const file = join(dir(), 'hn.csv');
    expect((await cli(['export', 'cases', '--unit', 'ca-hn', file])).stdout).toBe(`Wrote 2 case(s) (CA-HN) to ${file}.\n`);
    const codes = readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0])
      .filter((code) => code?.startsWith('TN-'));
    expect(codes).toEqual(['TN-2019-000500', 'TN-2020-000123']);
  });

  it('is audited with its row count', async () => {
    await load(t.db, LIST);
    const file = join(dir(), 'all.xlsx');
    await cli(['export', 'cases', '--unit', 'C06', file]);
    expect(await audits()).toEqual([{ command: 'casedesk export cases', outcome: 'ok', args: { file, unit: 'C06', rows: 3 } }]);
  });

  it('refuses an existing file and leaves it untouched', async () => {
    await load(t.db, LIST);
    const folder = dir();
    const file = join(folder, 'old.csv');
    writeFileSync(file, 'kept');
    const result = await cli(['export', 'cases', file]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`casedesk: ${file} exists already; choose another name or remove it.\n`);
    expect(readFileSync(file, 'utf8')).toBe('kept');
    expect(readdirSync(folder)).toEqual(['old.csv']);
    expect(await audits()).toMatchObject([{ outcome: 'invalid' }]);
  });

  it.each([
    [['--unit', 'NOPE'], 'x.csv', 'No unit "NOPE"; see casedesk units list.', 'Không có đơn vị "NOPE"'],
    [[], 'x.xls', 'must end in .csv or .xlsx', 'phải có đuôi .csv hoặc .xlsx'],
  ])('refuses %j %s with a one-line reason in both languages, and writes nothing', async (options, name, en, vi) => {
    await load(t.db, LIST);
    const folder = dir();
    const file = join(folder, name);
    const result = await cli(['export', 'cases', ...options, file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^casedesk: .+\n$/);
    expect(result.stderr).toContain(en);
    expect((await cli(['export', 'cases', ...options, file], 'vi')).stderr).toContain(vi);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
    expect(await audits()).toMatchObject([{ outcome: 'invalid' }, { outcome: 'invalid' }]);
  });

  it.each(['csv', 'xlsx'])('says why when the folder cannot be written (.%s)', async (format) => {
    await load(t.db, LIST);
    const file = join(dir(), 'missing-folder', `x.${format}`);
    const result = await cli(['export', 'cases', file]);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toBe(`casedesk: Cannot write ${file} (ENOENT); check the folder and its permissions.\n`);
  });
});
