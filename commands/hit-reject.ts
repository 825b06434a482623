import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { HIT_MESSAGES } from '../src/presenters/checks.ts';
import { hitIdOption } from './hit-options.ts';

export default defineCommand({
  name: 'hit reject',
  nameVi: 'bác-bỏ',
  description: text('Bác bỏ kết quả đối chiếu, kèm lý do', 'Reject a hit, with the reason'),
  minRole: 'officer',
  writes: true,
  options: [
    hitIdOption,
    {
      name: 'reason',
      nameVi: 'lý-do',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 500,
      description: text('lý do, ví dụ: khác người, vân tay không khớp', 'why, e.g. another person, fingerprints differ'),
    },
  ],
  async run(ctx) {
    const answered = await ctx.services.answerHit({
      scope: ctx.scope,
      member: ctx.member,
      id: ctx.options.id,
      answer: { kind: 'reject', reason: ctx.options.reason },
      now: ctx.now,
      timeZone: ctx.timeZone,
      messages: HIT_MESSAGES,
    });
    if (!answered.ok) return answered;
    const { id, caseCode } = answered.value;
    ctx.touch(caseCode);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(
            `Đã bác bỏ kết quả #${id} (hồ sơ ${caseCode}); người đối chiếu được báo.`,
            `Hit #${id} (case ${caseCode}) rejected; the checker is told.`,
          )(ctx.locale),
        },
      ],
    });
  },
});
