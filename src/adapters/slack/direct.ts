import type { webApi } from '@slack/bolt';
import type { Progress, Reply } from '../../core/invocation.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import type { Logger } from '../../logger.ts';
import type { SlackPoster } from './post.ts';
import { renderSlack } from './render.ts';

/**
 * The app's direct message conversation with one user, opened once (`conversations.open`, which
 * needs `im:write`): its `D…` id is what chat.update and the file upload want, since neither takes
 * a user's id. A failed opening is tried again by the next caller.
 */
export function directConversation(client: webApi.WebClient, userId: string): () => Promise<string> {
  let opening: Promise<string> | undefined;
  return () => {
    opening ??= client.conversations.open({ users: userId }).then(
      (opened) => {
        const id = opened.channel?.id;
        if (!id) throw new Error('conversations.open gave no channel');
        return id;
      },
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  };
}

/**
 * Sends files to a user's direct messages, never to a channel: the result of a check holds
 * personal data, for the invoker alone. `comment` goes above the first.
 */
export async function sendFilesDirectly(
  deps: { poster: SlackPoster; conversation: () => Promise<string> },
  files: readonly Attachment[],
  comment?: string,
): Promise<void> {
  if (files.length === 0) return;
  const dm = await deps.conversation();
  for (const [i, file] of files.entries()) await deps.poster.upload(dm, file, i === 0 ? comment : undefined);
}

/**
 * A reply in the invoker's direct messages with the app, for a request that has no `response_url`
 * to answer through (a form's submission). It is private to the invoker, so personal answers and
 * files may go there; every page of the answer is posted (a direct message takes as many as it
 * needs), then the files are uploaded beside it. An answer meant for a channel comes here too: a
 * form is answered where only its submitter reads. Progress is one message, posted once and then
 * edited in place (chat.update), so that a long command shows it is getting on without a
 * notification at each step (a command done by its first update shows none); the answer follows
 * as a message of its own.
 */
export function directReply(deps: { client: webApi.WebClient; poster: SlackPoster; userId: string; log: Logger }): Reply {
  const conversation = directConversation(deps.client, deps.userId);
  let progressTs: string | undefined;
  return {
    canBePrivate: true,
    interactive: true,
    async send(message: ReplyMessage) {
      const dm = await conversation();
      for (const page of renderSlack(message)) await deps.poster.page(dm, page);
      await sendFilesDirectly({ poster: deps.poster, conversation }, message.files ?? []);
    },
    async progress(update: Progress) {
      // A first update that is already the last (a short list) would only be a message and a
      // notification just before the answer: nothing was waited for.
      if (progressTs === undefined && update.done >= update.total) return;
      const dm = await conversation();
      const [page] = renderSlack(update.message);
      if (!page) return;
      if (progressTs === undefined) {
        progressTs = (await deps.poster.page(dm, page)).ts;
        return;
      }
      await deps.client.chat.update({ channel: dm, ts: progressTs, text: page.text, blocks: page.blocks });
    },
  };
}
