import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, checks, hitRequests } from '../../db/schema/index.ts';
import type { InputFile } from '../../src/core/invocation.ts';
import { CHECK_FILE_LIMITS } from '../../src/services/check-file.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { cli } from '../support/cli.ts';
import { createTestCore, messageText, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/**
 * `case check`: a list read from CSV or Excel, checked against the whole wanted list, answered
 * privately with a summary and the result file, audited with the file's hash and what it found.
 */
let t: TestDb;
let core: TestCore;
beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db);
});
afterAll(() => t.close());

const fileOf = (name: string, data: Uint8Array | string, size?: number): InputFile => {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return { name, size: size ?? bytes.length, read: async (max) => (bytes.length > max ? 'too_large' : bytes) };
};
const run = (line: string, files: Record<string, InputFile>, more: { handle?: string; canBePrivate?: boolean; id?: string } = {}) =>
  core.run(more.handle ?? 'hcm.officer', line, {
    files,
    ...(more.canBePrivate === undefined ? {} : { canBePrivate: more.canBePrivate }),
    ...(more.id ? { id: more.id } : {}),
  });

let codes: { duc: string; hoa: string; out: string };
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'hcm.officer', role: 'officer', unit: 'CA-HCM', locale: 'vi' });
  await makeMember(t.db, { handle: 'hcm.viewer', role: 'viewer', unit: 'CA-HCM' });
  await makeMember(t.db, { handle: 'en.officer', role: 'officer', unit: 'CA-HCM', locale: 'en' });
  const duc = await makeCase(t.db, {
    unit: 'CA-HN',
    fullName: 'Nguyễn Văn Đức',
    birthYear: 1985,
    nationalId: '001085012345',
    hometown: 'Đông Anh, Hà Nội',
    danger: 'dangerous',
  });
  const hoa = await makeCase(t.db, { unit: 'CAQ-HK', fullName: 'Trần Thị Hoa', birthYear: 1990, hometown: 'Hoàn Kiếm, Hà Nội' });
  // Arrested already: off the wanted list, never a hit.
  const out = await makeCase(t.db, { unit: 'CA-HN', fullName: 'Lê Văn Tám', birthYear: 1970, status: 'arrested' });
  codes = { duc: duc.code, hoa: hoa.code, out: out.code };
});

const LIST = [
  'STT;Họ và tên;Năm sinh;Số CCCD;Quê quán;Ghi chú',
  '1;nguyen van duc;1985;;Hà Nội;Buồng 3',
  '2;Trần Thị Hao;1990;;;Buồng 4',
  '3;Lê Văn Tám;1970;;;',
  '4;Phạm Minh Chính;;;;',
  '5;;1999;;;không tên',
].join('\r\n');

describe('case check', () => {
  it('answers privately with a summary and the result as CSV, row by row, with the file’s own columns', async () => {
    const { result, reply } = await run('case check tam-giu.csv priority:urgent', { 'tam-giu.csv': fileOf('tam-giu.csv', LIST) });
    expect(result.outcome).toBe('ok');
    const [message] = reply.messages;
    expect(message!.personal).toBe(true);
    const summary = messageText(message!);
    expect(summary).toContain('Số dòng đã kiểm tra: 4');
    expect(summary).toContain('Dòng bỏ qua: 1');
    expect(summary).toContain('Yêu cầu xác nhận đã gửi: 2');
    expect(summary).toContain('Dòng 6: thiếu họ tên');
    const [file] = message!.files!;
    expect(file!.name).toBe('tam-giu-ket-qua-doi-chieu.csv');
    const rows: string[][] = parse(Buffer.from(file!.data), { bom: true });
    expect(rows[0]).toEqual([
      'Dòng',
      'Họ tên',
      'Năm sinh',
      'Số CMND/CCCD',
      'Quê quán',
      'STT',
      'Ghi chú',
      'Thứ hạng',
      'Mã hồ sơ',
      'Họ tên trong hồ sơ',
      'Năm sinh trong hồ sơ',
      'Mức độ nguy hiểm',
      'Đơn vị quản lý',
      'Điểm',
      'Chắc chắn',
      'Lý do',
      'Yêu cầu xác nhận',
    ]);
    const byLine = (line: string) => rows.filter((r) => r[0] === line);
    expect(byLine('2')[0]).toMatchObject({ 1: 'nguyen van duc', 5: '1', 6: 'Buồng 3', 8: codes.duc, 12: 'CA-HN' });
    expect(byLine('2')[0]![15]).toBe('tên khớp, năm sinh khớp, quê quán khớp');
    expect(byLine('3')[0]![8]).toBe(codes.hoa);
    expect(byLine('3')[0]![15]).toContain('tên gần giống');
    // Off the wanted list, and nobody: a line each, with no candidate.
    expect(byLine('4')[0]![8]).toBe('không có');
    expect(byLine('5')[0]![8]).toBe('không có');
    const [check] = await t.db.select().from(checks);
    expect(check).toMatchObject({ rows: 4, skipped: 1, rowsWithCandidates: 2, candidates: 2, certain: 0, requests: 2, priority: 'urgent' });
    const asked = await t.db.select().from(hitRequests).orderBy(asc(hitRequests.line));
    expect(asked.map((h) => [h.line, h.reasons])).toEqual([
      [2, ['name_same', 'year_same', 'hometown_same']],
      [3, ['name_close', 'year_same', 'hometown_unknown']],
    ]);
  });

  it('is audited once, with the file’s hash and what it found, and the case codes involved', async () => {
    await run('case check tam-giu.csv', { 'tam-giu.csv': fileOf('tam-giu.csv', LIST) });
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.command, 'case check'));
    expect(row!.outcome).toBe('ok');
    expect(row!.caseCodes.sort()).toEqual([codes.duc, codes.hoa].sort());
    const args = row!.args as { check: Record<string, unknown> };
    expect(args.check).toMatchObject({ file: 'tam-giu.csv', rows: 4, skipped: 1, candidates: 2, certain: 0, requests: 2 });
    expect(args.check.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The audit names the file, never the people in it.
    expect(JSON.stringify(row)).not.toMatch(/nguyen van duc|Trần Thị Hao/);
  });

  it('reads an Excel workbook and finds a certain hit by its ID number', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('DS');
    sheet.addRow(['Full name', 'Date of birth', 'National ID']);
    sheet.addRow(['Nguyen Van X', '01/02/1985', 1085012345]);
    const data = new Uint8Array(await book.xlsx.writeBuffer());
    const { result, reply } = await run('case check list.xlsx', { 'list.xlsx': fileOf('list.xlsx', data) }, { handle: 'en.officer' });
    expect(result.outcome).toBe('ok');
    expect(messageText(reply.messages[0]!)).toContain('Certain hits (same ID number): 1');
    const [request] = await t.db.select().from(hitRequests);
    expect(request).toMatchObject({ certain: true, score: 1 });
  });

  it('refuses a file it cannot read, naming the fix, and leaves nothing behind', async () => {
    const { result, reply } = await run('case check x.csv', { 'x.csv': fileOf('x.csv', 'Tuổi;Địa chỉ\n30;Hà Nội\n') });
    expect(result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(reply.text).toMatch(/họ tên/i);
    expect(await t.db.select().from(checks)).toEqual([]);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.command, 'case check'));
    expect(row!.outcome).toBe('invalid');
  });

  it('refuses a file over the size limit before reading it, and a missing file', async () => {
    const big = fileOf('big.csv', 'Họ tên\nA\n', CHECK_FILE_LIMITS.bytes + 1);
    const tooBig = await run('case check big.csv', { 'big.csv': big });
    expect(tooBig.result.outcome).toBe('invalid');
    expect(tooBig.reply.text).toContain('20 MB');
    const missing = await run('case check nowhere.csv', {});
    expect(missing.result.outcome).toBe('invalid');
    expect(missing.reply.text).toContain('Không nhận được tệp');
  });

  it('is refused to a viewer and where the answer cannot be private', async () => {
    const files = { 'a.csv': fileOf('a.csv', LIST) };
    expect((await run('case check a.csv', files, { handle: 'hcm.viewer' })).result).toMatchObject({ outcome: 'denied' });
    const shared = await run('case check a.csv', files, { canBePrivate: false });
    expect(shared.result.outcome).toBe('invalid');
    expect(shared.reply.text).toContain('chỉ trả lời riêng');
    expect(await t.db.select().from(checks)).toEqual([]);
  });

  it('shows its progress, the last update at the end', async () => {
    const rows = ['Họ tên;Năm sinh', ...Array.from({ length: 1200 }, (_, i) => `Người Thứ ${i};1980`)].join('\n');
    const { reply } = await run('case check many.csv', { 'many.csv': fileOf('many.csv', rows) });
    const shown = reply.progressShown;
    expect(shown[0]!.done).toBe(500);
    expect(shown.at(-1)).toMatchObject({ done: 1200, total: 1200 });
    expect(messageText(shown.at(-1)!.message)).toBe('Đang đối chiếu… 1.200 / 1.200');
  });

  it('makes one check of one request, however many instances receive it', async () => {
    const files = { 'a.csv': fileOf('a.csv', LIST) };
    const other = createTestCore(t.db);
    const [a, b] = await Promise.all([
      run('case check a.csv', files, { id: 'slack:req-1' }),
      other.run('hcm.officer', 'case check a.csv', { files, id: 'slack:req-1' }),
    ]);
    expect([a.result.outcome, b.result.outcome].sort()).toEqual(['duplicate', 'ok']);
    expect(await t.db.select().from(checks)).toHaveLength(1);
    expect(await t.db.select().from(hitRequests)).toHaveLength(2);
  });
});

describe('checking from the command line', () => {
  it('takes `check FILE` as `case check FILE` in the console', async () => {
    const { result, reply } = await run('check tam-giu.csv', { 'tam-giu.csv': fileOf('tam-giu.csv', LIST) });
    expect(result).toMatchObject({ outcome: 'ok', command: 'case check' });
    expect(reply.messages[0]!.files).toHaveLength(1);
  });

  it('runs `casedesk check FILE --out`, writing the result, and ends a bad path with a one-line reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'casedesk-check-'));
    const list = join(dir, 'list.csv');
    await writeFile(list, LIST);
    const out = join(dir, 'hits.csv');
    const run1 = await cli(['check', list, '--as', 'hcm.officer', '--out', out], { db: t.handle, env: { LOG_LEVEL: 'silent' } });
    expect(run1.code).toBe(0);
    expect(run1.stdout).toContain(out);
    expect(await readFile(out, 'utf8')).toContain(codes.duc);
    const bad = await cli(['check', join(dir, 'missing.csv'), '--as', 'hcm.officer'], { db: t.handle, env: { LOG_LEVEL: 'silent' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('Không đọc được tệp missing.csv');
    expect(bad.stderr).not.toMatch(/at .*\.ts/);
  });
});
