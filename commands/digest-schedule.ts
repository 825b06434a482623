import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { fail, ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { SCHEDULE_PERIOD_CHOICES } from '../src/services/digest/request.ts';
import { scheduleLine } from '../src/presenters/digest-schedule.ts';

export default defineCommand({
  name: 'digest schedule',
  nameVi: 'lịch-gửi',
  description: text('Lịch gửi báo cáo vào kênh này: add, list, remove', 'Digest schedules for this channel: add, list, remove'),
  minRole: 'admin',
  writes: true,
  options: [
    {
      name: 'action',
      nameVi: 'thao-tác',
      type: 'choice',
      positional: true,
      required: true,
      choices: [
        { value: 'add', label: text('thêm', 'add'), aliases: ['them', 'thêm'] },
        { value: 'list', label: text('xem', 'list'), aliases: ['xem', 'ds'] },
        { value: 'remove', label: text('xoá', 'remove'), aliases: ['xoa', 'xoá', 'xóa'] },
      ],
      description: text('add, list hoặc remove', 'add, list or remove'),
    },
    {
      name: 'spec',
      nameVi: 'lịch',
      labelVi: 'lịch gửi',
      type: 'text',
      positional: true,
      maxLength: 100,
      placeholder: 'CRON|ID',
      description: text(
        'biểu thức cron (add), ví dụ 0 7 * * 1; hoặc số lịch (remove)',
        'the cron expression (add), e.g. 0 7 * * 1; or the schedule number (remove)',
      ),
    },
    {
      name: 'tz',
      nameVi: 'múi-giờ',
      type: 'string',
      maxLength: 64,
      placeholder: 'Area/City',
      description: text('múi giờ (mặc định của hệ thống)', 'time zone (default: the configured one)'),
    },
    {
      name: 'period',
      nameVi: 'kỳ',
      labelVi: 'kỳ báo cáo',
      type: 'choice',
      choices: SCHEDULE_PERIOD_CHOICES,
      description: text('kỳ báo cáo (mặc định: từ đầu năm)', 'the period (default: year to date)'),
    },
    unitOption(text('đơn vị và cấp dưới (mặc định: đơn vị của bạn)', 'a unit and its sub-units (default: yours)')),
    {
      name: 'kind',
      nameVi: 'loại',
      labelVi: 'loại lịch',
      type: 'choice',
      choices: [
        { value: 'digest', label: text('báo cáo tiến độ', 'the progress digest'), aliases: ['bao-cao', 'báo cáo'] },
        { value: 'overdue', label: text('nhắc việc quá hạn', 'overdue reminders'), aliases: ['qua-han', 'quá hạn', 'nhac-viec'] },
      ],
      description: text(
        'báo cáo (mặc định) hoặc nhắc việc quá hạn và hồ sơ quá hạn rà soát',
        'the digest (default) or reminders of overdue follow-ups and validations',
      ),
    },
    {
      name: 'locale',
      nameVi: 'ngôn-ngữ',
      type: 'choice',
      choices: [
        { value: 'vi', label: text('tiếng Việt', 'Vietnamese') },
        { value: 'en', label: text('tiếng Anh', 'English') },
      ],
      description: text('ngôn ngữ báo cáo (mặc định: của bạn)', 'the language of the digest (default: yours)'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const action = ctx.options.action;
    const spec = (ctx.options.spec ?? '').trim();
    // An admin sees and changes the schedules of their own units; only one over every unit sees all.
    const everyUnit = ctx.scope.unitIds.length >= (await ctx.services.countUnits());
    const withinUnits = everyUnit ? undefined : ctx.scope.unitIds;
    if (action === 'list') {
      const rows = await ctx.services.listSchedules({ withinUnits });
      if (rows.length === 0)
        return ok({
          personal: false,
          blocks: [{ kind: 'text', text: text('Chưa có lịch gửi báo cáo nào.', 'No digest schedules yet.')(l) }],
        });
      return ok({
        personal: false,
        title: text('Lịch gửi báo cáo', 'Digest schedules')(l),
        blocks: [{ kind: 'list', items: rows.map((r) => scheduleLine(r, l)) }],
      });
    }
    if (action === 'remove') {
      const id = /^\d{1,9}$/.test(spec) ? Number(spec) : undefined;
      if (id === undefined)
        return fail(
          'invalid',
          text('Cần số lịch, ví dụ: digest schedule remove 3', 'Give the schedule number, e.g. digest schedule remove 3'),
        );
      if (!(await ctx.services.removeSchedule(id, { withinUnits })))
        return fail('not_found', text(`Không có lịch số ${id} trong phạm vi của bạn.`, `There is no schedule ${id} within your units.`));
      return ok({
        personal: false,
        blocks: [{ kind: 'text', tone: 'success', text: text(`Đã xoá lịch số ${id}.`, `Removed schedule ${id}.`)(l) }],
      });
    }
    if (!spec)
      return fail(
        'invalid',
        text('Cần biểu thức cron, ví dụ: digest schedule add 0 7 * * 1', 'Give a cron expression, e.g. digest schedule add 0 7 * * 1'),
      );
    if (ctx.invocation.platform === 'console') {
      return fail(
        'invalid',
        text(
          'Lịch được gửi vào kênh nơi bạn gõ lệnh; từ dòng lệnh hãy dùng: casedesk digest schedule add --target slack:KÊNH|discord:KÊNH --cron "…"',
          'A schedule posts to the channel it is added in; from the command line use: casedesk digest schedule add --target slack:CHANNEL|discord:CHANNEL --cron "…"',
        ),
      );
    }
    // A unit must be in the admin's scope; without one, the admin's own unit, so that a province's
    // admin never posts country-wide figures. Only a scope over every unit means everything.
    const scope = await ctx.services.resolveDigestRequest({
      scope: ctx.scope,
      unitCode: ctx.options.unit,
      today: ctx.today,
    });
    if (!scope.ok) return scope;
    const everything = !ctx.options.unit && everyUnit;
    const period = ctx.options.period ?? 'ytd';
    const timeZone = ctx.options.tz ?? ctx.timeZone;
    const added = await ctx.services.addSchedule({
      cron: spec,
      timeZone,
      platform: ctx.invocation.platform,
      channel: ctx.invocation.channelId,
      unitId: everything ? null : scope.value.scopeUnitId,
      period,
      locale: ctx.options.locale ?? l,
      createdByMemberId: ctx.member.id,
      now: ctx.now,
      kind: ctx.options.kind ?? 'digest',
    });
    if (!added.ok) return added;
    return ok({
      personal: false,
      blocks: [{ kind: 'text', tone: 'success', text: text('Đã thêm lịch: ', 'Added: ')(l) + scheduleLine(added.value, l) }],
    });
  },
});
