import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { danger } from './enums.ts';
import { cases } from './cases.ts';
import { units } from './units.ts';

/**
 * What the figures count, as a journal of signed, dated entries:
 * - `wanted`: +1 on the day a subject became wanted, −1 on the day the outcome ended it, so that
 *   the subjects wanted on a day are the sum of the entries up to it;
 * - `arrested`, `surrendered`, `cleared`, `cancelled`: +1 on the day of the outcome;
 * - `wanted_decision`, `cancellation_decision`: +1 on the day a decision was issued.
 */
export const LEDGER_MEASURES = [
  'wanted',
  'arrested',
  'surrendered',
  'cleared',
  'cancelled',
  'wanted_decision',
  'cancellation_decision',
] as const;
export type LedgerMeasure = (typeof LEDGER_MEASURES)[number];

/**
 * The figures' journal (see {@link LEDGER_MEASURES}). Written only by the database's triggers on
 * `cases` and `case_decisions`, in the transaction of the change, so the figures are the same
 * whichever path a change came by (chat, import, CLI, a hand-written UPDATE). Nothing is ever
 * changed or removed: a correction is a new entry that undoes the old one (`correction`), dated
 * where the old one was, so the figures of a past period change only by entries recorded later,
 * and a report can say by how much and why. Entries carry the case's unit and danger; moving a case
 * moves its entries by a pair of corrections, so that scope is the case's current unit, as
 * everywhere else. Append-only (see the history migration).
 */
export const caseLedger = pgTable(
  'case_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    danger: danger('danger').notNull(),
    measure: text('measure').$type<LedgerMeasure>().notNull(),
    /** The day it counts on: when the thing happened, not when it was recorded. */
    day: date('day', { mode: 'string' }).notNull(),
    delta: smallint('delta').notNull(),
    /** Changes what was recorded before (a correction, a withdrawal, a move), rather than adding news. */
    correction: boolean('correction').notNull().default(false),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'case_ledger_measure',
      sql`${t.measure} in ('wanted', 'arrested', 'surrendered', 'cleared', 'cancelled', 'wanted_decision', 'cancellation_decision')`,
    ),
    check('case_ledger_delta_nonzero', sql`${t.delta} <> 0`),
    // INCLUDE (unit_id, danger, delta), added by hand in migration 0022: index-only sums.
    index('case_ledger_measure_day_idx').on(t.measure, t.day),
    index('case_ledger_case_idx').on(t.caseId),
  ],
);
