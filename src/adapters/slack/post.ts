import { webApi } from '@slack/bolt';
import { posterFromParts, type Poster, type PostPart } from '../../core/platform.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import type { Locale } from '../../i18n/text.ts';
import { slackAnswerParts } from './answer.ts';
import type { SlackConnection } from './connection.ts';
import { renderSlack, type SlackPage } from './render.ts';

/**
 * Posts to channels, for scheduled digests: the whole channel sees it, so it must hold no personal
 * data. The chart is uploaded with `files.uploadV2`. Posts to one channel are spaced `intervalMs`
 * apart (Slack allows about one a second), and the Web API client waits out a 429's `Retry-After`
 * and sends again.
 */
export function createSlackPoster(client: webApi.WebClient, intervalMs = 1100, locale: Locale = 'vi'): SlackPoster {
  const lastPost = new Map<string, Promise<number>>();

  /** Runs `send` for `channel` no sooner than `intervalMs` after the previous one there, and gives its answer. */
  async function paced<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const previous = lastPost.get(channel) ?? Promise.resolve(0);
    const done = previous.then(async (at) => {
      const wait = at + intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return send();
    });
    // A failed post must not block the channel's next one.
    lastPost.set(
      channel,
      done.then(
        () => Date.now(),
        () => Date.now(),
      ),
    );
    return done;
  }

  /** Posts one rendered page, paced; Slack answers with the conversation's id and the message's `ts`. */
  const page = async (channel: string, rendered: SlackPage): Promise<{ channel: string; ts: string }> => {
    const posted = await paced(channel, () =>
      client.chat.postMessage({ channel, text: rendered.text, blocks: rendered.blocks, unfurl_links: false, unfurl_media: false }),
    );
    return { channel: posted.channel ?? channel, ts: posted.ts ?? '' };
  };

  /** Posts rendered pages to a channel, in order, each paced. */
  const pages = async (channel: string, rendered: SlackPage[]): Promise<void> => {
    for (const p of rendered) await page(channel, p);
  };

  /**
   * Uploads a file into a conversation, paced with its posts: `files.uploadV2` (getUploadURLExternal,
   * the upload, completeUploadExternal), which wants the conversation's id (`C…`, `D…`), never a user's.
   */
  const upload = async (channel: string, file: Attachment, comment?: string): Promise<void> => {
    await paced(channel, () =>
      client.files.uploadV2({
        channel_id: channel,
        file: Buffer.from(file.data),
        filename: file.name,
        title: file.description ?? file.name,
        ...(file.description ? { alt_text: file.description } : {}),
        ...(comment ? { initial_comment: comment } : {}),
      }),
    );
  };

  /**
   * The calls that post a message to a channel: one per page, then one per file, in order. The
   * same message gives the same calls, so a retry can resume after those that went out.
   */
  const parts = (channel: string, message: ReplyMessage, attachments: Attachment[] = []): PostPart[] => {
    if (message.personal) throw new Error('A channel post must not hold personal data.');
    const posts = renderSlack(message).map((page) => () => pages(channel, [page]));
    const files = attachments.map((file) => () => upload(channel, file));
    return [...posts, ...files];
  };
  /** A direct message, one call per page: Slack opens the conversation with the user when the channel is their id. */
  const directParts = (userId: string, message: ReplyMessage): PostPart[] =>
    renderSlack(message).map((page) => () => pages(userId, [page]));

  /** Uploads files to a user's direct messages (conversations.open gives the `D…` id an upload wants). */
  const sendFiles = async (userId: string, files: readonly Attachment[], comment: string): Promise<void> => {
    const dm = (await client.conversations.open({ users: userId })).channel?.id;
    if (!dm) throw new Error('conversations.open gave no channel');
    for (const [i, file] of files.entries()) await upload(dm, file, i === 0 ? comment : undefined);
  };
  const poster: SlackPoster = {
    ...posterFromParts({ files: true, parts, directParts }),
    pages,
    page,
    upload,
    answerParts: (to, message) => slackAnswerParts({ pages, sendFiles, locale }, to, message),
  };
  return poster;
}

/**
 * A Slack poster, and posting pages already rendered (the rest of an answer meant for a channel, an
 * answer sent as a direct message) and files, each paced with the other posts to their conversation.
 * It answers requests left unanswered through their `response_url` (see {@link slackAnswerParts}).
 */
export interface SlackPoster extends Poster {
  answerParts: NonNullable<Poster['answerParts']>;
  direct: NonNullable<Poster['direct']>;
  pages(channel: string, rendered: SlackPage[]): Promise<void>;
  /** Posts one page; gives the conversation it went to (a direct message's `D…` id) and its `ts`. */
  page(channel: string, rendered: SlackPage): Promise<{ channel: string; ts: string }>;
  /** Uploads a file into a conversation (`C…`, `D…`), with `comment` above it if given. */
  upload(channel: string, file: Attachment, comment?: string): Promise<void>;
}

/** Posting without listening for requests: what `casedesk digest run-schedules` uses. */
export function createSlackPosterFor(connection: SlackConnection, locale: Locale = 'vi'): SlackPoster {
  return createSlackPoster(new webApi.WebClient(connection.botToken, { slackApiUrl: connection.apiUrl }), 1100, locale);
}
