import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { STATUS_CHOICES } from '../src/core/choices.ts';
import { ok } from '../src/core/result.ts';
import type { CaseStatus } from '../db/schema/index.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { STATUS_LABEL } from '../src/i18n/labels.ts';
import { changeCaseStatus } from '../src/services/cases.ts';

export default defineCommand({
  name: 'case status',
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
      type: 'text',
      positional: true,
      maxLength: 1000,
      description: text('ghi chú về kết quả', 'a note on the outcome'),
    },
    { name: 'on', type: 'date', description: text('ngày xảy ra (mặc định hôm nay)', 'the day it happened (default today)') },
    {
      name: 'decision',
      type: 'string',
      maxLength: 60,
      placeholder: 'NUMBER',
      description: text('số quyết định đình nã', 'the cancellation decision number'),
    },
    caseVersionOption,
  ],
  async run(ctx) {
    const to = ctx.options.outcome as CaseStatus;
    const l = ctx.locale;
    const change = {
      scope: ctx.scope,
      actor: ctx.member,
      code: String(ctx.options.code),
      to,
      on: ctx.options.on as string | undefined,
      reason: ctx.options.reason as string | undefined,
      decisionNo: ctx.options.decision as string | undefined,
      expectedVersion: ctx.options.version as number | undefined,
      today: ctx.today,
    };
    const when = (on: string | null) => (on ? ` (${l === 'vi' ? 'ngày' : 'on'} ${formatDate(l, on)})` : '');

    // Where the user can press buttons, a status change is shown first and made on "confirm".
    // The confirmation carries the version shown, so a change made meanwhile is refused.
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await changeCaseStatus(ctx.db, { ...change, preview: true });
      if (!preview.ok) return preview;
      const { before, after } = preview.value;
      ctx.touch(before.code);
      const options: Record<string, string | number> = { code: before.code, outcome: to, version: before.version };
      if (after.resolvedOn) options.on = after.resolvedOn;
      if (change.reason) options.reason = change.reason;
      if (change.decisionNo) options.decision = change.decisionNo;
      return ok({
        personal: true,
        title: l === 'vi' ? 'Xác nhận cập nhật trạng thái' : 'Confirm the status change',
        blocks: [
          {
            kind: 'text',
            text: `${before.code} · ${before.fullName}: ${STATUS_LABEL[before.status](l)} → ${STATUS_LABEL[after.status](l)}${when(after.resolvedOn)}.`,
          },
          ...(change.reason
            ? [{ kind: 'fields' as const, fields: [{ label: l === 'vi' ? 'Ghi chú' : 'Note', value: change.reason }] }]
            : []),
          {
            kind: 'text',
            tone: 'muted',
            text: l === 'vi' ? 'Chưa có gì thay đổi cho đến khi bạn bấm Xác nhận.' : 'Nothing changes until you press Confirm.',
          },
        ],
        actions: await ctx.askToConfirm({ command: 'case status', options }),
      });
    }

    const changed = await changeCaseStatus(ctx.db, change);
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
