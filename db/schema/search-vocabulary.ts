import { integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Every distinct word (syllable) of every case's search key: a few thousand rows, against which a
 * mistyped query word is matched by edit distance before the case index is consulted. Kept by
 * statement triggers on `cases` (migrations 0005 and 0009); stale words are harmless.
 */
export const searchVocabulary = pgTable('search_vocabulary', {
  token: text('token').primaryKey(),
  /**
   * How many cases have the word: the search drives its index lookup by the rarest query word.
   * Kept by the same triggers; an estimate only in that nothing depends on it being exact.
   */
  caseCount: integer('case_count').notNull().default(0),
});
