import { text, type Locale } from '../i18n/text.ts';
import { SCHEDULE_PERIOD_CHOICES } from '../services/digest/request.ts';
import type { DigestScheduleRow } from '../services/digest/schedules.ts';

/** `#3 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0123 · ytd · CA-HN · vi` (in vi: `· từ đầu năm ·`). */
export function scheduleLine(s: DigestScheduleRow, locale: Locale): string {
  const scope = s.unitId === null ? text('tất cả đơn vị', 'all units')(locale) : (s.unitCode ?? String(s.unitId));
  const off = s.enabled ? '' : text(' · tạm dừng', ' · paused')(locale);
  // In English, the preset's own name, as `period:` takes it; in Vietnamese, its label.
  const preset = SCHEDULE_PERIOD_CHOICES.find((c) => c.value === s.period);
  const what =
    s.kind === 'overdue'
      ? text('nhắc việc quá hạn', 'overdue reminders')(locale)
      : text(preset ? preset.label('vi') : s.period, s.period)(locale);
  return `#${s.id} · ${s.cron} (${s.timeZone}) · ${s.targetPlatform}:${s.targetChannel} · ${what} · ${scope} · ${s.locale}${off}`;
}
