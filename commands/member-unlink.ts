import { defineCommand } from '../src/core/command.ts';
import { memberHandleOption } from '../src/core/common-options.ts';
import { confirmationQuestion } from '../src/core/confirmations.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { memberChangedText, memberChangeLine } from '../src/presenters/member.ts';
import { PLATFORMS_TO_LINK } from '../src/services/directory.ts';

export default defineCommand({
  name: 'member unlink',
  nameVi: 'gỡ-liên-kết',
  description: text('Gỡ các tài khoản chat của một thành viên trên một nền tảng', "Unlink a member's chat accounts on one platform"),
  minRole: 'admin',
  writes: true,
  options: [
    memberHandleOption,
    {
      name: 'platform',
      nameVi: 'nền-tảng',
      type: 'choice',
      positional: true,
      required: true,
      choices: PLATFORMS_TO_LINK.map((value) => ({ value, label: text(value, value) })),
      description: text('nền tảng của tài khoản cần gỡ', 'the platform of the accounts to unlink'),
    },
  ],
  async run(ctx) {
    const l = ctx.locale;
    const request = { handle: ctx.options.handle, platform: ctx.options.platform, by: { memberId: ctx.member.id, scope: ctx.scope } };
    if (ctx.interactive && !ctx.confirmed) {
      const preview = await ctx.services.unlinkAccount({ ...request, preview: true });
      if (!preview.ok) return preview;
      return ok(
        confirmationQuestion(l, {
          title: text('Xác nhận gỡ liên kết tài khoản', 'Confirm unlinking accounts')(l),
          blocks: [{ kind: 'text', text: memberChangeLine({ kind: 'unlink', change: preview.value }, l) }],
          actions: await ctx.askToConfirm({
            command: 'member unlink',
            options: { handle: preview.value.handle, platform: request.platform },
          }),
        }),
      );
    }
    const unlinked = await ctx.services.unlinkAccount(request);
    if (!unlinked.ok) return unlinked;
    ctx.noteAudit({ before: unlinked.value.before, after: unlinked.value.after });
    const done = memberChangedText({ kind: 'unlink', change: unlinked.value })(l);
    return ok({ personal: false, blocks: [{ kind: 'text', tone: 'success', text: done }] });
  },
});
