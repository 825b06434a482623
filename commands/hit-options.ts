import type { CommandContext } from '../src/core/command.ts';
import type { OptionSpec } from '../src/core/options.ts';
import type { ReplyAction } from '../src/domain/reply.ts';
import { ok, type Result } from '../src/domain/result.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { text, type Text } from '../src/i18n/text.ts';
import { HIT_MESSAGES } from '../src/presenters/checks.ts';
import type { HitRequestView } from '../src/repositories/checks.ts';
import type { HitAnswer } from '../src/services/checks.ts';

/** The number of a confirmation request, as the messages asking for it show it (`#12`). */
export const hitIdOption = {
  name: 'id',
  nameVi: 'số',
  labelVi: 'số hiệu yêu cầu',
  type: 'integer',
  positional: true,
  required: true,
  min: 1,
  placeholder: 'id',
  description: text('số yêu cầu xác nhận, ví dụ 12', 'the confirmation request number, e.g. 12'),
} as const satisfies OptionSpec;

/**
 * `hit confirm`, `hit reject`, `hit wait`: records the owning unit's answer, audits the case, and
 * says what was done (`said`), with `actions` to offer next.
 */
export async function answerHitCommand(
  ctx: CommandContext<{ readonly id: number }>,
  answer: HitAnswer,
  said: (request: HitRequestView) => Text,
  actions: (request: HitRequestView) => ReplyAction[] = () => [],
): Promise<Result<ReplyMessage>> {
  const answered = await ctx.services.answerHit({
    scope: ctx.scope,
    member: ctx.member,
    id: ctx.options.id,
    answer,
    now: ctx.now,
    timeZone: ctx.timeZone,
    messages: HIT_MESSAGES,
  });
  if (!answered.ok) return answered;
  ctx.touch(answered.value.caseCode);
  const next = actions(answered.value);
  return ok({
    personal: false,
    blocks: [{ kind: 'text', tone: 'success', text: said(answered.value)(ctx.locale) }],
    ...(next.length ? { actions: next } : {}),
  });
}
