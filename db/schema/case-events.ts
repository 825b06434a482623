import { bigserial, date, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { caseEventKind } from './enums.ts';
import { cases } from './cases.ts';
import { members } from './members.ts';

/**
 * Append-only history of every change to a case. The database refuses UPDATE, DELETE and
 * TRUNCATE on it (trigger in the audit migration).
 */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'restrict' }),
    kind: caseEventKind('kind').notNull(),
    actorMemberId: integer('actor_member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** Who acted when no member did: `import`, `cli`, `seed`. */
    actorLabel: text('actor_label'),
    /** The day the thing happened (an outcome date, say), when that differs from recording. */
    occurredOn: date('occurred_on', { mode: 'string' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** What changed: `{ field: [before, after] }`, or the note's text. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.recordedAt), index('case_events_recorded_idx').on(t.recordedAt)],
);
