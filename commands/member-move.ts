import { defineCommand } from '../src/core/command.ts';
import { memberHandleOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { memberChangedText, memberChangeLine } from '../src/presenters/member.ts';

export default defineCommand({
  name: 'member move',
  nameVi: 'chuyển',
  description: text(
    'Chuyển một thành viên sang đơn vị khác trong phạm vi của bạn',
    'Move a member to another unit, both within your units',
  ),
  minRole: 'admin',
  writes: true,
  options: [
    memberHandleOption,
    {
      name: 'unit',
      nameVi: 'đơn-vị',
      labelVi: 'đơn vị mới',
      type: 'string',
      positional: true,
      required: true,
      maxLength: 32,
      placeholder: 'CODE',
      description: text('mã đơn vị mới, ví dụ CA-HCM', 'the code of the new unit, e.g. CA-HCM'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const request = { handle: ctx.options.handle, unitCode: ctx.options.unit, by: { memberId: ctx.member.id, scope: ctx.scope } };
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.moveMember({ ...request, preview: true });
      if (!preview.ok) return preview;
      const options = { handle: preview.value.handle, unit: preview.value.after.unit };
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận chuyển đơn vị', 'Confirm the move')(l),
          blocks: [{ kind: 'text', text: memberChangeLine({ kind: 'move', change: preview.value }, l) }],
          actions: await ctx.askToConfirm({ command: 'member move', options }),
        }),
      );
    }
    const moved = await ctx.services.moveMember(request);
    if (!moved.ok) return moved;
    ctx.noteAudit({ before: moved.value.before, after: moved.value.after });
    const done = memberChangedText({ kind: 'move', change: moved.value })(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: done }] });
  },
});
