import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'followup done',
  nameVi: 'xong',
  description: text('Đánh dấu việc cần làm đã xong', 'Mark a follow-up done'),
  minRole: 'officer',
  writes: true,
  options: [
    {
      name: 'id',
      nameVi: 'số',
      labelVi: 'số hiệu việc',
      type: 'integer',
      positional: true,
      required: true,
      min: 1,
      placeholder: 'id',
      description: text('số của việc, ví dụ 12', 'the follow-up number, e.g. 12'),
    },
    { name: 'note', nameVi: 'ghi-chú', type: 'text', positional: true, maxLength: 1000, description: text('kết quả', 'what was done') },
  ],
  async run(ctx) {
    const closed = await ctx.services.closeFollowUpAs({
      scope: ctx.scope,
      member: ctx.member,
      id: ctx.options.id,
      status: 'done',
      note: ctx.options.note ?? null,
      now: ctx.now,
    });
    if (!closed.ok) return closed;
    if (closed.value.caseCode) ctx.touch(closed.value.caseCode);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Việc #${closed.value.id} đã xong.`, `Follow-up #${closed.value.id} is done.`)(ctx.locale),
        },
      ],
    });
  },
});
