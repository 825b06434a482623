import type { Locale } from '../../db/schema/index.ts';
import { wallClock } from '../domain/dates.ts';
import type { Text } from '../domain/text.ts';

export type { Locale };

/**
 * A piece of user-facing text in every supported language, rendered once the reader's locale is
 * known. Both languages are written side by side, so a missing translation fails to compile.
 *
 * Every user-facing string goes through it. Where a language needs its own number, date or plural
 * form, each side formats in its own locale:
 *
 * @example
 *   const hello: Text = text('Xin chào', 'Hello');
 *   hello('vi') === 'Xin chào'
 *   const count: Text = text(`${formatNumber('vi', n)} hồ sơ`, plural('en', n, 'case', 'cases'));
 *   // Inside a presenter, where the reader's locale is known:
 *   const heading = text(`Họp: ${meeting.title}`, `Meeting: ${meeting.title}`)(locale);
 */
export type { Text };

export const text =
  (vi: string, en: string): Text =>
  (locale) =>
    locale === 'vi' ? vi : en;

const INTL_LOCALE: Record<Locale, string> = { vi: 'vi-VN', en: 'en-US' };

/** `12.345` in vi, `12,345` in en. */
export function formatNumber(locale: Locale, value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** `7,5%` in vi, `7.5%` in en, from a ratio (`0.075`). */
export function formatPercent(locale: Locale, ratio: number, fractionDigits = 1): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: 'percent',
    minimumFractionDigits: 0,
    maximumFractionDigits: fractionDigits,
  })
    .format(ratio)
    .replace(/\u00A0/g, '');
}

/** `31/08/2024` in vi, `2024-08-31` in en, from an ISO calendar date. */
export function formatDate(locale: Locale, isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return locale === 'vi' ? `${d}/${m}/${y}` : `${y}-${m}-${d}`;
}

/** A date and time in `timeZone`: `31/08/2024 14:05` in vi, `2024-08-31 14:05` in en. */
export function formatDateTime(locale: Locale, instant: Date, timeZone: string): string {
  const c = wallClock(timeZone, instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${formatDate(locale, `${c.year}-${two(c.month)}-${two(c.day)}`)} ${two(c.hour)}:${two(c.minute)}`;
}
