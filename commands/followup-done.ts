import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/core/result.ts';
import { text } from '../src/i18n/text.ts';
import { closeFollowUpAs } from '../src/services/follow-ups.ts';

export default defineCommand({
  name: 'followup done',
  description: text('Đánh dấu việc cần làm đã xong', 'Mark a follow-up done'),
  minRole: 'officer',
  writes: true,
  options: [
    {
      name: 'id',
      type: 'integer',
      positional: true,
      required: true,
      min: 1,
      placeholder: 'id',
      description: text('số của việc, ví dụ 12', 'the follow-up number, e.g. 12'),
    },
    { name: 'note', type: 'text', positional: true, maxLength: 1000, description: text('kết quả', 'what was done') },
  ],
  async run(ctx) {
    const closed = await closeFollowUpAs(ctx.db, {
      scope: ctx.scope,
      member: ctx.member,
      id: Number(ctx.options.id),
      status: 'done',
      note: (ctx.options.note as string | undefined) ?? null,
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
          text: ctx.locale === 'vi' ? `Việc #${closed.value.id} đã xong.` : `Follow-up #${closed.value.id} is done.`,
        },
      ],
    });
  },
});
