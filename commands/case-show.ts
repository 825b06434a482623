import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { hasRole } from '../src/domain/roles.ts';
import { text } from '../src/i18n/text.ts';
import { caseCardBlocks, caseIdentityFields, caseSummaryFields } from '../src/presenters/case.ts';
import { casePhotoBlocks, photoAttachments, photoCountLine } from '../src/presenters/photos.ts';

/**
 * The photos a private answer carries: the newest in full and thumbnails of the next few, well
 * within what a Discord message or a Slack direct message takes.
 */
const SHOWN_PHOTOS = { images: 1, thumbnails: 3 } as const;

export default defineCommand({
  name: 'case show',
  nameVi: 'xem',
  description: text('Xem hồ sơ đầy đủ, cả ảnh (chỉ hiển thị riêng cho bạn)', 'Show a case in full, with its photos (shown to you alone)'),
  minRole: 'viewer',
  writes: false,
  options: [caseCodeOption],
  async run(ctx) {
    const card = await ctx.services.getCaseCard(ctx.scope, ctx.options.code);
    if (!card.ok) return card;
    ctx.touch(card.value.row.code);
    const l = ctx.locale;
    const title = text(`Hồ sơ ${card.value.row.code}`, `Case ${card.value.row.code}`)(l);
    const officer = ctx.canReplyPrivately && hasRole(ctx.member.role, 'officer');
    // Bytes only where they are shown: a private answer to an officer.
    const photos = await ctx.services.getCasePhotos({ scope: ctx.scope, code: card.value.row.code, ...(officer ? SHOWN_PHOTOS : {}) });
    if (!photos.ok) return photos;
    const count = photos.value.photos.length;
    const photoCount = count ? [{ kind: 'text', tone: 'muted', text: photoCountLine(count, l) } as const] : [];
    if (!ctx.canReplyPrivately) {
      return ok({
        personal: false,
        title,
        blocks: [
          { kind: 'fields', fields: caseSummaryFields(card.value, l) },
          ...photoCount,
          {
            kind: 'text',
            tone: 'muted',
            text: text(
              'Đây là bản tóm tắt: thông tin cá nhân chỉ hiển thị ở nơi chỉ mình bạn thấy. Hãy gõ lại lệnh trong tin nhắn riêng với casedesk.',
              'This is a summary: personal details are shown only where you alone can see them. Run the command again in a direct message to casedesk.',
            )(l),
          },
        ],
      });
    }
    if (!hasRole(ctx.member.role, 'officer')) {
      return ok({
        personal: true,
        title,
        blocks: [
          { kind: 'fields', fields: [...caseIdentityFields(card.value, l), ...caseSummaryFields(card.value, l)] },
          ...photoCount,
          { kind: 'text', tone: 'muted', text: text('Vai trò người xem chỉ thấy bản tóm tắt.', 'The viewer role sees a summary only.')(l) },
        ],
      });
    }
    const { photos: list, files } = photos.value;
    if (files.length) ctx.noteAudit({ photos: files.map((f) => f.photo.id) });
    const code = card.value.row.code;
    return ok({
      personal: true,
      title,
      blocks: [...caseCardBlocks(card.value, l, ctx.timeZone), ...casePhotoBlocks(code, list, files, l, ctx.timeZone)],
      ...(files.length ? { files: photoAttachments(code, files, l) } : {}),
    });
  },
});
