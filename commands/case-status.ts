import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption, caseVersionOption } from '../src/core/common-options.ts';
import { STATUS_CHOICES } from '../src/core/choices.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { STATUS_LABEL } from '../src/i18n/labels.ts';
import type { StatusChange } from '../src/services/cases.ts';

export default defineCommand({
  name: 'case status',
  nameVi: 'trạng-thái',
  description: text(
    'Ghi kết quả (bắt, đầu thú, thanh loại, đình nã), đính chính kết quả, hoặc rút lại kết quả ghi nhầm',
    'Record an outcome (arrested, surrendered, cleared, cancelled), correct one, or withdraw one recorded in error',
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
        'kết quả (bat, dau-thu, thanh-loai, dinh-na); truy-na: rút lại kết quả ghi nhầm',
        'the outcome (arrested, surrendered, cleared, cancelled); wanted: withdraw an outcome recorded in error',
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
      labelVi: 'ngày xảy ra',
      type: 'date',
      description: text(
        'ngày xảy ra (mặc định hôm nay; khi đính chính: ngày đã ghi)',
        'the day it happened (default today; when correcting: the day recorded)',
      ),
    },
    {
      name: 'decision',
      nameVi: 'số-quyết-định',
      type: 'string',
      maxLength: 60,
      placeholder: 'NUMBER',
      description: text('số quyết định đình nã, ghi cùng ngày kết quả', 'the cancellation decision number, dated on the outcome day'),
    },
    caseVersionOption,
  ],
  async run(ctx) {
    const to = ctx.options.outcome;
    const l = ctx.locale;
    const request = {
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
    const change = ({ before, after, kind, decision }: StatusChange) => {
      const line = `${STATUS_LABEL[before.status](l)}${kind === 'resolved' ? '' : when(before.resolvedOn)} → ${STATUS_LABEL[after.status](l)}${when(after.resolvedOn)}`;
      const what = {
        resolved: '',
        corrected: text(' (đính chính)', ' (a correction)')(l),
        withdrawn: text(' (rút lại kết quả ghi nhầm)', ' (the outcome withdrawn as recorded in error)')(l),
      }[kind];
      const document = decision ? text(`; quyết định đình nã ${decision.number}`, `; cancellation decision ${decision.number}`)(l) : '';
      return `${line}${what}${document}.`;
    };

    // Where the user can press buttons, a status change is shown first and made on "confirm".
    // The confirmation carries the version shown, so a change made meanwhile is refused.
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.changeCaseStatus({ ...request, preview: true });
      if (!preview.ok) return preview;
      const { before, after } = preview.value;
      ctx.touch(before.code);
      const options: Record<string, string | number> = { code: before.code, outcome: to, version: before.version };
      if (after.resolvedOn) options.on = after.resolvedOn;
      if (request.reason) options.reason = request.reason;
      if (request.decisionNo) options.decision = request.decisionNo;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận cập nhật trạng thái', 'Confirm the status change')(l),
          blocks: [
            { kind: 'text', text: `${before.code} · ${before.fullName}: ${change(preview.value)}` },
            ...(preview.value.kind === 'withdrawn'
              ? [
                  {
                    kind: 'text' as const,
                    text: text(
                      `Kết quả này bị xoá khỏi số liệu của ngày đã ghi. Nếu đối tượng bị truy nã lại (ví dụ bỏ trốn), đừng rút lại: hãy ghi quyết định truy nã mới (case decision ${before.code} wanted SỐ on:NGÀY) để kết quả cũ vẫn được tính.`,
                      `This outcome leaves the figures of its day. If the subject is wanted again (after an escape, say), do not withdraw it: record the new wanted decision (case decision ${before.code} wanted NUMBER on:DATE) so that the outcome still counts.`,
                    )(l),
                  },
                ]
              : []),
            ...(request.reason
              ? [{ kind: 'fields' as const, fields: [{ label: text('Ghi chú', 'Note')(l), value: request.reason }] }]
              : []),
          ],
          actions: await ctx.askToConfirm({ command: 'case status', options }),
        }),
      );
    }

    const changed = await ctx.services.changeCaseStatus(request);
    if (!changed.ok) return changed;
    const { after } = changed.value;
    ctx.touch(after.code);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: `${after.code}: ${change(changed.value)}` }] });
  },
});
