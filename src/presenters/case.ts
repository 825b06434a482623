import type { Block } from '../domain/reply.ts';
import type { Locale } from '../i18n/text.ts';
import { formatDate, formatDateTime } from '../i18n/text.ts';
import { DANGER_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import type { CaseHit } from '../repositories/case-search.ts';
import type { CaseCard } from '../services/cases.ts';

/** `TN-2020-000123 · Nguyễn Văn Đức (Tèo) · 1985 · CA-HN · đang truy nã · nguy hiểm` */
export function caseHitLine(hit: CaseHit, locale: Locale): string {
  const name = hit.aliases.length ? `${hit.fullName} (${hit.aliases.join(', ')})` : hit.fullName;
  return [hit.code, name, hit.birthYear ?? '?', hit.unitCode, STATUS_LABEL[hit.status](locale), DANGER_LABEL[hit.danger](locale)].join(
    ' · ',
  );
}

/** Without personal data: for places where the answer cannot be private. */
export function caseHitCodeLine(hit: CaseHit, locale: Locale): string {
  return [hit.code, hit.unitCode, STATUS_LABEL[hit.status](locale), DANGER_LABEL[hit.danger](locale)].join(' · ');
}

const L = (locale: Locale, vi: string, en: string) => (locale === 'vi' ? vi : en);

/** The fields anyone who may see the case may see, without personal data. */
export function caseSummaryFields(card: CaseCard, locale: Locale): Array<{ label: string; value: string }> {
  const { row } = card;
  const fields = [
    { label: L(locale, 'Mã hồ sơ', 'Case'), value: row.code },
    { label: L(locale, 'Trạng thái', 'Status'), value: STATUS_LABEL[row.status](locale) },
    { label: L(locale, 'Mức độ', 'Danger'), value: DANGER_LABEL[row.danger](locale) },
    { label: L(locale, 'Đơn vị', 'Unit'), value: `${card.unitCode} (${card.unitName})` },
    { label: L(locale, 'Ngày truy nã', 'Wanted since'), value: formatDate(locale, row.wantedOn) },
  ];
  if (row.resolvedOn) fields.push({ label: L(locale, 'Ngày kết quả', 'Outcome date'), value: formatDate(locale, row.resolvedOn) });
  return fields;
}

/** Name and birth year on top of the summary: what a viewer sees in a private answer. */
export function caseIdentityFields(card: CaseCard, locale: Locale): Array<{ label: string; value: string }> {
  const { row } = card;
  return [
    { label: L(locale, 'Họ tên', 'Name'), value: row.fullName },
    ...(row.aliases.length ? [{ label: L(locale, 'Tên gọi khác', 'Aliases'), value: row.aliases.join(', ') }] : []),
    { label: L(locale, 'Năm sinh', 'Born'), value: row.birthDate ? formatDate(locale, row.birthDate) : String(row.birthYear ?? '?') },
  ];
}

/** The full card: decisions, outcome, completeness, open follow-ups, last events. */
export function caseCardBlocks(card: CaseCard, locale: Locale, timeZone: string): Block[] {
  const { row } = card;
  const yes = L(locale, 'có', 'yes');
  const no = L(locale, 'chưa có', 'missing');
  const gender = row.gender
    ? { male: L(locale, 'nam', 'male'), female: L(locale, 'nữ', 'female'), other: L(locale, 'khác', 'other') }[row.gender]
    : '?';
  const personal: Array<{ label: string; value: string }> = [
    ...caseIdentityFields(card, locale),
    { label: L(locale, 'Giới tính', 'Gender'), value: gender },
    { label: L(locale, 'Số định danh', 'National ID'), value: row.nationalId ?? '?' },
    { label: L(locale, 'Quê quán/Nơi ở', 'Hometown/address'), value: row.hometown ?? '?' },
    { label: L(locale, 'Tội danh', 'Charges'), value: row.charges ?? '?' },
  ];
  const decisions: Array<{ label: string; value: string }> = [
    {
      label: L(locale, 'Quyết định truy nã', 'Wanted decision'),
      value: [row.wantedDecisionNo ?? '?', formatDate(locale, row.wantedOn), row.wantedAuthority].filter(Boolean).join(', '),
    },
  ];
  if (row.cancelledOn || row.cancellationDecisionNo) {
    decisions.push({
      label: L(locale, 'Quyết định đình nã', 'Cancellation decision'),
      value: [row.cancellationDecisionNo ?? '?', row.cancelledOn ? formatDate(locale, row.cancelledOn) : null].filter(Boolean).join(', '),
    });
  }
  if (row.outcomeNote) decisions.push({ label: L(locale, 'Ghi chú kết quả', 'Outcome note'), value: row.outcomeNote });
  const completeness = [
    { label: L(locale, 'Ảnh', 'Photo'), value: row.hasPhoto ? yes : no },
    { label: L(locale, 'Đặc điểm nhận dạng', 'Identifying marks'), value: row.identifyingMarks ?? no },
    { label: L(locale, 'Tiền án, tiền sự', 'Criminal history'), value: row.criminalHistory ?? no },
  ];
  const blocks: Block[] = [
    { kind: 'fields', fields: [...caseSummaryFields(card, locale), ...personal, ...decisions] },
    { kind: 'text', text: L(locale, 'Độ đầy đủ của hồ sơ', 'Record completeness') },
    { kind: 'fields', fields: completeness },
  ];
  blocks.push({ kind: 'text', text: L(locale, 'Việc cần làm đang mở', 'Open follow-ups') });
  blocks.push(
    card.openFollowUps.length
      ? {
          kind: 'list',
          items: card.openFollowUps.map(
            (f) => `#${f.id} ${f.task} → ${f.assignee}${f.dueOn ? ` (${L(locale, 'hạn', 'due')} ${formatDate(locale, f.dueOn)})` : ''}`,
          ),
        }
      : { kind: 'text', text: L(locale, 'Không có.', 'None.'), tone: 'muted' },
  );
  if (card.events.length) {
    blocks.push({ kind: 'text', text: L(locale, 'Diễn biến gần nhất', 'Latest events') });
    blocks.push({
      kind: 'list',
      items: card.events.map(
        (e) => `${formatDateTime(locale, e.recordedAt, timeZone)} · ${eventLabel(e.kind, locale)} · ${e.actor}${describeEvent(e, locale)}`,
      ),
    });
  }
  blocks.push({ kind: 'text', text: L(locale, `Phiên bản ${row.version}`, `Version ${row.version}`), tone: 'muted' });
  return blocks;
}

function eventLabel(kind: string, locale: Locale): string {
  const labels: Record<string, [string, string]> = {
    created: ['tạo hồ sơ', 'created'],
    updated: ['cập nhật', 'updated'],
    status_changed: ['đổi trạng thái', 'status changed'],
    reopened: ['truy nã lại', 'reopened'],
    info_added: ['bổ sung thông tin', 'information added'],
    note: ['ghi chú', 'note'],
  };
  const [vi, en] = labels[kind] ?? [kind, kind];
  return L(locale, vi, en);
}

function describeEvent(event: CaseCard['events'][number], locale: Locale): string {
  const data = event.data as {
    note?: string;
    reason?: string;
    changes?: Record<string, [unknown, unknown]>;
    followUp?: number;
    action?: 'assigned' | 'done' | 'cancelled';
    task?: string;
    assignee?: string;
  };
  if (data.followUp !== undefined) {
    const action = {
      assigned: L(locale, `giao cho ${data.assignee ?? '?'}`, `assigned to ${data.assignee ?? '?'}`),
      done: L(locale, 'đã xong', 'done'),
      cancelled: L(locale, 'đã hủy', 'cancelled'),
    }[data.action ?? 'assigned'];
    return `: #${data.followUp} ${data.task ?? ''} (${action})${data.note ? ` — ${data.note}` : ''}`;
  }
  if (data.note) return `: ${data.note}`;
  const status = data.changes?.status;
  if (status) {
    const [from, to] = status as [keyof typeof STATUS_LABEL, keyof typeof STATUS_LABEL];
    const when = event.occurredOn ? ` (${formatDate(locale, event.occurredOn)})` : '';
    return `: ${STATUS_LABEL[from]?.(locale) ?? from} → ${STATUS_LABEL[to]?.(locale) ?? to}${when}${data.reason ? ` — ${data.reason}` : ''}`;
  }
  return '';
}
