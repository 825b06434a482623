import { defineCommand } from '../src/core/command.ts';
import { text } from '../src/i18n/text.ts';
import { answerHitCommand, hitIdOption } from './hit-options.ts';

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
  run: (ctx) =>
    answerHitCommand(ctx, { kind: 'reject', reason: ctx.options.reason }, ({ id, caseCode }) =>
      text(
        `Đã bác bỏ kết quả #${id} (hồ sơ ${caseCode}); người đối chiếu được báo.`,
        `Hit #${id} (case ${caseCode}) rejected; the checker is told.`,
      ),
    ),
});
