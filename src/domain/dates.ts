/** A calendar day as `YYYY-MM-DD`, the form the database's `date` columns use. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a strict `YYYY-MM-DD` calendar date: `2020-02-31` and `31/02/2020` are refused
 * (`undefined`), unlike `new Date()`, which rolls them over.
 */
export function parseIsoDate(input: string): IsoDate | undefined {
  const m = ISO_DATE.exec(input.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month)) return undefined;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * Parses a day written day first, as Vietnamese write it and as Excel saves a CSV in a Vietnamese
 * locale: `15/03/2020`, `5/3/2020`. Strict like {@link parseIsoDate}: `30/02/2020` is refused.
 */
export function parseDayFirstDate(input: string): IsoDate | undefined {
  const m = DAY_FIRST.exec(input.trim());
  if (!m) return undefined;
  return parseIsoDate(`${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar day of `instant` in `timeZone`. */
export function dayIn(timeZone: string, instant: Date): IsoDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** `day` moved by `n` calendar days: `addDays('2024-03-01', -1)` is `'2024-02-29'`. */
export function addDays(day: IsoDate, n: number): IsoDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The instant `day` begins in `timeZone`: `startOfDayIn('Asia/Ho_Chi_Minh', '2024-09-01')` is 2024-08-31T17:00Z. */
export function startOfDayIn(timeZone: string, day: IsoDate): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  // The zone's offset at the guess, then at the corrected instant, in case an offset change falls between.
  const first = midnightUtc - offsetAt(timeZone, midnightUtc);
  return new Date(midnightUtc - offsetAt(timeZone, first));
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms). */
function offsetAt(timeZone: string, instant: number): number {
  const c = wallClock(timeZone, new Date(instant));
  return Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) - (instant - (instant % 1000));
}

/** What a clock and a calendar on the wall in `timeZone` show at `instant`. */
export function wallClock(timeZone: string, instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}
