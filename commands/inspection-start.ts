import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { formatNumber, text } from '../src/i18n/text.ts';
import { inspectionMessage } from '../src/presenters/inspection.ts';

export default defineCommand({
  name: 'inspection start',
  nameVi: 'mở',
  description: text(
    'Mở cuộc kiểm tra hồ sơ của một đơn vị cấp dưới: toàn bộ hoặc N hồ sơ chọn ngẫu nhiên',
    "Open an inspection of a unit's records below yours: all of them, or N drawn at random",
  ),
  minRole: 'lead',
  writes: true,
  options: [
    { ...unitOption(text('đơn vị được kiểm tra (hồ sơ của riêng đơn vị đó)', 'the unit inspected (its own records)')), required: true },
    {
      name: 'sample',
      nameVi: 'mẫu',
      labelVi: 'số hồ sơ chọn mẫu',
      type: 'integer',
      min: 1,
      max: 10000,
      placeholder: 'N',
      description: text('số hồ sơ chọn ngẫu nhiên (mặc định: toàn bộ)', 'how many records to draw at random (default: all)'),
    },
    {
      name: 'seed',
      nameVi: 'mã-mẫu',
      labelVi: 'mã chọn mẫu',
      type: 'string',
      maxLength: 64,
      placeholder: 'TEXT',
      description: text(
        'mã chọn mẫu: cùng mã trên cùng hồ sơ cho cùng mẫu (mặc định: ngẫu nhiên)',
        'the seed: the same seed over the same records draws the same sample (default: random)',
      ),
    },
  ],
  async run(ctx) {
    const started = await ctx.services.startInspection({
      actor: ctx.member,
      scope: ctx.scope,
      unitCode: ctx.options.unit,
      sampleSize: ctx.options.sample,
      seed: ctx.options.seed,
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      now: ctx.now,
      timeZone: ctx.timeZone,
    });
    if (!started.ok) return started;
    const { inspection, records } = started.value;
    ctx.touch(...records.map((r) => r.caseCode));
    ctx.noteAudit({ inspection: inspection.id, seed: inspection.seed, sampled: records.length });
    const l = ctx.locale;
    const n = formatNumber(l, records.length);
    return ok(
      inspectionMessage(
        started.value,
        l,
        ctx.timeZone,
        text(
          `Đã mở cuộc kiểm tra #${inspection.id} hồ sơ của ${inspection.unitCode}: ${n} hồ sơ.`,
          `Inspection #${inspection.id} of ${inspection.unitCode}'s records is open: ${n} records.`,
        )(l),
      ),
    );
  },
});
