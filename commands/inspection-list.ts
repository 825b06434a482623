import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { inspectionListMessage } from '../src/presenters/inspection.ts';

const LIMIT = 25;

export default defineCommand({
  name: 'inspection list',
  nameVi: 'danh-sách',
  description: text('Các cuộc kiểm tra hồ sơ trong phạm vi của bạn', 'Records inspections within your units'),
  minRole: 'officer',
  writes: false,
  options: [unitOption(text('chỉ của đơn vị này và cấp dưới', 'only of this unit and its sub-units'))],
  async run(ctx) {
    const listed = await ctx.services.listInspections({ scope: ctx.scope, unitCode: ctx.options.unit, limit: LIMIT });
    if (!listed.ok) return listed;
    return ok(inspectionListMessage(listed.value, ctx.locale, ctx.timeZone));
  },
});
