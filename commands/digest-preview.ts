import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { digestMessage } from '../src/presenters/digest.ts';
import { PERIOD_CHOICES } from '../src/services/digest/request.ts';

export default defineCommand({
  name: 'digest preview',
  nameVi: 'xem-trước',
  description: text('Xem trước báo cáo tiến độ cho Ban Chỉ đạo', "Preview the steering committee's progress digest"),
  minRole: 'lead',
  writes: false,
  options: [
    {
      name: 'period',
      nameVi: 'kỳ',
      labelVi: 'kỳ báo cáo',
      type: 'choice',
      positional: true,
      choices: PERIOD_CHOICES,
      description: text('kỳ báo cáo (mặc định: từ đầu năm)', 'the period (default: year to date)'),
    },
    unitOption(text('đơn vị và cấp dưới (mặc định: đơn vị của bạn)', 'a unit and its sub-units (default: yours)')),
    { name: 'from', nameVi: 'từ-ngày', type: 'date', description: text('từ ngày', 'from this day') },
    { name: 'to', nameVi: 'đến-ngày', type: 'date', description: text('đến ngày', 'to this day') },
  ],
  async run(ctx) {
    const request = await ctx.services.resolveDigestRequest({
      scope: ctx.scope,
      unitCode: ctx.options.unit,
      preset: ctx.options.period,
      from: ctx.options.from,
      to: ctx.options.to,
      today: ctx.today,
    });
    if (!request.ok) return request;
    const digest = await ctx.services.buildDigest({
      ...request.value,
      today: ctx.today,
      timeZone: ctx.timeZone,
      validation: ctx.validation,
    });
    ctx.touch(...digest.followUps.oldestOverdue.flatMap((o) => (o.caseCode ? [o.caseCode] : [])));
    // A preview is for the one who asked; schedules post it to the channel.
    return ok({ ...digestMessage(digest, ctx.locale), toChannel: false });
  },
});
