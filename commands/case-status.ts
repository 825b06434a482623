import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { STATUS_CHOICES } from '../src/core/choices.ts';
import { ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { STATUS_LABEL } from '../src/i18n/labels.ts';

export default defineCommand({
  name: 'case status',
  nameVi: 'trạng-thái',
  description: text(
    'Cập nhật kết quả: bắt, đầu thú, thanh loại, đình nã, hoặc truy nã lại',
    'Record an outcome (arrested, surrendered, cleared, cancelled) or reopen a case',
  ),
  minRole: 'lead',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'outcome',
      nameVi: 'kết-quả',
      type: 'choice',
      positional: true,
      required: true,
      choices: STATUS_CHOICES,
      description: text(
        'kết quả mới (bat, dau-thu, thanh-loai, dinh-na, truy-na)',
        'the new status (arrested, surrendered, cleared, cancelled, wanted)',
      ),
    },
    {
      name: 'reason',
      nameVi: 'lý-do',
      type: 'text',
      positional: true,
      maxLength: 1000,
      description: text('ghi chú về kết quả', 'a note on the outcome'),
    },
    {
      name: 'on',
      nameVi: 'ngày',
      type: 'date',
      description: text('ngày xảy ra (mặc định hôm nay)', 'the day it happened (default today)'),
    },
    {
      name: 'decision',
      nameVi: 'số-quyết-định',
      type: 'string',
      maxLength: 60,
      placeholder: 'NUMBER',
      description: text('số quyết định đình nã', 'the cancellation decision number'),
    },
    caseVersionOption,
  ],
  async run(ctx) {
    const to = ctx.options.outcome;
    const l = ctx.locale;
    const change = {
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      to,
      on: ctx.options.on,
      reason: ctx.options.reason,
      decisionNo: ctx.options.decision,
      expectedVersion: ctx.options.version,
      today: ctx.today,
    };
    const when = (on: string | null) => (on ? ` (${text('ngày', 'on')(l)} ${formatDate(l, on)})` : '');

    // Where the user can press buttons, a status change is shown first and made on "confirm".
    // The confirmation carries the version shown, so a change made meanwhile is refused.
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.changeCaseStatus({ ...change, preview: true });
      if (!preview.ok) return preview;
      const { before, after } = preview.value;
      ctx.touch(before.code);
      const options: Record<string, string | number> = { code: before.code, outcome: to, version: before.version };
      if (after.resolvedOn) options.on = after.resolvedOn;
      if (change.reason) options.reason = change.reason;
      if (change.decisionNo) options.decision = change.decisionNo;
      return ok({
        personal: true,
        title: text('Xác nhận cập nhật trạng thái', 'Confirm the status change')(l),
        blocks: [
          {
            kind: 'text',
            text: `${before.code} · ${before.fullName}: ${STATUS_LABEL[before.status](l)} → ${STATUS_LABEL[after.status](l)}${when(after.resolvedOn)}.`,
          },
          ...(change.reason ? [{ kind: 'fields' as const, fields: [{ label: text('Ghi chú', 'Note')(l), value: change.reason }] }] : []),
          {
            kind: 'text',
            tone: 'muted',
            text: text('Chưa có gì thay đổi cho đến khi bạn bấm Xác nhận.', 'Nothing changes until you press Confirm.')(l),
          },
        ],
        actions: await ctx.askToConfirm({ command: 'case status', options }),
      });
    }

    const changed = await ctx.services.changeCaseStatus(change);
    if (!changed.ok) return changed;
    const { before, after } = changed.value;
    ctx.touch(after.code);
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: `${after.code}: ${STATUS_LABEL[before.status](l)} → ${STATUS_LABEL[after.status](l)}${when(after.resolvedOn)}.`,
        },
      ],
    });
  },
});
