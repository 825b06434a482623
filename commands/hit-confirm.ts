import { defineCommand } from '../src/core/command.ts';
import { text } from '../src/i18n/text.ts';
import { answerHitCommand, hitIdOption } from './hit-options.ts';

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
  run: (ctx) =>
    answerHitCommand(
      ctx,
      { kind: 'confirm' },
      ({ id, caseCode }) =>
        text(
          `Đã xác nhận kết quả #${id} (hồ sơ ${caseCode}); người đối chiếu được báo.`,
          `Hit #${id} (case ${caseCode}) confirmed; the checker is told.`,
        ),
      ({ caseCode }) => [
        {
          label: text('Ghi nhận đã bắt', 'Record the arrest')(ctx.locale),
          style: 'primary',
          command: 'case status',
          options: { code: caseCode, outcome: 'arrested' },
        },
      ],
    ),
});
