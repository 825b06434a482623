import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'case validate',
  nameVi: 'rà-soát',
  description: text(
    'Ghi nhận đơn vị đã rà soát hồ sơ truy nã với tài liệu gốc (định kỳ)',
    'Record that the owning unit reviewed a wanted record against its documents (periodic validation)',
  ),
  minRole: 'officer',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'result',
      nameVi: 'kết-quả',
      labelVi: 'kết quả rà soát',
      type: 'choice',
      positional: true,
      choices: [
        { value: 'complete', label: text('đầy đủ', 'complete'), aliases: ['đầy đủ', 'day-du', 'đủ', 'du'] },
        { value: 'incomplete', label: text('còn thiếu', 'incomplete'), aliases: ['còn thiếu', 'con-thieu', 'thiếu', 'thieu'] },
      ],
      description: text(
        'complete (mặc định) hoặc incomplete (khi đó ghi rõ thiếu gì)',
        'complete (the default) or incomplete (then say what is missing)',
      ),
    },
    {
      name: 'note',
      nameVi: 'ghi-chú',
      type: 'text',
      positional: true,
      maxLength: 2000,
      multiline: true,
      description: text('ghi chú về lần rà soát', 'a note on the review'),
    },
  ],
  async run(ctx) {
    const validated = await ctx.services.validateCase({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      complete: ctx.options.result !== 'incomplete',
      note: ctx.options.note,
      now: ctx.now,
      today: ctx.today,
      policy: ctx.validation,
    });
    if (!validated.ok) return validated;
    const v = validated.value;
    ctx.touch(v.code);
    ctx.noteAudit({ complete: v.complete, previous: v.previousOn, next: v.nextDueOn });
    const l = ctx.locale;
    const next = formatDate(l, v.nextDueOn);
    // The note is not echoed: it may say what the record lacks about a person.
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: v.complete
            ? text(
                `Đã ghi nhận rà soát hồ sơ ${v.code}: đầy đủ. Lần rà soát tới: ${next}.`,
                `Validation of ${v.code} recorded: complete. Next review due ${next}.`,
              )(l)
            : text(
                `Đã ghi nhận rà soát hồ sơ ${v.code}: còn thiếu (đã ghi chú). Hãy bổ sung hồ sơ; lần rà soát tới: ${next}.`,
                `Validation of ${v.code} recorded: incomplete (noted). Please complete the record; next review due ${next}.`,
              )(l),
        },
      ],
    });
  },
});
