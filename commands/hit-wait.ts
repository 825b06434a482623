import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { formatDateTime, formatNumber, text } from '../src/i18n/text.ts';
import { plural } from '../src/i18n/plural.ts';
import { HIT_MESSAGES } from '../src/presenters/checks.ts';
import { MAX_WAIT_MINUTES } from '../src/services/checks.ts';
import { hitIdOption } from './hit-options.ts';

export default defineCommand({
  name: 'hit wait',
  nameVi: 'chờ',
  description: text('Xin thêm thời gian để xác nhận kết quả đối chiếu', 'Ask for more time to confirm a hit'),
  minRole: 'officer',
  writes: true,
  options: [
    hitIdOption,
    {
      name: 'minutes',
      nameVi: 'số-phút',
      type: 'integer',
      positional: true,
      required: true,
      min: 1,
      max: MAX_WAIT_MINUTES,
      placeholder: 'minutes',
      description: text('cần thêm bao nhiêu phút (tối đa 1.440)', 'how many more minutes (at most 1,440)'),
    },
  ],
  async run(ctx) {
    const minutes = ctx.options.minutes;
    const answered = await ctx.services.answerHit({
      scope: ctx.scope,
      member: ctx.member,
      id: ctx.options.id,
      answer: { kind: 'wait', minutes },
      now: ctx.now,
      timeZone: ctx.timeZone,
      messages: HIT_MESSAGES,
    });
    if (!answered.ok) return answered;
    const { id, caseCode, dueAt } = answered.value;
    ctx.touch(caseCode);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(
            `Kết quả #${id} (hồ sơ ${caseCode}): thêm ${formatNumber('vi', minutes)} phút, hạn mới ${formatDateTime('vi', dueAt, ctx.timeZone)}.`,
            `Hit #${id} (case ${caseCode}): ${plural('en', minutes, 'more minute', 'more minutes')}, now due ${formatDateTime('en', dueAt, ctx.timeZone)}.`,
          )(ctx.locale),
        },
      ],
    });
  },
});
