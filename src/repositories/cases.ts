import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseEvents, cases, type CaseEventKind } from '../../db/schema/index.ts';

export type CaseRow = typeof cases.$inferSelect;
/** The columns a writer sets; ids, version, search key and timestamps are the database's. */
export type CaseFields = Omit<typeof cases.$inferInsert, 'id' | 'version' | 'searchKey' | 'createdAt' | 'updatedAt'>;
export type CaseEventInput = Omit<typeof caseEvents.$inferInsert, 'id' | 'recordedAt'>;

export async function findCaseByCode(db: Executor, code: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.code, code)).limit(1);
  return row;
}

export async function findCasesByCodes(db: Executor, codes: string[]): Promise<CaseRow[]> {
  if (codes.length === 0) return [];
  return db.select().from(cases).where(inArray(cases.code, codes));
}

export async function insertCases(db: Executor, rows: CaseFields[]): Promise<Array<{ id: number; code: string }>> {
  if (rows.length === 0) return [];
  return db.insert(cases).values(rows).returning({ id: cases.id, code: cases.code });
}

/**
 * Optimistic update: applies `changes` only if the case is still at `expectedVersion`, and bumps
 * the version. Returns the updated row, or undefined when someone else changed it meanwhile.
 */
export async function updateCaseAtVersion(
  db: Executor,
  input: { id: number; expectedVersion: number; changes: Partial<CaseFields> },
): Promise<CaseRow | undefined> {
  const [row] = await db
    .update(cases)
    .set({ ...input.changes, version: sql`${cases.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(cases.id, input.id), eq(cases.version, input.expectedVersion)))
    .returning();
  return row;
}

export async function insertCaseEvents(db: Executor, events: CaseEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db.insert(caseEvents).values(events);
}

export async function listCaseEvents(
  db: Executor,
  caseId: number,
  options: { kinds?: CaseEventKind[]; limit?: number } = {},
): Promise<Array<typeof caseEvents.$inferSelect>> {
  const where = options.kinds?.length
    ? and(eq(caseEvents.caseId, caseId), inArray(caseEvents.kind, options.kinds))
    : eq(caseEvents.caseId, caseId);
  return db
    .select()
    .from(caseEvents)
    .where(where)
    .orderBy(sql`${caseEvents.recordedAt} desc, ${caseEvents.id} desc`)
    .limit(options.limit ?? 50);
}
