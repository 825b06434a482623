import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import type { IsoDate } from '../domain/dates.ts';
import { text, type Text } from '../i18n/text.ts';

/**
 * The reader both spreadsheet-shaped inputs share: a cross-check list (`check-file.ts`) and the
 * wanted list of `casedesk import cases` (`case-import.ts`). Bytes in, a table of cells out, or
 * one actionable error: the format told by the content (an xlsx is a ZIP; PDFs, images, old
 * `.xls` and web pages named `.xls` are named and refused), the text encoding by its byte-order
 * mark (UTF-8, UTF-16 LE/BE, which Excel's "Unicode Text" writes) or refused when it is not
 * UTF-8 (a legacy Vietnamese code page would garble the names), the CSV separator (`,`, `;` as
 * Excel writes it in a Vietnamese locale, tab) from the header line. What the columns mean is the
 * caller's.
 *
 * @example
 *   const read = await readTableFile({ name: 'ds.csv', data, isHeaderCell: (c) => c === 'code', wording });
 *   if (!read.ok) return read.error.text;
 *   const [header, ...rows] = read.table.rows;
 */

export type TableFileErrorCode = 'empty' | 'not_a_table' | 'unknown_format' | 'bad_encoding' | 'binary' | 'too_large' | 'formula';

export interface TableFileError {
  code: TableFileErrorCode;
  /** The row of the file the problem is on (the first line or row is 1), when there is one. */
  line: number | null;
  text: Text;
}

/** How the messages word the next step, in the caller's situation (a list sent in chat, a file imported). */
export interface TableWording {
  /** What the user does with the fixed file: `gửi lại` / `send it again`. */
  again: readonly [vi: string, en: string];
  /** How a message asks for a file: `Gửi` / `Send`. */
  ask: readonly [vi: string, en: string];
  /** What a row holds: `mỗi người một dòng` / `one person per row`. */
  perRow: readonly [vi: string, en: string];
  /** An example of the header: `Họ tên, Năm sinh, CCCD, Quê quán` / `Full name, Birth year, National ID, Hometown`. */
  columns: readonly [vi: string, en: string];
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';
export const DELIMITERS = ['\t', ';', ','] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** A cell as read: CSV gives text; xlsx may give a number or a date, read by the column's meaning. */
export type CellValue = string | number | Date;

export interface TableRow {
  /** The physical line a CSV record starts on (a quoted value spanning lines counts them all), the sheet's row number of an xlsx. */
  line: number;
  cells: CellValue[];
}

export interface Table {
  format: 'csv' | 'xlsx';
  /** null for xlsx. */
  encoding: Encoding | null;
  /** null for xlsx, and for a CSV of a single column (it has no separator). */
  delimiter: Delimiter | null;
  /** Rows that are not blank, in order; a blank row never reaches it. */
  rows: TableRow[];
}

export type TableFileResult = { ok: true; table: Table } | { ok: false; error: TableFileError };

/** What the parts of an xlsx may add up to once unpacked: a 20 MB workbook of text stays well under it; a ZIP bomb does not. */
const XLSX_UNPACKED_LIMIT = 200 * 1024 * 1024;
/** The first lines of a CSV searched for its header, to tell the separator. */
const HEADER_SEARCH = 10;

/**
 * Reads a CSV or xlsx file into a table. `isHeaderCell` tells a header cell of the caller's (one
 * is enough), so that the separator is the one that splits the header into names it knows. `to`
 * stops a CSV after that many records (a list over its limit is refused whatever follows).
 */
export async function readTableFile(input: {
  name: string;
  data: Uint8Array;
  isHeaderCell: (cell: string) => boolean;
  wording: TableWording;
  to?: number;
}): Promise<TableFileResult> {
  const { name, data, wording } = input;
  if (data.byteLength === 0) return { ok: false, error: emptyFileError(wording) };
  const sniffed = sniff(name, data, wording);
  if ('error' in sniffed) return { ok: false, error: sniffed.error };
  const table =
    sniffed.format === 'xlsx'
      ? await readXlsx(name, data, wording)
      : readCsv(data, sniffed.encoding, { isHeaderCell: input.isHeaderCell, wording, ...(input.to ? { to: input.to } : {}) });
  return 'code' in table ? { ok: false, error: table } : { ok: true, table };
}

// --- Errors -----------------------------------------------------------------------------------------------------------

const fileError = (code: TableFileErrorCode, line: number | null, vi: string, en: string): TableFileError => ({
  code,
  line,
  text: text(vi, en),
});

/** The file has no rows at all. */
export const emptyFileError = (w: TableWording): TableFileError =>
  fileError(
    'empty',
    null,
    `Tệp trống, không có dòng nào. ${w.ask[0]} tệp Excel (.xlsx) hoặc CSV có dòng tiêu đề (ví dụ: ${w.columns[0]}) và ${w.perRow[0]} bên dưới.`,
    `The file is empty. ${w.ask[1]} an Excel (.xlsx) or CSV file with a header row (e.g. ${w.columns[1]}) and ${w.perRow[1]} below it.`,
  );

const saveAs = (w: TableWording): [string, string] => [
  `Mở tệp trong Excel, chọn Tệp → Lưu thành, chọn kiểu "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8 (*.csv)" rồi ${w.again[0]}.`,
  `Open it in Excel, choose File → Save As, pick "Excel Workbook (*.xlsx)" or "CSV UTF-8 (Comma delimited) (*.csv)" and ${w.again[1]}.`,
];

// --- Telling the format -----------------------------------------------------------------------------------------------

type Sniffed = { format: 'xlsx' } | { format: 'csv'; encoding: Encoding } | { error: TableFileError };

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

function sniff(name: string, data: Uint8Array, w: TableWording): Sniffed {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (startsWith(data, ZIP)) return { format: 'xlsx' };
  if (startsWith(data, EMPTY_ZIP)) return { error: notAWorkbook(name, extension, w) };
  if (startsWith(data, OLE)) {
    if (extension === 'xlsx' || extension === 'xlsm') {
      return {
        error: fileError(
          'unknown_format',
          null,
          `Tệp "${name}" được đặt mật khẩu (hoặc là tệp Excel đời cũ mang đuôi .xlsx) nên không đọc được. Mở tệp trong Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại dạng .xlsx rồi ${w.again[0]}.`,
          `"${name}" is password-protected (or an old Excel file named .xlsx), so it cannot be read. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save it as .xlsx and ${w.again[1]}.`,
        ),
      };
    }
    return {
      error: fileError(
        'unknown_format',
        null,
        `Tệp "${name}" là tệp Excel đời cũ (.xls) hoặc tài liệu Office cũ, chưa đọc được. ${saveAs(w)[0]}`,
        `"${name}" is an old-style Excel file (.xls) or an old Office document, which cannot be read. ${saveAs(w)[1]}`,
      ),
    };
  }
  const signature = SIGNATURES.find((s) => startsWith(data, s.bytes));
  if (signature) return { error: binary(name, signature.vi, signature.en, w) };

  let encoding: Encoding;
  if (startsWith(data, [0xef, 0xbb, 0xbf])) encoding = 'utf-8';
  else if (startsWith(data, [0xff, 0xfe])) encoding = 'utf-16le';
  else if (startsWith(data, [0xfe, 0xff])) encoding = 'utf-16be';
  else {
    const guessed = utf16ByNuls(data);
    if (guessed === 'binary') return { error: binary(name, 'một tệp nhị phân, không phải văn bản', 'a binary file, not text', w) };
    encoding = guessed;
  }
  // Software that "exports to Excel" often writes a web page or an XML spreadsheet named .xls.
  const head = new TextDecoder(encoding).decode(data.subarray(0, 2048)).replace(/^\uFEFF/, '');
  if (/^\s*<(!doctype\s+html|html|table|\?xml|meta|head|body)\b/i.test(head)) {
    return {
      error: fileError(
        'unknown_format',
        null,
        `Tệp "${name}" là trang web (HTML) hoặc XML mang đuôi Excel (thường gặp khi xuất từ phần mềm quản lý), không phải bảng tính thật. ${saveAs(w)[0]}`,
        `"${name}" is a web page (HTML) or XML file with a spreadsheet name (as some software exports "to Excel"), not a real spreadsheet. ${saveAs(w)[1]}`,
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

const binary = (name: string, vi: string, en: string, w: TableWording) =>
  fileError(
    'binary',
    null,
    `Tệp "${name}" là ${vi}, không phải danh sách dạng bảng. ${w.ask[0]} danh sách dạng Excel (.xlsx) hoặc CSV: dòng đầu là tên cột, ${w.perRow[0]}.`,
    `"${name}" is ${en}, not a list in a table. ${w.ask[1]} the list as an Excel (.xlsx) or CSV file: the column names on the first row, ${w.perRow[1]}.`,
  );

const notAWorkbook = (name: string, extension: string, w: TableWording) =>
  fileError(
    'unknown_format',
    null,
    `Tệp "${name}" là tệp nén ZIP${extension && extension !== 'zip' && extension !== 'xlsx' ? ` (.${extension})` : ''} nhưng không phải sổ Excel (.xlsx); tài liệu Word hay bảng tính LibreOffice (.ods) chưa đọc được. Mở danh sách bằng Excel hoặc LibreOffice, lưu thành "Sổ làm việc Excel (*.xlsx)" hoặc "CSV UTF-8 (*.csv)" rồi ${w.again[0]}.`,
    `"${name}" is a ZIP archive${extension && extension !== 'zip' && extension !== 'xlsx' ? ` (.${extension})` : ''} but not an Excel workbook (.xlsx); Word documents and LibreOffice spreadsheets (.ods) cannot be read. Open the list in Excel or LibreOffice, save it as "Excel Workbook (*.xlsx)" or "CSV UTF-8 (*.csv)" and ${w.again[1]}.`,
  );

// --- Blank cells ------------------------------------------------------------------------------------------------------

/** White space and the invisible characters {@link cleanText} removes. */
const BLANK = /^[\s\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]*$/;
export const isBlank = (value: CellValue | undefined) => value === undefined || (typeof value === 'string' && BLANK.test(value));

// --- CSV --------------------------------------------------------------------------------------------------------------

function readCsv(
  data: Uint8Array,
  encoding: Encoding,
  how: { isHeaderCell: (cell: string) => boolean; wording: TableWording; to?: number },
): Table | TableFileError {
  const w = how.wording;
  let body: string;
  try {
    body = new TextDecoder(encoding, { fatal: true }).decode(data);
  } catch {
    return badEncoding(data, encoding, w);
  }
  body = body.normalize('NFC').replace(/\r\n?/g, '\n');
  if (body.replace(/^\uFEFF/, '').trim() === '') return emptyFileError(w);

  // Excel's "sep=;" hint line: it names the separator and is no row of the table.
  let delimiter: Delimiter | null;
  const hint = /^\uFEFF?"?sep=([,;\t])"?[ \t]*(?=\n|$)/i.exec(body);
  if (hint) {
    delimiter = hint[1] as Delimiter;
    // The line break stays: rows keep their line numbers.
    body = body.slice(hint[0].length);
  } else delimiter = detectDelimiter(body, how.isHeaderCell);

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
      ...(how.to ? { to: how.to } : {}),
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
        `Từ dòng ${line}, một dấu ngoặc kép (") được mở mà không đóng, nên phần còn lại của tệp không đọc được. Thêm dấu " đóng hoặc xóa dấu " thừa ở dòng đó, hoặc mở tệp trong Excel rồi lưu lại dạng "CSV UTF-8", rồi ${w.again[0]}.`,
        `From row ${line} on, a double quote (") is opened and never closed, so the rest of the file cannot be read. Close the quote or remove the stray " on that row, or open the file in Excel and save it again as "CSV UTF-8", then ${w.again[1]}.`,
      );
    }
    return fileError(
      'not_a_table',
      line,
      `Dòng ${line} không đọc được theo dạng CSV (thường do dấu ngoặc kép đặt sai chỗ). Sửa dòng đó, hoặc mở tệp trong Excel rồi lưu lại dạng "CSV UTF-8", rồi ${w.again[0]}.`,
      `Row ${line} cannot be read as CSV (usually a misplaced double quote). Fix that row, or open the file in Excel and save it again as "CSV UTF-8", then ${w.again[1]}.`,
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
 * The separator of the header: on the first of the first lines that, split by one of them, holds
 * header cells the caller knows, the one naming most of them (outside quotes: a separator inside a
 * quoted name does not count); else the one the first line with any holds most of. Excel writes
 * `;` in a Vietnamese locale, `,` in an English one, tab for "Unicode Text".
 */
function detectDelimiter(body: string, isHeaderCell: (cell: string) => boolean): Delimiter | null {
  const lines = body
    .slice(0, 64 * 1024)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, HEADER_SEARCH);
  for (const line of lines) {
    let best: { delimiter: Delimiter; known: number } | null = null;
    for (const delimiter of DELIMITERS) {
      const cells = splitOutsideQuotes(line, delimiter);
      if (cells.length < 2) continue;
      const known = cells.filter(isHeaderCell).length;
      if (known > (best?.known ?? 0)) best = { delimiter, known };
    }
    if (best) return best.delimiter;
    // A header of a single known column: a list of one column, whatever commas its values hold.
    if (isHeaderCell(line)) return null;
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

function badEncoding(data: Uint8Array, encoding: Encoding, w: TableWording): TableFileError {
  if (encoding !== 'utf-8') {
    return fileError(
      'bad_encoding',
      null,
      `Tệp có dấu hiệu mã UTF-16 nhưng bị hỏng (thiếu byte hoặc ký tự lỗi). ${saveAs(w)[0]}`,
      `The file is marked as UTF-16 but is damaged (a missing byte or a broken character). ${saveAs(w)[1]}`,
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
    `Tệp CSV không ở bảng mã UTF-8${where(true)}: có lẽ là bảng mã cũ (Windows-1258, TCVN3/ABC hay VNI), chữ tiếng Việt sẽ bị sai nên tệp không được đọc. Mở tệp trong Excel, chọn Tệp → Lưu thành, kiểu "CSV UTF-8 (Comma delimited) (*.csv)" rồi ${w.again[0]}, hoặc dùng thẳng tệp .xlsx. Nếu chữ hiển thị sai cả trong Excel (phông .VnTime, VNI-Times), chuyển mã sang Unicode trước, ví dụ bằng công cụ chuyển mã của UniKey.`,
    `The CSV file is not UTF-8${where(false)}: probably a legacy Vietnamese encoding (Windows-1258, TCVN3/ABC or VNI), which would garble the names, so the file was not read. Open it in Excel, choose File → Save As, pick "CSV UTF-8 (Comma delimited) (*.csv)" and ${w.again[1]}, or use the .xlsx file itself. If the text looks wrong in Excel too (.VnTime or VNI-Times fonts), convert it to Unicode first, e.g. with UniKey's converter.`,
  );
}

// --- xlsx -------------------------------------------------------------------------------------------------------------

async function readXlsx(name: string, data: Uint8Array, w: TableWording): Promise<Table | TableFileError> {
  const zip = zipContents(data);
  if (!zip) return damagedWorkbook(w);
  if (!zip.names.includes('xl/workbook.xml')) return notAWorkbook(name, /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '', w);
  if (zip.unpacked > XLSX_UNPACKED_LIMIT) {
    return fileError(
      'too_large',
      null,
      `Tệp Excel này khi giải nén lớn hơn 200 MB, quá sức đọc một lần. Chia danh sách thành nhiều tệp nhỏ hơn (hoặc xóa các trang tính, ảnh không cần) rồi ${w.ask[0].toLowerCase()} từng tệp.`,
      `This Excel file unpacks to more than 200 MB, too much to read at once. Split the list into smaller files (or remove sheets and pictures it does not need) and ${w.ask[1].toLowerCase()} them one by one.`,
    );
  }
  // Loaded when a workbook comes: exceljs is large, and most runs of the command line never read one.
  const excel = (await import('exceljs')).default;
  const workbook = new excel.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return damagedWorkbook(w);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return emptyFileError(w);

  const rows: TableRow[] = [];
  for (let r = 1; r <= sheet.rowCount; r += 1) {
    const row = sheet.findRow(r);
    if (!row) continue;
    const cells: CellValue[] = [];
    for (let c = 1; c <= row.cellCount; c += 1) {
      const cell = row.findCell(c);
      const value = cell ? xlsxCell(cell, excel.ValueType.Merge, w) : '';
      if (typeof value === 'object' && !(value instanceof Date)) return value;
      cells.push(value);
    }
    if (!cells.every(isBlank)) rows.push({ line: r, cells });
  }
  if (rows.length === 0) {
    return fileError(
      'empty',
      null,
      `Trang tính đầu tiên ("${sheet.name}") trống. Đưa danh sách lên trang tính đầu tiên: dòng đầu là tên cột (${w.columns[0]}…), ${w.perRow[0]}, rồi ${w.again[0]}.`,
      `The first sheet ("${sheet.name}") is empty. Put the list on the first sheet, the column names (${w.columns[1]}…) on its first row and ${w.perRow[1]}, and ${w.again[1]}.`,
    );
  }
  return { format: 'xlsx', encoding: null, delimiter: null, rows };
}

const damagedWorkbook = (w: TableWording) =>
  fileError(
    'unknown_format',
    null,
    `Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx nên không mở được. ${saveAs(w)[0]}`,
    `The Excel file is damaged or not a real .xlsx, so it cannot be opened. ${saveAs(w)[1]}`,
  );

/**
 * A cell's value as the reader needs it. A formula or an error refuses the file: the value stored
 * with a formula may be stale or missing, and the officer should check what is sent.
 */
function xlsxCell(cell: ExcelJS.Cell, merge: ExcelJS.ValueType, w: TableWording): CellValue | TableFileError {
  // A merged range holds its value in its first cell; the others show nothing in Excel either.
  if (cell.type === merge) return '';
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
      `Ô ${cell.address} chứa công thức (=${formula}); hệ thống chỉ đọc giá trị, không tính công thức. Trong Excel, chọn cả bảng, Sao chép rồi Dán đặc biệt → Chỉ giá trị (Paste Special → Values), lưu lại rồi ${w.again[0]}.`,
      `Cell ${cell.address} holds a formula (=${formula}); only values are read, formulas are not worked out. In Excel, select the whole table, Copy, then Paste Special → Values, save and ${w.again[1]}.`,
    );
  }
  if ('error' in value) {
    return fileError(
      'formula',
      Number(cell.row),
      `Ô ${cell.address} đang báo lỗi ${String(value.error)}. Sửa hoặc xóa ô đó (nếu là công thức: Sao chép rồi Dán đặc biệt → Chỉ giá trị), lưu lại rồi ${w.again[0]}.`,
      `Cell ${cell.address} shows the error ${String(value.error)}. Fix or clear that cell (for a formula: Copy, then Paste Special → Values), save and ${w.again[1]}.`,
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

// --- Cells ------------------------------------------------------------------------------------------------------------

/** A cell as text: numbers as written, a date as Vietnamese write it. */
export function asText(value: CellValue): string {
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
export function isoOfDate(value: Date): IsoDate {
  const day = 24 * 60 * 60 * 1000;
  return new Date(Math.round(value.getTime() / day) * day).toISOString().slice(0, 10);
}

/**
 * The digits of a national ID a sheet holds as a number, which lost its leading zeros: every CCCD
 * begins with 0 (its province code, 001 for Hà Nội), so 10 or 11 digits are padded to 12, and a
 * CMND of 8 digits to 9. Anything else is given as written (and is not a valid ID).
 */
export function nationalIdOfNumber(value: number): string {
  const shown = String(value);
  if (!Number.isSafeInteger(value) || value < 0) return shown;
  return shown.length === 10 || shown.length === 11 ? shown.padStart(12, '0') : shown.length === 8 ? shown.padStart(9, '0') : shown;
}
