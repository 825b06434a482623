import { and, count, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseDetails, cases, members, type CaseDetailKind } from '../../db/schema/index.ts';

export type CaseDetailRow = typeof caseDetails.$inferSelect;
/** What a writer gives; the id and, unless given, the time added are the database's. */
export type CaseDetailInput = Omit<typeof caseDetails.$inferInsert, 'id'>;

/** An entry as a case's card shows it, with who added it (a handle, or the label of an import or seed). */
export interface CaseDetailView {
  id: number;
  kind: CaseDetailKind;
  text: string;
  source: string | null;
  notedOn: string | null;
  addedBy: string;
  addedAt: Date;
}

/** Writes entries; returns their ids with their case and kind, in the order given. */
export async function insertCaseDetails(
  db: Executor,
  rows: CaseDetailInput[],
): Promise<Array<{ id: number; caseId: number; kind: CaseDetailKind }>> {
  if (rows.length === 0) return [];
  return db.insert(caseDetails).values(rows).returning({ id: caseDetails.id, caseId: caseDetails.caseId, kind: caseDetails.kind });
}

/** A case's entries of both kinds, newest first. */
export async function caseDetailsOfCase(db: Executor, input: { caseId: number }): Promise<CaseDetailView[]> {
  return db
    .select({
      id: caseDetails.id,
      kind: caseDetails.kind,
      text: caseDetails.text,
      source: caseDetails.source,
      notedOn: caseDetails.notedOn,
      addedBy: sql<string>`coalesce((select handle from ${members} where id = ${caseDetails.addedByMemberId}), ${caseDetails.addedByLabel}, '-')`,
      addedAt: caseDetails.addedAt,
    })
    .from(caseDetails)
    .where(eq(caseDetails.caseId, input.caseId))
    .orderBy(desc(caseDetails.addedAt), desc(caseDetails.id));
}

/** How many entries a case has of a kind. */
export async function countCaseDetails(db: Executor, input: { caseId: number; kind: CaseDetailKind }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(caseDetails)
    .where(and(eq(caseDetails.caseId, input.caseId), eq(caseDetails.kind, input.kind)));
  return row?.n ?? 0;
}

/**
 * How many entries of each kind were added from `from` (inclusive) to `to` (exclusive, or now) to
 * the cases of each of `unitIds`, by the unit that owns each case now. Units and kinds without an
 * entry are left out.
 */
export async function countDetailsAddedByUnit(
  db: Executor,
  input: { unitIds: number[]; from: Date; to?: Date | undefined },
): Promise<Array<{ unitId: number; kind: CaseDetailKind; n: number }>> {
  if (input.unitIds.length === 0) return [];
  return db
    .select({ unitId: cases.unitId, kind: caseDetails.kind, n: count() })
    .from(caseDetails)
    .innerJoin(cases, eq(cases.id, caseDetails.caseId))
    .where(
      and(
        inArray(cases.unitId, input.unitIds),
        gte(caseDetails.addedAt, input.from),
        input.to === undefined ? undefined : lt(caseDetails.addedAt, input.to),
      ),
    )
    .groupBy(cases.unitId, caseDetails.kind)
    .orderBy(cases.unitId, caseDetails.kind);
}
