import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { dayIn, daysInMonth, type IsoDate } from '../domain/dates.ts';
import { cleanMultilineText, cleanText, foldKey } from '../domain/text.ts';
import { formatNumber, text, type Text } from '../i18n/text.ts';

/**
 * The reader of a cross-check list: the people (detainees, new residents, applicants) an officer
 * sends as a CSV or `.xlsx` file to be checked against the wanted list. Pure: bytes in, rows or
 * one actionable error out. A row with a field that cannot be read is kept without that field;
 * a row without a usable name is skipped; each is named in a warning.
 *
 * @example
 *   const read = await readCheckFile({ name: 'tam-giu.csv', data });
 *   if (!read.ok) return reply(read.error.text);
 *   for (const row of read.file.rows) match(row.fullName, row.birthYear, row.nationalId);
 */

export const CHECK_FILE_LIMITS = { bytes: 20 * 1024 * 1024, rows: 50_000 } as const;

export interface CheckRow {
  /**
   * The row's number as the user sees it in the file: the physical line of a CSV (the first line
   * is 1; a quoted value spanning lines counts them all), the sheet's row number of an xlsx. The
   * header is usually row 1; title rows above it keep their numbers.
   */
  line: number;
  /** Cleaned ({@link cleanText}), never empty. */
  fullName: string;
  /** From a birth-year column, or the year of a date-of-birth column. */
  birthYear: number | null;
  /** When a full date was given. */
  birthDate: IsoDate | null;
  /** Digits only, 9 (CMND) or 12 (CCCD). */
  nationalId: string | null;
  hometown: string | null;
  /** The row's values of the columns that are none of the above, in the file's order (kept and returned in the result file). */
  extra: string[];
}

export interface CheckFile {
  format: 'csv' | 'xlsx';
  /** null for xlsx. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | null;
  /** null for xlsx, and for a CSV of a single column (it has no separator). */
  delimiter: ',' | ';' | '\t' | null;
  /** The header cells of the extra columns, in order (names as written; '' for a column without a header that holds values). */
  extraColumns: string[];
  /**
   * Which header each known field was read from, as written, for the summary. A field read from
   * more than one column names them in the order they are tried: `Ngày sinh / Năm sinh` (the date
   * when readable, else the year), `CCCD / CMND`, and a name in parts `Họ + Tên đệm + Tên`.
   */
  columns: { fullName: string; birth?: string; nationalId?: string; hometown?: string };
  rows: CheckRow[];
  /** Rows kept with a field ignored, and rows skipped; each names the row and the fix. */
  warnings: CheckFileWarning[];
}

export interface CheckFileWarning {
  line: number;
  code: 'empty_name' | 'bad_birth' | 'bad_national_id' | 'too_long';
  skipped: boolean;
  text: Text;
}

export type CheckFileErrorCode =
  | 'too_large'
  | 'empty'
  | 'not_a_table'
  | 'unknown_format'
  | 'bad_encoding'
  | 'binary'
  | 'no_name_column'
  | 'duplicate_column'
  | 'header_only'
  | 'too_many_rows'
  | 'formula'
  | 'no_rows';

export interface CheckFileError {
  code: CheckFileErrorCode;
  line: number | null;
  text: Text;
}

export type CheckFileResult = { ok: true; file: CheckFile } | { ok: false; error: CheckFileError };

/** How long a name may be before the row is taken for a mistake (a whole record pasted into one cell). */
const NAME_LIMIT = 200;
/** The header may sit below a few title rows ("DANH SÁCH ĐỐI TƯỢNG…"): the first rows that are searched for it. */
const HEADER_SEARCH = 10;
/** What the parts of an xlsx may add up to once unpacked: a 20 MB workbook of text stays well under it; a ZIP bomb does not. */
const XLSX_UNPACKED_LIMIT = 200 * 1024 * 1024;
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/**
 * Reads a cross-check list. `today` bounds birth dates and years (default: today in Vietnam).
 * The format is told by the content first (an xlsx is a ZIP), the name only words the messages.
 */
export async function readCheckFile(input: { name: string; data: Uint8Array; today?: IsoDate }): Promise<CheckFileResult> {
  const { name, data } = input;
  const today = input.today ?? dayIn(TIME_ZONE, new Date());
  if (data.byteLength > CHECK_FILE_LIMITS.bytes) {
    const mb = (locale: 'vi' | 'en') => formatNumber(locale, Math.max(data.byteLength / 1024 / 1024, 20.1), 1);
    return failure(
      'too_large',
      null,
      `Tệp nặng ${mb('vi')} MB, vượt giới hạn 20 MB. Chia danh sách thành nhiều tệp nhỏ hơn rồi gửi từng tệp.`,
      `The file is ${mb('en')} MB, over the 20 MB limit. Split the list into smaller files and send them one by one.`,
    );
  }
  if (data.byteLength === 0) return emptyFile();

  const sniffed = sniff(name, data);
  if ('error' in sniffed) return { ok: false, error: sniffed.error };
  let table: Table | CheckFileError;
  if (sniffed.format === 'xlsx') {
    table = await readXlsx(name, data);
  } else {
    table = readCsv(data, sniffed.encoding);
  }
  if ('code' in table) return { ok: false, error: table };
  return tabulate(table, today);
}

// --- Errors -----------------------------------------------------------------------------------------------------------

const failure = (code: CheckFileErrorCode, line: number | null, vi: string, en: string): { ok: false; error: CheckFileError } => ({
  ok: false,
  error: { code, line, text: text(vi, en) },
});

const fileError = (code: CheckFileErrorCode, line: number | null, vi: string, en: string): CheckFileError => ({
  code,
  line,
  text: text(vi, en),
});

const emptyFile = () =>
  failure(
    'empty',
    null,
    'Tệp trống, không có dòng nào. Gửi tệp Excel (.xlsx) hoặc CSV có dòng tiêu đề (ví dụ: Họ tên, Năm sinh, CCCD, Quê quán) và mỗi người một dòng bên dưới.',
    'The file is empty. Send an Excel (.xlsx) or CSV file with a header row (e.g. Full name, Birth year, National ID, Hometown) and one person per row below it.',
  );

const SAVE_AS_VI = 'Mở tệp trong Excel, chọn Tệp → Lưu thành, chọn kiểu "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8 (*.csv)" rồi gửi lại.';
const SAVE_AS_EN =
  'Open it in Excel, choose File → Save As, pick "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)" and send it again.';

// --- Telling the format -----------------------------------------------------------------------------------------------

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
type Sniffed = { format: 'xlsx' } | { format: 'csv'; encoding: Encoding } | { error: CheckFileError };

/** Files that are plainly not a table, by their first bytes. */
const SIGNATURES: Array<{ bytes: number[]; vi: string; en: string }> = [
  { bytes: [0x25, 0x50, 0x44, 0x46], vi: 'một tài liệu PDF', en: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], vi: 'một ảnh PNG', en: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], vi: 'một ảnh JPEG', en: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], vi: 'một ảnh GIF', en: 'a GIF image' },
  { bytes: [0x52, 0x61, 0x72, 0x21], vi: 'một tệp nén RAR', en: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], vi: 'một tệp nén 7z', en: 'a 7z archive' },
  { bytes: [0x1f, 0x8b], vi: 'một tệp nén gzip', en: 'a gzip archive' },
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const EMPTY_ZIP = [0x50, 0x4b, 0x05, 0x06];
/** The OLE compound file of old Office documents: `.xls`, `.doc`, and a password-protected `.xlsx`. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (data: Uint8Array, bytes: number[]) => data.byteLength >= bytes.length && bytes.every((b, i) => data[i] === b);

function sniff(name: string, data: Uint8Array): Sniffed {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (startsWith(data, ZIP)) return { format: 'xlsx' };
  if (startsWith(data, EMPTY_ZIP)) return { error: notAWorkbook(name, extension) };
  if (startsWith(data, OLE)) {
    if (extension === 'xlsx' || extension === 'xlsm') {
      return {
        error: fileError(
          'unknown_format',
          null,
          `Tệp "${name}" được đặt mật khẩu (hoặc là tệp Excel đời cũ mang đuôi .xlsx) nên không đọc được. Mở tệp trong Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại dạng .xlsx rồi gửi lại.`,
          `"${name}" is password-protected (or an old Excel file named .xlsx), so it cannot be read. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save it as .xlsx and send it again.`,
        ),
      };
    }
    return {
      error: fileError(
        'unknown_format',
        null,
        `Tệp "${name}" là tệp Excel đời cũ (.xls) hoặc tài liệu Office cũ, chưa đọc được. ${SAVE_AS_VI}`,
        `"${name}" is an old-style Excel file (.xls) or an old Office document, which cannot be read. ${SAVE_AS_EN}`,
      ),
    };
  }
  const signature = SIGNATURES.find((s) => startsWith(data, s.bytes));
  if (signature) return { error: binary(name, signature.vi, signature.en) };

  let encoding: Encoding;
  if (startsWith(data, [0xef, 0xbb, 0xbf])) encoding = 'utf-8';
  else if (startsWith(data, [0xff, 0xfe])) encoding = 'utf-16le';
  else if (startsWith(data, [0xfe, 0xff])) encoding = 'utf-16be';
  else {
    const guessed = utf16ByNuls(data);
    if (guessed === 'binary') return { error: binary(name, 'một tệp nhị phân, không phải văn bản', 'a binary file, not text') };
    encoding = guessed;
  }
  // Software that "exports to Excel" often writes a web page or an XML spreadsheet named .xls.
  const head = new TextDecoder(encoding).decode(data.subarray(0, 2048)).replace(/^\uFEFF/, '');
  if (/^\s*<(!doctype\s+html|html|table|\?xml|meta|head|body)\b/i.test(head)) {
    return {
      error: fileError(
        'unknown_format',
        null,
        `Tệp "${name}" là trang web (HTML) hoặc XML mang đuôi Excel (thường gặp khi xuất từ phần mềm quản lý), không phải bảng tính thật. ${SAVE_AS_VI}`,
        `"${name}" is a web page (HTML) or XML file with a spreadsheet name (as some software exports "to Excel"), not a real spreadsheet. ${SAVE_AS_EN}`,
      ),
    };
  }
  return { format: 'csv', encoding };
}

/**
 * UTF-16 without a byte-order mark shows as a NUL in every other byte (the high byte of ASCII
 * letters, digits, spaces and separators); NULs in any other pattern mean a binary file.
 */
function utf16ByNuls(data: Uint8Array): Encoding | 'binary' {
  const sample = data.subarray(0, Math.min(data.byteLength, 4096));
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i += 1) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even += 1;
    else odd += 1;
  }
  if (even + odd === 0) return data.indexOf(0) === -1 ? 'utf-8' : 'binary';
  const pairs = Math.floor(sample.length / 2);
  if (data.byteLength % 2 === 0 && pairs > 0) {
    if (odd / pairs > 0.25 && even / pairs < 0.02) return 'utf-16le';
    if (even / pairs > 0.25 && odd / pairs < 0.02) return 'utf-16be';
  }
  return 'binary';
}

const binary = (name: string, vi: string, en: string) =>
  fileError(
    'binary',
    null,
    `Tệp "${name}" là ${vi}, không phải danh sách dạng bảng. Gửi danh sách dạng Excel (.xlsx) hoặc CSV: dòng đầu là tên cột, mỗi người một dòng.`,
    `"${name}" is ${en}, not a list in a table. Send the list as an Excel (.xlsx) or CSV file: the column names on the first row, one person per row.`,
  );

const notAWorkbook = (name: string, extension: string) =>
  fileError(
    'unknown_format',
    null,
    `Tệp "${name}" là tệp nén ZIP${extension && extension !== 'zip' && extension !== 'xlsx' ? ` (.${extension})` : ''} nhưng không phải sổ Excel (.xlsx); tài liệu Word hay bảng tính LibreOffice (.ods) chưa đọc được. Mở danh sách bằng Excel hoặc LibreOffice, lưu thành "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8 (*.csv)" rồi gửi lại.`,
    `"${name}" is a ZIP archive${extension && extension !== 'zip' && extension !== 'xlsx' ? ` (.${extension})` : ''} but not an Excel workbook (.xlsx); Word documents and LibreOffice spreadsheets (.ods) cannot be read. Open the list in Excel or LibreOffice, save it as "Excel Workbook (*.xlsx)" or "CSV UTF-8 (*.csv)" and send it again.`,
  );

// --- The table both formats become ------------------------------------------------------------------------------------

/** A cell as read: CSV gives text; xlsx may give a number or a date, read by the column's meaning. */
type CellValue = string | number | Date;

interface TableRow {
  line: number;
  cells: CellValue[];
}

interface Table {
  format: 'csv' | 'xlsx';
  encoding: Encoding | null;
  delimiter: ',' | ';' | '\t' | null;
  /** Rows that are not blank, in order; a blank row never reaches it. */
  rows: TableRow[];
}

/** White space and the invisible characters {@link cleanText} removes. */
const BLANK = /^[\s\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*$/;
const isBlank = (value: CellValue | undefined) => value === undefined || (typeof value === 'string' && BLANK.test(value));

// --- CSV --------------------------------------------------------------------------------------------------------------

const DELIMITERS = ['\t', ';', ','] as const;
type Delimiter = (typeof DELIMITERS)[number];

function readCsv(data: Uint8Array, encoding: Encoding): Table | CheckFileError {
  let body: string;
  try {
    body = new TextDecoder(encoding, { fatal: true }).decode(data);
  } catch {
    return badEncoding(data, encoding);
  }
  body = body.normalize('NFC').replace(/\r\n?/g, '\n');
  if (body.replace(/^\uFEFF/, '').trim() === '') return emptyFile().error;

  // Excel's "sep=;" hint line: it names the separator and is no row of the table.
  let delimiter: Delimiter | null;
  const hint = /^\uFEFF?"?sep=([,;\t])"?[ \t]*(?=\n|$)/i.exec(body);
  if (hint) {
    delimiter = hint[1] as Delimiter;
    // The line break stays: rows keep their line numbers.
    body = body.slice(hint[0].length);
  } else delimiter = detectDelimiter(body);

  // Records that stop the reading: past the header search and the row limit, the file is too long whatever follows.
  const stopAt = HEADER_SEARCH + CHECK_FILE_LIMITS.rows + 1;
  // The line each record ends on, from its info, beside it (what `info: true` gives, at half the cost).
  const ends: number[] = [];
  let records: string[][];
  try {
    records = parse(body, {
      // A NUL cannot be in the text (such a file was refused as binary): one column, whatever the commas.
      delimiter: delimiter ?? '\u0000',
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      to: stopAt,
      on_record: (record, context) => {
        ends.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const line = (ends.at(-1) ?? 0) + 1;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return fileError(
        'not_a_table',
        line,
        `Từ dòng ${line}, một dấu ngoặc kép (") được mở mà không đóng, nên phần còn lại của tệp không đọc được. Thêm dấu " đóng hoặc xóa dấu " thừa ở dòng đó, hoặc mở tệp trong Excel rồi lưu lại dạng "CSV UTF-8", rồi gửi lại.`,
        `From row ${line} on, a double quote (") is opened and never closed, so the rest of the file cannot be read. Close the quote or remove the stray " on that row, or open the file in Excel and save it again as "CSV UTF-8", then send it again.`,
      );
    }
    return fileError(
      'not_a_table',
      line,
      `Dòng ${line} không đọc được theo dạng CSV (thường do dấu ngoặc kép đặt sai chỗ). Sửa dòng đó, hoặc mở tệp trong Excel rồi lưu lại dạng "CSV UTF-8", rồi gửi lại.`,
      `Row ${line} cannot be read as CSV (usually a misplaced double quote). Fix that row, or open the file in Excel and save it again as "CSV UTF-8", then send it again.`,
    );
  }
  // The physical line a record starts on: csv-parse counts the line it ends on, and a quoted value may hold line breaks.
  const rows = records.map((cells, index) => ({
    line: ends[index]! - cells.reduce((n, cell) => n + countLineBreaks(cell), 0),
    cells,
  }));
  return {
    format: 'csv',
    encoding,
    delimiter,
    rows: rows.filter((row) => !row.cells.every(isBlank)),
  };
}

function countLineBreaks(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * The separator of the header: the first of the first lines that, split by one of them, names a
 * full-name column; else the one the first line with any holds most of (outside quotes). Excel
 * writes `;` in a Vietnamese locale, `,` in an English one, tab for "Unicode Text".
 */
function detectDelimiter(body: string): Delimiter | null {
  const lines = body
    .slice(0, 64 * 1024)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, HEADER_SEARCH);
  for (const line of lines) {
    for (const delimiter of DELIMITERS) {
      const cells = splitOutsideQuotes(line, delimiter);
      if (cells.length > 1 && cells.some((cell) => HEADER_KEYS.has(headerKey(cell)))) return delimiter;
    }
    // A header of the name alone: a list of names, whatever commas the names hold.
    if (HEADER_KEYS.has(headerKey(line))) return null;
  }
  for (const line of lines) {
    const counts = DELIMITERS.map((d) => splitOutsideQuotes(line, d).length - 1);
    const most = Math.max(...counts);
    if (most > 0) return DELIMITERS[counts.indexOf(most)]!;
  }
  return null;
}

function splitOutsideQuotes(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let quoted = false;
  let cell = '';
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

function badEncoding(data: Uint8Array, encoding: Encoding): CheckFileError {
  if (encoding !== 'utf-8') {
    return fileError(
      'bad_encoding',
      null,
      `Tệp có dấu hiệu mã UTF-16 nhưng bị hỏng (thiếu byte hoặc ký tự lỗi). ${SAVE_AS_VI}`,
      `The file is marked as UTF-16 but is damaged (a missing byte or a broken character). ${SAVE_AS_EN}`,
    );
  }
  // Where the first undecodable byte is, for the message (a literal U+FFFD before it would only move the line up).
  const loose = new TextDecoder('utf-8').decode(data);
  const at = loose.indexOf('\uFFFD');
  const line = at === -1 ? null : countLineBreaks(loose.slice(0, at).replace(/\r\n?/g, '\n')) + 1;
  const where = (vi: boolean) => (line === null ? '' : vi ? ` (từ dòng ${line})` : ` (from row ${line} on)`);
  return fileError(
    'bad_encoding',
    line,
    `Tệp CSV không ở bảng mã UTF-8${where(true)}: có lẽ là bảng mã cũ (Windows-1258, TCVN3/ABC hay VNI), chữ tiếng Việt sẽ bị sai nên tệp không được đọc. Mở tệp trong Excel, chọn Tệp → Lưu thành, kiểu "CSV UTF-8 (Comma delimited) (*.csv)" rồi gửi lại, hoặc gửi thẳng tệp .xlsx. Nếu chữ hiển thị sai cả trong Excel (phông .VnTime, VNI-Times), chuyển mã sang Unicode trước, ví dụ bằng công cụ chuyển mã của UniKey.`,
    `The CSV file is not UTF-8${where(false)}: probably a legacy Vietnamese encoding (Windows-1258, TCVN3/ABC or VNI), which would garble the names, so the file was not read. Open it in Excel, choose File → Save As, pick "CSV UTF-8 (Comma delimited) (*.csv)" and send it again, or send the .xlsx file itself. If the text looks wrong in Excel too (.VnTime or VNI-Times fonts), convert it to Unicode first, e.g. with UniKey's converter.`,
  );
}

// --- xlsx -------------------------------------------------------------------------------------------------------------

async function readXlsx(name: string, data: Uint8Array): Promise<Table | CheckFileError> {
  const zip = zipContents(data);
  if (!zip) return damagedWorkbook();
  if (!zip.names.includes('xl/workbook.xml')) return notAWorkbook(name, /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '');
  if (zip.unpacked > XLSX_UNPACKED_LIMIT) {
    return fileError(
      'too_large',
      null,
      'Tệp Excel này khi giải nén lớn hơn 200 MB, quá sức đọc một lần. Chia danh sách thành nhiều tệp nhỏ hơn (hoặc xóa các trang tính, ảnh không cần) rồi gửi từng tệp.',
      'This Excel file unpacks to more than 200 MB, too much to read at once. Split the list into smaller files (or remove sheets and pictures it does not need) and send them one by one.',
    );
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return damagedWorkbook();
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return emptyFile().error;

  const rows: TableRow[] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.findRow(r);
    if (!row) continue;
    const cells: CellValue[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) {
      const cell = row.findCell(c);
      const value = cell ? xlsxCell(cell) : '';
      if (typeof value === 'object' && !(value instanceof Date)) return value;
      cells.push(value);
    }
    if (!cells.every(isBlank)) rows.push({ line: r, cells });
  }
  if (rows.length === 0) {
    return fileError(
      'empty',
      null,
      `Trang tính đầu tiên ("${sheet.name}") trống. Đưa danh sách lên trang tính đầu tiên: dòng đầu là tên cột (Họ tên, Năm sinh, CCCD, Quê quán…), mỗi người một dòng, rồi gửi lại.`,
      `The first sheet ("${sheet.name}") is empty. Put the list on the first sheet, the column names (Full name, Birth year, National ID, Hometown…) on its first row and one person per row, and send it again.`,
    );
  }
  return { format: 'xlsx', encoding: null, delimiter: null, rows };
}

const damagedWorkbook = () =>
  fileError(
    'unknown_format',
    null,
    `Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx nên không mở được. ${SAVE_AS_VI}`,
    `The Excel file is damaged or not a real .xlsx, so it cannot be opened. ${SAVE_AS_EN}`,
  );

/**
 * A cell's value as the reader needs it. A formula or an error refuses the file: the value stored
 * with a formula may be stale or missing, and the officer should check what is sent.
 */
function xlsxCell(cell: ExcelJS.Cell): CellValue | CheckFileError {
  // A merged range holds its value in its first cell; the others show nothing in Excel either.
  if (cell.type === ExcelJS.ValueType.Merge) return '';
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value;
  if ('formula' in value || 'sharedFormula' in value) {
    const formula = 'formula' in value && value.formula ? value.formula : cell.formula;
    return fileError(
      'formula',
      Number(cell.row),
      `Ô ${cell.address} chứa công thức (=${formula}); hệ thống chỉ đọc giá trị, không tính công thức. Trong Excel, chọn cả bảng, Sao chép rồi Dán đặc biệt → Chỉ giá trị (Paste Special → Values), lưu lại rồi gửi.`,
      `Cell ${cell.address} holds a formula (=${formula}); only values are read, formulas are not worked out. In Excel, select the whole table, Copy, then Paste Special → Values, save and send it again.`,
    );
  }
  if ('error' in value) {
    return fileError(
      'formula',
      Number(cell.row),
      `Ô ${cell.address} đang báo lỗi ${String(value.error)}. Sửa hoặc xóa ô đó (nếu là công thức: Sao chép rồi Dán đặc biệt → Chỉ giá trị), lưu lại rồi gửi.`,
      `Cell ${cell.address} shows the error ${String(value.error)}. Fix or clear that cell (for a formula: Copy, then Paste Special → Values), save and send it again.`,
    );
  }
  return cellText(value);
}

/** The text of rich text (its runs joined) and of a hyperlink (its text, not its address). */
function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) {
      return (value.richText as Array<{ text?: string }>).map((run) => run.text ?? '').join('');
    }
    if ('text' in value) return cellText(value.text);
  }
  return '';
}

/**
 * The names of a ZIP's entries and what they add up to unpacked, from its central directory; an
 * xlsx is refused before exceljs unpacks it all when it would be too big (a ZIP bomb).
 */
function zipContents(data: Uint8Array): { names: string[]; unpacked: number } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const floor = Math.max(0, data.byteLength - 22 - 0xffff);
  let end = -1;
  for (let i = data.byteLength - 22; i >= floor; i -= 1) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end === -1) return undefined;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names: string[] = [];
  let unpacked = 0;
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n += 1) {
    if (at + 46 > data.byteLength || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(at + 24, true);
    // 0xFFFFFFFF: the real size is in a ZIP64 field; no workbook under 20 MB needs one.
    unpacked += size === 0xffffffff ? Infinity : size;
    const nameLength = view.getUint16(at + 28, true);
    names.push(decoder.decode(data.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { names, unpacked };
}

// --- Columns ----------------------------------------------------------------------------------------------------------

/**
 * What a header may mean. Fields read from more than one column try them by tier: the date of
 * birth before the year, a CCCD column before a CMND one. The hometown takes the best tier there
 * is (quê quán, then the registered address, then any address) and leaves the others as extra
 * columns, since they mean different places.
 */
type Role =
  | { field: 'name' }
  | { field: 'family' }
  | { field: 'middle' }
  | { field: 'given' }
  | { field: 'birth'; tier: 0 | 1 }
  | { field: 'id'; tier: 0 | 1 }
  | { field: 'hometown'; tier: 0 | 1 | 2 };

/** A header as compared: folded, without what is in brackets ("Ngày sinh (dd/mm/yyyy)") or asterisks, nothing but letters and digits. */
function headerKey(header: string): string {
  return foldKey(header.replace(/\([^)]*\)|\[[^\]]*\]|\*/g, ' ')).replace(/[^a-z0-9]/g, '');
}

const keys = (...names: string[]) => names.map(headerKey);
const ROLE_NAMES: Array<[Role, string[]]> = [
  [{ field: 'name' }, keys('họ tên', 'họ và tên', 'ho ten', 'tên', 'full name', 'name', 'họ tên đầy đủ', 'tên đầy đủ', 'họ tên khai sinh')],
  [{ field: 'family' }, keys('họ', 'họ đệm', 'họ và tên đệm', 'họ và chữ đệm', 'họ lót', 'last name', 'surname', 'family name')],
  [{ field: 'middle' }, keys('tên đệm', 'chữ đệm', 'tên lót', 'middle name')],
  [{ field: 'given' }, keys('first name', 'given name')],
  [{ field: 'birth', tier: 0 }, keys('ngày sinh', 'ngày tháng năm sinh', 'sinh ngày', 'date of birth', 'dob', 'birth date', 'birthday')],
  [{ field: 'birth', tier: 1 }, keys('năm sinh', 'sinh năm', 'birth year', 'year of birth')],
  [
    { field: 'id', tier: 0 },
    keys(
      'cccd',
      'số cccd',
      'cmnd/cccd',
      'số cmnd/cccd',
      'cccd/cmnd',
      'số cccd/cmnd',
      'số định danh',
      'số định danh cá nhân',
      'căn cước',
      'số căn cước',
      'căn cước công dân',
      'số căn cước công dân',
      'national id',
      'id number',
    ),
  ],
  [{ field: 'id', tier: 1 }, keys('cmnd', 'số cmnd', 'cmtnd', 'số cmtnd', 'chứng minh nhân dân', 'số chứng minh nhân dân')],
  [{ field: 'hometown', tier: 0 }, keys('quê quán', 'nguyên quán', 'hometown')],
  [
    { field: 'hometown', tier: 1 },
    keys('nơi thường trú', 'địa chỉ thường trú', 'thường trú', 'hộ khẩu thường trú', 'hktt', 'nơi đăng ký thường trú'),
  ],
  [{ field: 'hometown', tier: 2 }, keys('địa chỉ', 'nơi ở', 'nơi ở hiện tại', 'nơi ở hiện nay', 'chỗ ở hiện nay', 'nơi cư trú', 'address')],
];
const ROLES = new Map<string, Role>(ROLE_NAMES.flatMap(([role, names]) => names.map((name) => [name, role] as const)));
/** A header names the full name, or its given name when the name comes in parts. */
const HEADER_KEYS = new Set([...ROLE_NAMES[0]![1], ...ROLE_NAMES[3]![1]]);
/** "Tên" alone is the full name, unless a "Họ" column stands beside it. */
const GIVEN_ALONE = headerKey('tên');

const FIELD_LABEL: Record<Role['field'], [string, string]> = {
  name: ['họ tên', 'full name'],
  family: ['họ', 'family name'],
  middle: ['tên đệm', 'middle name'],
  given: ['tên', 'given name'],
  birth: ['ngày/năm sinh', 'date or year of birth'],
  id: ['số CMND/CCCD', 'national ID'],
  hometown: ['quê quán/địa chỉ', 'hometown or address'],
};

/** `A`, `B`, …, `Z`, `AA`: a column as Excel names it (a CSV opened in Excel shows the same letters). */
function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

interface Layout {
  /** One column, or the parts of the name in order (family, middle, given). */
  name: number[];
  birth: number[];
  id: number[];
  hometown: number | null;
  extra: number[];
}

/** Where each field is read from, or why the header cannot be used. */
function layout(header: string[], width: number, line: number): Layout | CheckFileError {
  const byRole = new Map<string, number[]>();
  const roleOf: Array<Role | undefined> = header.map((cell) => ROLES.get(headerKey(cell)));
  roleOf.forEach((role, index) => {
    if (!role) return;
    const key = 'tier' in role ? `${role.field}:${role.tier}` : role.field;
    byRole.set(key, [...(byRole.get(key) ?? []), index]);
  });
  const at = (key: string) => byRole.get(key) ?? [];

  // "Họ" and "Tên" side by side, and no full-name column: the name is in parts. Beside a full-name
  // column, "Tên" is the given name lists are sorted by, an extra column.
  const tenAlone = at('name').filter((index) => headerKey(header[index]!) === GIVEN_ALONE);
  const fullNames = at('name').filter((index) => !tenAlone.includes(index));
  const split = fullNames.length === 0 && at('family').length > 0 && at('given').length + tenAlone.length > 0;
  const used: string[] = split ? ['family', 'middle', 'given'] : ['name'];
  if (split) byRole.set('given', [...at('given'), ...tenAlone]);
  else byRole.set('name', fullNames.length > 0 ? fullNames : tenAlone);
  const names = at('name');
  used.push('birth:0', 'birth:1', 'id:0', 'id:1');
  const hometownTier = ['hometown:0', 'hometown:1', 'hometown:2'].find((key) => at(key).length > 0);
  if (hometownTier) used.push(hometownTier);

  for (const key of used) {
    const columns = at(key);
    if (columns.length < 2) continue;
    const [a, b] = [columns[0]!, columns[1]!];
    const [vi, en] = FIELD_LABEL[roleOf[a]!.field];
    return fileError(
      'duplicate_column',
      line,
      `Hai cột cùng là ${vi}: cột ${columnLetter(a)} "${cleanText(header[a]!)}" và cột ${columnLetter(b)} "${cleanText(header[b]!)}" (dòng tiêu đề ${line}). Xóa hoặc đổi tên một trong hai cột rồi gửi lại.`,
      `Two columns are both the ${en}: column ${columnLetter(a)} "${cleanText(header[a]!)}" and column ${columnLetter(b)} "${cleanText(header[b]!)}" (header row ${line}). Remove or rename one of them and send the file again.`,
    );
  }
  const name = split ? [...at('family'), ...at('middle'), ...at('given')] : names;
  if (name.length === 0) return noNameColumn(header, line);
  const taken = new Set([
    ...name,
    ...at('birth:0'),
    ...at('birth:1'),
    ...at('id:0'),
    ...at('id:1'),
    ...(hometownTier ? at(hometownTier) : []),
  ]);
  const extra: number[] = [];
  for (let index = 0; index < width; index += 1) if (!taken.has(index)) extra.push(index);
  return {
    name,
    birth: [...at('birth:0'), ...at('birth:1')],
    id: [...at('id:0'), ...at('id:1')],
    hometown: hometownTier ? at(hometownTier)[0]! : null,
    extra,
  };
}

function noNameColumn(header: string[], line: number): CheckFileError {
  const found = header.map(cleanText).filter(Boolean);
  const list = found.length ? found.map((h) => `"${h}"`).join(', ') : '';
  return fileError(
    'no_name_column',
    line,
    `Không tìm thấy cột họ tên. Các cột trong tệp (dòng ${line}): ${list || '(không có tên cột)'}. Đặt tên cột chứa họ tên là "Họ tên" (hoặc "Họ và tên", "Tên", "Full name", "Name") ở dòng tiêu đề rồi gửi lại; các cột khác nên là "Năm sinh" hoặc "Ngày sinh", "CCCD", "Quê quán".`,
    `No full-name column was found. The file's columns (row ${line}): ${list || '(no column names)'}. Name the column holding the names "Họ tên" or "Full name" (or "Họ và tên", "Tên", "Name") in the header row and send the file again; the other columns are best named "Birth year" or "Date of birth", "National ID", "Hometown".`,
  );
}

// --- Rows -------------------------------------------------------------------------------------------------------------

function tabulate(table: Table, today: IsoDate): CheckFileResult {
  const search = table.rows.slice(0, HEADER_SEARCH);
  if (table.rows.length === 0) return emptyFile();
  const headerIndex = search.findIndex((row) => row.cells.some((cell) => HEADER_KEYS.has(headerKey(asText(cell)))));
  if (headerIndex === -1) {
    // Without a name column, the first row is what the officer took for the header.
    const first = table.rows[0]!;
    const cells = first.cells.map(asText);
    const wide = table.rows.some((row) => filledWidth(row.cells) > 1);
    if (!wide && !cells.some((cell) => ROLES.has(headerKey(cell)))) {
      const shown = cleanText(cells.find((cell) => cleanText(cell) !== '') ?? '').slice(0, 60);
      return failure(
        'not_a_table',
        first.line,
        `Tệp không có dạng bảng: chỉ có một cột, và dòng đầu ("${shown}") không phải tên cột. Nếu đây là danh sách họ tên, thêm một dòng đầu ghi "Họ tên"; nếu có nhiều cột, các cột phải được ngăn cách bằng dấu phẩy, chấm phẩy hoặc tab (trong Excel: Lưu thành → "CSV UTF-8"). Sửa rồi gửi lại.`,
        `The file is not a table: it has a single column, and its first row ("${shown}") is not a column name. If it is a list of names, add a first row reading "Full name"; if it has several columns, they must be separated by commas, semicolons or tabs (in Excel: Save As → "CSV UTF-8"). Fix it and send it again.`,
      );
    }
    return { ok: false, error: noNameColumn(cells, first.line) };
  }
  const headerRow = table.rows[headerIndex]!;
  const header = headerRow.cells.map((cell) => cleanText(asText(cell)));
  const data = table.rows.slice(headerIndex + 1);
  if (data.length > CHECK_FILE_LIMITS.rows) {
    return failure(
      'too_many_rows',
      null,
      `Danh sách có hơn ${formatNumber('vi', CHECK_FILE_LIMITS.rows)} dòng, quá giới hạn của một lần kiểm tra. Chia danh sách thành nhiều tệp, mỗi tệp tối đa ${formatNumber('vi', CHECK_FILE_LIMITS.rows)} dòng, rồi gửi từng tệp.`,
      `The list has more than ${formatNumber('en', CHECK_FILE_LIMITS.rows)} rows, over the limit for one check. Split it into files of at most ${formatNumber('en', CHECK_FILE_LIMITS.rows)} rows each and send them one by one.`,
    );
  }
  if (data.length === 0) return headerOnly(headerRow.line);

  // Values past the header's last column: in a CSV, a value holding an unquoted separator; in a
  // sheet, a column someone filled without naming it (kept as an extra column without a name).
  let width = header.length;
  for (const row of data) {
    const filled = filledWidth(row.cells);
    if (filled <= header.length) continue;
    if (table.format === 'csv') return overflow(row, filled, header.length, table.delimiter);
    width = Math.max(width, filled);
  }
  while (header.length < width) header.push('');

  const columns = layout(header, width, headerRow.line);
  if ('code' in columns) return { ok: false, error: columns };
  // A column without a header and without a value (the trailing separators Excel writes) is no column.
  const extra = columns.extra.filter((index) => header[index] !== '' || data.some((row) => !isBlank(row.cells[index])));
  const headerKeys = rowKey(header);
  const headerName = columns.name
    .map((index) => header[index])
    .join(' ')
    .toLowerCase();

  const rows: CheckRow[] = [];
  const warnings: CheckFileWarning[] = [];
  const maxYear = Number(today.slice(0, 4));
  for (const { line, cells } of data) {
    const get = (index: number): CellValue => cells[index] ?? '';
    const fullName = cleanText(columns.name.map((index) => asText(get(index))).join(' '));
    // The header repeated (lists pasted together, a header on every printed page).
    if (fullName.toLowerCase() === headerName && rowKey(cells) === headerKeys) continue;
    const known = [...columns.name, ...columns.birth, ...columns.id, ...(columns.hometown === null ? [] : [columns.hometown])];
    if (!fullName) {
      // A row with nothing but its running number ("STT") is a blank row of a template.
      const onlyNumbers =
        known.every((index) => isBlank(get(index))) &&
        extra.every((index) => {
          const value = get(index);
          return isBlank(value) || typeof value === 'number' || /^\s*\d+\s*$/.test(asText(value));
        });
      if (onlyNumbers) continue;
      warnings.push(
        warning(
          line,
          'empty_name',
          true,
          `Dòng ${line}: thiếu họ tên, dòng này bị bỏ qua. Điền họ tên rồi gửi lại nếu cần kiểm tra người này.`,
          `Row ${line}: no full name; the row was skipped. Fill in the name and send the list again to check this person.`,
        ),
      );
      continue;
    }
    const length = [...fullName].length;
    if (length > NAME_LIMIT) {
      warnings.push(
        warning(
          line,
          'too_long',
          true,
          `Dòng ${line}: họ tên dài ${formatNumber('vi', length)} ký tự, quá giới hạn ${NAME_LIMIT} ký tự, dòng này bị bỏ qua. Kiểm tra xem ô họ tên có bị dính nội dung khác không, sửa rồi gửi lại nếu cần kiểm tra người này.`,
          `Row ${line}: the name is ${formatNumber('en', length)} characters long, over the ${NAME_LIMIT}-character limit; the row was skipped. Check that the name cell holds only the name, fix it and send the list again to check this person.`,
        ),
      );
      continue;
    }

    const birth = readBirth(columns.birth, get, header, line, maxYear, today);
    if (birth.warning) warnings.push(birth.warning);
    const id = readNationalId(columns.id, get, header, line);
    if (id.warning) warnings.push(id.warning);
    const hometown = columns.hometown === null ? '' : cleanText(asText(get(columns.hometown)));
    rows.push({
      line,
      fullName,
      birthYear: birth.year,
      birthDate: birth.date,
      nationalId: id.value,
      hometown: hometown || null,
      extra: extra.map((index) => cleanMultilineText(asText(get(index)))),
    });
  }

  if (rows.length === 0) {
    const skipped = warnings.filter((w) => w.skipped);
    if (skipped.length === 0) return headerOnly(headerRow.line);
    return failure(
      'no_rows',
      null,
      `Không còn dòng nào để kiểm tra: cả ${formatNumber('vi', skipped.length)} dòng đều bị bỏ qua vì thiếu họ tên hoặc họ tên quá dài (dòng đầu tiên: dòng ${skipped[0]!.line}). Điền họ tên vào cột "${joinHeaders(header, columns.name, ' + ')}" rồi gửi lại.`,
      `No row is left to check: all ${formatNumber('en', skipped.length)} rows were skipped for a missing or overlong name (the first: row ${skipped[0]!.line}). Fill in the names in the "${joinHeaders(header, columns.name, ' + ')}" column and send the list again.`,
    );
  }

  return {
    ok: true,
    file: {
      format: table.format,
      encoding: table.encoding,
      delimiter: table.delimiter,
      extraColumns: extra.map((index) => header[index]!),
      columns: {
        fullName: joinHeaders(header, columns.name, ' + '),
        ...(columns.birth.length ? { birth: joinHeaders(header, columns.birth, ' / ') } : {}),
        ...(columns.id.length ? { nationalId: joinHeaders(header, columns.id, ' / ') } : {}),
        ...(columns.hometown !== null ? { hometown: header[columns.hometown]! } : {}),
      },
      rows,
      warnings,
    },
  };
}

const joinHeaders = (header: string[], indexes: number[], separator: string) => indexes.map((index) => header[index]!).join(separator);

const warning = (line: number, code: CheckFileWarning['code'], skipped: boolean, vi: string, en: string): CheckFileWarning => ({
  line,
  code,
  skipped,
  text: text(vi, en),
});

const rowKey = (cells: CellValue[]) =>
  cells
    .slice(0, filledWidth(cells))
    .map((cell) => headerKey(asText(cell)))
    .join('\u0000');

/** How many cells a row has up to its last one with a value. */
function filledWidth(cells: CellValue[]): number {
  for (let i = cells.length; i > 0; i -= 1) if (!isBlank(cells[i - 1])) return i;
  return 0;
}

const headerOnly = (line: number) =>
  failure(
    'header_only',
    line,
    `Tệp chỉ có dòng tiêu đề (dòng ${line}), chưa có người nào trong danh sách. Thêm mỗi người một dòng bên dưới dòng tiêu đề rồi gửi lại.`,
    `The file has only its header row (row ${line}) and no one in the list. Add one person per row below the header and send it again.`,
  );

function overflow(row: TableRow, filled: number, columns: number, delimiter: Delimiter | null): CheckFileResult {
  const mark = delimiter === '\t' ? 'tab' : `"${delimiter}"`;
  return failure(
    'not_a_table',
    row.line,
    `Dòng ${row.line} có ${filled} ô, nhiều hơn ${columns} cột của dòng tiêu đề: có lẽ một giá trị (thường là địa chỉ) chứa dấu ${mark} mà không nằm trong ngoặc kép. Đặt giá trị đó trong ngoặc kép, hoặc mở tệp trong Excel rồi lưu lại dạng "CSV UTF-8" (Excel tự thêm ngoặc kép), rồi gửi lại.`,
    `Row ${row.line} has ${filled} cells, more than the header's ${columns} columns: probably a value (often an address) holds a ${mark === 'tab' ? 'tab' : mark} without being in double quotes. Put that value in double quotes, or open the file in Excel and save it again as "CSV UTF-8" (Excel adds the quotes), then send it again.`,
  );
}

/** A cell as text: numbers as written, a date as Vietnamese write it. */
function asText(value: CellValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const day = `${pad(value.getUTCDate())}/${pad(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}`;
  const [hours, minutes] = [value.getUTCHours(), value.getUTCMinutes()];
  return hours || minutes ? `${day} ${pad(hours)}:${pad(minutes)}` : day;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The calendar day of an xlsx date. exceljs reads a day as midnight UTC; a workbook written by a
 * program running at UTC+7 may store the evening before, so the nearest midnight is taken.
 */
function isoOfDate(value: Date): IsoDate {
  const day = 24 * 60 * 60 * 1000;
  return new Date(Math.round(value.getTime() / day) * day).toISOString().slice(0, 10);
}

// --- Birth ------------------------------------------------------------------------------------------------------------

type Birth = { year: number; date: IsoDate | null } | { bad: { vi: string; en: string } } | null;

const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?\S*)?$/;
const MY = /^(\d{1,2})[/.-](\d{4})$/;

/**
 * A year (`1985`), a date in Vietnamese order (`12/05/1985`, `2/5/1985`, `12-05-1985`,
 * `12.05.1985`), an ISO date (`1985-05-12`), a month and year (`05/1985`: the year only), an
 * xlsx date or a number that is a year.
 */
function parseBirth(value: CellValue, maxYear: number, today: IsoDate): Birth {
  const badYear = (year: number) => ({
    bad: { vi: `năm ${year} không nằm trong khoảng 1900–${maxYear}`, en: `the year ${year} is not between 1900 and ${maxYear}` },
  });
  const ofDate = (y: number, m: number, d: number, shown: string): Birth => {
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
      return { bad: { vi: `ngày "${shown}" không có thật`, en: `"${shown}" is not a real date` } };
    }
    if (y < 1900 || y > maxYear) return badYear(y);
    const date = `${y}-${pad(m)}-${pad(d)}`;
    if (date > today) return { bad: { vi: `ngày "${shown}" ở tương lai`, en: `"${shown}" is in the future` } };
    return { year: y, date };
  };
  if (value instanceof Date) {
    const [y, m, d] = isoOfDate(value).split('-').map(Number) as [number, number, number];
    return ofDate(y, m, d, asText(value));
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 1000 && value <= 9999) {
      return value >= 1900 && value <= maxYear ? { year: value, date: null } : badYear(value);
    }
    return { bad: { vi: `"${value}" không phải năm hay ngày sinh`, en: `"${value}" is not a year or date of birth` } };
  }
  const shown = cleanText(value);
  if (!shown) return null;
  if (/^\d{4}$/.test(shown)) {
    const year = Number(shown);
    return year >= 1900 && year <= maxYear ? { year, date: null } : badYear(year);
  }
  let m = DMY.exec(shown);
  if (m) return ofDate(Number(m[4]), Number(m[3]), Number(m[1]), shown);
  m = YMD.exec(shown);
  if (m) return ofDate(Number(m[1]), Number(m[2]), Number(m[3]), shown);
  m = MY.exec(shown);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12) {
    const year = Number(m[2]);
    return year >= 1900 && year <= maxYear ? { year, date: null } : badYear(year);
  }
  return { bad: { vi: `"${clip(shown)}" không phải năm hay ngày sinh`, en: `"${clip(shown)}" is not a year or date of birth` } };
}

/** The first readable of the birth columns (the date before the year); a warning only when none is and one was given. */
function readBirth(
  sources: number[],
  get: (index: number) => CellValue,
  header: string[],
  line: number,
  maxYear: number,
  today: IsoDate,
): { year: number | null; date: IsoDate | null; warning?: CheckFileWarning } {
  let firstBad: { column: number; vi: string; en: string } | undefined;
  for (const column of sources) {
    const birth = parseBirth(get(column), maxYear, today);
    if (birth === null) continue;
    if ('bad' in birth) {
      firstBad ??= { column, ...birth.bad };
      continue;
    }
    return { year: birth.year, date: birth.date };
  }
  if (!firstBad) return { year: null, date: null };
  const where = `cột ${columnLetter(firstBad.column)} "${header[firstBad.column]}"`;
  const whereEn = `column ${columnLetter(firstBad.column)} "${header[firstBad.column]}"`;
  return {
    year: null,
    date: null,
    warning: warning(
      line,
      'bad_birth',
      false,
      `Dòng ${line}, ${where}: ${firstBad.vi}, nên năm sinh bị bỏ qua; người này vẫn được kiểm tra theo các thông tin khác. Ghi năm sinh 4 chữ số (1985) hoặc ngày sinh theo thứ tự ngày/tháng/năm (12/05/1985, 12-05-1985 hay 1985-05-12) rồi gửi lại nếu cần.`,
      `Row ${line}, ${whereEn}: ${firstBad.en}, so the birth was ignored; the person is still checked on the rest. Write a 4-digit year (1985) or a date as day/month/year (12/05/1985, 12-05-1985 or 1985-05-12) and send the list again if needed.`,
    ),
  };
}

const clip = (value: string) => ([...value].length > 40 ? `${[...value].slice(0, 40).join('')}…` : value);

// --- National ID ------------------------------------------------------------------------------------------------------

type NationalId = { value: string } | { bad: { hintVi: string; hintEn: string; shown: string } } | null;

/**
 * Digits only, 9 (CMND) or 12 (CCCD). A number from a sheet lost its leading zeros: every CCCD
 * begins with 0 (its province code, 001 for Hà Nội), so 10 or 11 digits are padded to 12, and a
 * CMND of 8 digits to 9. Text keeps what it says: its missing zero is only pointed out.
 */
function parseNationalId(value: CellValue): NationalId {
  if (value instanceof Date) return { bad: { hintVi: '', hintEn: '', shown: asText(value) } };
  if (typeof value === 'number') {
    const shown = String(value);
    if (!Number.isSafeInteger(value) || value < 0) return { bad: { hintVi: '', hintEn: '', shown } };
    const digits =
      shown.length === 10 || shown.length === 11 ? shown.padStart(12, '0') : shown.length === 8 ? shown.padStart(9, '0') : shown;
    return digits.length === 9 || digits.length === 12 ? { value: digits } : { bad: { hintVi: '', hintEn: '', shown } };
  }
  const shown = cleanText(value);
  if (!shown) return null;
  const digits = shown.replace(/^'/, '').replace(/[\s.-]/g, '');
  if (/^\d{9}$|^\d{12}$/.test(digits)) return { value: digits };
  if (/^\d+(?:[.,]\d+)?e\+?\d+$/i.test(shown)) {
    return {
      bad: {
        shown,
        hintVi: ' Excel đã ghi số ở dạng rút gọn và làm mất chữ số: định dạng cột là Văn bản (Text), nhập lại số rồi lưu lại.',
        hintEn: ' Excel wrote the number in scientific form and lost digits: format the column as Text, enter the number again and save.',
      },
    };
  }
  if (/^\d{10,11}$|^\d{8}$/.test(digits)) {
    return {
      bad: {
        shown,
        hintVi: ' Có thể Excel đã làm mất số 0 ở đầu: định dạng cột là Văn bản (Text) rồi nhập lại số.',
        hintEn: ' Excel may have dropped its leading zero: format the column as Text and enter the number again.',
      },
    };
  }
  return { bad: { hintVi: '', hintEn: '', shown } };
}

function readNationalId(
  sources: number[],
  get: (index: number) => CellValue,
  header: string[],
  line: number,
): { value: string | null; warning?: CheckFileWarning } {
  let firstBad: { column: number; hintVi: string; hintEn: string; shown: string } | undefined;
  for (const column of sources) {
    const id = parseNationalId(get(column));
    if (id === null) continue;
    if ('bad' in id) {
      firstBad ??= { column, ...id.bad };
      continue;
    }
    return { value: id.value };
  }
  if (!firstBad) return { value: null };
  const column = `${columnLetter(firstBad.column)} "${header[firstBad.column]}"`;
  return {
    value: null,
    warning: warning(
      line,
      'bad_national_id',
      false,
      `Dòng ${line}, cột ${column}: "${clip(firstBad.shown)}" không phải số CMND (9 chữ số) hay CCCD (12 chữ số), nên số giấy tờ bị bỏ qua; người này vẫn được kiểm tra theo họ tên và năm sinh.${firstBad.hintVi} Sửa số rồi gửi lại nếu cần.`,
      `Row ${line}, column ${column}: "${clip(firstBad.shown)}" is not a CMND (9 digits) or CCCD (12 digits) number, so the ID was ignored; the person is still checked on name and birth.${firstBad.hintEn} Fix the number and send the list again if needed.`,
    ),
  };
}
