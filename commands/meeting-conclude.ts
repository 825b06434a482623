import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/core/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';
import { currentMeeting, recordItem } from '../src/services/meetings.ts';

export default defineCommand({
  name: 'meeting conclude',
  description: text('Ghi kết luận; có người nhận thì thành chỉ đạo và việc cần làm', 'Record a conclusion; with an assignee, a directive and a follow-up'),
  minRole: 'lead',
  writes: true,
  options: [
    { name: 'text', type: 'text', positional: true, required: true, maxLength: 2000, multiline: true, description: text('nội dung kết luận, chỉ đạo', 'the conclusion or directive') },
    { name: 'unit', type: 'string', maxLength: 32, placeholder: 'CODE', description: text('đơn vị nhận chỉ đạo', 'the unit it is assigned to') },
    { name: 'member', type: 'string', maxLength: 80, placeholder: 'HANDLE', description: text('thành viên nhận chỉ đạo (tên hoặc @nhắc tên)', 'the member it is assigned to (handle or @mention)') },
    { name: 'due', type: 'date', description: text('hạn hoàn thành', 'the due date') },
  ],
  async run(ctx) {
    const meeting = await currentMeeting(ctx.db, { platform: ctx.invocation.platform, channelId: ctx.invocation.channelId, scope: ctx.scope });
    if (!meeting.ok) return meeting;
    const unit = ctx.options.unit as string | undefined;
    const member = ctx.options.member as string | undefined;
    const recorded = await recordItem(ctx.db, {
      meeting: meeting.value,
      actor: ctx.member,
      scope: ctx.scope,
      kind: 'conclusion',
      text: String(ctx.options.text),
      assignee: unit ? `unit:${unit}` : member,
      dueOn: ctx.options.due as string | undefined,
      today: ctx.today,
      now: ctx.now,
      platform: ctx.invocation.platform,
      workspaceId: ctx.invocation.workspaceId,
    });
    if (!recorded.ok) return recorded;
    const l = ctx.locale;
    const due = ctx.options.due ? ` (${l === 'vi' ? 'hạn' : 'due'} ${formatDate(l, String(ctx.options.due))})` : '';
    const line =
      recorded.value.kind === 'directive'
        ? l === 'vi'
          ? `Đã ghi chỉ đạo cho ${recorded.value.assignee}${due}; việc cần làm #${recorded.value.followUpId}.`
          : `Directive recorded for ${recorded.value.assignee}${due}; follow-up #${recorded.value.followUpId}.`
        : l === 'vi'
          ? `Đã ghi kết luận vào cuộc họp #${meeting.value.id}.`
          : `Conclusion recorded in meeting #${meeting.value.id}.`;
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: line }] });
  },
});
