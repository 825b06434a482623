import type { Executor } from '../../db/client.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { hasRole } from '../domain/roles.ts';
import type { Scope } from '../domain/scope.ts';
import { text, type Text } from '../i18n/text.ts';
import {
  casePhotosOf,
  countActivePhotos,
  insertCasePhoto,
  photoImages,
  photoThumbnails,
  retirePhoto,
  type CasePhotoView,
} from '../repositories/case-photos.ts';
import { insertCaseEvents, updateCaseAtVersion, type CaseRow } from '../repositories/cases.ts';
import type { Member } from '../repositories/members.ts';
import { caseToChange, changedMeanwhile, getCaseInScope } from './cases.ts';
import { prepareImage, PHOTO_LIMITS, type ImageProblem } from './images.ts';

/** Photos of a subject on a case: added by officers within scope, shown privately, retired with a reason. */

const MB = PHOTO_LIMITS.bytes / (1024 * 1024);

/** What an upload refused for `problem` is told, naming the file. */
export function imageProblemText(problem: ImageProblem, name: string): Text {
  switch (problem) {
    case 'too_large':
      return text(
        `Ảnh ${name} lớn hơn ${MB} MB. Hãy xuất ảnh ở độ phân giải thấp hơn rồi gửi lại.`,
        `${name} is larger than ${MB} MB. Export it at a lower resolution and send it again.`,
      );
    case 'lies_about_type':
      return text(
        `${name} mang tên của một ảnh nhưng nội dung không phải ảnh JPEG, PNG hay WebP: tệp có thể đã bị đổi tên hoặc hỏng. Hãy gửi ảnh gốc.`,
        `${name} is named as an image, but its content is no JPEG, PNG or WebP image: it may have been renamed or damaged. Send the original photo.`,
      );
    case 'too_many_pixels':
      return text(
        `Ảnh ${name} có quá nhiều điểm ảnh (tối đa 40 triệu), không như một ảnh chụp thông thường. Hãy xuất ảnh ở độ phân giải thấp hơn rồi gửi lại.`,
        `${name} has too many pixels (at most 40 million), unlike any ordinary photo. Export it at a lower resolution and send it again.`,
      );
    case 'damaged':
      return text(
        `Không đọc được ảnh ${name}: tệp bị cắt ngắn hoặc hỏng. Hãy gửi lại ảnh gốc.`,
        `Could not decode ${name}: it is cut short or damaged. Send the original photo again.`,
      );
    case 'not_image':
      return text(
        `${name} không phải ảnh JPEG, PNG hay WebP. Hãy gửi ảnh ở một trong các định dạng đó (ảnh HEIC của iPhone: xuất ra JPEG trước).`,
        `${name} is not a JPEG, PNG or WebP image. Send the photo in one of those formats (an iPhone's HEIC photo: export it as JPEG first).`,
      );
  }
}

const officersOnly = text('Chỉ cán bộ (officer) trở lên mới thêm hoặc gỡ ảnh.', 'Only officers and above add or retire photos.');

export interface PhotoAdded {
  case: CaseRow;
  photo: { id: number; number: number; width: number; height: number; originalBytes: number; originalSha256: string };
}

/**
 * Adds a photo to a case within the scope, as an officer: the upload checked and re-encoded (see
 * {@link prepareImage}), its copy and thumbnail stored, the case marked as having a photo, its
 * version bumped and the addition in its history (without the image). Refuses a case out of scope
 * (not found), a case changed after `expectedVersion`, an upload that is no fit image, and a photo
 * the case already has.
 */
export async function addCasePhoto(
  db: Executor,
  input: {
    scope: Scope;
    actor: Member;
    code: string;
    file: { name: string; data: Uint8Array };
    caption?: string | undefined;
    expectedVersion?: number | undefined;
  },
): Promise<Result<PhotoAdded>> {
  if (!hasRole(input.actor.role, 'officer')) return fail('denied', officersOnly);
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const prepared = await prepareImage(input.file);
  if (!prepared.ok) return fail('invalid', imageProblemText(prepared.problem, input.file.name));
  const image = prepared.image;
  const photos = await casePhotosOf(db, { caseId: before.id });
  const same = photos.find((p) => p.originalSha256 === image.originalSha256);
  if (same) {
    return fail(
      'conflict',
      text(
        `Ảnh này đã có trong hồ sơ ${before.code} (ảnh số ${same.number}); không lưu lại lần nữa.`,
        `This photo is already on case ${before.code} (photo ${same.number}); it was not stored again.`,
      ),
    );
  }
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes: { hasPhoto: true } });
  if (!after) return changedMeanwhile(db, before, before.version);
  const { id } = await insertCasePhoto(db, {
    caseId: before.id,
    contentType: image.contentType,
    image: image.image,
    thumbnail: image.thumbnail,
    width: image.width,
    height: image.height,
    originalBytes: image.originalBytes,
    originalSha256: image.originalSha256,
    caption: input.caption ?? null,
    addedByMemberId: input.actor.id,
  });
  const number = (await casePhotosOf(db, { caseId: before.id, withRetired: true })).find((p) => p.id === id)!.number;
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'info_added',
      actorMemberId: input.actor.id,
      data: {
        version: after.version,
        field: 'photo',
        photo: { id, number, sha256: image.originalSha256, ...(input.caption ? { caption: input.caption } : {}) },
      },
    },
  ]);
  const { width, height, originalBytes, originalSha256 } = image;
  return ok({ case: after, photo: { id, number, width, height, originalBytes, originalSha256 } });
}

export interface PhotoRetired {
  case: CaseRow;
  photo: CasePhotoView;
  /** How many photos the case still shows. */
  remaining: number;
}

/**
 * Retires photo `number` of a case within the scope, with a reason, as an officer: it is kept, but
 * no longer shown. The case keeps `has_photo` while it has another photo or a photo reference
 * written earlier (`photo_note`). Refuses a number the case does not have and a photo retired already.
 */
export async function retireCasePhoto(
  db: Executor,
  input: { scope: Scope; actor: Member; code: string; number: number; reason: string; expectedVersion?: number | undefined },
): Promise<Result<PhotoRetired>> {
  if (!hasRole(input.actor.role, 'officer')) return fail('denied', officersOnly);
  const found = await caseToChange(db, input);
  if (!found.ok) return found;
  const before = found.value;
  const all = await casePhotosOf(db, { caseId: before.id, withRetired: true });
  const photo = all.find((p) => p.number === input.number);
  if (!photo) {
    const active = all.filter((p) => p.retiredAt === null).map((p) => p.number);
    return fail('not_found', (l) =>
      text(
        `Hồ sơ ${before.code} không có ảnh số ${input.number}. ${active.length ? `Các ảnh đang hiển thị: ${active.join(', ')}.` : 'Hồ sơ chưa có ảnh nào.'} Xem bằng: case show ${before.code}`,
        `Case ${before.code} has no photo ${input.number}. ${active.length ? `Its photos shown: ${active.join(', ')}.` : 'It has no photo.'} See them with: case show ${before.code}`,
      )(l),
    );
  }
  const retired = photo.retiredAt === null && (await retirePhoto(db, { id: photo.id, memberId: input.actor.id, reason: input.reason }));
  if (!retired) {
    return fail(
      'conflict',
      text(
        `Ảnh số ${photo.number} của hồ sơ ${before.code} đã được gỡ trước đó (lý do: ${photo.retireReason ?? '-'}); không có gì thay đổi.`,
        `Photo ${photo.number} of case ${before.code} was retired already (reason: ${photo.retireReason ?? '-'}); nothing changed.`,
      ),
    );
  }
  const remaining = await countActivePhotos(db, { caseId: before.id });
  const hasPhoto = remaining > 0 || before.photoNote !== null;
  const after = await updateCaseAtVersion(db, { id: before.id, expectedVersion: before.version, changes: { hasPhoto } });
  if (!after) return changedMeanwhile(db, before, before.version);
  await insertCaseEvents(db, [
    {
      caseId: before.id,
      kind: 'photo_retired',
      actorMemberId: input.actor.id,
      data: {
        version: after.version,
        photo: { id: photo.id, number: photo.number },
        reason: input.reason,
        ...(hasPhoto !== before.hasPhoto ? { changes: { has_photo: [before.hasPhoto, hasPhoto] } } : {}),
      },
    },
  ]);
  return ok({ case: after, photo: { ...photo, retiredAt: retired.retiredAt, retireReason: input.reason }, remaining });
}

/** A photo's image or thumbnail, as stored. */
export interface PhotoFile {
  photo: CasePhotoView;
  kind: 'image' | 'thumbnail';
  contentType: string;
  data: Uint8Array;
}

export interface CasePhotos {
  row: CaseRow;
  /** Its photos shown (not retired), newest first. */
  photos: CasePhotoView[];
  /** The full images of the newest `images`, then the thumbnails of the next `thumbnails`. */
  files: PhotoFile[];
}

/**
 * The photos of a case within the scope, newest first, with the full images of the newest
 * `images` and the thumbnails of the next `thumbnails` (none unless asked: bytes only for a
 * private answer).
 */
export async function getCasePhotos(
  db: Executor,
  input: { scope: Scope; code: string; images?: number; thumbnails?: number },
): Promise<Result<CasePhotos>> {
  const found = await getCaseInScope(db, input.scope, input.code);
  if (!found.ok) return found;
  const photos = await casePhotosOf(db, { caseId: found.value.id });
  const full = photos.slice(0, input.images ?? 0);
  const small = photos.slice(full.length, full.length + (input.thumbnails ?? 0));
  const images = await photoImages(db, { ids: full.map((p) => p.id) });
  const thumbnails = await photoThumbnails(db, { ids: small.map((p) => p.id) });
  const files: PhotoFile[] = [
    ...full.map((photo): PhotoFile => ({ photo, kind: 'image', ...images.get(photo.id)! })),
    ...small.map((photo): PhotoFile => ({ photo, kind: 'thumbnail', ...thumbnails.get(photo.id)! })),
  ];
  return ok({ row: found.value, photos, files });
}
