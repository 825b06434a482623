import type { Attachment, Block } from '../domain/reply.ts';
import { formatDateTime, formatNumber, text, type Locale } from '../i18n/text.ts';
import type { CasePhotoView } from '../repositories/case-photos.ts';
import type { PhotoFile } from '../services/photos.ts';

/** How many photos a case has, without anything of them: what a channel or a viewer is told. */
export function photoCountLine(count: number, locale: Locale): string {
  if (count === 0) return text('Chưa có ảnh trong hồ sơ.', 'No photo on record.')(locale);
  return text(
    `${formatNumber('vi', count)} ảnh trong hồ sơ.`,
    `${formatNumber('en', count)} ${count === 1 ? 'photo' : 'photos'} on record.`,
  )(locale);
}

/**
 * The photos of a case for its private card, newest first: number, when and by whom, caption,
 * which of them are attached, and how to retire one. Nothing when it has none (its completeness
 * says so).
 */
export function casePhotoBlocks(code: string, photos: CasePhotoView[], files: PhotoFile[], locale: Locale, timeZone: string): Block[] {
  if (photos.length === 0) return [];
  const heading: Block = { kind: 'text', text: text(`Ảnh (${photos.length})`, `Photos (${photos.length})`)(locale) };
  const attached = new Map(files.map((f) => [f.photo.id, f.kind]));
  const items = photos.map((p) => {
    const shown = attached.get(p.id);
    const note =
      shown === 'image'
        ? text(' [ảnh kèm theo]', ' [attached]')(locale)
        : shown === 'thumbnail'
          ? text(' [ảnh nhỏ kèm theo]', ' [thumbnail attached]')(locale)
          : '';
    const caption = p.caption ? ` — ${p.caption}` : '';
    return `${text(`Ảnh số ${p.number}`, `Photo ${p.number}`)(locale)} · ${formatDateTime(locale, p.addedAt, timeZone)} · ${p.addedBy}${caption}${note}`;
  });
  return [
    heading,
    { kind: 'list', items },
    {
      kind: 'text',
      tone: 'muted',
      text: text(
        `Gỡ một ảnh: case photo-retire ${code} SỐ-ẢNH LÝ-DO`,
        `To retire a photo: case photo-retire ${code} NUMBER REASON`,
      )(locale),
    },
  ];
}

/** Discord takes alt text of up to 1,024 characters. */
const ALT_TEXT_MAX = 1000;

const clipped = (value: string, max: number) => ([...value].length > max ? `${[...value].slice(0, max - 1).join('')}…` : value);

/** A photo's file as sent to the invoker: `TN-2020-000123-photo-2.jpg`, a thumbnail `…-2-thumb.jpg`. */
export function photoAttachments(code: string, files: PhotoFile[], locale: Locale): Attachment[] {
  return files.map((f) => ({
    name: `${code}-photo-${f.photo.number}${f.kind === 'thumbnail' ? '-thumb' : ''}.jpg`,
    data: f.data,
    contentType: f.contentType,
    description: f.photo.caption
      ? clipped(f.photo.caption, ALT_TEXT_MAX)
      : text(`Ảnh số ${f.photo.number} của hồ sơ ${code}`, `Photo ${f.photo.number} of case ${code}`)(locale),
  }));
}
