import { MessageFlags, REST, Routes, type RawFile } from 'discord.js';
import { planDelivery } from '../../core/delivery.ts';
import type { AnswerHandle } from '../../core/invocation.ts';
import type { PostPart } from '../../core/platform.ts';
import type { ReplyMessage } from '../../domain/reply.ts';
import { text, type Locale, type Text } from '../../i18n/text.ts';
import { DISCORD_FILE_LIMITS, fitFiles } from './files.ts';
import { renderDiscord, type DiscordPage } from './render.ts';

/** How long Discord takes edits and follow-ups with an interaction's token. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;

/** The most ephemeral follow-ups one answer sends; the last says the answer was cut. */
export const MAX_FOLLOW_UPS = 5;

/**
 * The handle to answer an interaction later, from any instance: the application's id and the
 * interaction's token (a credential for the interaction's webhook), good for 15 minutes from the
 * interaction, and the user's language for the notes.
 */
export function interactionHandle(interaction: {
  applicationId: string;
  token: string;
  createdTimestamp: number;
  locale?: string | null;
}): AnswerHandle {
  return {
    to: { applicationId: interaction.applicationId, token: interaction.token, locale: interaction.locale?.startsWith('vi') ? 'vi' : 'en' },
    expiresAt: new Date(interaction.createdTimestamp + INTERACTION_TOKEN_LIFETIME_MS),
  };
}

export function cutText(shown: number, total: number): Text {
  return text(
    `Câu trả lời quá dài nên đã bị cắt: mới hiển thị ${shown}/${total} trang. Hãy thu hẹp yêu cầu (theo mã hồ sơ, đơn vị hoặc một khoảng thời gian ngắn hơn) để xem phần còn lại.`,
    `The answer was cut: ${shown} of ${total} pages shown. Narrow the request (to a case code, a unit or a shorter period) to see the rest.`,
  );
}

type Body = { content?: string; embeds: DiscordPage['embeds']; components: DiscordPage['components'] };

/**
 * The calls that deliver a stored answer through the interaction's webhook (see
 * {@link interactionHandle}), for the outbox when the instance that ran the command died before
 * answering: the first page replaces the deferred "thinking…" reply (or the message a button is
 * on), with the answer's files; the others follow as ephemeral messages, at most
 * {@link MAX_FOLLOW_UPS}, the last saying the answer was cut. No ◀ ▶ buttons: the request does not
 * run again. An answer meant for the channel is shown to the invoker alone: the handle has no channel.
 */
export function discordAnswerParts(rest: REST, to: Record<string, string>, message: ReplyMessage): PostPart[] {
  const { applicationId, token } = to;
  if (!applicationId || !token) throw new Error('A Discord answer handle needs the application id and the interaction token.');
  const locale: Locale = to.locale === 'vi' ? 'vi' : 'en';
  const fitted = fitFiles(message, DISCORD_FILE_LIMITS.defaultBytes, locale);
  const plan = planDelivery(fitted.message, renderDiscord(fitted.message), {
    maxMessages: 1 + MAX_FOLLOW_UPS,
    cutNote: 'after',
    channel: false,
  });
  // Without paging nor a channel, the plan is one page or a sequence.
  const bodies: Body[] = plan.kind === 'single' || plan.kind === 'paged' ? [plan.page] : [...plan.pages];
  const cut = plan.kind === 'sequence' ? plan.cut : undefined;
  if (cut) bodies.push({ content: cutText(cut.shown, cut.total)(locale), embeds: [], components: cut.last.components });
  // The files fitFiles kept (those left out are named in the answer).
  const files: RawFile[] = (message.files ?? [])
    .filter((f) => f.data.byteLength <= DISCORD_FILE_LIMITS.defaultBytes)
    .slice(0, DISCORD_FILE_LIMITS.files)
    .map((f, id) => ({ key: `files[${id}]`, name: f.name, data: Buffer.from(f.data), contentType: f.contentType }));
  const payload = (body: Body, withFiles: boolean) => ({
    content: body.content ?? '',
    embeds: body.embeds,
    components: body.components,
    allowed_mentions: { parse: [] },
    ...(withFiles && files.length ? { attachments: files.map((f, id) => ({ id, filename: f.name })) } : {}),
  });
  return bodies.map((body, n) =>
    n === 0
      ? async () => {
          await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body: payload(body, true), files, auth: false });
        }
      : async () => {
          await rest.post(Routes.webhook(applicationId, token), {
            body: { ...payload(body, false), flags: MessageFlags.Ephemeral },
            auth: false,
          });
        },
  );
}
