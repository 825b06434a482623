import type { Executor } from '../../db/client.ts';
import type { CaseStatus, Danger, Gender, Locale } from '../../db/schema/index.ts';
import { decisionsOfCases, type DecisionRow } from '../repositories/case-decisions.ts';
import { casesForExport, type CaseExportRow } from '../repositories/cases.ts';
import { CSV_COLUMNS } from './case-import.ts';

/**
 * `casedesk export cases FILE`: the wanted list as `casedesk import cases` reads it, the same
 * columns in the same order, so that an export imported back (into this database or a fresh one)
 * gives the same cases: re-imported here it changes nothing. The words (danger, status, gender,
 * has_photo) are in the operator's language, among those the import accepts; dates are
 * `YYYY-MM-DD` (the writer may make them spreadsheet dates); aliases are joined by `; `.
 *
 * @example
 *   for await (const page of caseExportPages(db, { unitIds: null, locale: 'vi' })) for (const row of page) csv.write(row);
 */

export type CaseExportColumn = (typeof CSV_COLUMNS)[number];
/** A row of the export: text, a year, or nothing. */
export type CaseExportRecord = Record<CaseExportColumn, string | number | null>;

/** Columns a writer may keep as dates (their values are `YYYY-MM-DD`). */
export const EXPORT_DATE_COLUMNS: ReadonlySet<CaseExportColumn> = new Set(['wanted_on', 'resolved_on', 'cancelled_on']);

const PAGE = 1000;

const WORDS: Record<
  Locale,
  { danger: Record<Danger, string>; status: Record<CaseStatus, string>; gender: Record<Gender, string>; yes: string; no: string }
> = {
  vi: {
    danger: { normal: 'bình thường', dangerous: 'nguy hiểm', especially_dangerous: 'đặc biệt nguy hiểm' },
    status: { wanted: 'truy nã', arrested: 'bắt', surrendered: 'đầu thú', cleared: 'thanh loại', cancelled: 'đình nã' },
    gender: { male: 'nam', female: 'nữ', other: 'khác' },
    yes: 'có',
    no: 'không',
  },
  en: {
    danger: { normal: 'normal', dangerous: 'dangerous', especially_dangerous: 'especially dangerous' },
    status: { wanted: 'wanted', arrested: 'arrested', surrendered: 'surrendered', cleared: 'cleared', cancelled: 'cancelled' },
    gender: { male: 'male', female: 'female', other: 'other' },
    yes: 'yes',
    no: 'no',
  },
};

/**
 * The cases of some units (all when `unitIds` is null), in code order, a page at a time: a large
 * list is never held whole.
 */
export async function* caseExportPages(
  db: Executor,
  input: { unitIds: number[] | null; locale: Locale },
): AsyncGenerator<CaseExportRecord[]> {
  let afterCode: string | null = null;
  for (;;) {
    const page = await casesForExport(db, { unitIds: input.unitIds, afterCode, limit: PAGE });
    if (page.length === 0) return;
    const decisions = new Map<number, Array<DecisionRow & { current: boolean }>>();
    for (const d of await decisionsOfCases(db, { caseIds: page.map((c) => c.id) })) {
      decisions.set(d.caseId, [...(decisions.get(d.caseId) ?? []), d]);
    }
    yield page.map((c) => caseExportRecord(c, decisions.get(c.id) ?? [], input.locale));
    if (page.length < PAGE) return;
    afterCode = page.at(-1)!.code;
  }
}

/**
 * A case as a row of the file. Its decisions are the current documents of its current spell,
 * those an import of the row finds already recorded: the wanted decision dated on `wanted_on`,
 * and the latest cancellation dated from it on.
 */
export function caseExportRecord(c: CaseExportRow, decisions: Array<DecisionRow & { current: boolean }>, locale: Locale): CaseExportRecord {
  const words = WORDS[locale];
  const current = decisions.filter((d) => d.current);
  const wanted = current.filter((d) => d.kind === 'wanted' && d.decidedOn === c.wantedOn).at(-1);
  const cancellation = current.filter((d) => d.kind === 'cancellation' && d.decidedOn >= c.wantedOn).at(-1);
  return {
    code: c.code,
    full_name: c.fullName,
    aliases: c.aliases.join('; ') || null,
    birth_year: c.birthYear,
    gender: c.gender ? words.gender[c.gender] : null,
    national_id: c.nationalId,
    hometown: c.hometown,
    charges: c.charges,
    danger: words.danger[c.danger],
    unit: c.unitCode,
    wanted_decision_no: wanted?.number ?? null,
    wanted_on: c.wantedOn,
    status: words.status[c.status],
    resolved_on: c.resolvedOn,
    outcome_note: c.outcomeNote,
    cancellation_decision_no: cancellation?.number ?? null,
    cancelled_on: cancellation?.decidedOn ?? null,
    has_photo: c.hasPhoto ? words.yes : words.no,
    identifying_marks: c.identifyingMarks,
    criminal_history: c.criminalHistory,
  };
}
