import { defineCommand, type CommandContext } from '../src/core/command.ts';
import type { InputFile } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { fail, ok, type Result } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { detailAddedMessage } from '../src/presenters/case-details.ts';
import type { InfoField } from '../src/services/cases.ts';
import { sha256Hex } from '../src/services/checks.ts';
import { namedAsImage, PHOTO_LIMITS } from '../src/services/images.ts';
import { imageProblemText } from '../src/services/photos.ts';

const MB = PHOTO_LIMITS.bytes / (1024 * 1024);

const FIELD_LABEL: Record<InfoField, [string, string]> = {
  photo: ['ảnh', 'photo'],
  marks: ['đặc điểm nhận dạng', 'identifying marks'],
  history: ['tiền án, tiền sự', 'criminal history'],
};

export default defineCommand({
  name: 'case info',
  nameVi: 'bổ-sung',
  description: text(
    'Bổ sung ảnh, đặc điểm nhận dạng hoặc tiền án tiền sự (độ đầy đủ hồ sơ)',
    'Record a photo, identifying marks or criminal history (record completeness)',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'field',
      nameVi: 'mục',
      labelVi: 'loại thông tin',
      type: 'choice',
      positional: true,
      required: true,
      choices: [
        { value: 'photo', label: text('ảnh', 'photo'), aliases: ['ảnh', 'anh'] },
        { value: 'marks', label: text('đặc điểm nhận dạng', 'identifying marks'), aliases: ['đặc điểm', 'dac-diem', 'nhan-dang'] },
        { value: 'history', label: text('tiền án, tiền sự', 'criminal history'), aliases: ['tiền án', 'tien-an', 'tien-su'] },
      ],
      description: text('loại thông tin: photo, marks, history', 'which information: photo, marks, history'),
    },
    {
      name: 'text',
      nameVi: 'nội-dung',
      type: 'text',
      positional: true,
      maxLength: 4000,
      multiline: true,
      description: text(
        'nội dung (với ảnh: chú thích, hoặc nơi lưu ảnh giấy)',
        'the information (for a photo: a caption, or where a print is filed)',
      ),
    },
    {
      name: 'file',
      nameVi: 'tệp-ảnh',
      labelVi: 'tệp ảnh',
      type: 'file',
      placeholder: 'IMAGE',
      fileTypes: ['jpg', 'jpeg', 'png', 'webp'],
      neededWhen: { option: 'field', values: ['photo'] },
      description: text(`với ảnh: ảnh JPEG, PNG hoặc WebP, tối đa ${MB} MB`, `for a photo: the image, JPEG, PNG or WebP, at most ${MB} MB`),
    },
    caseVersionOption,
    {
      name: 'source',
      nameVi: 'nguồn',
      type: 'string',
      maxLength: 200,
      placeholder: 'SOURCE',
      description: text(
        'với đặc điểm, tiền án: nguồn, ví dụ số bản án hoặc tài liệu',
        'for marks or history: where it comes from, e.g. a judgment number or a document',
      ),
    },
    {
      name: 'on',
      nameVi: 'ngày',
      labelVi: 'ngày của nguồn',
      type: 'date',
      description: text(
        'với đặc điểm, tiền án: ngày của nguồn (ví dụ ngày bản án)',
        "for marks or history: the source's day (a judgment's date)",
      ),
    },
  ],
  async run(ctx) {
    const field = ctx.options.field;
    if (ctx.options.file !== undefined && field !== 'photo') {
      return fail(
        'invalid',
        text(
          `Tệp kèm theo chỉ dùng cho ảnh: case info ${ctx.options.code} photo. Với ${FIELD_LABEL[field][0]}, hãy gõ nội dung.`,
          `A file goes with a photo only: case info ${ctx.options.code} photo. For ${FIELD_LABEL[field][1]}, type the text.`,
        ),
      );
    }
    if (field === 'marks' || field === 'history') {
      const added = await ctx.services.addCaseDetail({
        scope: ctx.scope,
        actor: ctx.member,
        code: ctx.options.code,
        kind: field,
        text: ctx.options.text,
        source: ctx.options.source,
        on: ctx.options.on,
        expectedVersion: ctx.options.version,
        now: ctx.now,
        today: ctx.today,
      });
      if (!added.ok) return added;
      ctx.touch(added.value.row.code);
      ctx.noteAudit({ detail: added.value.detail.id });
      return ok(detailAddedMessage(added.value, ctx.locale));
    }
    if (ctx.options.source !== undefined || ctx.options.on !== undefined) {
      return fail(
        'invalid',
        text(
          'source: và on: chỉ dùng với đặc điểm nhận dạng (marks) hoặc tiền án, tiền sự (history). Hãy bỏ chúng khỏi lệnh bổ sung ảnh.',
          'source: and on: go with identifying marks (marks) or criminal history (history) only. Leave them out when recording a photo.',
        ),
      );
    }
    const typed = ctx.options.text;
    // On the command line the image may be given as the text: `case info CODE photo ./anh.jpg`.
    const typedPath =
      field === 'photo' && ctx.options.file === undefined && typed && !/\s/.test(typed) && namedAsImage(typed) ? typed : undefined;
    const file = ctx.options.file ?? typedPath;
    const opened = file === undefined ? undefined : ctx.openFile(file);
    if (opened) return addPhoto(ctx, opened, typedPath === undefined ? typed : undefined);
    if (ctx.options.file !== undefined || !typed) return fail('invalid', noImageText(ctx.options.code));
    const updated = await ctx.services.addPhotoReference({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      reference: typed,
      expectedVersion: ctx.options.version,
    });
    if (!updated.ok) return updated;
    ctx.touch(updated.value.code);
    const done = text(
      `Đã ghi nơi lưu ảnh của ${updated.value.code}.`,
      `Recorded where the photo of ${updated.value.code} is filed.`,
    )(ctx.locale);
    return ok({
      personal: false,
      blocks: [
        { kind: 'text', tone: 'success', text: done },
        { kind: 'text', tone: 'muted', text: imageCanBeAttachedText(updated.value.code)(ctx.locale) },
      ],
    });
  },
});

/** What adding a photo reads of the command's context. */
type PhotoContext = CommandContext<{ readonly code: string; readonly version: number | undefined }>;

/** Reads the attached image and adds it to the case; the upload is audited by name, size and hash, stored or not. */
async function addPhoto(ctx: PhotoContext, file: InputFile, caption: string | undefined): Promise<Result<ReplyMessage>> {
  const tooLarge = imageProblemText('too_large', file.name);
  if (file.size !== null && file.size > PHOTO_LIMITS.bytes) {
    ctx.noteAudit({ photo: { file: file.name, bytes: file.size } });
    return fail('invalid', tooLarge);
  }
  const data = await file.read(PHOTO_LIMITS.bytes);
  if (data === 'too_large') {
    ctx.noteAudit({ photo: { file: file.name, bytes: '>' + PHOTO_LIMITS.bytes } });
    return fail('invalid', tooLarge);
  }
  if (data === 'unreadable') {
    return fail(
      'invalid',
      text(
        `Không đọc được ảnh ${file.name}: tệp không còn hoặc tải xuống bị lỗi. Gửi lại ảnh; trên dòng lệnh, kiểm tra đường dẫn.`,
        `Could not read ${file.name}: it is gone, or the download failed. Send it again; on the command line, check the path.`,
      ),
    );
  }
  const upload = { file: file.name, bytes: data.byteLength, sha256: sha256Hex(data) };
  ctx.noteAudit({ photo: upload });
  const added = await ctx.services.addCasePhoto({
    scope: ctx.scope,
    actor: ctx.member,
    code: ctx.options.code,
    file: { name: file.name, data },
    caption,
    expectedVersion: ctx.options.version,
  });
  if (!added.ok) return added;
  const { case: row, photo } = added.value;
  ctx.touch(row.code);
  ctx.noteAudit({ photo: { ...upload, id: photo.id, number: photo.number } });
  return ok({
    personal: false,
    blocks: [
      {
        kind: 'text',
        tone: 'success',
        text: text(
          `Đã lưu ảnh số ${photo.number} cho ${row.code} (${photo.width}×${photo.height}, đã xoá thông tin vị trí và máy ảnh). Ảnh chỉ hiển thị riêng cho cán bộ trong phạm vi: case show ${row.code}`,
          `Stored photo ${photo.number} of ${row.code} (${photo.width}×${photo.height}, its location and camera details removed). It is shown privately, to officers within scope: case show ${row.code}`,
        )(ctx.locale),
      },
    ],
  });
}

function noImageText(code: string) {
  return text(
    `Chưa nhận được ảnh. Trên Discord, đính kèm ảnh vào tùy chọn file của /case info; trên Slack, chọn ảnh trong hộp thoại mở ra khi gõ /case info ${code} photo; trên dòng lệnh, ghi đường dẫn tới ảnh: case info ${code} photo ./anh.jpg`,
    `No image came with the command. On Discord, attach it to the file option of /case info; on Slack, choose it in the form that /case info ${code} photo opens; on the command line, give its path: case info ${code} photo ./photo.jpg`,
  );
}

function imageCanBeAttachedText(code: string) {
  return text(
    `Đây là ghi chú nơi lưu ảnh. Có thể lưu chính ảnh vào hồ sơ: case info ${code} photo kèm tệp ảnh (JPEG, PNG, WebP, tối đa ${MB} MB).`,
    `This is a note of where the photo is. The image itself can be stored on the record: case info ${code} photo with the image attached (JPEG, PNG, WebP, at most ${MB} MB).`,
  );
}
