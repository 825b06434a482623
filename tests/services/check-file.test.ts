import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CHECK_FILE_LIMITS, readCheckFile, type CheckFile, type CheckFileError } from '../../src/services/check-file.ts';

const TODAY = '2024-09-01';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const utf8Bom = (s: string) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]));
const utf16le = (s: string, bom = true) => new Uint8Array(Buffer.from((bom ? '\uFEFF' : '') + s, 'utf16le'));
const utf16be = (s: string) => {
  const le = Buffer.from('\uFEFF' + s, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return new Uint8Array(le);
};

async function read(name: string, data: Uint8Array): Promise<CheckFile> {
  const result = await readCheckFile({ name, data, today: TODAY });
  if (!result.ok) throw new Error(`expected a file, got ${result.error.code}: ${result.error.text('en')}`);
  return result.file;
}

async function refuse(name: string, data: Uint8Array): Promise<CheckFileError> {
  const result = await readCheckFile({ name, data, today: TODAY });
  if (result.ok) throw new Error(`expected an error, got ${result.file.rows.length} rows`);
  return result.error;
}

type Cell = ExcelJS.CellValue;
async function xlsx(rows: Cell[][], build?: (sheet: ExcelJS.Worksheet, workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  build?.(sheet, workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** A ZIP holding the given (stored, unchecked) entries: enough for a reader that looks at the central directory. */
function zip(entries: Record<string, string>, claimedSize?: number): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(claimedSize ?? data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const both = (error: { text: (locale: 'vi' | 'en') => string }) => [error.text('vi'), error.text('en')];

describe('readCheckFile: CSV encodings and separators', () => {
  it('reads a UTF-8 CSV without BOM, keeping extra columns in order', async () => {
    const file = await read(
      'ds.csv',
      utf8('STT,Họ tên,Năm sinh,Ghi chú,CCCD,Quê quán,Đơn vị\n1,Nguyễn Văn Đức,1985,tạm giữ,001085012345,Hà Nội,CAQ-HK\n'),
    );
    expect(file).toMatchObject({
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      extraColumns: ['STT', 'Ghi chú', 'Đơn vị'],
      columns: { fullName: 'Họ tên', birth: 'Năm sinh', nationalId: 'CCCD', hometown: 'Quê quán' },
      warnings: [],
    });
    expect(file.rows).toEqual([
      {
        line: 2,
        fullName: 'Nguyễn Văn Đức',
        birthYear: 1985,
        birthDate: null,
        nationalId: '001085012345',
        hometown: 'Hà Nội',
        extra: ['1', 'tạm giữ', 'CAQ-HK'],
      },
    ]);
  });

  it('reads a UTF-8 CSV with BOM separated by semicolons, as Excel writes it in a Vietnamese locale, and normalises to NFC', async () => {
    const nfd = 'Tra\u0302\u0300n Thi\u0323 Đa\u0300o'.normalize('NFD');
    const file = await read('ds.csv', utf8Bom(`Họ và tên;Ngày sinh;Địa chỉ\r\n${nfd};12/05/1990;"Phường 5, Quận 3"\r\n`));
    expect(file).toMatchObject({ encoding: 'utf-8', delimiter: ';', extraColumns: [] });
    expect(file.rows[0]).toMatchObject({
      line: 2,
      fullName: 'Trần Thị Đào',
      birthYear: 1990,
      birthDate: '1990-05-12',
      hometown: 'Phường 5, Quận 3',
    });
    expect(file.rows[0]!.fullName).toBe(file.rows[0]!.fullName.normalize('NFC'));
  });

  it('reads UTF-16LE with BOM and tabs (Excel\'s "Unicode Text")', async () => {
    const file = await read('ds.txt', utf16le('Họ tên\tNăm sinh\tSố CMND\r\nLê Văn Tám\t1970\t012 345 678\r\nĐỗ Thị Hạnh\t1992\t\r\n'));
    expect(file).toMatchObject({ format: 'csv', encoding: 'utf-16le', delimiter: '\t' });
    expect(file.rows.map((r) => [r.line, r.fullName, r.birthYear, r.nationalId])).toEqual([
      [2, 'Lê Văn Tám', 1970, '012345678'],
      [3, 'Đỗ Thị Hạnh', 1992, null],
    ]);
  });

  it('reads UTF-16BE with BOM, and UTF-16LE without BOM from its NUL pattern', async () => {
    const body = 'Họ tên\tNăm sinh\nPhạm Minh Chính\t1980\n';
    const be = await read('ds.txt', utf16be(body));
    const le = await read('ds.txt', utf16le(body, false));
    expect(be.encoding).toBe('utf-16be');
    expect(le.encoding).toBe('utf-16le');
    for (const file of [be, le]) expect(file.rows).toMatchObject([{ line: 2, fullName: 'Phạm Minh Chính', birthYear: 1980 }]);
  });

  it('takes the separator named by an Excel "sep=" line and keeps physical line numbers', async () => {
    const file = await read('ds.csv', utf8('sep=;\nHọ tên;Năm sinh\nVõ Văn Kiệt,Jr;1980\n'));
    expect(file.delimiter).toBe(';');
    expect(file.rows).toMatchObject([{ line: 3, fullName: 'Võ Văn Kiệt,Jr', birthYear: 1980 }]);
  });

  it('reads a single-column list of names', async () => {
    const file = await read('ds.csv', utf8('Họ tên\nNguyễn Văn A\nTrần, Thị B\n'));
    expect(file.delimiter).toBeNull();
    expect(file.rows.map((r) => r.fullName)).toEqual(['Nguyễn Văn A', 'Trần, Thị B']);
  });

  it('names the physical line of each row past quoted line breaks and blank lines', async () => {
    const file = await read('ds.csv', utf8('Họ tên,Ghi chú\r\nA,"dòng một\r\ndòng hai"\r\n\r\n,,\r\nB,x\r\n,ghi chú mà không có tên\r\n'));
    expect(file.rows.map((r) => [r.line, r.fullName, r.extra])).toEqual([
      [2, 'A', ['dòng một\ndòng hai']],
      [6, 'B', ['x']],
    ]);
    expect(file.warnings).toMatchObject([{ line: 7, code: 'empty_name', skipped: true }]);
  });
});

describe('readCheckFile: header', () => {
  it.each([
    ['full_name,birth_year,national_id,hometown', 'full_name'],
    ['Full Name,Year of Birth,National ID,Address', 'Full Name'],
    ['ho ten,nam sinh,cmnd/cccd,que quan', 'ho ten'],
    ['HỌ VÀ TÊN,NĂM SINH,SỐ ĐỊNH DANH,NƠI Ở', 'HỌ VÀ TÊN'],
    ['name , birth year , id number , hometown', 'name'],
  ])('recognises the columns of %s', async (header, fullName) => {
    const file = await read('ds.csv', utf8(`${header}\nNguyễn Văn A,1985,001085012345,Hà Nội\n`));
    expect(file.columns.fullName).toBe(fullName);
    expect(file.rows[0]).toMatchObject({ fullName: 'Nguyễn Văn A', birthYear: 1985, nationalId: '001085012345', hometown: 'Hà Nội' });
    expect(file.extraColumns).toEqual([]);
  });

  it('finds the header below title rows and reads columns in any order', async () => {
    const file = await read(
      'ds.csv',
      utf8(
        'DANH SÁCH NGƯỜI BỊ TẠM GIỮ;;;\nTháng 8/2024;;;\nQuê quán;Ngày sinh (dd/mm/yyyy);Tên;Số CCCD\nNam Định;1/2/1990;Bùi Văn Cường;\n',
      ),
    );
    expect(file.columns).toEqual({ fullName: 'Tên', birth: 'Ngày sinh (dd/mm/yyyy)', hometown: 'Quê quán', nationalId: 'Số CCCD' });
    expect(file.rows).toMatchObject([{ line: 4, fullName: 'Bùi Văn Cường', birthDate: '1990-02-01', hometown: 'Nam Định' }]);
  });

  it('joins a name given as "Họ" and "Tên" columns', async () => {
    const file = await read('ds.csv', utf8('Họ,Tên đệm,Tên,Năm sinh\nNguyễn,Văn,An,1990\nLý,,Tiểu Long,1940\n'));
    expect(file.columns.fullName).toBe('Họ + Tên đệm + Tên');
    expect(file.rows.map((r) => r.fullName)).toEqual(['Nguyễn Văn An', 'Lý Tiểu Long']);
    expect(file.extraColumns).toEqual([]);
  });

  it('keeps a "Tên" column beside the full name as an extra column (the given name lists are sorted by)', async () => {
    const file = await read('ds.csv', utf8('STT,Họ và tên,Tên,Năm sinh\n1,Nguyễn Văn An,An,1990\n'));
    expect(file.columns.fullName).toBe('Họ và tên');
    expect(file.extraColumns).toEqual(['STT', 'Tên']);
    expect(file.rows[0]).toMatchObject({ fullName: 'Nguyễn Văn An', extra: ['1', 'An'] });
  });

  it('takes the date of birth when readable, else the birth year', async () => {
    const file = await read('ds.csv', utf8('Họ tên,Năm sinh,Ngày sinh\nA,1984,15/03/1985\nB,1986,\nC,1987,không rõ\nD,,1988-07-09\n'));
    expect(file.columns.birth).toBe('Ngày sinh / Năm sinh');
    expect(file.rows.map((r) => [r.fullName, r.birthYear, r.birthDate])).toEqual([
      ['A', 1985, '1985-03-15'],
      ['B', 1986, null],
      ['C', 1987, null],
      ['D', 1988, '1988-07-09'],
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('takes the CCCD column before the CMND one, and the hometown before other addresses, kept as extra', async () => {
    const file = await read(
      'ds.csv',
      utf8('Họ tên,CMND,CCCD,Nơi thường trú,Quê quán\nA,123456789,001085012345,Quận 1,Huế\nB,123456789,,Quận 3,\n'),
    );
    expect(file.columns).toMatchObject({ nationalId: 'CCCD / CMND', hometown: 'Quê quán' });
    expect(file.extraColumns).toEqual(['Nơi thường trú']);
    expect(file.rows.map((r) => [r.nationalId, r.hometown, r.extra])).toEqual([
      ['001085012345', 'Huế', ['Quận 1']],
      ['123456789', null, ['Quận 3']],
    ]);
  });

  it('refuses a file with no name column, listing the columns found and the accepted names', async () => {
    const error = await refuse('ds.csv', utf8('Số CCCD,Năm sinh,Quê quán\n001085012345,1985,Hà Nội\n'));
    expect(error).toMatchObject({ code: 'no_name_column', line: 1 });
    const [vi, en] = both(error);
    expect(vi).toContain('"Số CCCD", "Năm sinh", "Quê quán"');
    expect(vi).toContain('"Họ tên"');
    expect(en).toContain('"Số CCCD", "Năm sinh", "Quê quán"');
    expect(en).toContain('"Full name"');
  });

  it('refuses two columns for one field, naming both', async () => {
    const error = await refuse('ds.csv', utf8('Họ tên,Năm sinh,Họ và tên\nA,1985,A\n'));
    expect(error).toMatchObject({ code: 'duplicate_column', line: 1 });
    expect(error.text('vi')).toContain('cột A "Họ tên" và cột C "Họ và tên"');
    expect(error.text('en')).toContain('column A "Họ tên" and column C "Họ và tên"');
  });

  it('refuses two date-of-birth columns', async () => {
    const error = await refuse('ds.csv', utf8('Họ tên;Ngày sinh;DOB\nA;01/01/1990;01/01/1990\n'));
    expect(error.code).toBe('duplicate_column');
    expect(error.text('en')).toContain('"Ngày sinh"');
    expect(error.text('en')).toContain('"DOB"');
  });

  it('refuses a file with only a header', async () => {
    const error = await refuse('ds.csv', utf8Bom('Họ tên;Năm sinh\r\n;\r\n\r\n'));
    expect(error).toMatchObject({ code: 'header_only', line: 1 });
  });

  it('refuses a one-column file without a recognisable header as not a table', async () => {
    const error = await refuse('ds.txt', utf8('Nguyễn Văn A\nTrần Thị B\n'));
    expect(error).toMatchObject({ code: 'not_a_table', line: 1 });
    expect(error.text('vi')).toContain('"Nguyễn Văn A"');
    expect(error.text('vi')).toContain('"Họ tên"');
  });
});

describe('readCheckFile: values and warnings', () => {
  it('reads every accepted date form, day first', async () => {
    const file = await read(
      'ds.csv',
      utf8('Họ tên;Ngày sinh\nA;05/06/1990\nB;5/6/1990\nC;05-06-1990\nD;1990-06-05\nE;05.06.1990\nF;06/1990\nG;1990\n'),
    );
    expect(file.rows.map((r) => [r.birthYear, r.birthDate])).toEqual([
      [1990, '1990-06-05'],
      [1990, '1990-06-05'],
      [1990, '1990-06-05'],
      [1990, '1990-06-05'],
      [1990, '1990-06-05'],
      [1990, null],
      [1990, null],
    ]);
  });

  it('keeps a row with an unreadable birth, warning with the row, column, value and expected forms', async () => {
    const file = await read(
      'ds.csv',
      utf8('Họ tên,Năm sinh,Ngày sinh\nA,,31/02/1990\nB,1899,\nC,,05/06/90\nD,,2024-12-01\nE,khoảng 1980,\n'),
    );
    expect(file.rows).toHaveLength(5);
    expect(file.rows.every((r) => r.birthYear === null && r.birthDate === null)).toBe(true);
    expect(file.warnings.map((w) => [w.line, w.code, w.skipped])).toEqual([
      [2, 'bad_birth', false],
      [3, 'bad_birth', false],
      [4, 'bad_birth', false],
      [5, 'bad_birth', false],
      [6, 'bad_birth', false],
    ]);
    const [vi, en] = both(file.warnings[2]!);
    expect(vi).toContain('Dòng 4, cột C "Ngày sinh": "05/06/90"');
    expect(vi).toContain('12/05/1985');
    expect(en).toContain('Row 4, column C "Ngày sinh": "05/06/90"');
    expect(file.warnings[1]!.text('en')).toContain('1899 is not between 1900 and 2024');
    expect(file.warnings[3]!.text('vi')).toContain('ở tương lai');
  });

  it('cleans national IDs and ignores bad ones with a warning naming the row', async () => {
    const file = await read('ds.csv', utf8('Họ tên,Số CCCD\nA,001.085.012-345\nB,1085012345\nC,1.08501E+11\nD,12345\n'));
    expect(file.rows.map((r) => r.nationalId)).toEqual(['001085012345', null, null, null]);
    expect(file.warnings.map((w) => [w.line, w.code, w.skipped])).toEqual([
      [3, 'bad_national_id', false],
      [4, 'bad_national_id', false],
      [5, 'bad_national_id', false],
    ]);
    expect(file.warnings[0]!.text('vi')).toContain('Dòng 3, cột B "Số CCCD": "1085012345"');
    expect(file.warnings[0]!.text('vi')).toContain('số 0 ở đầu');
    expect(file.warnings[1]!.text('en')).toContain('scientific form');
  });

  it('skips a row without a name, with the fix in both languages', async () => {
    const file = await read('ds.csv', utf8('Họ tên,Năm sinh\nA,1980\n\n\n\n\n\n\n\n\n\n,1985\n'));
    expect(file.rows.map((r) => r.fullName)).toEqual(['A']);
    expect(file.warnings).toHaveLength(1);
    expect(file.warnings[0]).toMatchObject({ line: 12, code: 'empty_name', skipped: true });
    expect(file.warnings[0]!.text('vi')).toBe(
      'Dòng 12: thiếu họ tên, dòng này bị bỏ qua. Điền họ tên rồi gửi lại nếu cần kiểm tra người này.',
    );
    expect(file.warnings[0]!.text('en')).toBe(
      'Row 12: no full name; the row was skipped. Fill in the name and send the list again to check this person.',
    );
  });

  it('skips silently blank rows, rows with only a running number and a repeated header', async () => {
    const file = await read('ds.csv', utf8('STT;Họ tên;Năm sinh\n1;A;1980\n2;;\n;;\nSTT;Họ tên;Năm sinh\n3;B;1981\n'));
    expect(file.rows.map((r) => [r.line, r.fullName])).toEqual([
      [2, 'A'],
      [6, 'B'],
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('skips a name over 200 characters with a too_long warning', async () => {
    const file = await read('ds.csv', utf8(`Họ tên\nA\n${'Nguyễn '.repeat(40)}\n`));
    expect(file.rows).toHaveLength(1);
    expect(file.warnings).toMatchObject([{ line: 3, code: 'too_long', skipped: true }]);
    expect(file.warnings[0]!.text('vi')).toContain('Dòng 3');
    expect(file.warnings[0]!.text('en')).toContain('200-character limit');
  });

  it('refuses a file whose every row is skipped', async () => {
    const error = await refuse('ds.csv', utf8('Họ tên,Năm sinh\n,1980\n,1981\n'));
    expect(error.code).toBe('no_rows');
    expect(error.text('vi')).toContain('cả 2 dòng');
    expect(error.text('en')).toContain('row 2');
  });
});

describe('readCheckFile: refused inputs', () => {
  it('refuses a file over 20 MB before reading it', async () => {
    const error = await refuse('ds.csv', new Uint8Array(CHECK_FILE_LIMITS.bytes + 1));
    expect(error).toMatchObject({ code: 'too_large', line: null });
    expect(error.text('vi')).toContain('20 MB');
  });

  it('accepts 50,000 rows and refuses 50,001, telling to split the list', async () => {
    const body = (n: number) => 'Họ tên,Năm sinh\n' + Array.from({ length: n }, (_, i) => `Người ${i},1980\n`).join('');
    const file = await read('ds.csv', utf8(body(CHECK_FILE_LIMITS.rows)));
    expect(file.rows).toHaveLength(50_000);
    expect(file.rows.at(-1)).toMatchObject({ line: 50_001, fullName: 'Người 49999' });
    const error = await refuse('ds.csv', utf8(body(CHECK_FILE_LIMITS.rows + 1)));
    expect(error.code).toBe('too_many_rows');
    expect(error.text('vi')).toContain('50.000 dòng');
    expect(error.text('en')).toContain('50,000 rows');
    expect(error.text('en')).toContain('Split');
  });

  it('refuses an empty file and one of blank lines', async () => {
    expect((await refuse('ds.csv', new Uint8Array(0))).code).toBe('empty');
    expect((await refuse('ds.csv', utf8('\r\n  \n\n'))).code).toBe('empty');
    expect((await refuse('ds.csv', utf8(';;;\n;;;\n'))).code).toBe('empty');
  });

  it('refuses a Windows-1258 file as not UTF-8, naming the line and how to save as CSV UTF-8', async () => {
    // "Nguyễn" in Windows-1258: e with circumflex (0xEA) and a combining tilde (0xDE).
    const data = new Uint8Array([...Buffer.from('Ho ten,Nam sinh\nNguy'), 0xea, 0xde, ...Buffer.from('n Van A,1980\n')]);
    const error = await refuse('ds.csv', data);
    expect(error).toMatchObject({ code: 'bad_encoding', line: 2 });
    expect(error.text('vi')).toContain('CSV UTF-8');
    expect(error.text('en')).toContain('CSV UTF-8 (Comma delimited)');
  });

  it('refuses TCVN3-style bytes in a header', async () => {
    const error = await refuse('ds.csv', new Uint8Array([...Buffer.from('Hä t'), 0xaa, 0xd5, ...Buffer.from('n\nA\n')]));
    expect(error.code).toBe('bad_encoding');
  });

  it('refuses an old .xls file, telling to save as .xlsx or CSV', async () => {
    const data = new Uint8Array(512);
    data.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const error = await refuse('danh sach.xls', data);
    expect(error.code).toBe('unknown_format');
    expect(error.text('vi')).toContain('.xlsx');
    expect(error.text('en')).toContain('CSV UTF-8');
  });

  it('refuses an HTML page named .xls', async () => {
    const error = await refuse('export.xls', utf8('<html><body><table><tr><td>Họ tên</td></tr></table></body></html>'));
    expect(error.code).toBe('unknown_format');
    expect(error.text('en')).toContain('web page');
  });

  it('refuses a PNG, even named .csv, and other binary content', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const error = await refuse('ds.csv', png);
    expect(error.code).toBe('binary');
    expect(error.text('vi')).toContain('ảnh PNG');
    const nuls = new Uint8Array([...Buffer.from('Họ tên\nA'), 0, 0, 0, 7, 0, 0, 1]);
    expect((await refuse('ds.csv', nuls)).code).toBe('binary');
  });

  it('refuses a ZIP that is not a workbook', async () => {
    const error = await refuse('bao-cao.docx', zip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }));
    expect(error.code).toBe('unknown_format');
    expect(error.text('en')).toContain('not an Excel workbook');
  });

  it('refuses a workbook that would unpack to more than 200 MB before unpacking it', async () => {
    const error = await refuse('ds.xlsx', zip({ 'xl/workbook.xml': '<workbook/>', 'xl/worksheets/sheet1.xml': '<x/>' }, 150 * 1024 * 1024));
    expect(error.code).toBe('too_large');
    expect(error.text('vi')).toContain('200 MB');
  });

  it('refuses a damaged workbook', async () => {
    const error = await refuse('ds.xlsx', zip({ 'xl/workbook.xml': '<workbook' }));
    expect(error.code).toBe('unknown_format');
    expect(error.text('en')).toContain('damaged');
  });

  it('refuses a password-protected .xlsx, telling to remove the password', async () => {
    const data = new Uint8Array(512);
    data.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const error = await refuse('ds.xlsx', data);
    expect(error.code).toBe('unknown_format');
    expect(error.text('en')).toContain('password');
  });

  it('refuses a row with more cells than the header (an unquoted separator)', async () => {
    const error = await refuse('ds.csv', utf8('Họ tên,Năm sinh,Quê quán\nA,1980,Hà Nội\nB,1981,Phường 5, Quận 3\n'));
    expect(error).toMatchObject({ code: 'not_a_table', line: 3 });
    expect(error.text('vi')).toContain('ngoặc kép');
  });

  it('refuses a quote never closed, naming where it starts', async () => {
    const error = await refuse('ds.csv', utf8('Họ tên,Năm sinh\nA,1980\n"B,1981\nC,1982\n'));
    expect(error).toMatchObject({ code: 'not_a_table', line: 3 });
  });
});

describe('readCheckFile: xlsx', () => {
  it('reads strings, rich text, hyperlinks, numbers and dates from the first sheet', async () => {
    const data = await xlsx(
      [
        ['STT', 'Họ và tên', 'Ngày sinh', 'Số CCCD', 'Quê quán', 'Ngày tạm giữ'],
        [
          1,
          { richText: [{ text: 'Nguyễn ' }, { text: 'Văn Đức', font: { bold: true } }] },
          new Date(Date.UTC(1985, 4, 12)),
          1085012345,
          'Hà Nội',
          new Date(Date.UTC(2024, 7, 30)),
        ],
        [2, { text: 'Trần Thị Đào', hyperlink: 'https://example.org/x' }, 1979, 12085012345, null, null],
        [3, 'Lê Văn Tám', '03/04/1970', 12345678, { richText: [{ text: 'Nghệ ' }, { text: 'An' }] }, null],
        [4, 'Đinh Văn Ba', null, 1012345678, null, null],
        [5, 'Hoàng Văn Năm', null, '079085012345', null, null],
      ],
      (_sheet, workbook) => workbook.addWorksheet('Khác').addRow(['Họ tên', 'Bỏ qua']),
    );
    const file = await read('ds.xlsx', data);
    expect(file).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null, extraColumns: ['STT', 'Ngày tạm giữ'] });
    expect(file.rows.map((r) => [r.line, r.fullName, r.birthYear, r.birthDate, r.nationalId, r.hometown, r.extra])).toEqual([
      [2, 'Nguyễn Văn Đức', 1985, '1985-05-12', '001085012345', 'Hà Nội', ['1', '30/08/2024']],
      [3, 'Trần Thị Đào', 1979, null, '012085012345', null, ['2', '']],
      [4, 'Lê Văn Tám', 1970, '1970-04-03', '012345678', 'Nghệ An', ['3', '']],
      [5, 'Đinh Văn Ba', null, null, '001012345678', null, ['4', '']],
      [6, 'Hoàng Văn Năm', null, null, '079085012345', null, ['5', '']],
    ]);
  });

  it('pads a 12-digit national ID stored as a number that lost its leading zero', async () => {
    const file = await read(
      'ds.xlsx',
      await xlsx([
        ['Họ tên', 'CCCD'],
        ['A', 79085012345],
        ['B', 123456789012],
      ]),
    );
    expect(file.rows.map((r) => r.nationalId)).toEqual(['079085012345', '123456789012']);
  });

  it('does not pad an 11-digit number outside the ID column', async () => {
    const file = await read(
      'ds.xlsx',
      await xlsx([
        ['Họ tên', 'Số điện thoại'],
        ['A', 98765432101],
      ]),
    );
    expect(file.rows[0]!.extra).toEqual(['98765432101']);
  });

  it('reads the calendar day of a date stored at UTC+7 midnight', async () => {
    const file = await read(
      'ds.xlsx',
      await xlsx([
        ['Họ tên', 'Ngày sinh'],
        ['A', new Date('1990-05-11T17:00:00Z')],
      ]),
    );
    expect(file.rows[0]).toMatchObject({ birthYear: 1990, birthDate: '1990-05-12' });
  });

  it('uses the sheet row numbers, below title rows', async () => {
    const data = await xlsx([['DANH SÁCH ĐỐI TƯỢNG'], [], ['Họ tên', 'Năm sinh'], ['A', 1980], [], ['', 'x1981']]);
    const file = await read('ds.xlsx', data);
    expect(file.rows).toMatchObject([{ line: 4, fullName: 'A', birthYear: 1980 }]);
    expect(file.warnings).toMatchObject([{ line: 6, code: 'empty_name' }]);
  });

  it('refuses a workbook with a formula, naming the cell and the fix', async () => {
    const data = await xlsx([
      ['Họ tên', 'Năm sinh', 'Tuổi'],
      ['A', 1980, 44],
      ['B', 1981, 43],
      ['C', 1982, 42],
      ['D', 1983, { formula: '2024-B5', result: 41 }],
    ]);
    const error = await refuse('ds.xlsx', data);
    expect(error).toMatchObject({ code: 'formula', line: 5 });
    expect(error.text('vi')).toContain('Ô C5');
    expect(error.text('vi')).toContain('Chỉ giá trị');
    expect(error.text('en')).toContain('Cell C5');
    expect(error.text('en')).toContain('Paste Special → Values');
  });

  it('refuses a cell showing an error', async () => {
    const error = await refuse(
      'ds.xlsx',
      await xlsx([
        ['Họ tên', 'Năm sinh'],
        ['A', { error: '#N/A' }],
      ]),
    );
    expect(error).toMatchObject({ code: 'formula', line: 2 });
    expect(error.text('en')).toContain('B2');
  });

  it('refuses a workbook whose first sheet is empty', async () => {
    const data = await xlsx([], (_sheet, workbook) => workbook.addWorksheet('Sheet2').addRow(['Họ tên']));
    const error = await refuse('ds.xlsx', data);
    expect(error.code).toBe('empty');
    expect(error.text('vi')).toContain('Danh sách');
  });

  it('keeps a filled column without a header as an extra column', async () => {
    const data = await xlsx([
      ['Họ tên', 'Năm sinh'],
      ['A', 1980, 'ghi chú thêm'],
    ]);
    const file = await read('ds.xlsx', data);
    expect(file.extraColumns).toEqual(['']);
    expect(file.rows[0]!.extra).toEqual(['ghi chú thêm']);
  });

  it('refuses a duplicate column in a workbook', async () => {
    const error = await refuse(
      'ds.xlsx',
      await xlsx([
        ['Họ tên', 'CCCD', 'Số định danh'],
        ['A', '001085012345', '001085012345'],
      ]),
    );
    expect(error.code).toBe('duplicate_column');
    expect(error.text('vi')).toContain('cột B "CCCD" và cột C "Số định danh"');
  });
});
