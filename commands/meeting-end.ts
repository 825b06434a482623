import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { minutesMessage } from '../src/presenters/meeting.ts';

export default defineCommand({
  name: 'meeting end',
  nameVi: 'kết-thúc',
  description: text('Kết thúc cuộc họp và đăng biên bản', 'End the meeting and post its minutes'),
  minRole: 'lead',
  writes: true,
  options: [],
  async run(ctx) {
    const meeting = await ctx.services.currentMeeting({
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (!meeting.ok) return meeting;
    const ended = await ctx.services.endMeeting({ meeting: meeting.value, at: ctx.now, how: 'ended', byMemberId: ctx.member.id });
    if (!ended.ok) return ended;
    ctx.touch(...ended.value.followUps.flatMap((f) => (f.caseCode ? [f.caseCode] : [])));
    return ok(minutesMessage(ended.value, ctx.locale, ctx.timeZone));
  },
});
