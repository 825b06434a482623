import { defineCommand } from '../src/core/command.ts';
import { formatDateTime, formatNumber, text } from '../src/i18n/text.ts';
import { plural } from '../src/i18n/plural.ts';
import { MAX_WAIT_MINUTES } from '../src/services/checks.ts';
import { answerHitCommand, hitIdOption } from './hit-options.ts';

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
  run: (ctx) =>
    answerHitCommand(ctx, { kind: 'wait', minutes: ctx.options.minutes }, ({ id, caseCode, dueAt }) =>
      text(
        `Kết quả #${id} (hồ sơ ${caseCode}): thêm ${formatNumber('vi', ctx.options.minutes)} phút, hạn mới ${formatDateTime('vi', dueAt, ctx.timeZone)}.`,
        `Hit #${id} (case ${caseCode}): ${plural('en', ctx.options.minutes, 'more minute', 'more minutes')}, now due ${formatDateTime('en', dueAt, ctx.timeZone)}.`,
      ),
    ),
});
