import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, serial, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { caseStatus, danger, gender } from './enums.ts';
import { units } from './units.ts';

/**
 * Wanted subjects (đối tượng truy nã). Names are stored in Unicode NFC; `search_key` is derived
 * by the database (see the `casedesk_case_search_key` function in the first migration) so that
 * every writer, including a DBA's hand-written UPDATE, keeps it right.
 */
export const cases = pgTable(
  'cases',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    fullName: text('full_name').notNull(),
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    birthYear: smallint('birth_year'),
    birthDate: date('birth_date', { mode: 'string' }),
    gender: gender('gender'),
    nationalId: text('national_id'),
    hometown: text('hometown'),
    charges: text('charges'),
    danger: danger('danger').notNull(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    /** The day of the wanted decision that made the subject wanted this time (see `spell`). */
    wantedOn: date('wanted_on', { mode: 'string' }).notNull(),
    status: caseStatus('status').notNull().default('wanted'),
    /**
     * How many times the subject has been wanted: a new wanted decision after an outcome (an
     * escape, say) starts the next spell, whose start is `wanted_on`; the earlier outcome stays in
     * the figures of its day. Changing the status within a spell corrects it.
     */
    spell: smallint('spell').notNull().default(1),
    /** When the outcome happened, which may be long before it was recorded. */
    resolvedOn: date('resolved_on', { mode: 'string' }),
    outcomeNote: text('outcome_note'),
    hasPhoto: boolean('has_photo').notNull().default(false),
    photoNote: text('photo_note'),
    identifyingMarks: text('identifying_marks'),
    criminalHistory: text('criminal_history'),
    /** The day of its latest validation (see `case_validations`), or null if never reviewed. */
    validatedOn: date('validated_on', { mode: 'string' }),
    /** Optimistic concurrency: every change bumps it; an update names the version it read. */
    version: integer('version').notNull().default(1),
    searchKey: text('search_key')
      .notNull()
      .generatedAlwaysAs(sql`casedesk_case_search_key(full_name, aliases)`),
    /** The full name's search-key words, sorted: an exact name in any order is one lookup. */
    nameKey: text('name_key')
      .notNull()
      .generatedAlwaysAs(sql`casedesk_sorted_words(full_name)`),
    /**
     * What the search's index holds (`casedesk_search_terms`, migration 0028): the words of the name
     * and of each alias, each one's first word as `<word` and last as `word>`, and `y<birth year>`.
     */
    searchTerms: text('search_terms')
      .array()
      .notNull()
      .generatedAlwaysAs(sql`casedesk_search_terms(full_name, aliases, birth_year)`),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // The search's candidates: the cases having terms (words, first and last words, birth year).
    index('cases_search_terms_idx').using('gin', t.searchTerms),
    // Code prefixes and "did you mean" for a mistyped code. On lower(code), not code: pg_trgm
    // indexes also answer `=`, and the planner may then prefer this index to the unique b-tree
    // for code lookups, rechecking every row (all codes share trigrams such as "tn-").
    index('cases_code_lower_trgm_idx').using('gin', sql`lower(${t.code}) gin_trgm_ops`),
    index('cases_name_key_idx').on(t.nameKey, t.code),
    index('cases_national_id_idx').on(t.nationalId),
    index('cases_unit_status_idx').on(t.unitId, t.status),
    // INCLUDE (danger, unit_id), added by hand in migration 0013.
    index('cases_status_resolved_on_idx').on(t.status, t.resolvedOn),
    // The subjects wanted today per unit and danger: where the digest's "wanted on a day" starts.
    index('cases_wanted_idx')
      .on(t.unitId, t.danger)
      .where(sql`${t.status} = 'wanted'`),
    // What the records of the cases wanted today lack, and the cases recorded in a period, for the
    // digest: small indexes it counts without reading the table.
    index('cases_wanted_without_photo_idx')
      .on(t.unitId)
      .where(sql`${t.status} = 'wanted' and not ${t.hasPhoto}`),
    index('cases_wanted_without_marks_idx')
      .on(t.unitId)
      .where(sql`${t.status} = 'wanted' and coalesce(${t.identifyingMarks}, '') = ''`),
    index('cases_wanted_without_history_idx')
      .on(t.unitId)
      .where(sql`${t.status} = 'wanted' and coalesce(${t.criminalHistory}, '') = ''`),
    // The wanted records by the day their validation runs from, oldest first: the list of those due.
    index('cases_validation_due_idx')
      .on(sql`coalesce(${t.validatedOn}, ${t.wantedOn})`)
      .where(sql`${t.status} = 'wanted'`),
    index('cases_created_at_idx').on(t.createdAt),
    index('cases_wanted_on_idx').on(t.wantedOn),
    check('cases_resolution_consistent', sql`(${t.status} = 'wanted') = (${t.resolvedOn} is null)`),
    check('cases_resolved_after_wanted', sql`${t.resolvedOn} is null or ${t.resolvedOn} >= ${t.wantedOn}`),
    check('cases_birth_year_range', sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`),
    check('cases_version_positive', sql`${t.version} >= 1`),
    check('cases_spell_positive', sql`${t.spell} >= 1`),
  ],
);
