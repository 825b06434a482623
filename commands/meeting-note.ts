import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/core/result.ts';
import { text } from '../src/i18n/text.ts';
import { currentMeeting, recordItem } from '../src/services/meetings.ts';

export default defineCommand({
  name: 'meeting note',
  description: text('Ghi chú vào cuộc họp đang mở', 'Add a note to the open meeting'),
  minRole: 'officer',
  writes: true,
  options: [
    {
      name: 'text',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 2000,
      multiline: true,
      description: text('nội dung ghi chú', 'the note'),
    },
  ],
  async run(ctx) {
    const meeting = await currentMeeting(ctx.db, {
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (!meeting.ok) return meeting;
    const recorded = await recordItem(ctx.db, {
      meeting: meeting.value,
      actor: ctx.member,
      scope: ctx.scope,
      kind: 'note',
      text: String(ctx.options.text),
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
          text: ctx.locale === 'vi' ? `Đã ghi chú vào cuộc họp #${meeting.value.id}.` : `Noted in meeting #${meeting.value.id}.`,
        },
      ],
    });
  },
});
