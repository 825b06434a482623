import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { inspectionMessage } from '../src/presenters/inspection.ts';
import { inspectionIdOption } from './inspection-options.ts';

export default defineCommand({
  name: 'inspection show',
  nameVi: 'xem',
  description: text('Xem mẫu của cuộc kiểm tra và kết quả từng hồ sơ', "See an inspection's sample and each record's mark"),
  minRole: 'officer',
  writes: false,
  options: [inspectionIdOption],
  async run(ctx) {
    const shown = await ctx.services.showInspection({ scope: ctx.scope, id: ctx.options.id });
    if (!shown.ok) return shown;
    ctx.touch(...shown.value.records.map((r) => r.caseCode));
    ctx.noteAudit({ inspection: shown.value.inspection.id });
    return ok(inspectionMessage(shown.value, ctx.locale, ctx.timeZone));
  },
});
