import { addDays, daysInMonth, type IsoDate } from './dates.ts';

/**
 * How often each wanted record is reviewed by its owning unit (NCIC's validation), and how early a
 * review shows as due. A record's review runs from its latest validation, or from its wanted date
 * when it has none: it is due `months` later, listed as due from `windowDays` before that day, and
 * overdue from the day after it.
 *
 * @example
 *   const policy: ValidationPolicy = { months: 12, windowDays: 30 };
 *   validationDueOn('2023-09-15', policy.months) === '2024-09-15'
 */
export interface ValidationPolicy {
  /** Months between two reviews (`CASEDESK_VALIDATION_MONTHS`, 1 to 60). */
  months: number;
  /** Days before its due date a review is listed as due (`CASEDESK_VALIDATION_WINDOW_DAYS`). */
  windowDays: number;
}

/** A review a year after the last, listed a month ahead: what casedesk does unless configured. */
export const DEFAULT_VALIDATION_POLICY: ValidationPolicy = { months: 12, windowDays: 30 };

/**
 * The day a review is due: `months` after `from`, on the last day of the month when that month is
 * shorter (`2024-02-29` + 12 months is `2025-02-28`), as PostgreSQL adds months to a date.
 */
export function validationDueOn(from: IsoDate, months: number): IsoDate {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Where a review stands on `today`: not yet due, due (within the window or on the day), or overdue. */
export type ValidationState = 'current' | 'due' | 'overdue';

/** The state of a review due on `dueOn`, on `today`, with the policy's window. */
export function validationState(dueOn: IsoDate, today: IsoDate, windowDays: number): ValidationState {
  if (dueOn < today) return 'overdue';
  return dueOn <= addDays(today, windowDays) ? 'due' : 'current';
}
