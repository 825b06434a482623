import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'followup cancel',
  nameVi: 'huỷ',
  description: text('Hủy việc cần làm', 'Cancel a follow-up'),
  minRole: 'lead',
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
  ],
  async run(ctx) {
    const closed = await ctx.services.closeFollowUpAs({
      scope: ctx.scope,
      member: ctx.member,
      id: ctx.options.id,
      status: 'cancelled',
      note: null,
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
          text: text(`Đã hủy việc #${closed.value.id}.`, `Follow-up #${closed.value.id} is cancelled.`)(ctx.locale),
        },
      ],
    });
  },
});
