import type { FollowUpView } from '../repositories/follow-ups.ts';
import { FOLLOW_UP_STATUS_LABEL } from '../i18n/labels.ts';
import { formatDate, text, type Locale } from '../i18n/text.ts';

/** `#12 · TN-2021-000001 · Xác minh nơi ở → officer.hn · hạn 01/09/2024 · QUÁ HẠN` */
export function followUpLine(f: FollowUpView, locale: Locale, today: string): string {
  const parts = [`#${f.id}`];
  if (f.caseCode) parts.push(f.caseCode);
  parts.push(`${f.task} → ${f.assignee}`);
  if (f.dueOn) parts.push(`${text('hạn', 'due')(locale)} ${formatDate(locale, f.dueOn)}`);
  if (f.status !== 'open') parts.push(FOLLOW_UP_STATUS_LABEL[f.status](locale));
  else if (f.dueOn && f.dueOn < today) parts.push(text('QUÁ HẠN', 'OVERDUE')(locale));
  return parts.join(' · ');
}
