import { defineCommand } from '../src/core/command.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { minutesMessage } from '../src/presenters/meeting.ts';

export default defineCommand({
  name: 'meeting minutes',
  nameVi: 'biên-bản',
  description: text('Xem biên bản một cuộc họp', "Show a meeting's minutes"),
  minRole: 'viewer',
  writes: false,
  options: [
    {
      name: 'id',
      nameVi: 'số',
      labelVi: 'số hiệu cuộc họp',
      type: 'integer',
      positional: true,
      required: true,
      min: 1,
      placeholder: 'ID',
      description: text('số cuộc họp', 'the meeting number'),
    },
  ],
  async run(ctx) {
    const meeting = await ctx.services.findMeetingInScope({ id: ctx.options.id, scope: ctx.scope });
    if (!meeting.ok) return meeting;
    // Shown to the one who asked; the meeting's channel had them when it ended.
    return ok({ ...minutesMessage(await ctx.services.minutesOf(meeting.value), ctx.locale, ctx.timeZone), toChannel: false });
  },
});
