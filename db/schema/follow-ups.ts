import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { followUpStatus } from './enums.ts';
import { cases } from './cases.ts';
import { members } from './members.ts';
import { units } from './units.ts';

/**
 * A task assigned to a member or to a unit, usually about a case. `case_id` may be null for
 * directives that concern no single case (a meeting's "finish the coordination regulation").
 */
export const followUps = pgTable(
  'follow_ups',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id').references(() => cases.id, { onDelete: 'restrict' }),
    assigneeMemberId: integer('assignee_member_id').references(() => members.id, { onDelete: 'restrict' }),
    assigneeUnitId: integer('assignee_unit_id').references(() => units.id, { onDelete: 'restrict' }),
    task: text('task').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    status: followUpStatus('status').notNull().default('open'),
    createdByMemberId: integer('created_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true, precision: 3 }),
    completedByMemberId: integer('completed_by_member_id').references(() => members.id, { onDelete: 'restrict' }),
    completionNote: text('completion_note'),
  },
  (t) => [
    check('follow_ups_one_assignee', sql`(${t.assigneeMemberId} is null) <> (${t.assigneeUnitId} is null)`),
    check('follow_ups_completion_consistent', sql`(${t.status} = 'open') = (${t.completedAt} is null)`),
    index('follow_ups_case_idx').on(t.caseId),
    index('follow_ups_open_due_idx').on(t.status, t.dueOn),
    index('follow_ups_assignee_member_idx').on(t.assigneeMemberId),
    index('follow_ups_assignee_unit_idx').on(t.assigneeUnitId),
  ],
);
