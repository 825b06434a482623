import { REST, Routes } from 'discord.js';
import { posterFromParts, type PostPart } from '../../core/platform.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import { discordAnswerParts } from './answer.ts';
import type { DiscordConnection } from './deploy.ts';
import { renderDiscord } from './render.ts';

/**
 * The calls that post a message to a channel, one per page, in order: the same message gives the
 * same calls, so a retry can resume after those that went out. The attachments go with the first
 * page, and the first image is shown in its first embed. The whole channel sees it, so it must
 * hold no personal data.
 */
export function discordParts(
  rest: REST,
  channelId: string | (() => Promise<string>),
  message: ReplyMessage,
  attachments: Attachment[] = [],
): PostPart[] {
  if (message.personal) throw new Error('A channel post must not hold personal data.');
  const pages = renderDiscord(message);
  const image = attachments.find((a) => a.contentType.startsWith('image/'));
  return pages.map((page, n) => async () => {
    const files = n === 0 ? attachments : [];
    const embeds =
      n === 0 && image ? page.embeds.map((e, i) => (i === 0 ? { ...e, image: { url: `attachment://${image.name}` } } : e)) : page.embeds;
    const channel = typeof channelId === 'string' ? channelId : await channelId();
    await rest.post(Routes.channelMessages(channel), {
      body: {
        embeds,
        components: page.components,
        allowed_mentions: { parse: [] },
        ...(files.length
          ? { attachments: files.map((f, id) => ({ id, filename: f.name, ...(f.description ? { description: f.description } : {}) })) }
          : {}),
      },
      files: files.map((f, id) => ({ key: `files[${id}]`, name: f.name, data: Buffer.from(f.data), contentType: f.contentType })),
    });
  });
}

/**
 * Posts to a channel, for scheduled digests (see {@link discordParts}). Goes through discord.js's
 * REST queue, which waits out a 429 and sends again: delivered once, never dropped.
 */
export async function postToDiscord(rest: REST, channelId: string, message: ReplyMessage, attachments: Attachment[] = []): Promise<void> {
  for (const part of discordParts(rest, channelId, message, attachments)) await part();
}

/**
 * A direct message, one call per page. The DM channel with the user is opened (or found: Discord
 * answers the same one again) before the first page that needs it.
 */
export function directDiscordParts(rest: REST, userId: string, message: ReplyMessage): PostPart[] {
  let channel: Promise<string> | undefined;
  const open = () =>
    (channel ??= (rest.post(Routes.userChannels(), { body: { recipient_id: userId } }) as Promise<{ id: string }>).then((c) => c.id));
  return discordParts(rest, open, message);
}

export async function directToDiscord(rest: REST, userId: string, message: ReplyMessage): Promise<void> {
  for (const part of directDiscordParts(rest, userId, message)) await part();
}

/**
 * Posting with a REST client: the adapter's, or one without a gateway (`casedesk digest run-schedules`).
 * Files go with the first page; a direct message opens the DM channel first. Answers to interactions
 * go through the interaction's webhook, which needs no bot token.
 */
export function discordPoster(rest: REST) {
  return {
    ...posterFromParts({
      files: true,
      parts: (channelId, message, attachments) => discordParts(rest, channelId, message, attachments),
      directParts: (userId, message) => directDiscordParts(rest, userId, message),
    }),
    /** Answers an interaction whose instance died before answering, through its webhook (see {@link discordAnswerParts}). */
    answerParts: (to: Record<string, string>, message: ReplyMessage) => discordAnswerParts(rest, to, message),
  };
}

export function createDiscordPoster(connection: DiscordConnection) {
  return discordPoster(new REST({ api: connection.apiUrl }).setToken(connection.token));
}
