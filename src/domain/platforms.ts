import { PLATFORMS, type Platform } from '../../db/schema/enums.ts';

/** The platforms people chat on: every platform but the local console. */
export type ChatPlatform = Exclude<Platform, 'console'>;

/** The chat platforms, in the order casedesk names them: members link accounts there, digests go there. */
export const CHAT_PLATFORMS = PLATFORMS.filter((p): p is ChatPlatform => p !== 'console');

/** `a or b`, `a, b or c`: platforms (or forms naming them) as a choice, `or` in the reader's language. */
export function choiceOf(items: readonly string[], or: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${or} ${items.at(-1)!}`;
}
