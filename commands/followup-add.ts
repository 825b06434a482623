import { defineCommand } from '../src/core/command.ts';
import { linkFollowUp } from '../src/repositories/meetings.ts';
import { currentMeeting } from '../src/services/meetings.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/core/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { addFollowUp } from '../src/services/follow-ups.ts';

export default defineCommand({
  name: 'followup add',
  description: text('Giao việc cần làm về một hồ sơ cho thành viên hoặc đơn vị', 'Assign a follow-up on a case to a member or a unit'),
  minRole: 'lead',
  writes: true,
  options: [
    caseCodeOption,
    {
      name: 'assignee',
      type: 'string',
      positional: true,
      required: true,
      maxLength: 80,
      description: text('tên đăng nhập, @nhắc tên, hoặc unit:MÃ_ĐƠN_VỊ', 'a member handle, an @mention, or unit:CODE'),
    },
    { name: 'task', type: 'text', positional: true, required: true, maxLength: 500, description: text('việc cần làm', 'the task') },
    { name: 'due', type: 'date', description: text('hạn hoàn thành', 'due date') },
  ],
  async run(ctx) {
    const added = await addFollowUp(ctx.db, {
      scope: ctx.scope,
      actor: ctx.member,
      code: String(ctx.options.code),
      assignee: String(ctx.options.assignee),
      task: String(ctx.options.task),
      dueOn: ctx.options.due as string | undefined,
      today: ctx.today,
      platform: ctx.invocation.platform,
      workspaceId: ctx.invocation.workspaceId,
    });
    if (!added.ok) return added;
    const { followUp, caseCode, assignee } = added.value;
    ctx.touch(caseCode);
    // Assigned during a meeting in this channel: the meeting's minutes and the next agenda show it.
    const meeting = await currentMeeting(ctx.db, {
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (meeting.ok) await linkFollowUp(ctx.db, { meetingId: meeting.value.id, followUpId: followUp.id });
    const l = ctx.locale;
    const due = followUp.dueOn ? (l === 'vi' ? `, hạn ${formatDate(l, followUp.dueOn)}` : `, due ${formatDate(l, followUp.dueOn)}`) : '';
    return ok({
      // The task may name the person sought: shown to the one who assigned it only.
      personal: true,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text:
            l === 'vi'
              ? `Đã giao việc #${followUp.id} (${caseCode}) cho ${assignee}${due}: ${followUp.task}`
              : `Follow-up #${followUp.id} (${caseCode}) assigned to ${assignee}${due}: ${followUp.task}`,
        },
      ],
    });
  },
});
