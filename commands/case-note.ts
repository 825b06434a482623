import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, noteTextOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'case note',
  nameVi: 'ghi-chú',
  description: text('Thêm ghi chú vào diễn biến hồ sơ', "Add a note to a case's history"),
  minRole: 'officer',
  writes: true,
  options: [caseCodeOption, noteTextOption],
  async run(ctx) {
    const noted = await ctx.services.addCaseNote({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      note: ctx.options.text,
    });
    if (!noted.ok) return noted;
    ctx.touch(noted.value.code);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Đã ghi chú vào ${noted.value.code}.`, `Note added to ${noted.value.code}.`)(ctx.locale),
        },
      ],
    });
  },
});
