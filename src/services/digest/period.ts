import { addDays, daysInMonth, type IsoDate } from '../../domain/dates.ts';
import { formatDate, text, type Locale } from '../../i18n/text.ts';

export const PERIOD_PRESETS = ['week', 'month', 'quarter', 'ytd', 'since-last'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** Inclusive calendar days in the configured time zone. */
export interface Period {
  from: IsoDate;
  to: IsoDate;
  preset?: PeriodPreset;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number): IsoDate => `${y}-${pad(m)}-${pad(d)}`;
const parts = (day: IsoDate) => day.split('-').map(Number) as [number, number, number];

/** The same day a year earlier; 29 February becomes 28 February. */
export function yearEarlier(day: IsoDate): IsoDate {
  const [y, m, d] = parts(day);
  return iso(y - 1, m, Math.min(d, daysInMonth(y - 1, m)));
}

/**
 * The period a preset means on `today`: the last complete one, so that a digest sent on Monday
 * morning covers last week and one sent on 1 September covers "the first 8 months".
 * - `week`: the last complete Monday–Sunday week;
 * - `month`, `quarter`: the last complete calendar month or quarter;
 * - `ytd`: 1 January to yesterday (on 1 January: the whole previous year);
 * - `since-last`: the day after the previous digest's period ended (`lastTo`) to yesterday, so
 *   that a schedule's digests follow one another without overlap or gap. With no previous digest
 *   (a schedule's first), the last 7 days. When the previous digest already reached yesterday (a
 *   schedule changed to fire more than once a day: `checkSinceLastSchedule` refuses one added so),
 *   no whole day is left to report: the period is today alone, so far, never a day reported. A request without a schedule has no
 *   previous digest, and `resolveDigestRequest` refuses `since-last` for it.
 */
export function presetPeriod(preset: PeriodPreset, today: IsoDate, lastTo?: IsoDate): Period {
  const yesterday = addDays(today, -1);
  const [y, m] = parts(today);
  switch (preset) {
    case 'week': {
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      const lastSunday = addDays(today, -weekday - 1);
      return { from: addDays(lastSunday, -6), to: lastSunday, preset };
    }
    case 'month': {
      const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
      return { from: iso(py, pm, 1), to: iso(py, pm, daysInMonth(py, pm)), preset };
    }
    case 'quarter': {
      const q = Math.floor((m - 1) / 3); // this quarter, 0-based
      const [qy, pq] = q === 0 ? [y - 1, 3] : [y, q - 1];
      const first = pq * 3 + 1;
      return { from: iso(qy, first, 1), to: iso(qy, first + 2, daysInMonth(qy, first + 2)), preset };
    }
    case 'ytd': {
      const [yy] = parts(yesterday);
      return { from: iso(yy, 1, 1), to: yesterday, preset };
    }
    case 'since-last': {
      if (lastTo === undefined) return { from: addDays(today, -7), to: yesterday, preset };
      if (lastTo >= yesterday) return { from: today, to: today, preset };
      return { from: addDays(lastTo, 1), to: yesterday, preset };
    }
  }
}

/** The same period one year earlier, for the comparison. */
export function sameTimeLastYear(period: Period): Period {
  return { from: yearEarlier(period.from), to: yearEarlier(period.to) };
}

/**
 * How a report names the period: "8 tháng đầu năm 2024" / "the first 8 months of 2024" when it
 * runs from 1 January to a month's end; "tháng 8/2024" / "August 2024" for one whole month;
 * otherwise the two dates.
 */
export function describePeriod(locale: Locale, period: Period): string {
  const [fy, fm, fd] = parts(period.from);
  const [ty, tm, td] = parts(period.to);
  const monthEnd = td === daysInMonth(ty, tm);
  if (fy === ty && fd === 1 && monthEnd) {
    if (fm === 1 && tm === 12) return text(`năm ${ty}`, `the year ${ty}`)(locale);
    if (fm === 1 && tm > 1) return text(`${tm} tháng đầu năm ${ty}`, `the first ${tm} months of ${ty}`)(locale);
    if (fm === tm) {
      const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(ty, tm - 1, 1)),
      );
      return text(`tháng ${tm}/${ty}`, month)(locale);
    }
  }
  if (period.from === period.to) return text(`ngày ${formatDate('vi', period.from)}`, formatDate('en', period.from))(locale);
  return text(
    `từ ${formatDate('vi', period.from)} đến ${formatDate('vi', period.to)}`,
    `${formatDate('en', period.from)} to ${formatDate('en', period.to)}`,
  )(locale);
}

/** The months a period touches, as `YYYY-MM`. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  let [y, m] = parts(period.from);
  const [ty, tm] = parts(period.to);
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${pad(m)}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}
