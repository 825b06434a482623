import { dayIn } from '../domain/dates.ts';
import type { Block, ReplyMessage } from '../domain/reply.ts';
import { plural } from '../i18n/plural.ts';
import { formatDate, formatDateTime, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { InspectionListRow, InspectionRecordView } from '../repositories/inspections.ts';
import type { ClosedInspection, InspectionDetail, InspectionSummary } from '../services/inspections.ts';

/** "thiếu ảnh, tiền án, tiền sự" / "no photo, no criminal history", or "đủ" / "complete". */
function completenessText(r: InspectionRecordView, locale: Locale): string {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const missing = [
    ...(r.hasPhoto ? [] : [t('ảnh', 'photo')]),
    ...(r.hasMarks ? [] : [t('đặc điểm nhận dạng', 'identifying marks')]),
    ...(r.hasHistory ? [] : [t('tiền án, tiền sự', 'criminal history')]),
  ];
  if (missing.length === 0) return t('đủ thông tin', 'complete');
  return t(`thiếu ${missing.join('; ')}`, `no ${missing.join('; no ')}`);
}

function validatedText(r: InspectionRecordView, locale: Locale, timeZone: string): string {
  if (!r.validatedAt) return text('chưa rà soát lần nào', 'never validated')(locale);
  const day = formatDate(locale, dayIn(timeZone, r.validatedAt));
  return text(`rà soát ${day}`, `validated ${day}`)(locale);
}

function markText(r: InspectionRecordView, locale: Locale): string {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  if (r.result === 'ok') return t(`đạt (${r.markedBy})`, `ok (${r.markedBy})`);
  if (r.result === 'finding') {
    const followUp = r.followUpId ? t(` → việc #${r.followUpId}`, ` → follow-up #${r.followUpId}`) : '';
    return t(`phát hiện (${r.markedBy}): ${r.finding}${followUp}`, `finding (${r.markedBy}): ${r.finding}${followUp}`);
  }
  return t('chưa có kết quả', 'not marked');
}

/** One record of a sample: its number, case code, completeness when drawn, and its mark. */
export function inspectionRecordLine(r: InspectionRecordView, locale: Locale, timeZone: string): string {
  return `${r.position}. ${r.caseCode} · ${completenessText(r, locale)} · ${validatedText(r, locale, timeZone)} · ${markText(r, locale)}`;
}

/**
 * An inspection and its sample with the marks so far, for the inspector alone: a finding's text is
 * the inspector's and may name the person sought.
 */
export function inspectionMessage(detail: InspectionDetail, locale: Locale, timeZone: string, heading?: string): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const { inspection: i, records } = detail;
  const sample =
    i.sampleSize === null
      ? t(
          `toàn bộ ${formatNumber(locale, records.length)} hồ sơ đang truy nã`,
          `all ${plural('en', records.length, 'wanted record', 'wanted records')}`,
        )
      : t(
          `${formatNumber(locale, records.length)} hồ sơ chọn ngẫu nhiên (yêu cầu ${formatNumber(locale, i.sampleSize)}, mã chọn mẫu ${i.seed})`,
          `${plural('en', records.length, 'record', 'records')} drawn at random (${formatNumber(locale, i.sampleSize)} asked for, seed ${i.seed})`,
        );
  const state = i.closedAt
    ? t(`đã kết thúc ${formatDateTime(locale, i.closedAt, timeZone)}`, `closed ${formatDateTime(locale, i.closedAt, timeZone)}`)
    : t('đang kiểm tra', 'open');
  const blocks: Block[] = [];
  if (heading) blocks.push({ kind: 'text', tone: 'success', text: heading });
  blocks.push(
    {
      kind: 'fields',
      fields: [
        { label: t('Đơn vị được kiểm tra', 'Unit inspected'), value: i.unitCode },
        { label: t('Mở lúc', 'Opened'), value: formatDateTime(locale, i.openedAt, timeZone) },
        { label: t('Mẫu', 'Sample'), value: sample },
        { label: t('Trạng thái', 'State'), value: state },
      ],
    },
    { kind: 'list', items: records.map((r) => inspectionRecordLine(r, locale, timeZone)) },
  );
  if (!i.closedAt) {
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: t(
        `Ghi kết quả: inspection mark ${i.id} <số thứ tự hoặc mã hồ sơ> <ok | nội dung phát hiện>; kết thúc: inspection close ${i.id}`,
        `Mark a record: inspection mark ${i.id} <number or case code> <ok | the finding>; close: inspection close ${i.id}`,
      ),
    });
  }
  return { personal: true, title: t(`Kiểm tra hồ sơ #${i.id} · ${i.unitCode}`, `Records inspection #${i.id} · ${i.unitCode}`), blocks };
}

/** The counts of a summary as fields: never a case code or a finding's text. */
function summaryFields(s: InspectionSummary, locale: Locale): Block {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const n = (value: number) => formatNumber(locale, value);
  return {
    kind: 'fields',
    fields: [
      { label: t('Hồ sơ được kiểm tra', 'Records inspected'), value: n(s.sampled) },
      { label: t('Đạt', 'Ok'), value: n(s.ok) },
      { label: t('Có phát hiện', 'With findings'), value: n(s.findings) },
      { label: t('Chưa có kết quả', 'Not marked'), value: n(s.unmarked) },
      {
        label: t('Đủ thông tin / còn thiếu', 'Complete / incomplete'),
        value: `${n(s.complete)} / ${n(s.incomplete)}`,
      },
      {
        label: t('Thiếu ảnh · đặc điểm · tiền án', 'No photo · marks · history'),
        value: `${n(s.missingPhoto)} · ${n(s.missingMarks)} · ${n(s.missingHistory)}`,
      },
      { label: t('Chưa rà soát lần nào', 'Never validated'), value: n(s.neverValidated) },
    ],
  };
}

/** The summary posted to the channel where the inspection was opened: counts only. */
export function inspectionSummaryMessage(closed: ClosedInspection, locale: Locale, timeZone: string): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const { inspection: i, summary } = closed;
  const when = i.closedAt ? formatDateTime(locale, i.closedAt, timeZone) : '';
  const findings = summary.findings;
  return {
    personal: false,
    toChannel: true,
    title: t(`Kết quả kiểm tra hồ sơ #${i.id} · ${i.unitCode}`, `Records inspection #${i.id} · ${i.unitCode}: summary`),
    blocks: [
      {
        kind: 'text',
        text: t(
          `Cuộc kiểm tra hồ sơ của ${i.unitCode} đã kết thúc lúc ${when}; ${formatNumber(locale, findings)} phát hiện được giao cho ${i.unitCode} khắc phục.`,
          `The inspection of ${i.unitCode}'s records closed at ${when}; ${plural('en', findings, 'finding was', 'findings were')} assigned to ${i.unitCode} to act on.`,
        ),
      },
      summaryFields(summary, locale),
    ],
  };
}

/** The closer's answer: the counts, and the follow-ups made, by number and case code. */
export function inspectionClosedMessage(closed: ClosedInspection, locale: Locale, timeZone: string, posted: boolean): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const summary = inspectionSummaryMessage(closed, locale, timeZone);
  const blocks: Block[] = [...summary.blocks];
  if (closed.followUps.length) {
    blocks.push(
      { kind: 'text', text: t('Việc cần làm đã giao:', 'Follow-ups assigned:') },
      {
        kind: 'list',
        items: closed.followUps.map(
          (f) => `#${f.id} · ${f.caseCode} · ${closed.inspection.unitCode} · ${t('hạn', 'due')} ${formatDate(locale, f.dueOn)}`,
        ),
      },
    );
  }
  if (posted) {
    blocks.push({
      kind: 'text',
      tone: 'muted',
      text: t(
        'Kết quả (chỉ số liệu) được đăng lên kênh đã mở cuộc kiểm tra.',
        'The summary (counts only) is posted to the channel it was opened in.',
      ),
    });
  }
  return { personal: false, title: summary.title!, blocks };
}

/** Inspections in a list: unit, when, by whom, and how far their marking has got. */
export function inspectionListMessage(rows: InspectionListRow[], locale: Locale, timeZone: string): ReplyMessage {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const n = (value: number) => formatNumber(locale, value);
  if (rows.length === 0) {
    return {
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'muted',
          text: t(
            'Chưa có cuộc kiểm tra nào. Mở một cuộc: inspection start unit:MÃ',
            'No inspections yet. Open one with: inspection start unit:CODE',
          ),
        },
      ],
    };
  }
  const items = rows.map((r) => {
    const opened = formatDateTime(locale, r.openedAt, timeZone);
    const state = r.closedAt
      ? t(`kết thúc ${formatDateTime(locale, r.closedAt, timeZone)}`, `closed ${formatDateTime(locale, r.closedAt, timeZone)}`)
      : t('đang kiểm tra', 'open');
    return t(
      `#${r.id} · ${r.unitCode} · mở ${opened} (${r.openedBy}) · ${state} · đã ghi ${n(r.marked)}/${n(r.sampled)} hồ sơ, ${n(r.findings)} phát hiện`,
      `#${r.id} · ${r.unitCode} · opened ${opened} (${r.openedBy}) · ${state} · ${n(r.marked)} of ${plural('en', r.sampled, 'record', 'records')} marked, ${plural('en', r.findings, 'finding', 'findings')}`,
    );
  });
  return { personal: false, title: t('Các cuộc kiểm tra hồ sơ', 'Records inspections'), blocks: [{ kind: 'list', items }] };
}
