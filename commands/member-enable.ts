import { defineCommand } from '../src/core/command.ts';
import { memberHandleOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { memberChangedText, memberChangeLine } from '../src/presenters/member.ts';

export default defineCommand({
  name: 'member enable',
  nameVi: 'kích-hoạt',
  description: text('Cho một thành viên đã bị vô hiệu hoá dùng lại casedesk', 'Let a disabled member use casedesk again'),
  minRole: 'admin',
  writes: true,
  options: [memberHandleOption],
  async run(ctx) {
    const l = ctx.locale;
    const request = { handle: ctx.options.handle, by: { memberId: ctx.member.id, scope: ctx.scope } };
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.enableMember({ ...request, preview: true });
      if (!preview.ok) return preview;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận cho dùng lại', 'Confirm enabling a member')(l),
          blocks: [{ kind: 'text', text: memberChangeLine({ kind: 'enable', change: preview.value }, l) }],
          actions: await ctx.askToConfirm({ command: 'member enable', options: { handle: preview.value.handle } }),
        }),
      );
    }
    const enabled = await ctx.services.enableMember(request);
    if (!enabled.ok) return enabled;
    ctx.noteAudit({ before: enabled.value.before, after: enabled.value.after });
    const done = memberChangedText({ kind: 'enable', change: enabled.value })(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: done }] });
  },
});
