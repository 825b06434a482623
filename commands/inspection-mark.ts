import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { inspectionRecordLine } from '../src/presenters/inspection.ts';
import { inspectionIdOption } from './inspection-options.ts';

export default defineCommand({
  name: 'inspection mark',
  nameVi: 'ghi',
  description: text(
    'Ghi kết quả kiểm tra một hồ sơ: ok, hoặc nội dung phát hiện (ghi lại thì thay kết quả cũ)',
    'Mark a record of an inspection: ok, or the finding (marking it again replaces the mark)',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    inspectionIdOption,
    {
      name: 'record',
      nameVi: 'hồ-sơ',
      labelVi: 'số thứ tự hoặc mã hồ sơ',
      type: 'string',
      positional: true,
      required: true,
      maxLength: 40,
      placeholder: 'N|CODE',
      description: text('số thứ tự trong mẫu, hoặc mã hồ sơ', 'its number in the sample, or its case code'),
    },
    {
      name: 'mark',
      nameVi: 'kết-quả',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 500,
      description: text('ok (đạt), hoặc nội dung phát hiện', 'ok, or the finding'),
    },
  ],
  async run(ctx) {
    const marked = await ctx.services.markInspection({
      actor: ctx.member,
      scope: ctx.scope,
      id: ctx.options.id,
      record: ctx.options.record,
      mark: ctx.options.mark,
      now: ctx.now,
    });
    if (!marked.ok) return marked;
    const { inspection, record } = marked.value;
    ctx.touch(record.caseCode);
    ctx.noteAudit({ inspection: inspection.id, position: record.position, result: record.result });
    return ok({
      // A finding's text is the inspector's own and may name the person sought.
      personal: true,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Đã ghi kết quả, cuộc kiểm tra #${inspection.id}:`, `Marked, inspection #${inspection.id}:`)(ctx.locale),
        },
        { kind: 'list', items: [inspectionRecordLine(record, ctx.locale, ctx.timeZone)] },
      ],
    });
  },
});
