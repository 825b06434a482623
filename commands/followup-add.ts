import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'followup add',
  nameVi: 'giao',
  description: text('Giao việc cần làm về một hồ sơ cho thành viên hoặc đơn vị', 'Assign a follow-up on a case to a member or a unit'),
  minRole: 'lead',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'assignee',
      nameVi: 'giao-cho',
      type: 'string',
      positional: true,
      required: true,
      maxLength: 80,
      description: text('tên đăng nhập, @nhắc tên, hoặc unit:MÃ_ĐƠN_VỊ', 'a member handle, an @mention, or unit:CODE'),
    },
    {
      name: 'task',
      nameVi: 'nhiệm-vụ',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 500,
      description: text('việc cần làm', 'the task'),
    },
    { name: 'due', nameVi: 'hạn', type: 'date', description: text('hạn hoàn thành', 'due date') },
  ],
  async run(ctx) {
    const added = await ctx.services.addFollowUp({
      scope: ctx.scope,
      actor: ctx.member,
      code: ctx.options.code,
      assignee: ctx.options.assignee,
      task: ctx.options.task,
      dueOn: ctx.options.due,
      today: ctx.today,
      platform: ctx.invocation.platform,
      workspaceId: ctx.invocation.workspaceId,
    });
    if (!added.ok) return added;
    const { followUp, caseCode, assignee } = added.value;
    ctx.touch(caseCode);
    // Assigned during a meeting in this channel: the meeting's minutes and the next agenda show it.
    const meeting = await ctx.services.currentMeeting({
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (meeting.ok) await ctx.services.linkFollowUp({ meetingId: meeting.value.id, followUpId: followUp.id });
    const l = ctx.locale;
    const due = followUp.dueOn ? text(`, hạn ${formatDate(l, followUp.dueOn)}`, `, due ${formatDate(l, followUp.dueOn)}`)(l) : '';
    return ok({
      // The task may name the person sought: shown to the one who assigned it only.
      personal: true,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(
            `Đã giao việc #${followUp.id} (${caseCode}) cho ${assignee}${due}: ${followUp.task}`,
            `Follow-up #${followUp.id} (${caseCode}) assigned to ${assignee}${due}: ${followUp.task}`,
          )(l),
        },
      ],
    });
  },
});
