import { defineCommand } from '../src/core/command.ts';
import { memberHandleOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { memberChangedText, memberChangeLine } from '../src/presenters/member.ts';

export default defineCommand({
  name: 'member disable',
  nameVi: 'vô-hiệu-hoá',
  description: text(
    'Vô hiệu hoá một thành viên (nghỉ, chuyển công tác, tạm đình chỉ); lịch sử được giữ nguyên',
    'Disable a member (left, transferred out, suspended); their history stays',
  ),
  minRole: 'admin',
  writes: true,
  options: [
    memberHandleOption,
    {
      name: 'reason',
      nameVi: 'lý-do',
      type: 'text',
      positional: true,
      maxLength: 500,
      description: text('lý do, ghi vào nhật ký', 'the reason, kept in the audit log'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const request = { handle: ctx.options.handle, now: ctx.now, by: { memberId: ctx.member.id, scope: ctx.scope } };
    const reason = ctx.options.reason;
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.disableMember({ ...request, preview: true });
      if (!preview.ok) return preview;
      const options: Record<string, string> = { handle: preview.value.handle };
      if (reason) options.reason = reason;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận vô hiệu hoá thành viên', 'Confirm disabling a member')(l),
          blocks: [
            { kind: 'text', text: memberChangeLine({ kind: 'disable', change: preview.value }, l) },
            ...(reason ? [{ kind: 'fields' as const, fields: [{ label: text('Lý do', 'Reason')(l), value: reason }] }] : []),
          ],
          actions: await ctx.askToConfirm({ command: 'member disable', options }),
        }),
      );
    }
    const disabled = await ctx.services.disableMember(request);
    if (!disabled.ok) return disabled;
    ctx.noteAudit({ before: disabled.value.before, after: disabled.value.after });
    const done = memberChangedText({ kind: 'disable', change: disabled.value })(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: done }] });
  },
});
