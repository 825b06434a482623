import { CronExpressionParser } from 'cron-parser';
import { validate as nodeCronAccepts } from 'node-cron';
import type { Executor } from '../../../db/client.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { text } from '../../i18n/text.ts';
import {
  deleteSchedule,
  insertSchedule,
  selectSchedules,
  type DigestScheduleRow,
  type NewSchedule,
} from '../../repositories/digest-schedules.ts';
import { PERIOD_PRESETS } from './period.ts';
import { checkSinceLastSchedule } from './request.ts';

export type { DigestSchedule, DigestScheduleRow } from '../../repositories/digest-schedules.ts';
/** The periods a schedule may cover: the presets, or since the committee's last meeting. */
export const SCHEDULE_PERIODS = [...PERIOD_PRESETS, 'since-meeting'] as const;
export type SchedulePeriod = (typeof SCHEDULE_PERIODS)[number];
export const SCHEDULE_KINDS = ['digest', 'overdue'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a schedule before it is stored: a five-field cron expression (minute hour day month
 * weekday) and an IANA time zone. A bad one is refused, never stored to fail later.
 */
export function checkCron(cron: string, timeZone: string): Result<string> {
  const expression = cron.trim().replace(/\s+/g, ' ');
  if (!isTimeZone(timeZone)) {
    return fail(
      'invalid',
      text(
        `Múi giờ "${timeZone}" không hợp lệ; dùng dạng Khu vực/Thành phố, ví dụ Asia/Ho_Chi_Minh.`,
        `"${timeZone}" is not a time zone; use Area/City, such as Asia/Ho_Chi_Minh.`,
      ),
    );
  }
  const bad = text(
    `Biểu thức cron "${expression}" không hợp lệ; cần 5 trường: phút giờ ngày tháng thứ, ví dụ "0 7 * * 1" (7 giờ sáng thứ Hai).`,
    `"${expression}" is not a valid cron expression; it needs 5 fields, minute hour day month weekday, such as "0 7 * * 1" (7:00 on Mondays).`,
  );
  if (expression.split(' ').length !== 5) return fail('invalid', bad);
  // Both must read it: cron-parser finds the slots, node-cron fires them (and refuses `H`, which
  // cron-parser takes).
  if (!nodeCronAccepts(expression)) return fail('invalid', bad);
  try {
    CronExpressionParser.parse(expression, { tz: timeZone, strict: false }).next();
  } catch {
    return fail('invalid', bad);
  }
  return ok(expression);
}

/** The most recent time the schedule fired at or before `now`. */
export function latestSlot(cron: string, timeZone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { tz: timeZone, currentDate: new Date(now.getTime() + 1) })
    .prev()
    .toDate();
}

export async function addSchedule(
  db: Executor,
  input: Omit<NewSchedule, 'period' | 'kind'> & {
    period: SchedulePeriod;
    kind?: ScheduleKind;
    /** For checking a `since-last` schedule's next firings. */
    now?: Date;
  },
): Promise<Result<DigestScheduleRow>> {
  const cron = checkCron(input.cron, input.timeZone);
  if (!cron.ok) return cron;
  const daily = checkSinceLastSchedule({ cron: cron.value, timeZone: input.timeZone, period: input.period, now: input.now ?? new Date() });
  if (!daily.ok) return daily;
  const { now: _now, ...schedule } = input;
  const row = await insertSchedule(db, { ...schedule, cron: cron.value, kind: input.kind ?? 'digest' });
  const [stored] = await selectSchedules(db, { id: row.id });
  return ok(stored!);
}

/**
 * The schedules, by id. `withinUnits` keeps those whose scope is one of these units (a member's
 * own): a schedule of every unit is left out then, since it reports on units beyond theirs.
 */
export async function listSchedules(
  db: Executor,
  options: { enabledOnly?: boolean; withinUnits?: number[] } = {},
): Promise<DigestScheduleRow[]> {
  return selectSchedules(db, options);
}

/** Deletes a schedule and its run ledger. False when there was none with that id (within `withinUnits`, when given). */
export async function removeSchedule(db: Executor, id: number, options: { withinUnits?: number[] } = {}): Promise<boolean> {
  return deleteSchedule(db, { id, ...options });
}
