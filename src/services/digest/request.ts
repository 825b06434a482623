import { CronExpressionParser } from 'cron-parser';
import type { Executor } from '../../../db/client.ts';
import type { Scope } from '../../domain/scope.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { dayIn, type IsoDate } from '../../domain/dates.ts';
import { formatDate, text } from '../../i18n/text.ts';
import { findUnitByCode } from '../../repositories/units.ts';
import { presetPeriod, type Period, type PeriodPreset } from './period.ts';

/** Choices of the `period` option, with the Vietnamese words accepted. */
export const PERIOD_CHOICES = [
  { value: 'week', label: text('tuần trước', 'last week'), aliases: ['tuan', 'tuần'] },
  { value: 'month', label: text('tháng trước', 'last month'), aliases: ['thang', 'tháng'] },
  { value: 'quarter', label: text('quý trước', 'last quarter'), aliases: ['quy', 'quý'] },
  { value: 'ytd', label: text('từ đầu năm', 'year to date'), aliases: ['dau-nam', 'đầu năm', 'nam', 'năm'] },
  { value: 'since-last', label: text('từ báo cáo trước', 'since the last digest'), aliases: ['tu-lan-truoc'] },
] as const;

/** A schedule may also cover the time since the committee's last meeting in its channel. */
export const SCHEDULE_PERIOD_CHOICES = [
  ...PERIOD_CHOICES,
  { value: 'since-meeting', label: text('từ cuộc họp trước', 'since the last meeting'), aliases: ['tu-cuoc-hop-truoc'] },
] as const;

/**
 * The scope and period a digest request asks for. The unit must be the member's own or below it
 * (`scope` null: the operator at the command line, who may ask for any unit or everything).
 */
export async function resolveDigestRequest(
  db: Executor,
  input: {
    scope: Scope | null;
    unitCode?: string | undefined;
    preset?: PeriodPreset | undefined;
    from?: IsoDate | undefined;
    to?: IsoDate | undefined;
    today: IsoDate;
    lastTo?: IsoDate | undefined;
  },
): Promise<Result<{ scopeUnitId: number | null; period: Period }>> {
  let scopeUnitId: number | null = input.scope ? input.scope.unitId : null;
  if (input.unitCode) {
    const unit = await findUnitByCode(db, input.unitCode.toUpperCase());
    if (!unit) return fail('not_found', text(`Không có đơn vị ${input.unitCode}.`, `There is no unit ${input.unitCode}.`));
    if (input.scope && !input.scope.unitIds.includes(unit.id)) {
      return fail('denied', text(`Đơn vị ${unit.code} nằm ngoài phạm vi của bạn.`, `Unit ${unit.code} is outside your scope.`));
    }
    scopeUnitId = unit.id;
  }
  if ((input.from === undefined) !== (input.to === undefined)) {
    return fail(
      'invalid',
      text('Cần cả from và to (YYYY-MM-DD), hoặc một kỳ có sẵn.', 'Give both from and to (YYYY-MM-DD), or a preset period.'),
    );
  }
  if (input.from && input.to) {
    if (input.from > input.to) {
      const { from, to } = input;
      return fail(
        'invalid',
        text(
          `Ngày bắt đầu ${formatDate('vi', from)} sau ngày kết thúc ${formatDate('vi', to)}.`,
          `The start ${formatDate('en', from)} is after the end ${formatDate('en', to)}.`,
        ),
      );
    }
    return ok({ scopeUnitId, period: { from: input.from, to: input.to } });
  }
  if (input.preset === 'since-last' && input.lastTo === undefined) {
    // Only a schedule has a previous digest to start from; guessing a period here would overlap.
    return fail(
      'invalid',
      text(
        'Kỳ since-last (từ báo cáo trước) chỉ dùng được cho lịch gửi báo cáo, vì kỳ này bắt đầu từ ngày sau kỳ của báo cáo trước; hãy dùng from và to, hoặc kỳ khác như week.',
        "since-last needs a schedule: it starts where the schedule's previous digest ended. Use from and to dates, or a preset such as week.",
      ),
    );
  }
  return ok({ scopeUnitId, period: presetPeriod(input.preset ?? 'ytd', input.today, input.lastTo) });
}

/**
 * `since-last` reports whole days, each once: the days after the previous digest's period up to
 * yesterday. A schedule firing twice a day would leave its second digest no whole day to report
 * (see `presetPeriod`), so such a schedule is refused for it. `cron` is already checked.
 */
export function checkSinceLastSchedule(input: { cron: string; timeZone: string; period: string; now: Date }): Result<void> {
  if (input.period !== 'since-last') return ok(undefined);
  const days = CronExpressionParser.parse(input.cron, { tz: input.timeZone, currentDate: input.now })
    .take(60)
    .map((slot) => dayIn(input.timeZone, slot.toDate()));
  if (new Set(days).size === days.length) return ok(undefined);
  return fail(
    'invalid',
    text(
      `Lịch "${input.cron}" gửi nhiều lần trong một ngày, nên kỳ since-last (từ báo cáo trước, tính theo ngày) không dùng được; hãy chọn lịch gửi mỗi ngày một lần, hoặc một kỳ khác.`,
      `"${input.cron}" fires more than once a day, and since-last covers whole days since the previous digest; use a schedule that fires at most once a day, or another period.`,
    ),
  );
}
