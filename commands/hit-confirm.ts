import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { HIT_MESSAGES } from '../src/presenters/checks.ts';
import { hitIdOption } from './hit-options.ts';

export default defineCommand({
  name: 'hit confirm',
  nameVi: 'xác-nhận',
  description: text(
    'Xác nhận kết quả đối chiếu: đúng người, lệnh truy nã còn hiệu lực',
    'Confirm a hit: the same person, and the warrant still stands',
  ),
  minRole: 'officer',
  writes: true,
  options: [hitIdOption],
  async run(ctx) {
    const answered = await ctx.services.answerHit({
      scope: ctx.scope,
      member: ctx.member,
      id: ctx.options.id,
      answer: { kind: 'confirm' },
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
            `Đã xác nhận kết quả #${id} (hồ sơ ${caseCode}); người đối chiếu được báo.`,
            `Hit #${id} (case ${caseCode}) confirmed; the checker is told.`,
          )(ctx.locale),
        },
      ],
      actions: [
        {
          label: text('Ghi nhận đã bắt', 'Record the arrest')(ctx.locale),
          style: 'primary',
          command: 'case status',
          options: { code: caseCode, outcome: 'arrested' },
        },
      ],
    });
  },
});
