import { defineCommand } from '../src/core/command.ts';
import { ROLE_CHOICES } from '../src/core/choices.ts';
import { memberHandleOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { memberChangedText, memberChangeLine } from '../src/presenters/member.ts';

export default defineCommand({
  name: 'member role',
  nameVi: 'vai-trò',
  description: text('Đổi vai trò của một thành viên trong phạm vi của bạn', 'Change the role of a member within your units'),
  minRole: 'admin',
  writes: true,
  options: [
    memberHandleOption,
    {
      name: 'role',
      nameVi: 'vai-trò',
      labelVi: 'vai trò mới',
      type: 'choice',
      positional: true,
      required: true,
      choices: ROLE_CHOICES,
      description: text('vai trò mới', 'the new role'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const request = { handle: ctx.options.handle, role: ctx.options.role, by: { memberId: ctx.member.id, scope: ctx.scope } };
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.changeRole({ ...request, preview: true });
      if (!preview.ok) return preview;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận đổi vai trò', 'Confirm the role change')(l),
          blocks: [{ kind: 'text', text: memberChangeLine({ kind: 'role', change: preview.value }, l) }],
          actions: await ctx.askToConfirm({ command: 'member role', options: { handle: preview.value.handle, role: request.role } }),
        }),
      );
    }
    const changed = await ctx.services.changeRole(request);
    if (!changed.ok) return changed;
    ctx.noteAudit({ before: changed.value.before, after: changed.value.after });
    const done = memberChangedText({ kind: 'role', change: changed.value })(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: done }] });
  },
});
