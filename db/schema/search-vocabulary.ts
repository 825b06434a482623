import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Every distinct term of every case's `search_terms`: the words (syllables) of the names and
 * aliases, a few thousand, against which a mistyped query word is matched by edit distance; and the
 * marked first and last words and birth years (`<nguyen`, `duc>`, `duc>3`, `y1985`), whose counts
 * tell the search which terms to ask the index for. Kept by statement triggers on `cases`
 * (migrations 0009 and 0030); stale terms are harmless.
 */
export const searchVocabulary = pgTable(
  'search_vocabulary',
  {
    token: text('token').primaryKey(),
    /**
     * How many cases have the term: the search asks the index for the rarest terms of its plans and
     * skips a plan with a term no case has. Kept by the same triggers, in the same transaction.
     */
    caseCount: integer('case_count').notNull().default(0),
  },
  // The search weighs each word against the commonest: the largest count, read from this index.
  (t) => [index('search_vocabulary_case_count_idx').on(t.caseCount)],
);
