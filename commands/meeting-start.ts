import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { agendaMessage } from '../src/presenters/meeting.ts';

export default defineCommand({
  name: 'meeting start',
  nameVi: 'bắt-đầu',
  description: text('Mở cuộc họp ở kênh này và đăng chương trình họp', 'Open a meeting in this channel and post its agenda'),
  minRole: 'lead',
  writes: true,
  options: [
    {
      name: 'title',
      nameVi: 'tiêu-đề',
      type: 'text',
      positional: true,
      maxLength: 200,
      description: text('tiêu đề cuộc họp', 'the meeting title'),
    },
    unitOption(text('đơn vị của ban chỉ đạo (mặc định: của bạn)', "the committee's unit (default: yours)")),
    {
      name: 'from',
      nameVi: 'từ-ngày',
      type: 'date',
      description: text('số liệu từ ngày (mặc định: từ cuộc họp trước)', 'figures from this day (default: since the previous meeting)'),
    },
    { name: 'to', nameVi: 'đến-ngày', type: 'date', description: text('số liệu đến ngày', 'figures to this day') },
  ],
  async run(ctx) {
    const started = await ctx.services.startMeeting({
      actor: ctx.member,
      scope: ctx.scope,
      title: ctx.options.title,
      unitCode: ctx.options.unit,
      from: ctx.options.from,
      to: ctx.options.to,
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      now: ctx.now,
      today: ctx.today,
      timeZone: ctx.timeZone,
      validation: ctx.validation,
      locale: ctx.locale,
    });
    if (!started.ok) return started;
    const { agenda } = started.value;
    // The case codes the agenda shows, for the audit row.
    ctx.touch(
      ...agenda.statusChanges.map((c) => c.code),
      ...agenda.digest.followUps.oldestOverdue.flatMap((f) => (f.caseCode ? [f.caseCode] : [])),
      ...(agenda.previous?.followUps ?? []).flatMap((f) => (f.caseCode ? [f.caseCode] : [])),
      ...(agenda.openFindings?.findings ?? []).map((f) => f.caseCode),
    );
    return ok(agendaMessage(started.value.meeting, started.value.agenda, ctx.locale, ctx.timeZone));
  },
});
