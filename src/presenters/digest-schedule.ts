import type { Locale } from '../i18n/text.ts';
import type { DigestSchedule } from '../services/digest/schedules.ts';

/** `#3 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0123 · ytd · CA-HN · vi`. */
export function scheduleLine(s: DigestSchedule, unitCodes: Map<number, string>, locale: Locale): string {
  const scope = s.unitId === null ? (locale === 'vi' ? 'tất cả đơn vị' : 'all units') : (unitCodes.get(s.unitId) ?? String(s.unitId));
  const off = s.enabled ? '' : locale === 'vi' ? ' · tạm dừng' : ' · paused';
  const what = s.kind === 'overdue' ? (locale === 'vi' ? 'nhắc việc quá hạn' : 'overdue reminders') : s.period;
  return `#${s.id} · ${s.cron} (${s.timeZone}) · ${s.targetPlatform}:${s.targetChannel} · ${what} · ${scope} · ${s.locale}${off}`;
}
