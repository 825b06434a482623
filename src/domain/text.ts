import type { Locale } from '../../db/schema/index.ts';

/**
 * A piece of user-facing text in every supported language, rendered once the reader's locale is
 * known; made with `text(vi, en)` from src/i18n/text.ts.
 */
export type Text = (locale: Locale) => string;

/**
 * Characters that are invisible or reorder text: zero-width spaces and joiners, the soft hyphen,
 * the word joiner and invisible operators, bidi embeddings, overrides and isolates, the BOM.
 * Stripped from all user and file input, so that a name cannot hide from search or spoof its
 * display. Mirrors the class in the `casedesk_search_key` SQL function.
 */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Cleans a piece of user or file text: Unicode NFC (so NFD Vietnamese from some keyboards equals
 * the stored name), invisible and bidi-control characters removed, runs of white space folded,
 * trimmed.
 *
 * @example cleanText('Nguye\u0302\u0303n\u200B  Văn') === 'Nguyễn Văn'
 */
export function cleanText(input: string): string {
  return input.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** Like {@link cleanText}, but keeps line breaks (notes, outcome notes, criminal history). */
export function cleanMultilineText(input: string): string {
  return input
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/gu, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Where the first control character of `value` is, if any: the C0 controls but tab, line feed and
 * carriage return, DEL, and the C1 controls. Nobody types them, a NUL cannot even be stored, and
 * others hide in a terminal; a line holding one is refused rather than guessed at.
 */
export function findControlCharacter(value: string): { position: number; code: string } | undefined {
  let position = 0;
  for (const ch of value) {
    position += 1;
    const c = ch.codePointAt(0)!;
    if ((c <= 0x1f && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) {
      return { position, code: `U+${c.toString(16).toUpperCase().padStart(4, '0')}` };
    }
  }
  return undefined;
}

/**
 * The key used to compare words regardless of case and diacritics (`Đầu thú` → `dau thu`).
 * For matching vocabulary in the application; case search uses the database's own function.
 */
export function foldKey(input: string): string {
  return cleanText(input)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}
