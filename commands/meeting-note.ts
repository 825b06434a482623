import { defineCommand } from '../src/core/command.ts';
import { noteTextOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'meeting note',
  nameVi: 'ghi-chú',
  description: text('Ghi chú vào cuộc họp đang mở', 'Add a note to the open meeting'),
  minRole: 'officer',
  writes: true,
  options: [noteTextOption],
  async run(ctx) {
    const meeting = await ctx.services.currentMeeting({
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (!meeting.ok) return meeting;
    const recorded = await ctx.services.recordItem({
      meeting: meeting.value,
      actor: ctx.member,
      scope: ctx.scope,
      kind: 'note',
      text: ctx.options.text,
      today: ctx.today,
      now: ctx.now,
      platform: ctx.invocation.platform,
      workspaceId: ctx.invocation.workspaceId,
    });
    if (!recorded.ok) return recorded;
    return ok({
      personal: false,
      blocks: [
        {
          kind: 'text',
          tone: 'success',
          text: text(`Đã ghi chú vào cuộc họp #${meeting.value.id}.`, `Noted in meeting #${meeting.value.id}.`)(ctx.locale),
        },
      ],
    });
  },
});
