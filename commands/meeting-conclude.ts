import { defineCommand } from '../src/core/command.ts';
import { unitOption } from '../src/core/common-options.ts';
import { fail, ok } from '../src/domain/result.ts';
import { formatDate, text } from '../src/i18n/text.ts';

export default defineCommand({
  name: 'meeting conclude',
  nameVi: 'kết-luận',
  description: text(
    'Ghi kết luận; có người nhận thì thành chỉ đạo và việc cần làm',
    'Record a conclusion; with an assignee, a directive and a follow-up',
  ),
  minRole: 'lead',
  writes: true,
  options: [
    {
      name: 'text',
      nameVi: 'nội-dung',
      type: 'text',
      positional: true,
      required: true,
      maxLength: 2000,
      multiline: true,
      description: text('nội dung kết luận, chỉ đạo', 'the conclusion or directive'),
    },
    unitOption(text('đơn vị nhận chỉ đạo', 'the unit it is assigned to')),
    {
      name: 'member',
      nameVi: 'thành-viên',
      type: 'string',
      maxLength: 80,
      placeholder: 'HANDLE',
      description: text(
        'thành viên nhận chỉ đạo (tên đăng nhập; hoặc @tên ở cuối nội dung)',
        'the member it is assigned to (a handle; or @handle at the end of the text)',
      ),
    },
    { name: 'due', nameVi: 'hạn', type: 'date', description: text('hạn hoàn thành', 'the due date') },
  ],
  async run(ctx) {
    const meeting = await ctx.services.currentMeeting({
      platform: ctx.invocation.platform,
      channelId: ctx.invocation.channelId,
      scope: ctx.scope,
    });
    if (!meeting.ok) return meeting;
    const unit = ctx.options.unit;
    // `… @duc.nv` (or a Discord or Slack mention) at the end of the text names the member.
    const { text: said, mention } = splitTrailingMention(ctx.options.text);
    const member = ctx.options.member ?? mention;
    if (unit && member) {
      return fail(
        'invalid',
        text(
          'Một chỉ đạo giao cho một đơn vị hoặc một thành viên, không cả hai. Bỏ unit: hoặc tên thành viên.',
          'A directive goes to one unit or one member, not both. Drop unit: or the member.',
        ),
      );
    }
    if (ctx.options.member !== undefined && mention) {
      return fail(
        'invalid',
        text('Chỉ ghi một người nhận: member: hoặc @tên, không cả hai.', 'Name one assignee: member: or an @mention, not both.'),
      );
    }
    if (!said)
      return fail(
        'invalid',
        text('Hãy ghi nội dung kết luận, chỉ đạo trước tên người nhận.', 'Write the conclusion or directive before the assignee.'),
      );
    const recorded = await ctx.services.recordItem({
      meeting: meeting.value,
      actor: ctx.member,
      scope: ctx.scope,
      kind: 'conclusion',
      text: said,
      assignee: unit ? `unit:${unit}` : member,
      dueOn: ctx.options.due,
      today: ctx.today,
      now: ctx.now,
      platform: ctx.invocation.platform,
      workspaceId: ctx.invocation.workspaceId,
    });
    if (!recorded.ok) return recorded;
    const l = ctx.locale;
    const due = ctx.options.due ? ` (${text('hạn', 'due')(l)} ${formatDate(l, ctx.options.due)})` : '';
    const line =
      recorded.value.kind === 'directive'
        ? text(
            `Đã ghi chỉ đạo cho ${recorded.value.assignee}${due}; việc cần làm #${recorded.value.followUpId}.`,
            `Directive recorded for ${recorded.value.assignee}${due}; follow-up #${recorded.value.followUpId}.`,
          )(l)
        : text(`Đã ghi kết luận vào cuộc họp #${meeting.value.id}.`, `Conclusion recorded in meeting #${meeting.value.id}.`)(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: line }] });
  },
});

/** A member handle (`@duc.nv`) or a platform mention (`<@U024BE7LH>`, `<@123456>`) ending the line. */
const TRAILING_MENTION = /\s+(@[a-z0-9][a-z0-9._-]{1,31}|<@!?[A-Za-z0-9]+(?:\|[^>]*)?>)$/i;

/** Splits `Báo cáo kết quả @duc.nv` into the directive's text and its assignee. */
export function splitTrailingMention(line: string): { text: string; mention: string | undefined } {
  const match = TRAILING_MENTION.exec(` ${line.trim()}`);
  if (!match) return { text: line.trim(), mention: undefined };
  return { text: ` ${line.trim()}`.slice(0, match.index).trim(), mention: match[1] };
}
