import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/core/result.ts';
import { text } from '../src/i18n/text.ts';
import { addCaseNote } from '../src/services/cases.ts';

export default defineCommand({
  name: 'case note',
  description: text('Thêm ghi chú vào diễn biến hồ sơ', "Add a note to a case's history"),
  minRole: 'officer',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'text',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 2000,
      multiline: true,
      description: text('nội dung ghi chú', 'the note'),
    },
  ],
  async run(ctx) {
    const noted = await addCaseNote(ctx.db, {
      scope: ctx.scope,
      actor: ctx.member,
      code: String(ctx.options.code),
      note: String(ctx.options.text),
    });
    if (!noted.ok) return noted;
    ctx.touch(noted.value.code);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: ctx.locale === 'vi' ? `Đã ghi chú vào ${noted.value.code}.` : `Note added to ${noted.value.code}.`,
        },
      ],
    });
  },
});
