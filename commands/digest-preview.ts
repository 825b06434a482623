import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/core/result.ts';
import { text } from '../src/i18n/text.ts';
import { digestMessage } from '../src/presenters/digest.ts';
import { buildDigest } from '../src/services/digest/digest.ts';
import type { PeriodPreset } from '../src/services/digest/period.ts';
import { PERIOD_CHOICES, resolveDigestRequest } from '../src/services/digest/request.ts';

export default defineCommand({
  name: 'digest preview',
  description: text('Xem trước báo cáo tiến độ cho Ban Chỉ đạo', "Preview the steering committee's progress digest"),
  minRole: 'lead',
  writes: false,
  options: [
    {
      name: 'period',
      type: 'choice',
      positional: true,
      choices: PERIOD_CHOICES,
      description: text('kỳ báo cáo (mặc định: từ đầu năm)', 'the period (default: year to date)'),
    },
    unitOption(text('đơn vị và cấp dưới (mặc định: đơn vị của bạn)', 'a unit and its sub-units (default: yours)')),
    { name: 'from', type: 'date', description: text('từ ngày', 'from this day') },
    { name: 'to', type: 'date', description: text('đến ngày', 'to this day') },
  ],
  async run(ctx) {
    const request = await resolveDigestRequest(ctx.db, {
      scope: ctx.scope,
      unitCode: ctx.options.unit as string | undefined,
      preset: ctx.options.period as PeriodPreset | undefined,
      from: ctx.options.from as string | undefined,
      to: ctx.options.to as string | undefined,
      today: ctx.today,
    });
    if (!request.ok) return request;
    const digest = await buildDigest(ctx.db, { ...request.value, today: ctx.today, timeZone: ctx.timeZone });
    ctx.touch(...digest.followUps.oldestOverdue.flatMap((o) => (o.caseCode ? [o.caseCode] : [])));
    // A preview is for the one who asked; schedules post it to the channel.
    return ok({ ...digestMessage(digest, ctx.locale), toChannel: false });
  },
});
