import { stringify } from 'csv-stringify/sync';
import type { HitPriority } from '../../db/schema/index.ts';
import type { Attachment, ReplyMessage } from '../domain/reply.ts';
import { DANGER_LABEL } from '../i18n/labels.ts';
import { plural } from '../i18n/plural.ts';
import { formatDateTime, formatNumber, text, type Locale, type Text } from '../i18n/text.ts';
import type { HitRequestView } from '../repositories/checks.ts';
import type { CheckOutcome, HitAnswer, HitForMessage, HitMessages } from '../services/checks.ts';
import { reasonCodes } from '../domain/check-match.ts';
import { escapeFormula } from '../domain/spreadsheet.ts';

const PRIORITY_LABEL: Record<HitPriority, Text> = {
  urgent: text('khẩn (người đang bị giữ, trả lời trong 10 phút)', 'urgent (the person is held; answer within 10 minutes)'),
  routine: text('thường (trả lời trong 1 giờ)', 'routine (answer within an hour)'),
};

const REASON_LABEL: Record<string, Text> = {
  name_same: text('tên khớp', 'name matches'),
  name_close: text('tên gần giống', 'name nearly matches'),
  name_partial: text('tên khớp một phần', 'name partly matches'),
  date_same: text('ngày sinh khớp', 'date of birth matches'),
  date_differs: text('ngày sinh khác', 'date of birth differs'),
  year_same: text('năm sinh khớp', 'birth year matches'),
  year_near: text('năm sinh lệch 1 năm', 'birth year one year off'),
  year_differs: text('năm sinh khác', 'birth year differs'),
  year_unknown: text('không rõ năm sinh', 'birth year unknown'),
  'id_same:cmnd': text('CMND khớp', 'CMND (ID card) matches'),
  'id_same:cccd': text('CCCD khớp', 'CCCD (citizen ID) matches'),
  'id_differs:cmnd': text('CMND khác', 'CMND (ID card) differs'),
  'id_differs:cccd': text('CCCD khác', 'CCCD (citizen ID) differs'),
  hometown_same: text('quê quán khớp', 'hometown matches'),
  hometown_differs: text('quê quán khác', 'hometown differs'),
  hometown_unknown: text('không rõ quê quán', 'hometown unknown'),
};

/** `tên khớp, năm sinh khớp, CCCD khác` */
export const reasonsText = (reasons: readonly string[], locale: Locale): string =>
  reasons.map((r) => REASON_LABEL[r]?.(locale) ?? r).join(', ');

const score = (value: number, locale: Locale) => formatNumber(locale, value, 2);

const STAGE_TITLE: Record<0 | 1 | 2, (unit: string, n: number) => Text> = {
  0: (unit, n) =>
    text(
      `${unit}: ${formatNumber('vi', n)} kết quả đối chiếu cần xác nhận`,
      `${unit}: ${plural('en', n, 'hit', 'hits')} from a list check to confirm`,
    ),
  1: (unit, n) =>
    text(
      `${unit}: nhắc lần 2, ${formatNumber('vi', n)} kết quả đối chiếu chưa được xác nhận`,
      `${unit}: second request, ${plural('en', n, 'hit', 'hits')} not yet confirmed`,
    ),
  2: (unit, n) =>
    text(
      `${unit}: báo lãnh đạo đơn vị, ${formatNumber('vi', n)} kết quả đối chiếu quá hạn xác nhận`,
      `${unit}: for the unit's leads, ${plural('en', n, 'hit', 'hits')} past the time to confirm`,
    ),
};

const howToAnswer = (id: number) =>
  text(
    `Trả lời: hit confirm ${id} · hit reject ${id} <lý do> · hit wait ${id} <số phút>`,
    `Answer: hit confirm ${id} · hit reject ${id} <reason> · hit wait ${id} <minutes>`,
  );

/** To the owning unit's channel: request numbers, case codes, priority and time left; nothing personal. */
export function hitChannelRequest(
  hits: readonly HitForMessage[],
  how: { stage: 0 | 1 | 2; locale: Locale; timeZone: string },
): ReplyMessage {
  const { locale } = how;
  return {
    personal: false,
    toChannel: true,
    title: STAGE_TITLE[how.stage](hits[0]!.unitCode, hits.length)(locale),
    blocks: [
      {
        kind: 'list',
        items: hits.map(
          (h) =>
            `#${h.id} · ${h.caseCode} · ${PRIORITY_LABEL[h.priority](locale)} · ${text('hạn', 'due')(locale)} ${formatDateTime(locale, h.dueAt, how.timeZone)}${h.certain ? ` · ${text('trùng số giấy tờ', 'same ID number')(locale)}` : ''}`,
        ),
      },
      {
        kind: 'text',
        tone: 'muted',
        text: text(
          'Lãnh đạo đơn vị nhận chi tiết trong tin nhắn riêng. Kiểm tra lệnh truy nã còn hiệu lực và đúng người, rồi trả lời:',
          "The unit's leads have the details in a direct message. Check that the warrant still stands and that it is the same person, then answer:",
        )(locale),
      },
      { kind: 'list', items: [howToAnswer(hits[0]!.id)(locale)] },
    ],
  };
}

/** The person as listed: `Nguyễn Văn Đức, sinh 1985, CCCD 001085012345, Hà Nội (dòng 12)`. */
const personLine = (h: Pick<HitForMessage, 'person' | 'line'>, locale: Locale) =>
  [
    h.person.fullName,
    h.person.birthDate ?? (h.person.birthYear ? `${text('sinh', 'born')(locale)} ${h.person.birthYear}` : null),
    h.person.nationalId ? `${text('số giấy tờ', 'ID')(locale)} ${h.person.nationalId}` : null,
    h.person.hometown,
  ]
    .filter(Boolean)
    .join(', ') + ` (${text('dòng', 'row')(locale)} ${formatNumber(locale, h.line)})`;

/** To each of the owning unit's leads, directly: the person as listed beside the case. */
export function hitLeadRequest(hits: readonly HitForMessage[], how: { stage: 0 | 1 | 2; locale: Locale; timeZone: string }): ReplyMessage {
  const { locale } = how;
  return {
    personal: true,
    title: STAGE_TITLE[how.stage](hits[0]!.unitCode, hits.length)(locale),
    blocks: hits.flatMap((h) => [
      {
        kind: 'fields' as const,
        fields: [
          { label: text('Yêu cầu', 'Request')(locale), value: `#${h.id} · ${PRIORITY_LABEL[h.priority](locale)}` },
          { label: text('Hạn trả lời', 'Answer by')(locale), value: formatDateTime(locale, h.dueAt, how.timeZone) },
          { label: text('Người trong danh sách', 'Person listed')(locale), value: personLine(h, locale) },
          {
            label: text('Hồ sơ truy nã', 'Wanted case')(locale),
            value: `${h.caseCode} · ${h.caseName}${h.caseBirthYear ? ` · ${h.caseBirthYear}` : ''} · ${DANGER_LABEL[h.danger](locale)}`,
          },
          { label: text('Độ khớp', 'Match')(locale), value: `${score(h.score, locale)} · ${reasonsText(h.reasons, locale)}` },
        ],
      },
      { kind: 'text' as const, tone: 'muted' as const, text: howToAnswer(h.id)(locale) },
    ]),
  };
}

/** To the checker: what the owning unit answered. */
export function hitAnswerMessage(request: HitRequestView, answer: HitAnswer, how: { locale: Locale; timeZone: string }): ReplyMessage {
  const { locale } = how;
  const about = `#${request.id} · ${request.caseCode} · ${text('dòng', 'row')(locale)} ${formatNumber(locale, request.line)} ${text('của', 'of')(locale)} ${request.check.fileName}`;
  const said: Text =
    answer.kind === 'confirm'
      ? text(
          `${request.unitCode} xác nhận: đúng người, lệnh truy nã còn hiệu lực.`,
          `${request.unitCode} confirmed: the same person, and the warrant stands.`,
        )
      : answer.kind === 'reject'
        ? text(`${request.unitCode} bác bỏ: ${answer.reason}`, `${request.unitCode} rejected it: ${answer.reason}`)
        : text(
            `${request.unitCode} cần thêm ${formatNumber('vi', answer.minutes)} phút, hạn mới ${formatDateTime('vi', request.dueAt, how.timeZone)}.`,
            `${request.unitCode} needs ${plural('en', answer.minutes, 'more minute', 'more minutes')}; now due ${formatDateTime('en', request.dueAt, how.timeZone)}.`,
          );
  return {
    personal: true,
    title: text('Trả lời xác nhận kết quả đối chiếu', 'Answer to a hit confirmation')(locale),
    blocks: [
      { kind: 'text', text: about },
      { kind: 'text', text: said(locale) },
    ],
  };
}

/** The private summary of a check, with the result file. */
export function checkSummaryMessage(
  outcome: CheckOutcome,
  how: { locale: Locale; warnings: ReadonlyArray<{ text: Text }>; columns: string; file: Attachment },
): ReplyMessage {
  const { locale } = how;
  const c = outcome.check;
  const n = (value: number) => formatNumber(locale, value);
  const blocks: ReplyMessage['blocks'] = [
    {
      kind: 'fields',
      fields: [
        { label: text('Số dòng đã kiểm tra', 'Rows checked')(locale), value: n(c.rows) },
        ...(c.skipped ? [{ label: text('Dòng bỏ qua', 'Rows skipped')(locale), value: n(c.skipped) }] : []),
        { label: text('Dòng có kết quả', 'Rows with candidates')(locale), value: n(c.rowsWithCandidates) },
        { label: text('Kết quả có thể trùng', 'Candidate hits')(locale), value: n(c.candidates) },
        { label: text('Trùng chắc chắn (cùng số giấy tờ)', 'Certain hits (same ID number)')(locale), value: n(c.certain) },
        { label: text('Yêu cầu xác nhận đã gửi', 'Confirmation requests sent')(locale), value: n(c.requests) },
      ],
    },
    { kind: 'text', tone: 'muted', text: text(`Cột đã đọc: ${how.columns}`, `Columns read: ${how.columns}`)(locale) },
  ];
  if (outcome.requestsByUnit.size > 0) {
    blocks.push({
      kind: 'text',
      text: text('Đã gửi đơn vị quản lý hồ sơ xác nhận:', 'Sent to the units that own the cases to confirm:')(locale),
    });
    blocks.push({ kind: 'list', items: [...outcome.requestsByUnit].map(([unit, count]) => `${unit}: ${n(count)}`) });
  }
  if (outcome.unitsWithoutChannel.length > 0) {
    blocks.push({
      kind: 'text',
      tone: 'error',
      text: text(
        `Chưa cấu hình kênh nhận yêu cầu cho: ${outcome.unitsWithoutChannel.join(', ')}; chỉ lãnh đạo đơn vị được báo trực tiếp. Quản trị viên cấu hình bằng: casedesk units channel MÃ NỀN_TẢNG KÊNH`,
        `No channel for confirmation requests is set for: ${outcome.unitsWithoutChannel.join(', ')}; only their leads are told directly. An admin sets one with: casedesk units channel CODE PLATFORM CHANNEL`,
      )(locale),
    });
  }
  if (how.warnings.length > 0) {
    blocks.push({ kind: 'text', text: text('Lưu ý về tệp:', 'About the file:')(locale) });
    blocks.push({ kind: 'list', items: how.warnings.slice(0, 10).map((w) => w.text(locale)) });
    if (how.warnings.length > 10) {
      blocks.push({
        kind: 'text',
        tone: 'muted',
        text: text(`… và ${n(how.warnings.length - 10)} lưu ý khác.`, `… and ${n(how.warnings.length - 10)} more.`)(locale),
      });
    }
  }
  blocks.push({
    kind: 'text',
    tone: 'muted',
    text: text(
      'Kết quả đối chiếu chỉ là manh mối cho tới khi đơn vị quản lý hồ sơ xác nhận. Chi tiết từng dòng trong tệp đính kèm.',
      'A hit is only a lead until the unit that owns the case confirms it. Every row is in the attached file.',
    )(locale),
  });
  return {
    personal: true,
    title: text(`Kết quả đối chiếu ${c.fileName}`, `Check of ${c.fileName}`)(locale),
    blocks,
    files: [how.file],
  };
}

/** A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@`) is written as text. */
const cell = (value: string | number | null | undefined): string =>
  escapeFormula(value === null || value === undefined ? '' : String(value));

/**
 * The result as CSV for Excel (UTF-8 with a byte-order mark): a line per candidate, or one for a
 * row without any, the file's own columns first.
 */
export function checkResultCsv(outcome: CheckOutcome, how: { locale: Locale; extraColumns: readonly string[] }): Attachment {
  const l = how.locale;
  const header = [
    text('Dòng', 'Row')(l),
    text('Họ tên', 'Full name')(l),
    text('Năm sinh', 'Birth year')(l),
    text('Số CMND/CCCD', 'National ID')(l),
    text('Quê quán', 'Hometown')(l),
    ...how.extraColumns,
    text('Thứ hạng', 'Rank')(l),
    text('Mã hồ sơ', 'Case code')(l),
    text('Họ tên trong hồ sơ', 'Name on the case')(l),
    text('Năm sinh trong hồ sơ', 'Birth year on the case')(l),
    text('Mức độ nguy hiểm', 'Danger')(l),
    text('Đơn vị quản lý', 'Owning unit')(l),
    text('Điểm', 'Score')(l),
    text('Chắc chắn', 'Certain')(l),
    text('Lý do', 'Reasons')(l),
    text('Yêu cầu xác nhận', 'Confirmation request')(l),
  ];
  const lines: string[][] = [header];
  for (const row of outcome.rows) {
    const p = row.person;
    const own = [p.line, p.fullName, p.birthDate ?? p.birthYear, p.nationalId, p.hometown, ...p.extra].map(cell);
    if (row.candidates.length === 0) {
      lines.push([...own, '', text('không có', 'none')(l), '', '', '', '', '', '', '', '']);
      continue;
    }
    row.candidates.forEach((c, i) =>
      lines.push([
        ...own,
        String(i + 1),
        cell(c.case.code),
        cell(c.case.fullName),
        cell(c.case.birthYear),
        DANGER_LABEL[c.case.danger](l),
        cell(c.unitCode),
        score(c.score, l),
        c.certain ? text('có', 'yes')(l) : '',
        reasonsText(reasonCodes(c), l),
        c.requestId === null ? '' : `#${c.requestId}`,
      ]),
    );
  }
  const csv = `\uFEFF${stringify(lines, { record_delimiter: '\r\n' })}`;
  const base = outcome.check.fileName.replace(/\.[^.]*$/, '') || 'list';
  return {
    name: `${base}-${text('ket-qua-doi-chieu', 'check-result')(l)}.csv`,
    contentType: 'text/csv',
    data: new TextEncoder().encode(csv),
    description: text('Kết quả đối chiếu từng dòng', 'The check, row by row')(l),
  };
}

/** The messages about hits, for the services that queue them. */
export const HIT_MESSAGES: HitMessages = { channel: hitChannelRequest, lead: hitLeadRequest, answer: hitAnswerMessage };

const STATUS_LABEL: Record<HitRequestView['status'], Text> = {
  open: text('chờ trả lời', 'awaiting an answer'),
  confirmed: text('đã xác nhận', 'confirmed'),
  rejected: text('đã bác bỏ', 'rejected'),
};

/** `#12 · HN-2020-000123 · CAHN · chờ trả lời · hạn 04/12/2026 10:42 (quá hạn)`: codes and times, nothing personal. */
export function hitListLine(r: HitRequestView, how: { locale: Locale; timeZone: string; now: Date }): string {
  const { locale } = how;
  const late = r.status === 'open' && r.dueAt <= how.now;
  return [
    `#${r.id}`,
    r.caseCode,
    r.unitCode,
    STATUS_LABEL[r.status](locale),
    r.status === 'open'
      ? `${text('hạn', 'due')(locale)} ${formatDateTime(locale, r.dueAt, how.timeZone)}${late ? ` (${text('quá hạn', 'overdue')(locale)})` : ''}`
      : formatDateTime(locale, r.answeredAt!, how.timeZone),
  ]
    .filter(Boolean)
    .join(' · ');
}
