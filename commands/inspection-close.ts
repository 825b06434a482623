import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { inspectionClosedMessage, inspectionSummaryMessage } from '../src/presenters/inspection.ts';
import { inspectionIdOption } from './inspection-options.ts';

export default defineCommand({
  name: 'inspection close',
  nameVi: 'kết-thúc',
  description: text(
    'Kết thúc cuộc kiểm tra: đăng kết quả (chỉ số liệu) lên kênh và giao việc khắc phục từng phát hiện cho đơn vị',
    'Close an inspection: post its summary (counts only) to the channel and assign each finding to the unit as a follow-up',
  ),
  minRole: 'lead',
  writes: true,
  options: [
    inspectionIdOption,
    {
      name: 'partial',
      nameVi: 'chưa-đủ',
      labelVi: 'kết thúc khi chưa ghi đủ',
      type: 'choice',
      choices: [{ value: 'yes', label: text('có', 'yes'), aliases: ['có', 'co'] }],
      description: text(
        'yes: kết thúc dù còn hồ sơ chưa có kết quả (tính là chưa kiểm tra)',
        'yes: close with records not marked (counted as not marked)',
      ),
    },
  ],
  async run(ctx) {
    const closed = await ctx.services.closeInspection({
      actor: ctx.member,
      scope: ctx.scope,
      id: ctx.options.id,
      partial: ctx.options.partial === 'yes',
      now: ctx.now,
      today: ctx.today,
      locale: ctx.locale,
      channelMessage: (c) => inspectionSummaryMessage(c, ctx.locale, ctx.timeZone),
    });
    if (!closed.ok) return closed;
    const { inspection, summary, followUps } = closed.value;
    ctx.touch(...followUps.map((f) => f.caseCode));
    ctx.noteAudit({ inspection: inspection.id, summary, followUps: followUps.map((f) => f.id) });
    return ok(inspectionClosedMessage(closed.value, ctx.locale, ctx.timeZone, inspection.platform !== 'console'));
  },
});
