import { REST, Routes } from 'discord.js';
import type { Attachment, ReplyMessage } from '../../core/invocation.ts';
import type { DiscordConnection } from './deploy.ts';
import { renderDiscord } from './render.ts';

/**
 * Posts to a channel, for scheduled digests: the whole channel sees it, so it must hold no
 * personal data. The first attachment that is an image is shown in the first embed. Goes through
 * discord.js's REST queue, which waits out a 429 and sends again: delivered once, never dropped.
 */
export async function postToDiscord(rest: REST, channelId: string, message: ReplyMessage, attachments: Attachment[] = []): Promise<void> {
  if (message.personal) throw new Error('A channel post must not hold personal data.');
  const pages = renderDiscord(message);
  const image = attachments.find((a) => a.contentType.startsWith('image/'));
  for (const [n, page] of pages.entries()) {
    const files = n === 0 ? attachments : [];
    const embeds = n === 0 && image ? page.embeds.map((e, i) => (i === 0 ? { ...e, image: { url: `attachment://${image.name}` } } : e)) : page.embeds;
    await rest.post(Routes.channelMessages(channelId), {
      body: {
        embeds,
        components: page.components,
        allowed_mentions: { parse: [] },
        ...(files.length ? { attachments: files.map((f, id) => ({ id, filename: f.name, ...(f.description ? { description: f.description } : {}) })) } : {}),
      },
      files: files.map((f, id) => ({ key: `files[${id}]`, name: f.name, data: Buffer.from(f.data), contentType: f.contentType })),
    });
  }
}

/** A direct message: the DM channel with the user is opened (or found), then posted to. */
export async function directToDiscord(rest: REST, userId: string, message: ReplyMessage): Promise<void> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
  await postToDiscord(rest, channel.id, message);
}

/** Posting with a REST client: the adapter's, or one without a gateway (`casedesk digest run-schedules`). */
export function discordPoster(rest: REST) {
  const post = (channelId: string, message: ReplyMessage, attachments: Attachment[]) => postToDiscord(rest, channelId, message, attachments);
  return Object.assign(post, { direct: (userId: string, message: ReplyMessage) => directToDiscord(rest, userId, message) });
}

export function createDiscordPoster(connection: DiscordConnection) {
  return discordPoster(new REST({ api: connection.apiUrl }).setToken(connection.token));
}
