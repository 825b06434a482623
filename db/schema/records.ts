import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { platform, platformCheck } from './enums.ts';
import { cases } from './cases.ts';
import { followUps } from './follow-ups.ts';
import { members } from './members.ts';
import { units } from './units.ts';

/** Raw bytes (`bytea`): postgres.js and PGlite both hand them back as a Uint8Array (a Buffer). */
export const bytes = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

/**
 * A subject's photo: a bounded copy re-encoded without its metadata (no location, no camera) and a
 * thumbnail, kept in the database so there is no file store to run or back up apart. Never changed
 * but to retire it, with a reason; a case shows its active photos newest first.
 */
export const casePhotos = pgTable(
  'case_photos',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    /** What `image` and `thumbnail` are encoded as, e.g. `image/jpeg`. */
    contentType: text('content_type').notNull(),
    image: bytes('image').notNull(),
    thumbnail: bytes('thumbnail').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    /** The upload as it came: its size and its SHA-256, so the same file twice is seen, not stored twice. */
    originalBytes: integer('original_bytes').notNull(),
    originalSha256: text('original_sha256').notNull(),
    caption: text('caption'),
    addedByMemberId: integer('added_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    addedAt: timestamp('added_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true, precision: 3 }),
    retiredByMemberId: integer('retired_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    retireReason: text('retire_reason'),
  },
  (t) => [
    index('case_photos_case_idx').on(t.caseId, t.addedAt),
    check('case_photos_retired_consistent', sql`(${t.retiredAt} is null) = (${t.retireReason} is null)`),
  ],
);

export const CASE_DETAIL_KINDS = ['marks', 'history'] as const;
export type CaseDetailKind = (typeof CASE_DETAIL_KINDS)[number];

/**
 * Identifying marks (`marks`) and criminal history (`history`) as entries, each with its source and
 * day, and who added it when: what the records department reviews as added since a case's last
 * validation. The case's `identifying_marks` and `criminal_history` hold the latest entry's text, what
 * the digest's completeness counts read. Append-only.
 */
export const caseDetails = pgTable(
  'case_details',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    kind: text('kind').$type<CaseDetailKind>().notNull(),
    text: text('text').notNull(),
    /** Where it comes from: a judgment's number, a file, a check. */
    source: text('source'),
    /** The day of the source (a judgment's date), when known. */
    notedOn: date('noted_on', { mode: 'string' }),
    addedByMemberId: integer('added_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** Who added it when no member did: `import`, `migration`. */
    addedByLabel: text('added_by_label'),
    addedAt: timestamp('added_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('case_details_case_idx').on(t.caseId, t.kind, t.addedAt),
    check('case_details_kind', sql`${t.kind} in ('marks', 'history')`),
  ],
);

/**
 * A review of a wanted record by its owning unit against its documents (NCIC's validation): who,
 * when, and whether the record was found complete. The case's `validated_at` holds the latest, for
 * the list of records due. Append-only.
 */
export const caseValidations = pgTable(
  'case_validations',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    /** The unit that owned the case when it was reviewed. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    validatedAt: timestamp('validated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    complete: boolean('complete').notNull(),
    note: text('note'),
  },
  (t) => [index('case_validations_case_idx').on(t.caseId, t.validatedAt), index('case_validations_at_idx').on(t.validatedAt)],
);

/**
 * An inspection of how a unit keeps its records: a lead opens it on a sample of the unit's wanted
 * records (all, or `sample_size` drawn reproducibly from `seed`), marks each record's findings, and
 * closes it; the summary is posted where it was opened and each finding becomes a follow-up.
 */
export const inspections = pgTable(
  'inspections',
  {
    id: serial('id').primaryKey(),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    openedByMemberId: integer('opened_by_member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'restrict' }),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** How many records were asked for; null for all the unit's wanted records. */
    sampleSize: integer('sample_size'),
    /** What drew the sample: the same seed over the same records draws the same sample. */
    seed: text('seed').notNull(),
    /** Where it was opened: its summary is posted there when it closes. */
    platform: platform('platform').notNull(),
    channelId: text('channel_id').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    closedByMemberId: integer('closed_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** The counts posted at closing, as posted. */
    summary: jsonb('summary').$type<Record<string, unknown>>(),
  },
  (t) => [
    check('inspections_platform_name', platformCheck(t.platform)),
    check('inspections_sample_positive', sql`${t.sampleSize} is null or ${t.sampleSize} > 0`),
    check('inspections_closed_consistent', sql`(${t.closedAt} is null) = (${t.closedByMemberId} is null)`),
    index('inspections_unit_opened_idx').on(t.unitId, t.openedAt),
    index('inspections_closed_idx').on(t.closedAt),
  ],
);

/**
 * A record in an inspection's sample: its completeness when drawn, and the inspector's finding
 * (`ok`, or a `finding` that becomes a follow-up for the inspected unit when the inspection closes).
 */
export const inspectionRecords = pgTable(
  'inspection_records',
  {
    inspectionId: integer('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'restrict' }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    /** Its place in the sample, from 1: what the inspector refers to besides the case code. */
    position: integer('position').notNull(),
    hasPhoto: boolean('has_photo').notNull(),
    hasMarks: boolean('has_marks').notNull(),
    hasHistory: boolean('has_history').notNull(),
    /** The latest validation when drawn, or null if never. */
    validatedAt: timestamp('validated_at', { withTimezone: true, precision: 3 }),
    /** `ok`, `finding`, or null while not yet marked. */
    result: text('result'),
    finding: text('finding'),
    markedByMemberId: integer('marked_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    markedAt: timestamp('marked_at', { withTimezone: true, precision: 3 }),
    followUpId: integer('follow_up_id').references(() => followUps.id, { onDelete: 'restrict' }),
  },
  (t) => [
    primaryKey({ columns: [t.inspectionId, t.caseId] }),
    index('inspection_records_follow_up_idx').on(t.followUpId),
    check(
      'inspection_records_result',
      sql`(${t.result} is null or ${t.result} in ('ok', 'finding')) and ((${t.result} = 'finding') = (${t.finding} is not null)) and ((${t.result} is null) = (${t.markedAt} is null))`,
    ),
  ],
);
