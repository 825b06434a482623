import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { caseDecisions, members } from '../../db/schema/index.ts';

export type DecisionRow = typeof caseDecisions.$inferSelect;
export type DecisionInput = Omit<typeof caseDecisions.$inferInsert, 'id' | 'recordedAt'>;

/** A document no other corrects. */
const notSuperseded = sql`not exists (select 1 from ${caseDecisions} s where s.supersedes_id = ${caseDecisions.id})`;

/**
 * Records decisions; one already recorded (same case, kind, day and number) is left as it is.
 * Returns how many were new. The database journals each new one for the figures.
 */
export async function insertDecisions(db: Executor, rows: DecisionInput[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db.insert(caseDecisions).values(rows).onConflictDoNothing().returning({ id: caseDecisions.id });
  return inserted.length;
}

/**
 * A case's current decisions (none that another corrects), oldest first, each with who recorded it
 * (a handle, or the label of an import).
 */
export async function decisionsOfCase(db: Executor, input: { caseId: number }): Promise<Array<DecisionRow & { recordedBy: string }>> {
  return db
    .select({
      id: caseDecisions.id,
      caseId: caseDecisions.caseId,
      kind: caseDecisions.kind,
      number: caseDecisions.number,
      decidedOn: caseDecisions.decidedOn,
      authority: caseDecisions.authority,
      supersedesId: caseDecisions.supersedesId,
      actorMemberId: caseDecisions.actorMemberId,
      actorLabel: caseDecisions.actorLabel,
      recordedAt: caseDecisions.recordedAt,
      recordedBy: sql<string>`coalesce((select handle from ${members} where id = ${caseDecisions.actorMemberId}), ${caseDecisions.actorLabel}, '-')`,
    })
    .from(caseDecisions)
    .where(and(eq(caseDecisions.caseId, input.caseId), notSuperseded))
    .orderBy(asc(caseDecisions.decidedOn), asc(caseDecisions.id));
}

/**
 * The decisions of many cases at once (an import compares them with its file), each saying whether
 * it still counts: `current` is false for a document another one supersedes. The caller chunks the
 * ids.
 */
export async function decisionsOfCases(db: Executor, input: { caseIds: number[] }): Promise<Array<DecisionRow & { current: boolean }>> {
  if (input.caseIds.length === 0) return [];
  // At most one document supersedes another (a unique key), so the join keeps one row each.
  const later = alias(caseDecisions, 'later');
  return db
    .select({ ...getTableColumns(caseDecisions), current: sql<boolean>`${later.id} is null` })
    .from(caseDecisions)
    .leftJoin(later, eq(later.supersedesId, caseDecisions.id))
    .where(inArray(caseDecisions.caseId, input.caseIds))
    .orderBy(asc(caseDecisions.caseId), asc(caseDecisions.decidedOn), asc(caseDecisions.id));
}
