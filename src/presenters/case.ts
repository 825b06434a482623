import type { Block, ReplyMessage } from '../domain/reply.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatDateTime, formatNumber, text, type Locale, type Text } from '../i18n/text.ts';
import { DANGER_LABEL, DECISION_LABEL, DETAIL_KIND_LABEL, STATUS_LABEL } from '../i18n/labels.ts';
import type { CaseHit } from '../repositories/case-search.ts';
import type { CaseEventView } from '../repositories/cases.ts';
import type { CaseCard, CaseHistory } from '../services/cases.ts';
import { caseDetailBlocks, detailCompleteness } from './case-details.ts';

/** `TN-2020-000123 · Nguyễn Văn Đức (Tèo) · 1985 · CA-HN · đang truy nã · nguy hiểm` */
export function caseHitLine(hit: CaseHit, locale: Locale): string {
  const name = hit.aliases.length ? `${hit.fullName} (${hit.aliases.join(', ')})` : hit.fullName;
  return [hit.code, name, hit.birthYear ?? '?', hit.unitCode, STATUS_LABEL[hit.status](locale), DANGER_LABEL[hit.danger](locale)].join(
    ' · ',
  );
}

/**
 * Why a name search found a case, for `case find … explain:yes`: the field (name or alias), each
 * typed word and the word it matched with its edits, the words not typed, the order, the birth
 * year and the score. Personal data: private replies only.
 *
 * @example "tên: nguyen → Nguyễn, duk → Đức (0,5 lỗi); không gõ: Văn; đúng thứ tự; điểm 0,93"
 */
export function caseHitExplanation(hit: CaseHit, locale: Locale): string {
  const match = hit.match;
  if (!match) return text('khớp mã hồ sơ hoặc số định danh', 'matched the case code or ID number')(locale);
  const edits = (n: number) =>
    n === 0 ? '' : text(` (${formatNumber('vi', n, 1)} lỗi)`, ` (${formatNumber('en', n, 1)} ${n === 1 ? 'edit' : 'edits'})`)(locale);
  const words = match.words.map((w) =>
    w.matched === null ? text(`${w.typed} → không khớp`, `${w.typed} → no match`)(locale) : `${w.typed} → ${w.matched}${edits(w.edits)}`,
  );
  const field =
    match.field === 'alias' ? text(`tên gọi khác “${match.alias}”`, `alias “${match.alias}”`)(locale) : text('họ tên', 'name')(locale);
  const parts = [`${field}: ${words.join(', ')}`];
  if (match.untyped.length) parts.push(text(`không gõ: ${match.untyped.join(' ')}`, `not typed: ${match.untyped.join(' ')}`)(locale));
  if (match.inOrder) parts.push(text('đúng thứ tự', 'in order')(locale));
  if (match.rotated) parts.push(text('đảo thứ tự họ, tên', 'given name and family name swapped')(locale));
  if (match.firstWord) {
    parts.push(match.field === 'name' ? text('khớp họ', 'family name matches')(locale) : text('khớp từ đầu', 'first word matches')(locale));
  }
  if (match.lastWord) {
    parts.push(match.field === 'name' ? text('khớp tên', 'given name matches')(locale) : text('khớp từ cuối', 'last word matches')(locale));
  }
  if (match.year) {
    const { typed, stored, share } = match.year;
    parts.push(
      share === 1
        ? text(`năm sinh ${typed} khớp`, `born ${typed}, matches`)(locale)
        : share > 0
          ? text(`năm sinh ${stored} (gõ ${typed}, lệch 1 năm)`, `born ${stored} (typed ${typed}, one year off)`)(locale)
          : text(`năm sinh ${stored ?? '?'} (gõ ${typed}, không khớp)`, `born ${stored ?? '?'} (typed ${typed}, no match)`)(locale),
    );
  }
  parts.push(text(`điểm ${formatNumber('vi', match.score, 2)}`, `score ${formatNumber('en', match.score, 2)}`)(locale));
  return parts.join('; ');
}

/** Without personal data: for places where the answer cannot be private. */
export function caseHitCodeLine(hit: CaseHit, locale: Locale): string {
  return [hit.code, hit.unitCode, STATUS_LABEL[hit.status](locale), DANGER_LABEL[hit.danger](locale)].join(' · ');
}

/** The fields anyone who may see the case may see, without personal data. */
export function caseSummaryFields(card: CaseCard, locale: Locale): Array<{ label: string; value: string }> {
  const { row } = card;
  const fields = [
    { label: text('Mã hồ sơ', 'Case')(locale), value: row.code },
    { label: text('Trạng thái', 'Status')(locale), value: STATUS_LABEL[row.status](locale) },
    { label: text('Mức độ', 'Danger')(locale), value: DANGER_LABEL[row.danger](locale) },
    { label: text('Đơn vị', 'Unit')(locale), value: `${card.unitCode} (${card.unitName})` },
    { label: text('Ngày truy nã', 'Wanted since')(locale), value: formatDate(locale, row.wantedOn) },
  ];
  if (row.resolvedOn) fields.push({ label: text('Ngày kết quả', 'Outcome date')(locale), value: formatDate(locale, row.resolvedOn) });
  return fields;
}

/** Name and birth year on top of the summary: what a viewer sees in a private answer. */
export function caseIdentityFields(card: CaseCard, locale: Locale): Array<{ label: string; value: string }> {
  const { row } = card;
  return [
    { label: text('Họ tên', 'Name')(locale), value: row.fullName },
    ...(row.aliases.length ? [{ label: text('Tên gọi khác', 'Aliases')(locale), value: row.aliases.join(', ') }] : []),
    { label: text('Năm sinh', 'Born')(locale), value: row.birthDate ? formatDate(locale, row.birthDate) : String(row.birthYear ?? '?') },
  ];
}

/** The full card: decisions, outcome, completeness, open follow-ups, last events. */
export function caseCardBlocks(card: CaseCard, locale: Locale, timeZone: string): Block[] {
  const { row } = card;
  const yes = text('có', 'yes')(locale);
  const no = text('chưa có', 'missing')(locale);
  const gender = row.gender
    ? { male: text('nam', 'male')(locale), female: text('nữ', 'female')(locale), other: text('khác', 'other')(locale) }[row.gender]
    : '?';
  const personal: Array<{ label: string; value: string }> = [
    ...caseIdentityFields(card, locale),
    { label: text('Giới tính', 'Gender')(locale), value: gender },
    { label: text('Số định danh', 'National ID')(locale), value: row.nationalId ?? '?' },
    { label: text('Quê quán/Nơi ở', 'Hometown/address')(locale), value: row.hometown ?? '?' },
    { label: text('Tội danh', 'Charges')(locale), value: row.charges ?? '?' },
  ];
  const decisions = card.decisions.map((d) => ({
    label: DECISION_LABEL[d.kind](locale),
    value: [d.number ?? text('không rõ số', 'number unknown')(locale), formatDate(locale, d.decidedOn), d.authority]
      .filter(Boolean)
      .join(', '),
  }));
  if (row.outcomeNote) decisions.push({ label: text('Ghi chú kết quả', 'Outcome note')(locale), value: row.outcomeNote });
  const completeness = [
    {
      label: text('Ảnh', 'Photo')(locale),
      value: !row.hasPhoto ? no : row.photoNote ? `${yes} (${text('ảnh giấy lưu tại', 'print filed at')(locale)}: ${row.photoNote})` : yes,
    },
    { label: text('Đặc điểm nhận dạng', 'Identifying marks')(locale), value: detailCompleteness('marks', row, card.details, locale) },
    { label: text('Tiền án, tiền sự', 'Criminal history')(locale), value: detailCompleteness('history', row, card.details, locale) },
  ];
  const blocks: Block[] = [
    { kind: 'fields', fields: [...caseSummaryFields(card, locale), ...personal, ...decisions] },
    { kind: 'text', text: text('Độ đầy đủ của hồ sơ', 'Record completeness')(locale) },
    { kind: 'fields', fields: completeness },
    ...caseDetailBlocks(row, card.details, locale, timeZone),
  ];
  blocks.push({ kind: 'text', text: text('Việc cần làm đang mở', 'Open follow-ups')(locale) });
  blocks.push(
    card.openFollowUps.length
      ? {
          kind: 'list',
          items: card.openFollowUps.map(
            (f) => `#${f.id} ${f.task} → ${f.assignee}${f.dueOn ? ` (${text('hạn', 'due')(locale)} ${formatDate(locale, f.dueOn)})` : ''}`,
          ),
        }
      : { kind: 'text', text: text('Không có.', 'None.')(locale), tone: 'muted' },
  );
  if (card.events.length) {
    blocks.push({ kind: 'text', text: text('Diễn biến gần nhất', 'Latest events')(locale) });
    blocks.push({ kind: 'list', items: card.events.map((e) => caseEventLine(e, locale, timeZone)) });
  }
  if (card.eventCount > card.events.length) {
    const more = card.eventCount - card.events.length;
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: text(
        `Còn ${formatNumber('vi', more)} diễn biến khác; xem toàn bộ: case history ${row.code}`,
        `${formatNumber('en', more)} more ${more === 1 ? 'event' : 'events'}; to see them all: case history ${row.code}`,
      )(locale),
    });
  }
  blocks.push({ kind: 'text', text: text(`Phiên bản ${row.version}`, `Version ${row.version}`)(locale), tone: 'muted' });
  return blocks;
}

const EVENT_LABEL: Record<string, Text> = {
  created: text('tạo hồ sơ', 'created'),
  updated: text('cập nhật', 'updated'),
  status_changed: text('đổi trạng thái', 'status changed'),
  reopened: text('truy nã lại', 'reopened'),
  info_added: text('bổ sung thông tin', 'information added'),
  note: text('ghi chú', 'note'),
  decision: text('ghi quyết định', 'decision recorded'),
  validated: text('rà soát hồ sơ', 'validated'),
  photo_retired: text('gỡ ảnh', 'photo retired'),
};

const CHANGE_LABEL: Record<'corrected' | 'withdrawn', Text> = {
  corrected: text('đính chính', 'corrected'),
  withdrawn: text('rút lại kết quả ghi nhầm', 'outcome withdrawn as an error'),
};

const eventLabel = (kind: string, locale: Locale): string => EVENT_LABEL[kind]?.(locale) ?? kind;

/** One event of a case's history: `01/09/2024 10:00 · đổi trạng thái · lead.hn: đang truy nã → đã bắt (01/09/2024)`. */
export function caseEventLine(event: CaseEventView, locale: Locale, timeZone: string): string {
  return `${formatDateTime(locale, event.recordedAt, timeZone)} · ${eventLabel(event.kind, locale)} · ${event.actor}${describeEvent(event, locale)}`;
}

/**
 * A page of a case's history (`case history`): its events, newest first, and where the page sits
 * among them. Personal data (notes, follow-up tasks): private replies only.
 */
export function caseHistoryMessage(history: CaseHistory, locale: Locale, timeZone: string): ReplyMessage {
  const { row, events, total, offset } = history;
  const title = text(`Diễn biến của hồ sơ ${row.code}`, `History of case ${row.code}`)(locale);
  if (total === 0) {
    return { personal: true, title, blocks: [{ kind: 'text', text: text('Chưa có diễn biến nào.', 'Nothing recorded yet.')(locale) }] };
  }
  const blocks: Block[] = [{ kind: 'list', items: events.map((e) => caseEventLine(e, locale, timeZone)) }];
  const first = offset + 1;
  const last = offset + events.length;
  blocks.push({
    kind: 'text',
    tone: 'muted',
    text:
      last < total || offset > 0
        ? text(
            `Diễn biến ${formatNumber('vi', first)}–${formatNumber('vi', last)} trên ${formatNumber('vi', total)}, mới nhất trước.` +
              (last < total ? ' Các diễn biến cũ hơn không hiển thị ở đây.' : ''),
            `Events ${formatNumber('en', first)}–${formatNumber('en', last)} of ${formatNumber('en', total)}, newest first.` +
              (last < total ? ' Older ones are not shown here.' : ''),
          )(locale)
        : text(
            `${formatNumber('vi', total)} diễn biến, mới nhất trước.`,
            `${plural('en', total, 'event', 'events')}, newest first.`,
          )(locale),
  });
  return { personal: true, title, blocks };
}

function describeEvent(event: CaseEventView, locale: Locale): string {
  const data = event.data as {
    note?: string;
    reason?: string;
    changes?: Record<string, [unknown, unknown]>;
    followUp?: number;
    action?: 'assigned' | 'done' | 'cancelled';
    task?: string;
    assignee?: string;
    corrected?: boolean;
    withdrawn?: boolean;
    decision?: { kind: 'wanted' | 'cancellation'; number: string | null; on: string };
    photo?: { number: number; caption?: string };
  };
  if (event.kind === 'info_added') return describeInfo(event.data, locale);
  if (event.kind === 'validated') {
    const found = (event.data as { complete?: boolean }).complete ? text('đầy đủ', 'complete') : text('còn thiếu', 'incomplete');
    return `: ${found(locale)}${data.note ? ` — ${data.note}` : ''}`;
  }
  if (data.followUp !== undefined) {
    const action = {
      assigned: text(`giao cho ${data.assignee ?? '?'}`, `assigned to ${data.assignee ?? '?'}`)(locale),
      done: text('đã xong', 'done')(locale),
      cancelled: text('đã hủy', 'cancelled')(locale),
    }[data.action ?? 'assigned'];
    return `: #${data.followUp} ${data.task ?? ''} (${action})${data.note ? ` — ${data.note}` : ''}`;
  }
  if (data.note) return `: ${data.note}`;
  if (data.photo) {
    const photo = text(`ảnh số ${data.photo.number}`, `photo ${data.photo.number}`)(locale);
    const why = data.reason ?? data.photo.caption;
    return `: ${photo}${why ? ` — ${why}` : ''}`;
  }
  const decision = data.decision
    ? `${data.decision.kind === 'wanted' ? text('QĐ truy nã', 'wanted decision')(locale) : text('QĐ đình nã', 'cancellation decision')(locale)} ${data.decision.number ?? text('không rõ số', 'number unknown')(locale)}, ${formatDate(locale, data.decision.on)}`
    : null;
  const status = data.changes?.status;
  if (status) {
    const [from, to] = status as [keyof typeof STATUS_LABEL, keyof typeof STATUS_LABEL];
    const when = event.occurredOn ? ` (${formatDate(locale, event.occurredOn)})` : '';
    const change = data.corrected ? CHANGE_LABEL.corrected : data.withdrawn ? CHANGE_LABEL.withdrawn : null;
    const notes = [change?.(locale), decision, data.reason].filter(Boolean).join('; ');
    return `: ${STATUS_LABEL[from]?.(locale) ?? from} → ${STATUS_LABEL[to]?.(locale) ?? to}${when}${notes ? ` — ${notes}` : ''}`;
  }
  return decision ? `: ${decision}` : '';
}

const INFO_FIELD_LABEL: Record<string, Text> = {
  ...DETAIL_KIND_LABEL,
  photo: text('ảnh', 'photo'),
};

/**
 * Information added: an identifying-detail entry by its number, source and day (its text is in the
 * entry, which the card shows), or, for what was recorded before entries, the text it was given.
 */
function describeInfo(raw: Record<string, unknown>, locale: Locale): string {
  const data = raw as { field?: string; detail?: number; source?: string; on?: string; changes?: Record<string, [unknown, unknown]> };
  if (!data.field) return '';
  const field = INFO_FIELD_LABEL[data.field]?.(locale) ?? data.field;
  if (data.detail !== undefined) {
    const about = [
      text(`mục #${data.detail}`, `entry #${data.detail}`)(locale),
      data.source ? text(`nguồn: ${data.source}`, `source: ${data.source}`)(locale) : null,
      data.on ? text(`ngày ${formatDate('vi', data.on)}`, `dated ${formatDate('en', data.on)}`)(locale) : null,
    ];
    return `: ${field} (${about.filter(Boolean).join('; ')})`;
  }
  const value = data.changes?.[data.field]?.[1];
  return typeof value === 'string' && value ? `: ${field}: ${value}` : `: ${field}`;
}
