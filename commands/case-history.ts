import { defineCommand } from '../src/core/command.ts';
import { caseCodeOption } from '../src/core/common-options.ts';
import { ok } from '../src/domain/result.ts';
import { text } from '../src/i18n/text.ts';
import { caseHistoryMessage } from '../src/presenters/case.ts';

/**
 * The most events one answer holds: the platforms page it (◀ ▶ where they can), and a case's
 * history seldom comes near; the rest stay in the database and the audit export.
 */
const MAX_EVENTS = 500;

export default defineCommand({
  name: 'case history',
  nameVi: 'diễn-biến',
  description: text(
    'Toàn bộ diễn biến của hồ sơ, mới nhất trước (chỉ hiển thị riêng cho bạn)',
    "A case's whole history, newest first (shown to you alone)",
  ),
  // The events are the full card's, which a viewer does not see.
  minRole: 'officer',
  writes: false,
  options: [caseCodeOption],
  async run(ctx) {
    const history = await ctx.services.getCaseHistory({ scope: ctx.scope, code: ctx.options.code, limit: MAX_EVENTS });
    if (!history.ok) return history;
    const code = history.value.row.code;
    ctx.touch(code);
    const l = ctx.locale;
    if (!ctx.canReplyPrivately) {
      return ok({
        personal: false,
        title: text(`Diễn biến của hồ sơ ${code}`, `History of case ${code}`)(l),
        blocks: [
          {
            kind: 'text',
            tone: 'muted',
            text: text(
              'Diễn biến của hồ sơ có thông tin cá nhân nên chỉ hiển thị ở nơi chỉ mình bạn thấy. Hãy gõ lại lệnh trong tin nhắn riêng với casedesk.',
              "A case's history holds personal details, shown only where you alone can see them. Run the command again in a direct message to casedesk.",
            )(l),
          },
        ],
      });
    }
    return ok(caseHistoryMessage(history.value, l, ctx.timeZone));
  },
});
