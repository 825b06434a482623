import type { Locale } from '../i18n/text.ts';
import { SCHEDULE_PERIOD_CHOICES } from '../services/digest/request.ts';
import type { DigestScheduleRow } from '../services/digest/schedules.ts';

/** `#3 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0123 · ytd · CA-HN · vi` (in vi: `· từ đầu năm ·`). */
export function scheduleLine(s: DigestScheduleRow, locale: Locale): string {
  const scope = s.unitId === null ? (locale === 'vi' ? 'tất cả đơn vị' : 'all units') : (s.unitCode ?? String(s.unitId));
  const off = s.enabled ? '' : locale === 'vi' ? ' · tạm dừng' : ' · paused';
  // In English, the preset's own name, as `period:` takes it; in Vietnamese, its label.
  const preset = SCHEDULE_PERIOD_CHOICES.find((c) => c.value === s.period);
  const what =
    s.kind === 'overdue'
      ? locale === 'vi'
        ? 'nhắc việc quá hạn'
        : 'overdue reminders'
      : locale === 'vi' && preset
        ? preset.label('vi')
        : s.period;
  return `#${s.id} · ${s.cron} (${s.timeZone}) · ${s.targetPlatform}:${s.targetChannel} · ${what} · ${scope} · ${s.locale}${off}`;
}
