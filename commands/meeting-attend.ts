import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'meeting attend',
  nameVi: 'tham-dự',
  description: text('Ghi nhận bạn tham dự cuộc họp đang mở', 'Record that you attend the open meeting'),
  minRole: 'viewer',
  writes: true,
  options: [],
  async run(ctx) {
    const meeting = await ctx.services.currentMeeting({
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (!meeting.ok) return meeting;
    const added = await ctx.services.addAttendee({ meetingId: meeting.value.id, memberId: ctx.member.id, at: ctx.now });
    const l = ctx.locale;
    const line = added
      ? text(
          `Đã ghi nhận ${ctx.member.handle} tham dự cuộc họp #${meeting.value.id}.`,
          `${ctx.member.handle} attends meeting #${meeting.value.id}.`,
        )(l)
      : text(
          `Bạn đã có tên trong thành phần tham dự cuộc họp #${meeting.value.id}.`,
          `You are already recorded as attending meeting #${meeting.value.id}.`,
        )(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: line }] });
  },
});
