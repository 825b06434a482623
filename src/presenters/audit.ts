import type { ReplyMessage } from '../domain/reply.ts';
import { AUDIT_OUTCOME_LABEL } from '../i18n/labels.ts';
import { formatDateTime, formatNumber, text, type Locale, type Text } from '../i18n/text.ts';
import type { AuditReviewRow } from '../repositories/audit.ts';

/**
 * `#812 · 03/12/2026 14:05 · duc.nv (CA-HN) · slack C0123 · case show · TN-2024-000001 · thành công`.
 * What was typed beyond the command is left out: a note's text is the case's, not the audit's.
 */
export function auditLine(row: AuditReviewRow, locale: Locale, timeZone: string): string {
  const who = row.osUser
    ? `${row.osUser}@${row.osHost ?? '?'}${row.memberHandle ? ` → ${row.memberHandle}` : ''}`
    : row.memberHandle
      ? `${row.memberHandle}${row.memberUnit ? ` (${row.memberUnit})` : ''}`
      : text(`người lạ ${row.userId ?? '?'}`, `stranger ${row.userId ?? '?'}`)(locale);
  const where = row.channelId ? `${row.platform} ${row.channelId}` : row.platform;
  const parts = [`#${row.id}`, formatDateTime(locale, row.at, timeZone), who, where, row.command];
  if (row.caseCodes.length) parts.push(row.caseCodes.slice(0, 3).join(', ') + (row.caseCodes.length > 3 ? ' …' : ''));
  const outcome = AUDIT_OUTCOME_LABEL[row.outcome](locale);
  parts.push(row.detail && row.outcome !== 'ok' ? `${outcome} (${row.detail})` : outcome);
  return parts.join(' · ');
}

/** A review of audit rows, newest first, for the reviewer alone. */
export function auditReviewMessage(
  review: { rows: AuditReviewRow[]; total: number },
  title: Text,
  locale: Locale,
  timeZone: string,
): ReplyMessage {
  const n = (value: number) => formatNumber(locale, value);
  if (review.rows.length === 0)
    return {
      personal: true,
      title: title(locale),
      blocks: [{ kind: 'text', text: text('Nhật ký kiểm toán chưa ghi gì.', 'The audit log records nothing yet.')(locale) }],
    };
  const blocks: ReplyMessage['blocks'] = [{ kind: 'list', items: review.rows.map((r) => auditLine(r, locale, timeZone)) }];
  const more = review.total - review.rows.length;
  if (more > 0)
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: text(
        `Còn ${n(more)} dòng cũ hơn; xuất đầy đủ bằng casedesk audit export.`,
        `${n(more)} older rows not shown; export them all with casedesk audit export.`,
      )(locale),
    });
  return { personal: true, title: `${title(locale)} (${n(review.total)})`, blocks };
}
