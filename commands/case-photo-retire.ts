import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { formatNumber, text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'case photo-retire',
  nameVi: 'gỡ-ảnh',
  description: text(
    'Gỡ một ảnh khỏi hồ sơ, có lý do (ảnh vẫn được giữ lại để kiểm tra)',
    'Retire a photo of a case, with a reason (it is kept for review, no longer shown)',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'number',
      nameVi: 'số-ảnh',
      labelVi: 'số ảnh',
      type: 'integer',
      positional: true,
      required: true,
      min: 1,
      placeholder: 'N',
      description: text('số của ảnh, như case show liệt kê', 'the photo’s number, as case show lists it'),
    },
    {
      name: 'reason',
      nameVi: 'lý-do',
      labelVi: 'lý do',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 500,
      description: text('vì sao gỡ ảnh, ví dụ: nhầm người', 'why it is retired, e.g. the wrong person'),
    },
    caseVersionOption,
  ],
  async run(ctx) {
    const retired = await ctx.services.retireCasePhoto({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      number: ctx.options.number,
      reason: ctx.options.reason,
      expectedVersion: ctx.options.version,
    });
    if (!retired.ok) return retired;
    const { case: row, photo, remaining } = retired.value;
    ctx.touch(row.code);
    ctx.noteAudit({ photo: { id: photo.id, number: photo.number } });
    const left = text(
      remaining ? `Hồ sơ còn ${formatNumber('vi', remaining)} ảnh.` : 'Hồ sơ không còn ảnh nào được hiển thị.',
      remaining
        ? `The case has ${formatNumber('en', remaining)} ${remaining === 1 ? 'photo' : 'photos'} left.`
        : 'The case has no photo shown now.',
    );
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Đã gỡ ảnh số ${photo.number} của ${row.code}.`, `Retired photo ${photo.number} of ${row.code}.`)(ctx.locale),
        },
        { kind: 'text', tone: 'muted', text: left(ctx.locale) },
      ],
    });
  },
});
