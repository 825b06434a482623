import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { STATUS_LABEL } from '../src/i18n/labels.ts';
import type { DecisionRecorded } from '../src/services/cases.ts';

export default defineCommand({
  name: 'case decision',
  nameVi: 'quyết-định',
  description: text(
    'Ghi quyết định đình nã (sau kết quả) hoặc quyết định truy nã mới (truy nã lại)',
    'Record a cancellation decision (after an outcome) or a new wanted decision (wanted again)',
  ),
  minRole: 'lead',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'kind',
      nameVi: 'loại',
      labelVi: 'loại quyết định',
      type: 'choice',
      positional: true,
      required: true,
      choices: [
        { value: 'cancellation', label: text('đình nã', 'cancellation'), aliases: ['cancel', 'đình nã', 'dinh-na'] },
        { value: 'wanted', label: text('truy nã', 'wanted'), aliases: ['truy nã', 'truy-na'] },
      ],
      description: text('loại quyết định: dinh-na hoặc truy-na', 'which decision: cancel or wanted'),
    },
    {
      name: 'number',
      nameVi: 'số',
      labelVi: 'số quyết định',
      type: 'string',
      positional: true,
      required: true,
      maxLength: 60,
      placeholder: 'NUMBER',
      description: text('số quyết định, ví dụ 15/QĐ-CSĐT', 'the decision number, e.g. 15/QĐ-CSĐT'),
    },
    {
      name: 'on',
      nameVi: 'ngày',
      labelVi: 'ngày ban hành',
      type: 'date',
      description: text('ngày ban hành (mặc định hôm nay)', 'the day it was issued (default today)'),
    },
    {
      name: 'authority',
      nameVi: 'cơ-quan',
      labelVi: 'cơ quan ban hành',
      type: 'string',
      maxLength: 200,
      placeholder: 'NAME',
      description: text('cơ quan ban hành', 'the issuing authority'),
    },
    caseVersionOption,
  ],
  async run(ctx) {
    const l = ctx.locale;
    const request = {
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      kind: ctx.options.kind,
      number: ctx.options.number,
      on: ctx.options.on,
      authority: ctx.options.authority,
      expectedVersion: ctx.options.version,
      today: ctx.today,
    };
    const describe = (r: DecisionRecorded) => {
      const document =
        r.kind === 'wanted'
          ? text(
              `quyết định truy nã ${r.number} ngày ${formatDate('vi', r.on)}`,
              `wanted decision ${r.number} of ${formatDate('en', r.on)}`,
            )
          : text(
              `quyết định đình nã ${r.number} ngày ${formatDate('vi', r.on)}`,
              `cancellation decision ${r.number} of ${formatDate('en', r.on)}`,
            );
      const reopens = r.reopens
        ? text(
            `; ${STATUS_LABEL[r.before.status]('vi')} → truy nã lại từ ${formatDate('vi', r.on)} (kết quả cũ vẫn được tính)`,
            `; ${STATUS_LABEL[r.before.status]('en')} → wanted again from ${formatDate('en', r.on)} (the earlier outcome still counts)`,
          )(l)
        : '';
      return `${document(l)}${reopens}.`;
    };

    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.recordDecision({ ...request, preview: true });
      if (!preview.ok) return preview;
      const { before } = preview.value;
      ctx.touch(before.code);
      const options: Record<string, string | number> = {
        code: before.code,
        kind: request.kind,
        number: request.number,
        on: preview.value.on,
        version: before.version,
      };
      if (request.authority) options.authority = request.authority;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận ghi quyết định', 'Confirm the decision')(l),
          blocks: [{ kind: 'text', text: `${before.code} · ${before.fullName}: ${describe(preview.value)}` }],
          actions: await ctx.askToConfirm({ command: 'case decision', options }),
        }),
      );
    }

    const recorded = await ctx.services.recordDecision(request);
    if (!recorded.ok) return recorded;
    const { after } = recorded.value;
    ctx.touch(after.code);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: `${after.code}: ${describe(recorded.value)}` }] });
  },
});
