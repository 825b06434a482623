import { webApi } from '@slack/bolt';
import { posterFromParts, type Poster, type PostPart } from '../../core/platform.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import type { SlackConnection } from './connection.ts';
import { renderSlack, type SlackPage } from './render.ts';

/**
 * Posts to channels, for scheduled digests: the whole channel sees it, so it must hold no personal
 * data. The chart is uploaded with `files.uploadV2`. Posts to one channel are spaced `intervalMs`
 * apart (Slack allows about one a second), and the Web API client waits out a 429's `Retry-After`
 * and sends again.
 */
export function createSlackPoster(client: webApi.WebClient, intervalMs = 1100): SlackPoster {
  const lastPost = new Map<string, Promise<number>>();

  /** Runs `send` for `channel` no sooner than `intervalMs` after the previous one there. */
  async function paced(channel: string, send: () => Promise<unknown>): Promise<void> {
    const previous = lastPost.get(channel) ?? Promise.resolve(0);
    const done = previous.then(async (at) => {
      const wait = at + intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await send();
      return Date.now();
    });
    // A failed post must not block the channel's next one.
    lastPost.set(
      channel,
      done.catch(() => Date.now()),
    );
    await done;
  }

  /** Posts rendered pages to a channel, in order, each paced. */
  const pages = async (channel: string, rendered: SlackPage[]): Promise<void> => {
    for (const page of rendered) {
      await paced(channel, () =>
        client.chat.postMessage({ channel, text: page.text, blocks: page.blocks, unfurl_links: false, unfurl_media: false }),
      );
    }
  };

  /**
   * The calls that post a message to a channel: one per page, then one per file, in order. The
   * same message gives the same calls, so a retry can resume after those that went out.
   */
  const parts = (channel: string, message: ReplyMessage, attachments: Attachment[] = []): PostPart[] => {
    if (message.personal) throw new Error('A channel post must not hold personal data.');
    const posts = renderSlack(message).map((page) => () => pages(channel, [page]));
    const files = attachments.map(
      (file) => () =>
        paced(channel, () =>
          client.files.uploadV2({
            channel_id: channel,
            file: Buffer.from(file.data),
            filename: file.name,
            title: file.description ?? file.name,
            ...(file.description ? { alt_text: file.description } : {}),
          }),
        ),
    );
    return [...posts, ...files];
  };
  /** A direct message, one call per page: Slack opens the conversation with the user when the channel is their id. */
  const directParts = (userId: string, message: ReplyMessage): PostPart[] =>
    renderSlack(message).map((page) => () => pages(userId, [page]));

  return { ...posterFromParts({ files: true, parts, directParts }), pages };
}

/** A Slack poster, and posting pages already rendered (the rest of an answer meant for a channel). */
export interface SlackPoster extends Poster {
  direct: NonNullable<Poster['direct']>;
  pages(channel: string, rendered: SlackPage[]): Promise<void>;
}

/** Posting without listening for requests: what `casedesk digest run-schedules` uses. */
export function createSlackPosterFor(connection: SlackConnection): SlackPoster {
  return createSlackPoster(new webApi.WebClient(connection.botToken, { slackApiUrl: connection.apiUrl }));
}
