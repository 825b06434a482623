import { formatNumber, type Locale } from './text.ts';

const RULES: Record<Locale, Intl.PluralRules> = { vi: new Intl.PluralRules('vi-VN'), en: new Intl.PluralRules('en-US') };

/**
 * A count and its noun, the number in the locale's format and the noun in the form the locale's
 * plural rules ask for. Vietnamese nouns do not change (its rules always answer `other`).
 *
 * @example
 *   plural('en', 1, 'follow-up', 'follow-ups') === '1 follow-up'
 *   plural('en', 12345, 'case', 'cases') === '12,345 cases'
 *   plural('vi', 1, 'việc', 'việc') === '1 việc'
 */
export function plural(locale: Locale, n: number, one: string, other: string): string {
  return `${formatNumber(locale, n)} ${RULES[locale].select(n) === 'one' ? one : other}`;
}
