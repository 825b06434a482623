import { bigint, bigserial, date, index, integer, pgTable, text, timestamp, unique, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { decisionKind } from './enums.ts';
import { cases } from './cases.ts';
import { members } from './members.ts';

/**
 * Wanted decisions (quyết định truy nã) and cancellation decisions (quyết định đình nã): documents
 * of their own, each dated, recorded apart from the outcome they may follow. A case has one wanted
 * decision per time it was wanted, and usually a cancellation after each resolution. Append-only:
 * the database refuses UPDATE and DELETE (see the history migration); a document is corrected by
 * another that supersedes it.
 */
export const caseDecisions = pgTable(
  'case_decisions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    kind: decisionKind('kind').notNull(),
    /** As written on the document, e.g. `15/QĐ-CSĐT`; unknown for some old records. */
    number: text('number'),
    /** The day the decision was issued: what the figures count it by. */
    decidedOn: date('decided_on', { mode: 'string' }).notNull(),
    /** Who issued it, e.g. `Cơ quan CSĐT Công an TP Hà Nội`. */
    authority: text('authority'),
    /**
     * The document this one corrects (a wrong date, a number that was unknown): the corrected one
     * no longer counts, and the figures show the change as a correction. Same case and kind.
     */
    supersedesId: bigint('supersedes_id', { mode: 'number' })
      .unique('case_decisions_supersedes_key')
      .references((): AnyPgColumn => caseDecisions.id, { onDelete: 'restrict' }),
    actorMemberId: integer('actor_member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** Who recorded it when no member did: `import`, `seed`, `migration`. */
    actorLabel: text('actor_label'),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // The same document recorded twice (an import run again) is one document.
    unique('case_decisions_document_key').on(t.caseId, t.kind, t.decidedOn, t.number).nullsNotDistinct(),
    index('case_decisions_case_idx').on(t.caseId, t.decidedOn),
  ],
);
