import type { Executor } from '../../db/client.ts';
import type { Locale } from '../../db/schema/index.ts';
import type { Block, ReplyAction, ReplyMessage } from '../domain/reply.ts';
import { text } from '../i18n/text.ts';
import { consumePendingAction, insertPendingAction, type PendingAction } from '../repositories/pending-actions.ts';
import { cancelLabel, confirmLabel } from './dispatcher-texts.ts';
import type { InvocationInput } from './invocation.ts';

/**
 * The confirm-button protocol. A command that changes something important asks to confirm: the
 * change is stored as a pending action and the reply carries two buttons that run the command
 * `action` with its key (and `cancel` to drop it). The press is checked and run as whoever pressed,
 * like a typed command, at most once.
 */
export const ACTION_COMMAND = 'action';

/** How long a confirm button stays good. */
export const PENDING_ACTION_TTL_MS = 60 * 60 * 1000;

/** Whether an invocation is the press of a confirm or cancel button. */
export const isConfirmation = (input: InvocationInput): input is Extract<InvocationInput, { kind: 'options' }> =>
  input.kind === 'options' && input.command === ACTION_COMMAND;

/**
 * The question a command asks before a change, privately: what the change would be (`blocks`), that
 * nothing changes until the confirm button is pressed, and the buttons of {@link offerConfirmation}.
 */
export function confirmationQuestion(locale: Locale, input: { title: string; blocks: Block[]; actions: ReplyAction[] }): ReplyMessage {
  return {
    personal: true,
    title: input.title,
    blocks: [
      ...input.blocks,
      {
        kind: 'text',
        tone: 'muted',
        text: text('Chưa có gì thay đổi cho đến khi bạn bấm Xác nhận.', 'Nothing changes until you press Confirm.')(locale),
      },
    ],
    actions: input.actions,
  };
}

/** Stores `action` for `memberId` and returns the confirm and cancel buttons that stand for it. */
export async function offerConfirmation(
  tx: Executor,
  input: { action: PendingAction; memberId: number; now: Date; locale: Locale },
): Promise<ReplyAction[]> {
  const key = await insertPendingAction(tx, { ...input.action, memberId: input.memberId, now: input.now, ttlMs: PENDING_ACTION_TTL_MS });
  return [
    { label: confirmLabel(input.locale), style: 'danger', command: ACTION_COMMAND, options: { key } },
    { label: cancelLabel(input.locale), style: 'secondary', command: ACTION_COMMAND, options: { key, cancel: 'yes' } },
  ];
}

/**
 * The command a press stands for, taken so that no second press runs it; undefined when the button
 * expired or was used. Inside the command's transaction: a press that is then refused rolls back
 * and leaves the action for someone who may run it.
 */
export async function takeConfirmation(
  tx: Executor,
  input: { options: Record<string, unknown>; now: Date },
): Promise<(PendingAction & { confirmed: boolean }) | undefined> {
  const pending = await consumePendingAction(tx, { key: typeof input.options.key === 'string' ? input.options.key : '', now: input.now });
  return pending && { ...pending, confirmed: input.options.cancel === undefined };
}
