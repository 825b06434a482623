import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { auditReviewMessage } from '../src/presenters/audit.ts';

export default defineCommand({
  name: 'audit case',
  nameVi: 'hồ-sơ',
  description: text('Ai đã xem hoặc sửa một hồ sơ, khi nào, từ đâu', 'Who read or changed a case, when, and from where'),
  minRole: 'auditor',
  writes: false,
  options: [caseCodeOption],
  async run(ctx) {
    const review = await ctx.services.auditOfCase({ scope: ctx.scope, code: ctx.options.code });
    if (!review.ok) return review;
    const code = review.value.code;
    return ok(auditReviewMessage(review.value, text(`Nhật ký truy cập hồ sơ ${code}`, `Access to case ${code}`), ctx.locale, ctx.timeZone));
  },
});
