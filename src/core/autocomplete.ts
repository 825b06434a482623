import type { Executor } from '../../db/client.ts';
import type { Locale } from '../../db/schema/index.ts';
import type { Scope } from '../domain/scope.ts';
import { cleanText, findControlCharacter } from '../domain/text.ts';
import type { Member } from '../repositories/members.ts';

/** One choice offered while the user types an option. */
export interface Suggestion {
  label: string;
  value: string;
}

/** What an option's `suggest` receives: the member, their scope, and what they typed so far. */
export interface SuggestContext {
  db: Executor;
  member: Member;
  scope: Scope;
  locale: Locale;
  /** What the user typed, cleaned and at most 100 characters; at least 2. */
  partial: string;
}

export type Suggester = (ctx: SuggestContext) => Promise<Suggestion[]>;

/** The most suggestions a platform shows (Discord's limit). */
export const MAX_SUGGESTIONS = 25;

/**
 * What the user typed, fit to suggest from; undefined when too short to be worth a query, or when
 * it holds a control character, which a command would refuse (and a NUL cannot be queried).
 */
export function suggestionInput(partial: string): string | undefined {
  if (findControlCharacter(partial)) return undefined;
  const cleaned = cleanText(partial).slice(0, 100);
  return cleaned.length < 2 ? undefined : cleaned;
}

/** Labels within the platforms' limit of 100 characters, and no more than {@link MAX_SUGGESTIONS}. */
export const fitSuggestions = (suggestions: Suggestion[]): Suggestion[] =>
  suggestions.slice(0, MAX_SUGGESTIONS).map((s) => ({ label: s.label.slice(0, 100), value: s.value }));
