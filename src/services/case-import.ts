import type { Database, Executor } from '../../db/client.ts';
import type { CaseDetailKind, CaseStatus, DecisionKind, Gender } from '../../db/schema/index.ts';
import { dayIn, parseDayFirstDate, parseIsoDate, type IsoDate } from '../domain/dates.ts';
import { unescapeFormula } from '../domain/spreadsheet.ts';
import { cleanMultilineText, cleanText, foldKey } from '../domain/text.ts';
import { parseDanger, parseStatus, parseYesNo } from '../domain/vocabulary.ts';
import { DECISION_LABEL } from '../i18n/labels.ts';
import { text, type Text } from '../i18n/text.ts';
import {
  analyzeCases,
  findCasesByCodes,
  insertCaseEvents,
  insertCases,
  updateCasesAtVersion,
  type CaseEventInput,
  type CaseFields,
  type CaseRow,
} from '../repositories/cases.ts';
import { insertCaseDetails, type CaseDetailInput } from '../repositories/case-details.ts';
import { decisionsOfCases, insertDecisions, type DecisionInput, type DecisionRow } from '../repositories/case-decisions.ts';
import { listUnits } from '../repositories/units.ts';
import {
  asText,
  isBlank,
  isoOfDate,
  nationalIdOfNumber,
  readTableFile,
  type CellValue,
  type TableFileErrorCode,
  type TableWording,
} from './table-file.ts';

/**
 * `casedesk import cases FILE`: the official wanted list, loaded or reloaded as a whole, from a
 * CSV file (`,`, `;` or tab; UTF-8 or UTF-16 with its byte-order mark) or the first sheet of an
 * `.xlsx` workbook, read by the shared table reader (`table-file.ts`).
 * A file with any bad row imports nothing; every bad row is reported with its line number.
 * Re-importing updates cases by code and records each change as a case event. The file's decision
 * columns become decision documents (see {@link planDecisions}): the file keeps its format, the
 * database keeps their history. Identifying marks and criminal history new to a case become entries
 * too, with the file as their source (see {@link importedDetails}).
 */

export const CSV_COLUMNS = [
  'code',
  'full_name',
  'aliases',
  'birth_year',
  'gender',
  'national_id',
  'hometown',
  'charges',
  'danger',
  'unit',
  'wanted_decision_no',
  'wanted_on',
  'status',
  'resolved_on',
  'outcome_note',
  'cancellation_decision_no',
  'cancelled_on',
  'has_photo',
  'identifying_marks',
  'criminal_history',
] as const;
export const REQUIRED_COLUMNS = ['code', 'full_name', 'danger', 'unit', 'wanted_on', 'status'] as const;
type Column = (typeof CSV_COLUMNS)[number];

export type ImportErrorCode =
  | 'not_csv'
  | 'empty_file'
  | 'bad_encoding'
  | 'not_a_spreadsheet'
  | 'too_large'
  | 'formula'
  | 'unknown_column'
  | 'missing_column'
  | 'duplicate_column'
  | 'column_count'
  | 'missing_value'
  | 'bad_code'
  | 'too_long'
  | 'bad_date'
  | 'future_date'
  | 'bad_year'
  | 'bad_gender'
  | 'bad_national_id'
  | 'bad_danger'
  | 'bad_status'
  | 'bad_yes_no'
  | 'unknown_unit'
  | 'resolved_on_missing'
  | 'resolved_on_unexpected'
  | 'resolved_before_wanted'
  | 'cancelled_before_wanted'
  | 'cancelled_on_missing'
  | 'decision_corrected'
  | 'duplicate_code'
  | 'changed_meanwhile';

export interface ImportError {
  /** The physical line of the file (the header is line 1); 0 for the file as a whole. */
  line: number;
  code: ImportErrorCode;
  text: Text;
}

export interface ImportReport {
  dryRun: boolean;
  /** What the file was read as; null when it could not be read at all. */
  format: 'csv' | 'xlsx' | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Non-empty means nothing was written. */
  errors: ImportError[];
}

/** A decision as a file gives it: its number may be unknown, its day never is. */
export interface ImportedDecision {
  kind: DecisionKind;
  number: string | null;
  on: IsoDate;
}

/** A row of the file: the case's fields (the unit still a code) and its decisions. */
export interface ImportedCase {
  line: number;
  unitCode: string;
  fields: Omit<CaseFields, 'unitId' | 'spell'>;
  /** The wanted decision, then the cancellation decision when the row has one. */
  decisions: ImportedDecision[];
}

const LIMITS = {
  code: 40,
  full_name: 200,
  alias: 100,
  hometown: 300,
  charges: 1000,
  decision: 60,
  outcome_note: 2000,
  identifying_marks: 2000,
  criminal_history: 4000,
} as const;
const CODE = /^[A-Z0-9][A-Z0-9./-]*$/;
const GENDERS: Record<string, Gender> = {
  male: 'male',
  nam: 'male',
  m: 'male',
  female: 'female',
  nu: 'female',
  f: 'female',
  other: 'other',
  khac: 'other',
};

/** Compared between the file and the database to tell what a re-import changes. */
const COMPARED_FIELDS = [
  'fullName',
  'aliases',
  'birthYear',
  'gender',
  'nationalId',
  'hometown',
  'charges',
  'danger',
  'unitId',
  'wantedOn',
  'status',
  'resolvedOn',
  'outcomeNote',
  'hasPhoto',
  'identifyingMarks',
  'criminalHistory',
] as const satisfies ReadonlyArray<keyof CaseFields & keyof CaseRow>;

const SNAKE: Record<(typeof COMPARED_FIELDS)[number], string> = {
  fullName: 'full_name',
  aliases: 'aliases',
  birthYear: 'birth_year',
  gender: 'gender',
  nationalId: 'national_id',
  hometown: 'hometown',
  charges: 'charges',
  danger: 'danger',
  unitId: 'unit',
  wantedOn: 'wanted_on',
  status: 'status',
  resolvedOn: 'resolved_on',
  outcomeNote: 'outcome_note',
  hasPhoto: 'has_photo',
  identifyingMarks: 'identifying_marks',
  criminalHistory: 'criminal_history',
};

const e = (line: number, code: ImportErrorCode, vi: string, en: string): ImportError => ({ line, code, text: text(vi, en) });

/** The words of the table reader's messages for a file imported on the command line. */
const WORDING: TableWording = {
  again: ['nhập lại', 'import it again'],
  ask: ['Nhập', 'Import'],
  perRow: ['mỗi hồ sơ một dòng', 'one case per row'],
  columns: [REQUIRED_COLUMNS.join(', '), REQUIRED_COLUMNS.join(', ')],
};

const READ_ERRORS: Record<TableFileErrorCode, ImportErrorCode> = {
  empty: 'empty_file',
  not_a_table: 'not_csv',
  unknown_format: 'not_a_spreadsheet',
  binary: 'not_a_spreadsheet',
  bad_encoding: 'bad_encoding',
  too_large: 'too_large',
  formula: 'formula',
};

const DATE_COLUMNS: ReadonlySet<string> = new Set<Column>(['wanted_on', 'resolved_on', 'cancelled_on']);

/** A header cell as compared: `Full name` and `full_name` are the same column. */
const columnKey = (cell: string) => foldKey(cell).replace(/ /g, '_');

/**
 * A cell of the file as the row checks read it. An xlsx date is its calendar day in a date column;
 * a national ID typed as a number gets back the leading zeros Excel dropped (see
 * {@link nationalIdOfNumber}); a CSV cell loses the apostrophe an export put before a formula
 * character ({@link unescapeFormula}).
 */
function cellOf(column: string, value: CellValue, format: 'csv' | 'xlsx'): string {
  if (value instanceof Date && DATE_COLUMNS.has(column)) return isoOfDate(value);
  if (typeof value === 'number' && column === 'national_id') return nationalIdOfNumber(value);
  if (typeof value !== 'string') return asText(value);
  return format === 'csv' ? unescapeFormula(value) : value;
}

/**
 * Reads and checks a CSV or xlsx file, without touching the database: units are checked by
 * {@link importCases}. The first row that is not blank is the header. Returns the rows or every
 * problem found.
 */
export async function parseCaseFile(
  input: { name: string; data: string | Uint8Array },
  options: { today: IsoDate },
): Promise<{ format: 'csv' | 'xlsx' | null; rows: ImportedCase[]; errors: ImportError[] }> {
  const data = typeof input.data === 'string' ? Buffer.from(input.data, 'utf8') : input.data;
  const read = await readTableFile({
    name: input.name,
    data,
    isHeaderCell: (cell) => (CSV_COLUMNS as readonly string[]).includes(columnKey(cell)),
    wording: WORDING,
  });
  if (!read.ok) {
    const { code, line, text: reason } = read.error;
    return { format: null, rows: [], errors: [{ line: line ?? 0, code: READ_ERRORS[code], text: reason }] };
  }
  const { format, rows: records } = read.table;
  if (records.length === 0) {
    return {
      format,
      rows: [],
      errors: [
        e(
          0,
          'empty_file',
          'Tệp rỗng: cần một dòng tiêu đề và các dòng dữ liệu.',
          'The file is empty: it needs a header row and data rows.',
        ),
      ],
    };
  }
  // Cells past the last named column that hold nothing (Excel writes some) are no column.
  const headerCells = records[0]!.cells;
  let width = headerCells.length;
  while (width > 0 && isBlank(headerCells[width - 1])) width -= 1;
  const header = headerCells.slice(0, width).map((cell) => columnKey(asText(cell)));
  const headerLine = records[0]!.line;
  const errors: ImportError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      errors.push(
        e(
          headerLine,
          'unknown_column',
          `Cột "${name}" không được hỗ trợ. Các cột hợp lệ: ${CSV_COLUMNS.join(', ')}.`,
          `Column "${name}" is not supported. Valid columns: ${CSV_COLUMNS.join(', ')}.`,
        ),
      );
    } else if (seen.has(name)) {
      errors.push(e(headerLine, 'duplicate_column', `Cột "${name}" xuất hiện hai lần.`, `Column "${name}" appears twice.`));
    }
    seen.add(name);
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name))
      errors.push(e(headerLine, 'missing_column', `Thiếu cột bắt buộc "${name}".`, `The required column "${name}" is missing.`));
  }
  if (errors.length) return { format, rows: [], errors };

  const rows: ImportedCase[] = [];
  const firstLineOfCode = new Map<string, number>();
  for (const { line, cells } of records.slice(1)) {
    // Blank cells past the header are nothing; a sheet leaves a row's trailing blank cells out, a CSV writes them all.
    let filled = cells.length;
    while (filled > width && isBlank(cells[filled - 1])) filled -= 1;
    if (filled > width || (format === 'csv' && filled < width)) {
      errors.push(
        e(line, 'column_count', `Dòng có ${filled} cột, tiêu đề có ${width}.`, `The row has ${filled} columns; the header has ${width}.`),
      );
      continue;
    }
    const values = Object.fromEntries(header.map((h, i) => [h, cellOf(h, cells[i] ?? '', format)])) as Partial<Record<Column, string>>;
    const parsed = parseRow(values, line, options.today);
    if ('errors' in parsed) {
      errors.push(...parsed.errors);
      continue;
    }
    const { code } = parsed.row.fields;
    const first = firstLineOfCode.get(code);
    if (first !== undefined) {
      errors.push(e(line, 'duplicate_code', `Mã ${code} đã có ở dòng ${first}.`, `Code ${code} already appears on line ${first}.`));
      continue;
    }
    firstLineOfCode.set(code, line);
    rows.push(parsed.row);
  }
  return { format, rows, errors };
}

function parseRow(
  values: Partial<Record<Column, string>>,
  line: number,
  today: IsoDate,
): { row: ImportedCase } | { errors: ImportError[] } {
  const errors: ImportError[] = [];
  const oneLine = (column: Column, limit?: number): string | null => {
    const value = cleanText(values[column] ?? '');
    if (!value) return null;
    if (limit !== undefined && [...value].length > limit) {
      errors.push(e(line, 'too_long', `${column} dài quá ${limit} ký tự.`, `${column} is longer than ${limit} characters.`));
    }
    return value;
  };
  const multiLine = (column: Column, limit: number): string | null => {
    const value = cleanMultilineText(values[column] ?? '');
    if (!value) return null;
    if ([...value].length > limit)
      errors.push(e(line, 'too_long', `${column} dài quá ${limit} ký tự.`, `${column} is longer than ${limit} characters.`));
    return value;
  };
  const required = (column: Column): string | null => {
    const value = cleanText(values[column] ?? '');
    if (!value) errors.push(e(line, 'missing_value', `Thiếu giá trị bắt buộc ở cột ${column}.`, `The required column ${column} is empty.`));
    return value || null;
  };
  const date = (column: Column, value: string | null): IsoDate | null => {
    if (!value) return null;
    // Day first is how Vietnamese write a date, and how Excel saves one in a CSV in a Vietnamese locale.
    const parsed = parseIsoDate(value) ?? parseDayFirstDate(value);
    if (!parsed) {
      errors.push(
        e(
          line,
          'bad_date',
          `${column}: "${value}" không phải ngày có thật, viết dạng YYYY-MM-DD hoặc DD/MM/YYYY.`,
          `${column}: "${value}" is not a real date written as YYYY-MM-DD or DD/MM/YYYY.`,
        ),
      );
      return null;
    }
    if (parsed > today) {
      errors.push(e(line, 'future_date', `${column}: ngày ${value} ở tương lai.`, `${column}: ${value} is in the future.`));
      return null;
    }
    return parsed;
  };

  const rawCode = required('code');
  const code = rawCode ? rawCode.toUpperCase().replace(/\s+/g, '') : null;
  if (code && (!CODE.test(code) || code.length > LIMITS.code)) {
    errors.push(
      e(
        line,
        'bad_code',
        `Mã hồ sơ "${code}" không hợp lệ (chữ, số, -, /, ., tối đa ${LIMITS.code} ký tự).`,
        `Case code "${code}" is not valid (letters, digits, -, /, ., ${LIMITS.code} characters at most).`,
      ),
    );
  }
  const fullName = required('full_name');
  if (fullName && [...fullName].length > LIMITS.full_name)
    errors.push(
      e(line, 'too_long', `full_name dài quá ${LIMITS.full_name} ký tự.`, `full_name is longer than ${LIMITS.full_name} characters.`),
    );
  const aliases = [...new Set((values.aliases ?? '').split(';').map(cleanText).filter(Boolean))];
  if (aliases.some((a) => [...a].length > LIMITS.alias))
    errors.push(
      e(line, 'too_long', `Mỗi tên gọi khác tối đa ${LIMITS.alias} ký tự.`, `Each alias must be ${LIMITS.alias} characters at most.`),
    );

  let birthYear: number | null = null;
  const rawYear = oneLine('birth_year');
  if (rawYear) {
    const year = Number(rawYear);
    const maxYear = Number(today.slice(0, 4));
    if (!/^\d{4}$/.test(rawYear) || year < 1900 || year > maxYear) {
      errors.push(
        e(
          line,
          'bad_year',
          `birth_year "${rawYear}" phải là năm từ 1900 đến ${maxYear}.`,
          `birth_year "${rawYear}" must be a year from 1900 to ${maxYear}.`,
        ),
      );
    } else birthYear = year;
  }
  let gender: Gender | null = null;
  const rawGender = oneLine('gender');
  if (rawGender) {
    gender = GENDERS[foldKey(rawGender)] ?? null;
    if (!gender)
      errors.push(
        e(
          line,
          'bad_gender',
          `gender "${rawGender}" không hợp lệ (nam, nữ, khác).`,
          `gender "${rawGender}" is not valid (male, female, other).`,
        ),
      );
  }
  const nationalId = oneLine('national_id');
  if (nationalId && !/^\d{9}(\d{3})?$/.test(nationalId)) {
    // 8, 10 or 11 digits: a sheet took the ID for a number and dropped its leading zero.
    const zero = /^\d{8}$|^\d{10,11}$/.test(nationalId);
    errors.push(
      e(
        line,
        'bad_national_id',
        `national_id "${nationalId}" phải gồm 9 hoặc 12 chữ số.${zero ? ' Có thể Excel đã làm mất số 0 ở đầu: định dạng cột là Văn bản (Text) rồi nhập lại số, hoặc dùng tệp .xlsx.' : ''}`,
        `national_id "${nationalId}" must be 9 or 12 digits.${zero ? ' Excel may have dropped its leading zero: format the column as Text and enter the number again, or use an .xlsx file.' : ''}`,
      ),
    );
  }
  const rawDanger = required('danger');
  const danger = rawDanger ? parseDanger(rawDanger) : undefined;
  if (rawDanger && !danger)
    errors.push(
      e(
        line,
        'bad_danger',
        `danger "${rawDanger}" không hợp lệ (thường, nguy hiểm, đặc biệt nguy hiểm).`,
        `danger "${rawDanger}" is not valid (normal, dangerous, especially_dangerous).`,
      ),
    );
  const rawStatus = required('status');
  const status: CaseStatus | undefined = rawStatus ? parseStatus(rawStatus) : undefined;
  if (rawStatus && !status)
    errors.push(
      e(
        line,
        'bad_status',
        `status "${rawStatus}" không hợp lệ (truy nã, bắt, đầu thú, thanh loại, đình nã).`,
        `status "${rawStatus}" is not valid (wanted, arrested, surrendered, cleared, cancelled).`,
      ),
    );
  const unitCode = required('unit')?.toUpperCase() ?? null;
  const wantedOn = date('wanted_on', required('wanted_on'));
  const resolvedOn = date('resolved_on', oneLine('resolved_on'));
  const rawResolved = oneLine('resolved_on');
  if (status && status !== 'wanted' && !rawResolved) {
    errors.push(
      e(
        line,
        'resolved_on_missing',
        `Trạng thái ${rawStatus} cần ngày kết quả ở cột resolved_on.`,
        `Status ${rawStatus} needs the outcome date in resolved_on.`,
      ),
    );
  }
  if (status === 'wanted' && rawResolved) {
    errors.push(
      e(
        line,
        'resolved_on_unexpected',
        'Hồ sơ đang truy nã không có ngày kết quả (resolved_on phải để trống).',
        'A wanted case has no outcome date (resolved_on must be empty).',
      ),
    );
  }
  if (resolvedOn && wantedOn && resolvedOn < wantedOn) {
    errors.push(
      e(
        line,
        'resolved_before_wanted',
        `resolved_on ${resolvedOn} trước wanted_on ${wantedOn}.`,
        `resolved_on ${resolvedOn} is before wanted_on ${wantedOn}.`,
      ),
    );
  }
  const wantedNo = oneLine('wanted_decision_no', LIMITS.decision);
  const cancellationNo = oneLine('cancellation_decision_no', LIMITS.decision);
  const rawCancelled = oneLine('cancelled_on');
  const cancelledOn = date('cancelled_on', rawCancelled);
  if (cancelledOn && wantedOn && cancelledOn < wantedOn) {
    errors.push(
      e(
        line,
        'cancelled_before_wanted',
        `cancelled_on ${cancelledOn} trước wanted_on ${wantedOn}.`,
        `cancelled_on ${cancelledOn} is before wanted_on ${wantedOn}.`,
      ),
    );
  }
  // A cancellation number alone is dated on the outcome's day; a wanted case has none to give it.
  // (A resolved row without its resolved_on already has its own error.)
  if (cancellationNo && !rawCancelled && status === 'wanted') {
    errors.push(
      e(
        line,
        'cancelled_on_missing',
        `Quyết định đình nã ${cancellationNo} cần ngày ban hành ở cột cancelled_on: hồ sơ đang truy nã nên không có ngày kết quả để lấy.`,
        `Cancellation decision ${cancellationNo} needs its date in cancelled_on: the case is wanted, so there is no outcome date to take it from.`,
      ),
    );
  }
  let hasPhoto = false;
  const rawPhoto = oneLine('has_photo');
  if (rawPhoto) {
    const yes = parseYesNo(rawPhoto);
    if (yes === undefined)
      errors.push(e(line, 'bad_yes_no', `has_photo "${rawPhoto}" phải là có/không.`, `has_photo "${rawPhoto}" must be yes or no.`));
    else hasPhoto = yes;
  }
  const rest = {
    hometown: oneLine('hometown', LIMITS.hometown),
    charges: multiLine('charges', LIMITS.charges),
    outcomeNote: multiLine('outcome_note', LIMITS.outcome_note),
    identifyingMarks: multiLine('identifying_marks', LIMITS.identifying_marks),
    criminalHistory: multiLine('criminal_history', LIMITS.criminal_history),
  };
  if (errors.length) return { errors };
  const outcomeOn = status === 'wanted' ? null : resolvedOn;
  const decisions: ImportedDecision[] = [{ kind: 'wanted', number: wantedNo, on: wantedOn! }];
  const cancellationOn = cancelledOn ?? outcomeOn;
  if ((cancellationNo || cancelledOn) && cancellationOn)
    decisions.push({ kind: 'cancellation', number: cancellationNo, on: cancellationOn });
  return {
    row: {
      line,
      unitCode: unitCode!,
      fields: {
        code: code!,
        fullName: fullName!,
        aliases,
        birthYear,
        gender,
        nationalId,
        danger: danger!,
        wantedOn: wantedOn!,
        status: status!,
        resolvedOn: outcomeOn,
        hasPhoto,
        ...rest,
      },
      decisions,
    },
  };
}

const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

type RecordedDecision = DecisionRow & { current: boolean };

/** A document a re-import records: new, or correcting (superseding) one the case has. */
interface DecisionChange {
  kind: DecisionKind;
  number: string | null;
  on: IsoDate;
  authority: string | null;
  supersedes: RecordedDecision | null;
}

/**
 * What a row's decisions change next to the documents the case has. For each decision of the file,
 * against the case's current documents of its kind (those no other supersedes):
 * - one with the same day and number, or on the same day when the file does not know the number,
 *   is the same document: nothing to record;
 * - one with the same number is redated by the file: the file's supersedes it;
 * - one on the same day whose number was unknown gets its number: the file's supersedes it;
 * - a wanted decision whose day the file corrects (the same spell, another wanted_on) supersedes
 *   the one dated on the old wanted_on;
 * - anything else is a new document.
 * A row describes the case's current spell, so only documents of that spell (dated from its
 * wanted_on) are corrected, and none when the row starts a new one: an earlier spell's decisions
 * are history, and their numbers may come again in another year. A correcting document keeps what
 * the file cannot say (the authority; the number when the file has none). A document that was
 * itself corrected before cannot be recorded again (the database keeps one of each), so a file
 * giving it back is refused with what is current.
 */
function planDecisions(input: {
  before: CaseRow;
  wantedOn: IsoDate;
  newSpell: boolean;
  file: ImportedDecision[];
  recorded: RecordedDecision[];
  line: number;
}): { changes: DecisionChange[] } | { error: ImportError } {
  const changes: DecisionChange[] = [];
  for (const f of input.file) {
    const ofKind = input.recorded.filter((d) => d.kind === f.kind);
    const current = ofKind.filter((d) => d.current);
    if (current.some((d) => d.decidedOn === f.on && (d.number === f.number || f.number === null))) continue;
    const ofSpell = input.newSpell ? [] : current.filter((d) => d.decidedOn >= input.before.wantedOn);
    const corrected =
      (f.number !== null ? ofSpell.find((d) => d.number === f.number) : undefined) ??
      (f.number !== null ? ofSpell.find((d) => d.decidedOn === f.on && d.number === null) : undefined) ??
      (f.kind === 'wanted' && input.wantedOn !== input.before.wantedOn
        ? ofSpell.find((d) => d.decidedOn === input.before.wantedOn)
        : undefined);
    const change: DecisionChange = {
      kind: f.kind,
      number: f.number ?? corrected?.number ?? null,
      on: f.on,
      authority: corrected?.authority ?? null,
      supersedes: corrected ?? null,
    };
    if (ofKind.some((d) => !d.current && d.decidedOn === change.on && d.number === change.number)) {
      return { error: correctedBefore(input.line, change, current) };
    }
    changes.push(change);
  }
  return { changes };
}

function correctedBefore(line: number, change: DecisionChange, current: RecordedDecision[]): ImportError {
  const name = (number: string | null, l: 'vi' | 'en') => number ?? (l === 'vi' ? 'không rõ số' : 'number unknown');
  const now = (l: 'vi' | 'en') => current.map((d) => `${name(d.number, l)}, ${d.decidedOn}`).join('; ') || '-';
  return {
    line,
    code: 'decision_corrected',
    text: (l) =>
      l === 'vi'
        ? `${DECISION_LABEL[change.kind](l)} (${name(change.number, l)}, ${change.on}) đã được đính chính trước đây; bản hiện hành: ${now(l)}. Sửa dòng này theo bản hiện hành.`
        : `${DECISION_LABEL[change.kind](l)} (${name(change.number, l)}, ${change.on}) was corrected before; the current one: ${now(l)}. Make this row say what is current.`,
  };
}

/** The event data of a recorded document. */
const decisionData = (c: DecisionChange) => ({
  kind: c.kind,
  number: c.number,
  on: c.on,
  ...(c.supersedes ? { supersedes: { number: c.supersedes.number, on: c.supersedes.decidedOn } } : {}),
});

/** Validates a CSV or xlsx file and, unless it is a dry run or has a bad row, writes it in one transaction. */
export async function importCases(
  db: Database,
  input: { data: string | Uint8Array; name?: string; dryRun?: boolean; now?: Date; timeZone: string },
): Promise<ImportReport> {
  const today = dayIn(input.timeZone, input.now ?? new Date());
  const { format, rows, errors } = await parseCaseFile({ name: input.name ?? 'cases.csv', data: input.data }, { today });
  const report: ImportReport = {
    dryRun: input.dryRun ?? false,
    format,
    rows: rows.length + countRowErrors(errors),
    created: 0,
    updated: 0,
    unchanged: 0,
    errors,
  };
  if (errors.length && rows.length === 0 && errors.every((x) => x.line <= 1)) return report;

  const unitIds = new Map((await listUnits(db)).map((u) => [u.code, u.id]));
  for (const row of rows) {
    if (!unitIds.has(row.unitCode)) {
      errors.push(
        e(
          row.line,
          'unknown_unit',
          `Không có đơn vị "${row.unitCode}" (xem: casedesk units list).`,
          `There is no unit "${row.unitCode}" (see: casedesk units list).`,
        ),
      );
    }
  }
  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    return report;
  }

  const run = async (tx: Executor) => {
    const existing = new Map<string, CaseRow>();
    for (const part of chunks(
      rows.map((r) => r.fields.code),
      1000,
    )) {
      for (const found of await findCasesByCodes(tx, part)) existing.set(found.code, found);
    }
    const recorded = new Map<number, RecordedDecision[]>();
    for (const part of chunks(
      [...existing.values()].map((c) => c.id),
      1000,
    )) {
      for (const d of await decisionsOfCases(tx, { caseIds: part })) {
        const list = recorded.get(d.caseId) ?? [];
        list.push(d);
        recorded.set(d.caseId, list);
      }
    }
    const toCreate: Array<{ fields: CaseFields; decisions: ImportedDecision[] }> = [];
    const toUpdate: Array<{
      fields: CaseFields;
      before: CaseRow;
      changes: Record<string, [unknown, unknown]>;
      newSpell: boolean;
      decisions: DecisionChange[];
    }> = [];
    const planErrors: ImportError[] = [];
    for (const row of rows) {
      const fields: CaseFields = { ...row.fields, unitId: unitIds.get(row.unitCode)! };
      const before = existing.get(fields.code);
      if (!before) {
        toCreate.push({ fields, decisions: row.decisions });
        continue;
      }
      const changes: Record<string, [unknown, unknown]> = {};
      for (const field of COMPARED_FIELDS) {
        if (!same(before[field], fields[field])) changes[SNAKE[field]] = [before[field] ?? null, fields[field] ?? null];
      }
      // Wanted again after the outcome (an escape, say): a new spell, whatever the file says
      // happened since; the earlier outcome stays in the figures of its day. Otherwise the file
      // corrects the spell it has, an outcome turned back to wanted included (a withdrawal).
      const newSpell = before.status !== 'wanted' && fields.wantedOn > before.wantedOn && fields.wantedOn >= before.resolvedOn!;
      fields.spell = newSpell ? before.spell + 1 : before.spell;
      if (newSpell) changes.spell = [before.spell, fields.spell];
      const plan = planDecisions({
        before,
        wantedOn: fields.wantedOn,
        newSpell,
        file: row.decisions,
        recorded: recorded.get(before.id) ?? [],
        line: row.line,
      });
      if ('error' in plan) {
        planErrors.push(plan.error);
        continue;
      }
      if (Object.keys(changes).length || plan.changes.length) {
        toUpdate.push({ fields, before, changes, newSpell, decisions: plan.changes });
      } else report.unchanged += 1;
    }
    if (planErrors.length) {
      report.unchanged = 0;
      errors.push(...planErrors);
      return;
    }
    report.created = toCreate.length;
    report.updated = toUpdate.length;
    if (report.dryRun) return;

    const events: CaseEventInput[] = [];
    const decisions: DecisionInput[] = [];
    const details: CaseDetailInput[] = [];
    const source = input.name ?? null;
    for (const part of chunks(toCreate)) {
      const created = await insertCases(
        tx,
        part.map((c) => c.fields),
      );
      const idOf = new Map(created.map((c) => [c.code, c.id]));
      for (const c of part) {
        const caseId = idOf.get(c.fields.code)!;
        events.push({ caseId, kind: 'created', actorLabel: 'import', data: {} });
        details.push(...importedDetails(caseId, c.fields, source));
        for (const d of c.decisions) decisions.push({ caseId, kind: d.kind, number: d.number, decidedOn: d.on, actorLabel: 'import' });
      }
    }
    for (const part of chunks(toUpdate)) {
      // Every row changed is written, a row whose only change is a document too: that bumps the
      // version, so a confirmation shown before the import is stale.
      const updated = await updateCasesAtVersion(tx, {
        rows: part.map((u) => ({ fields: u.fields, version: u.before.version })),
        fields: [...COMPARED_FIELDS, 'spell'],
      });
      if (updated.size !== part.length) {
        const stale = part.filter((u) => !updated.has(u.before.code)).map((u) => u.before.code);
        throw new ChangedMeanwhile(stale);
      }
      for (const u of part) events.push(...updateEvents(u, updated.get(u.before.code)!));
      for (const u of part) details.push(...importedDetails(u.before.id, u.fields, source, u.before));
      for (const u of part) {
        for (const d of u.decisions) {
          decisions.push({
            caseId: u.before.id,
            kind: d.kind,
            number: d.number,
            decidedOn: d.on,
            authority: d.authority,
            supersedesId: d.supersedes?.id ?? null,
            actorLabel: 'import',
          });
        }
      }
    }
    for (const part of chunks(decisions)) {
      // The plan left out every document the cases have; one the database still finds recorded
      // would be counted here as written when it was not.
      const written = await insertDecisions(tx, part);
      if (written !== part.length) throw new Error(`import: ${part.length - written} decision(s) were already recorded`);
    }
    for (const part of chunks(events, 1000)) await insertCaseEvents(tx, part);
    for (const part of chunks(details, 1000)) await insertCaseDetails(tx, part);
  };

  try {
    if (report.dryRun) await run(db);
    else {
      await db.transaction(run);
      // Fresh planner statistics after a large load, so the next lookups pick the right indexes.
      if (report.created + report.updated >= 1000) await analyzeCases(db);
    }
  } catch (error) {
    if (!(error instanceof ChangedMeanwhile)) throw error;
    report.created = report.updated = report.unchanged = 0;
    errors.push(
      e(
        0,
        'changed_meanwhile',
        `Trong lúc nhập, hồ sơ ${error.codes.slice(0, 5).join(', ')} đã bị người khác thay đổi; không có gì được nhập. Hãy chạy lại lệnh nhập.`,
        `While importing, ${error.codes.slice(0, 5).join(', ')} changed in the meantime; nothing was imported. Run the import again.`,
      ),
    );
  }
  errors.sort((a, b) => a.line - b.line);
  return report;
}

/**
 * The events of an updated case: one for its field changes, as before (with a document that came
 * with them), and one `decision` event for each other document recorded.
 */
function updateEvents(
  u: { fields: CaseFields; before: CaseRow; changes: Record<string, [unknown, unknown]>; newSpell: boolean; decisions: DecisionChange[] },
  version: number,
): CaseEventInput[] {
  const events: CaseEventInput[] = [];
  const caseId = u.before.id;
  // The document that goes with the change: the wanted decision of a subject wanted again, the
  // cancellation of an outcome.
  const lead: DecisionKind = u.fields.status === 'wanted' ? 'wanted' : 'cancellation';
  const decisions = [...u.decisions].sort((a, b) => Number(a.kind !== lead) - Number(b.kind !== lead));
  if (Object.keys(u.changes).length) {
    const first = decisions.shift();
    const statusChange = u.changes.status as [CaseStatus, CaseStatus] | undefined;
    const outcomeChanged = statusChange !== undefined || u.changes.resolved_on !== undefined;
    const fix =
      !u.newSpell && u.before.status !== 'wanted' && outcomeChanged ? (u.fields.status === 'wanted' ? 'withdrawn' : 'corrected') : null;
    events.push({
      caseId,
      kind: u.newSpell ? 'reopened' : statusChange ? (statusChange[1] === 'wanted' ? 'reopened' : 'status_changed') : 'updated',
      actorLabel: 'import',
      occurredOn: u.newSpell ? u.fields.wantedOn : statusChange && statusChange[1] !== 'wanted' ? u.fields.resolvedOn : null,
      data: { version, ...(fix ? { [fix]: true } : {}), changes: u.changes, ...(first ? { decision: decisionData(first) } : {}) },
    });
  }
  for (const d of decisions) {
    events.push({ caseId, kind: 'decision', actorLabel: 'import', occurredOn: d.on, data: { version, decision: decisionData(d) } });
  }
  return events;
}

/**
 * The identifying-detail entries an imported row adds: one for each of its identifying marks and
 * criminal history that is new to the case (every one the row has, for a case it creates), from
 * the file (`source`). A value the file empties leaves the case's entries as they are.
 */
function importedDetails(caseId: number, fields: CaseFields, source: string | null, before?: CaseRow): CaseDetailInput[] {
  const entry = (kind: CaseDetailKind, now: string | null | undefined, was: string | null | undefined): CaseDetailInput[] =>
    now && now !== was ? [{ caseId, kind, text: now, source, addedByLabel: 'import' }] : [];
  return [
    ...entry('marks', fields.identifyingMarks, before?.identifyingMarks),
    ...entry('history', fields.criminalHistory, before?.criminalHistory),
  ];
}

class ChangedMeanwhile extends Error {
  constructor(readonly codes: string[]) {
    super('changed meanwhile');
  }
}

function countRowErrors(errors: ImportError[]): number {
  return new Set(errors.filter((x) => x.line > 1).map((x) => x.line)).size;
}
