import type { webApi } from '@slack/bolt';
import type { InputFile } from '../../core/invocation.ts';
import type { Logger } from '../../logger.ts';

/** How long a download may take before it counts as failed: the command waits on it. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

/**
 * A file a user chose in a form, as the command reads it. `file` is what the submission said of it
 * (its name and declared size, shown before it is read); reading asks `files.info` afresh, refuses a
 * file declared over `maxBytes` without downloading it, then fetches `url_private_download` with the
 * bot token (Slack answers anyone else with its sign-in page), streamed and cut off past `maxBytes`.
 * Anything Slack refuses or breaks off is `unreadable`, logged with Slack's reason.
 * https://docs.slack.dev/reference/methods/files.info  https://docs.slack.dev/messaging/working-with-files
 */
export function slackInputFile(
  deps: { client: webApi.WebClient; botToken: string; apiUrl: string; log: Logger },
  file: { id: string; name?: string | undefined; title?: string | undefined; size?: number | undefined },
): InputFile {
  const log = deps.log.child({ file: file.id });
  return {
    name: file.name || file.title || file.id,
    size: typeof file.size === 'number' ? file.size : null,
    async read(maxBytes) {
      let info: { size?: number; url_private_download?: string } | undefined;
      try {
        info = (await deps.client.files.info({ file: file.id })).file;
      } catch (error) {
        log.warn({ err: error }, 'slack would not tell of a file chosen in a form');
        return 'unreadable';
      }
      if (typeof info?.size === 'number' && info.size > maxBytes) return 'too_large';
      const url = info?.url_private_download;
      if (!url || !mayCarryToken(url, deps.apiUrl)) {
        log.warn({ url }, 'a file chosen in a form has no download address casedesk will send its token to');
        return 'unreadable';
      }
      return download(url, deps.botToken, maxBytes, log);
    },
  };
}

/**
 * The bot token goes only over HTTPS, or to the Web API's own origin (a local stand-in for Slack):
 * never in clear to another host.
 */
function mayCarryToken(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    return target.protocol === 'https:' || target.origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

async function download(url: string, token: string, maxBytes: number, log: Logger): Promise<Uint8Array | 'too_large' | 'unreadable'> {
  try {
    // A redirect is Slack sending the request to its sign-in page: the token was not taken.
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      log.warn({ status: response.status }, 'slack refused the download of a file chosen in a form');
      return 'unreadable';
    }
    const declared = Number(response.headers.get('content-length'));
    if (declared > maxBytes) {
      await response.body.cancel();
      return 'too_large';
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxBytes) {
        await reader.cancel();
        return 'too_large';
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  } catch (error) {
    log.warn({ err: error }, 'the download of a file chosen in a form failed');
    return 'unreadable';
  }
}
