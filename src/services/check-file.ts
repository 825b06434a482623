import { dayIn, daysInMonth, type IsoDate } from '../domain/dates.ts';
import { cleanMultilineText, cleanText, foldKey } from '../domain/text.ts';
import { formatNumber, text, type Text } from '../i18n/text.ts';
import {
  asText,
  emptyFileError,
  isBlank,
  isoOfDate,
  nationalIdOfNumber,
  readTableFile,
  type CellValue,
  type Delimiter,
  type Encoding,
  type Table,
  type TableFileErrorCode,
  type TableRow,
  type TableWording,
} from './table-file.ts';

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
  encoding: Encoding | null;
  /** null for xlsx, and for a CSV of a single column (it has no separator). */
  delimiter: Delimiter | null;
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

export type CheckFileErrorCode = TableFileErrorCode | 'no_name_column' | 'duplicate_column' | 'header_only' | 'too_many_rows' | 'no_rows';

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
  const read = await readTableFile({
    name,
    data,
    isHeaderCell: (cell) => HEADER_KEYS.has(headerKey(cell)),
    wording: WORDING,
    // Past the header search and the row limit, the file is too long whatever follows.
    to: HEADER_SEARCH + CHECK_FILE_LIMITS.rows + 1,
  });
  if (!read.ok) return read;
  return tabulate(read.table, today);
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

/** The words of the reader's messages: a list is sent in chat, a person per row. */
const WORDING: TableWording = {
  again: ['gửi lại', 'send it again'],
  ask: ['Gửi', 'Send'],
  perRow: ['mỗi người một dòng', 'one person per row'],
  columns: ['Họ tên, Năm sinh, CCCD, Quê quán', 'Full name, Birth year, National ID, Hometown'],
};

const emptyFile = () => ({ ok: false as const, error: emptyFileError(WORDING) });

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

const pad = (n: number) => String(n).padStart(2, '0');

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
    const digits = nationalIdOfNumber(value);
    return /^\d{9}$|^\d{12}$/.test(digits) ? { value: digits } : { bad: { hintVi: '', hintEn: '', shown: String(value) } };
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
