import { AttachmentBuilder } from 'discord.js';
import type { InputFile } from '../../core/invocation.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import { formatNumber, text, type Locale } from '../../i18n/text.ts';
import type { Logger } from '../../logger.ts';

/**
 * Discord's limits on the files of one message
 * (https://discord.com/developers/docs/reference#uploading-files): at most 10 files, each within the
 * interaction's `attachment_size_limit`, which depends on the server's boost tier. When an
 * interaction does not say, the documented default is assumed.
 */
export const DISCORD_FILE_LIMITS = {
  files: 10,
  defaultBytes: 10 * 1024 * 1024,
  description: 1024,
} as const;

/** How long a download from Discord's CDN may take before the file is told unreadable. */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/** What the adapter knows of an attachment before reading it: discord.js's `Attachment` has these. */
export interface DiscordAttachmentRef {
  name: string;
  /** As Discord declares it, in bytes. */
  size: number;
  /** Discord's signed CDN address. */
  url: string;
}

/**
 * An attachment of a slash command as the core's {@link InputFile}. Nothing is downloaded until
 * `read` is called; a declared size over `maxBytes` is refused without downloading, and the
 * download stops as soon as more than `maxBytes` have come, whatever the CDN declared.
 *
 * @example
 *   const file = attachmentFile({ name: 'list.csv', size: 1234, url: attachment.url });
 *   const bytes = await file.read(20 * 1024 * 1024); // Uint8Array | 'too_large' | 'unreadable'
 */
export function attachmentFile(attachment: DiscordAttachmentRef, options: { log?: Logger; timeoutMs?: number } = {}): InputFile {
  return {
    name: attachment.name,
    size: attachment.size,
    async read(maxBytes) {
      if (attachment.size > maxBytes) return 'too_large';
      const problem = (reason: string, extra: Record<string, unknown> = {}) => {
        options.log?.warn({ file: attachment.name, reason, ...extra }, 'could not download an attachment');
        return 'unreadable' as const;
      };
      let response: Response;
      try {
        response = await fetch(attachment.url, { signal: AbortSignal.timeout(options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS) });
      } catch (error) {
        return problem('request failed', { err: error });
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        return problem('refused', { status: response.status });
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        return 'too_large';
      }
      // Node's typings leave the chunks untyped; fetch's body gives bytes.
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const chunks: Uint8Array[] = [];
      let length = 0;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          length += value.byteLength;
          if (length > maxBytes) {
            // Closes the connection: the rest is never downloaded.
            await reader.cancel().catch(() => undefined);
            return 'too_large';
          }
          chunks.push(value);
        }
      } catch (error) {
        return problem('download broke off', { err: error });
      }
      const bytes = new Uint8Array(length);
      let at = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, at);
        at += chunk.byteLength;
      }
      return bytes;
    },
  };
}

/**
 * The files of a private answer that Discord will take (at most 10, each within `maxBytes`), as
 * discord.js attachments, and the answer with a line naming those left out and what to do.
 */
export function fitFiles(
  message: ReplyMessage,
  maxBytes: number,
  locale: Locale,
): { message: ReplyMessage; files: AttachmentBuilder[]; leftOut: Attachment[] } {
  const all = message.files ?? [];
  const sent = all.filter((f) => f.data.byteLength <= maxBytes).slice(0, DISCORD_FILE_LIMITS.files);
  const leftOut = all.filter((f) => !sent.includes(f));
  const files = sent.map(
    (f) =>
      new AttachmentBuilder(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), {
        name: f.name,
        ...(f.description ? { description: [...f.description].slice(0, DISCORD_FILE_LIMITS.description).join('') } : {}),
      }),
  );
  if (leftOut.length === 0) return { message, files, leftOut };
  const note = leftOutText(
    leftOut.map((f) => f.name),
    maxBytes,
  )(locale);
  return { message: { ...message, blocks: [...message.blocks, { kind: 'text', text: note, tone: 'error' }] }, files, leftOut };
}

function leftOutText(names: string[], maxBytes: number) {
  const list = names.join(', ');
  const mb = (locale: Locale) => formatNumber(locale, maxBytes / (1024 * 1024), 1);
  return text(
    `Không gửi kèm được ${list}: trên máy chủ Discord này mỗi tệp tối đa ${mb('vi')} MB và mỗi tin tối đa ${DISCORD_FILE_LIMITS.files} tệp. Lần sau hãy thu hẹp yêu cầu, ví dụ chia danh sách thành nhiều tệp nhỏ hơn.`,
    `${list} could not be attached: on this Discord server a file may be at most ${mb('en')} MB, and a message may carry ${DISCORD_FILE_LIMITS.files} files. Next time, narrow the request, e.g. split the list into smaller files.`,
  );
}
