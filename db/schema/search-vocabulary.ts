import { pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Every distinct word (syllable) of every case's search key: a few thousand rows, against which a
 * mistyped query word is matched by edit distance before the case index is consulted. Kept by
 * statement triggers on `cases` (migration 0005); stale words are harmless.
 */
export const searchVocabulary = pgTable('search_vocabulary', {
  token: text('token').primaryKey(),
});
