import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { auditReviewMessage } from '../src/presenters/audit.ts';

export default defineCommand({
  name: 'audit member',
  nameVi: 'thành-viên',
  description: text('Những gì một thành viên đã làm, mới nhất trước', 'What a member did, newest first'),
  minRole: 'auditor',
  writes: false,
  options: [
    {
      name: 'handle',
      nameVi: 'tên',
      labelVi: 'tên đăng nhập',
      type: 'string',
      required: true,
      positional: true,
      maxLength: 64,
      placeholder: 'HANDLE',
      description: text('tên đăng nhập của thành viên, ví dụ duc.nv', "the member's handle, e.g. duc.nv"),
    },
  ],
  async run(ctx) {
    const review = await ctx.services.auditOfMember({ scope: ctx.scope, handle: ctx.options.handle });
    if (!review.ok) return review;
    const handle = review.value.handle;
    return ok(auditReviewMessage(review.value, text(`Hoạt động của ${handle}`, `Activity of ${handle}`), ctx.locale, ctx.timeZone));
  },
});
