import type { CaseDetailKind } from '../../db/schema/index.ts';
import { dayIn } from '../domain/dates.ts';
import type { Block, ReplyMessage } from '../domain/reply.ts';
import { DETAIL_KIND_LABEL } from '../i18n/labels.ts';
import { formatDate, formatDateTime, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { CaseDetailView } from '../repositories/case-details.ts';
import type { CaseRow } from '../repositories/cases.ts';
import type { DetailAdded } from '../services/case-details.ts';

const HEADING: Record<CaseDetailKind, (locale: Locale) => string> = {
  marks: text('Đặc điểm nhận dạng', 'Identifying marks'),
  history: text('Tiền án, tiền sự', 'Criminal history'),
};

/**
 * What `case info CODE marks|history` recorded, for the channel it was asked in: the kind, how many
 * entries the case has, and whether a source and its day came with it; never the text or the source
 * itself, which are personal data (`case show` gives them privately).
 */
export function detailAddedMessage(added: DetailAdded, locale: Locale): ReplyMessage {
  const { row, detail, count } = added;
  const kind = DETAIL_KIND_LABEL[detail.kind](locale);
  const withWhat = [
    detail.source ? text('kèm nguồn', 'with its source')(locale) : text('không ghi nguồn', 'no source given')(locale),
    detail.notedOn
      ? text(`ngày của nguồn ${formatDate('vi', detail.notedOn)}`, `source dated ${formatDate('en', detail.notedOn)}`)(locale)
      : text('không ghi ngày', 'no day given')(locale),
  ].join(', ');
  const earlier = count - 1;
  const kept =
    earlier === 0
      ? text('Đây là mục đầu tiên.', 'It is the first entry.')(locale)
      : text(
          `${formatNumber('vi', earlier)} mục trước vẫn được giữ.`,
          `The ${formatNumber('en', earlier)} earlier ${earlier === 1 ? 'entry is' : 'entries are'} kept.`,
        )(locale);
  return {
    personal: false,
    blocks: [
      {
        kind: 'text',
        tone: 'success',
        text: text(
          `Đã thêm ${kind} cho ${row.code} (mục thứ ${formatNumber('vi', count)}; ${withWhat}). ${kept} Xem: case show ${row.code}`,
          `Added ${kind} to ${row.code} (entry ${formatNumber('en', count)}; ${withWhat}). ${kept} See: case show ${row.code}`,
        )(locale),
      },
    ],
  };
}

/** Whether an entry came on or after the case's last review day: the day is all a case keeps of it. */
const isNew = (detail: CaseDetailView, validatedOn: string | null, timeZone: string) =>
  validatedOn !== null && dayIn(timeZone, detail.addedAt) >= validatedOn;

/** `sẹo dài ở cằm — nguồn: bản án 12/2020/HS-ST, ngày 01/05/2020 · officer, 01/09/2024 10:00` */
function detailLine(detail: CaseDetailView, fresh: boolean, locale: Locale, timeZone: string): string {
  const about = [
    detail.source ? text(`nguồn: ${detail.source}`, `source: ${detail.source}`)(locale) : null,
    detail.notedOn ? text(`ngày ${formatDate('vi', detail.notedOn)}`, `dated ${formatDate('en', detail.notedOn)}`)(locale) : null,
  ]
    .filter(Boolean)
    .join(', ');
  const mark = fresh ? `[${text('mới kể từ lần rà soát trước', 'new since the last review')(locale)}] ` : '';
  return `${mark}${detail.text}${about ? ` — ${about}` : ''} · ${detail.addedBy}, ${formatDateTime(locale, detail.addedAt, timeZone)}`;
}

/**
 * A case's identifying marks and criminal history entries for its card, by kind, newest first,
 * with those added since the case's last review (`validated_on`) marked; or, when it was never
 * reviewed, saying so. Personal data: private replies only.
 */
export function caseDetailBlocks(row: CaseRow, details: CaseDetailView[], locale: Locale, timeZone: string): Block[] {
  const fresh = details.filter((d) => isNew(d, row.validatedOn, timeZone)).length;
  const review = row.validatedOn
    ? text(
        `Rà soát gần nhất: ${formatDate('vi', row.validatedOn)}; ${formatNumber('vi', fresh)} mục mới kể từ đó.`,
        `Last review: ${formatDate('en', row.validatedOn)}; ${formatNumber('en', fresh)} ${fresh === 1 ? 'entry' : 'entries'} new since then.`,
      )(locale)
    : text('Hồ sơ chưa được rà soát lần nào.', 'This record has never been reviewed.')(locale);
  const blocks: Block[] = [{ kind: 'text', tone: 'muted', text: review }];
  for (const kind of ['marks', 'history'] as const) {
    const ofKind = details.filter((d) => d.kind === kind);
    if (ofKind.length === 0) continue;
    blocks.push({ kind: 'text', text: HEADING[kind](locale) });
    blocks.push({ kind: 'list', items: ofKind.map((d) => detailLine(d, isNew(d, row.validatedOn, timeZone), locale, timeZone)) });
  }
  return blocks;
}

/** A kind's line among the card's completeness: how many entries, or the text alone when it has none. */
export function detailCompleteness(kind: CaseDetailKind, row: CaseRow, details: CaseDetailView[], locale: Locale): string {
  const n = details.filter((d) => d.kind === kind).length;
  const summary = kind === 'marks' ? row.identifyingMarks : row.criminalHistory;
  if (n > 0) return text(`có (${formatNumber('vi', n)} mục)`, `yes (${formatNumber('en', n)} ${n === 1 ? 'entry' : 'entries'})`)(locale);
  return summary ?? text('chưa có', 'missing')(locale);
}
