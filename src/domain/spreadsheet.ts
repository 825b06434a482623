/**
 * Formula injection in CSV files a spreadsheet opens: a cell that begins with `=`, `+`, `-` or `@`
 * (or a tab or carriage return, which some spreadsheets skip before one) would be read as a
 * formula, so it is written as text behind an apostrophe, which is what the OWASP guidance on CSV
 * injection recommends. A charge list written `- Giết người` is such a cell.
 *
 * @example escapeFormula('=HYPERLINK("http://x")') === `'=HYPERLINK("http://x")`
 */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Undoes {@link escapeFormula} on a cell read back from a CSV file: an apostrophe before a formula
 * character goes; any other apostrophe is the text's own.
 *
 * @example unescapeFormula("'- Giết người") === '- Giết người'
 */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

const FORMULA_START = /^[=+\-@\t\r]/;
