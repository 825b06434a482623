import { planDelivery } from '../../core/delivery.ts';
import type { AnswerHandle } from '../../core/invocation.ts';
import type { PostPart } from '../../core/platform.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import { text, type Locale } from '../../i18n/text.ts';
import { pageNote, renderSlack, SLACK_LIMITS, type SlackPage } from './render.ts';

/** How long Slack takes answers through a request's `response_url`. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/**
 * The handle to answer a slash command or a button press later, from any instance: its
 * `response_url` (a credential: whoever has it can answer in the user's name of the app), and the
 * user, whose direct messages take the answer's files.
 */
export function responseUrlHandle(responseUrl: string | undefined, userId: string, receivedAt: Date): AnswerHandle | undefined {
  if (!responseUrl) return undefined;
  return { to: { responseUrl, userId }, expiresAt: new Date(receivedAt.getTime() + RESPONSE_URL_LIFETIME_MS) };
}

/** The handle for a request answered in the user's direct messages (a form's submission). */
export function directHandle(userId: string, receivedAt: Date): AnswerHandle {
  return { to: { userId }, expiresAt: new Date(receivedAt.getTime() + RESPONSE_URL_LIFETIME_MS) };
}

export const FILES_NOTE = text('Tệp kèm câu trả lời cho lệnh bạn vừa chạy.', 'The file that goes with the answer to the command you ran.');

export function cutText(shown: number, total: number) {
  return text(
    `Câu trả lời gồm ${total} phần nhưng Slack chỉ nhận ${shown} tin trả lời cho một lệnh, nên ${total - shown} phần sau đã bị lược bớt. ` +
      'Việc đã được thực hiện; để xem đầy đủ, hãy dùng lệnh xem tương ứng (như case show, followup list, meeting minutes), có nút ◀ ▶ để chuyển trang.',
    `This answer has ${total} parts, but Slack takes only ${shown} replies to one command, so the last ${total - shown} ${total - shown === 1 ? 'part was' : 'parts were'} cut. ` +
      'The command was carried out; to see it all, use the matching read command (such as case show, followup list or meeting minutes), which pages with ◀ ▶ buttons.',
  );
}

/**
 * The calls that deliver a stored answer through its handle (see {@link responseUrlHandle}), for
 * the outbox when the instance that ran the command died before answering. Through the
 * `response_url` as Bolt's `respond` does (a POST of JSON, answered `ok`): its pages in sequence,
 * at most five with the cut note under the last (no ◀ ▶ buttons: the request does not run again);
 * an answer meant for the channel goes there through it. Its files go to the user's direct
 * messages, as a live answer's do. Without a `response_url`, the pages and files go to the user's
 * direct messages.
 */
export function slackAnswerParts(
  deps: {
    /** Posts pages to a user's direct messages. */
    pages: (userId: string, pages: SlackPage[]) => Promise<void>;
    /** Uploads files to a user's direct messages, `comment` above the first. */
    sendFiles: (userId: string, files: readonly Attachment[], comment: string) => Promise<void>;
    locale: Locale;
  },
  to: Record<string, string>,
  message: ReplyMessage,
): PostPart[] {
  const files = message.files ?? [];
  const userId = to.userId;
  const fileParts: PostPart[] = files.length > 0 && userId ? [() => deps.sendFiles(userId, files, FILES_NOTE(deps.locale))] : [];
  const responseUrl = to.responseUrl;
  if (!responseUrl) {
    if (!userId) throw new Error('A Slack answer handle names neither a response_url nor a user.');
    return [...renderSlack(message).map((page) => () => deps.pages(userId, [page])), ...fileParts];
  }
  const plan = planDelivery(message, renderSlack(message), { maxMessages: SLACK_LIMITS.responsesPerUrl, cutNote: 'under' });
  const type = plan.kind === 'channel' ? 'in_channel' : 'ephemeral';
  const pages =
    plan.kind === 'single' ? [plan.page] : plan.kind === 'paged' ? [plan.page] : plan.pages.slice(0, SLACK_LIMITS.responsesPerUrl);
  const cut = plan.kind === 'sequence' ? plan.cut : undefined;
  if (cut) {
    const last = pages.at(-1)!;
    pages[pages.length - 1] = { ...last, blocks: [...last.blocks, pageNote(cutText(cut.shown, cut.total)(deps.locale))] };
  }
  return [
    ...pages.map((page) => () => respondTo(responseUrl, { response_type: type, text: page.text, blocks: page.blocks })),
    ...fileParts,
  ];
}

/** One post to a `response_url`. Its address is a credential: it is never put in an error. */
async function respondTo(responseUrl: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ replace_original: false, ...body }),
    signal: AbortSignal.timeout(30_000),
  });
  const said = (await response.text()).slice(0, 100);
  if (!response.ok) throw new Error(`Slack refused the answer through its response_url (${response.status} ${said})`);
}
