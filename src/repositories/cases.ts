import { and, asc, count, desc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { caseEvents, cases, members, units, type CaseEventKind, type CaseStatus } from '../../db/schema/index.ts';

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

/**
 * Updates many cases in one statement, each only if still at the version that was read: the
 * columns in `fields` are set from the row given, and the version bumped. Returns code → new
 * version for the rows it changed.
 */
export async function updateCasesAtVersion(
  db: Executor,
  input: { rows: Array<{ fields: CaseFields; version: number }>; fields: ReadonlyArray<keyof CaseFields> },
): Promise<Map<string, number>> {
  if (input.rows.length === 0) return new Map();
  const values = input.rows.map(({ fields, version }) => ({ ...fields, version }));
  const updated = await db
    .insert(cases)
    .values(values)
    .onConflictDoUpdate({
      target: cases.code,
      set: {
        ...Object.fromEntries(input.fields.map((f) => [f, sql.raw(`excluded.${cases[f].name}`)])),
        version: sql`${cases.version} + 1`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${cases.version} = excluded.version`,
    })
    .returning({ code: cases.code, version: cases.version });
  return new Map(updated.map((u) => [u.code, u.version]));
}

/** Fresh planner statistics for the cases table, after a large load. */
export async function analyzeCases(db: Executor): Promise<void> {
  await db.execute(sql`analyze cases`);
}

/** How many cases there are. */
export async function countCases(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(cases);
  return row?.n ?? 0;
}

/** How many cases there are of each status (statuses without a case left out). */
export async function countCasesByStatus(db: Executor): Promise<Partial<Record<CaseStatus, number>>> {
  const rows = await db.select({ status: cases.status, n: count() }).from(cases).groupBy(cases.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** The ids of the first `limit` wanted cases, by id. */
export async function wantedCaseIds(db: Executor, input: { limit: number }): Promise<number[]> {
  const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.status, 'wanted')).orderBy(cases.id).limit(input.limit);
  return rows.map((r) => r.id);
}

/** One event of a case's history, with who made it (a handle, or the label of an import or seed). */
export interface CaseEventView {
  id: number;
  kind: CaseEventKind;
  recordedAt: Date;
  occurredOn: string | null;
  actor: string;
  data: Record<string, unknown>;
}

const eventViewColumns = {
  id: caseEvents.id,
  kind: caseEvents.kind,
  recordedAt: caseEvents.recordedAt,
  occurredOn: caseEvents.occurredOn,
  actor: sql<string>`coalesce((select handle from ${members} where id = ${caseEvents.actorMemberId}), ${caseEvents.actorLabel}, '-')`,
  data: caseEvents.data,
};

/** A case's events, newest first, from the `offset`th: its latest, or a page of its whole history. */
export async function latestCaseEvents(db: Executor, input: { caseId: number; limit: number; offset?: number }): Promise<CaseEventView[]> {
  return db
    .select(eventViewColumns)
    .from(caseEvents)
    .where(eq(caseEvents.caseId, input.caseId))
    .orderBy(desc(caseEvents.recordedAt), desc(caseEvents.id))
    .limit(input.limit)
    .offset(input.offset ?? 0);
}

/**
 * A case's latest status change (an outcome, its correction or withdrawal, a reopening, an
 * import's change of status) and its latest note of its own (not a follow-up's entry): what its
 * card keeps in sight however many follow-up entries come after them.
 */
export async function keyCaseEvents(db: Executor, input: { caseId: number }): Promise<CaseEventView[]> {
  const latest = (where: SQL) =>
    db
      .select(eventViewColumns)
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, input.caseId), where))
      .orderBy(desc(caseEvents.recordedAt), desc(caseEvents.id))
      .limit(1);
  const [status] = await latest(sql`${caseEvents.data} -> 'changes' -> 'status' is not null`);
  const [note] = await latest(sql`${caseEvents.kind} = 'note' and ${caseEvents.data} -> 'followUp' is null`);
  return [status, note].filter((e): e is CaseEventView => e !== undefined);
}

/** How many events a case has. */
export async function countCaseEvents(db: Executor, input: { caseId: number }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(caseEvents).where(eq(caseEvents.caseId, input.caseId));
  return row?.n ?? 0;
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

/** A case as `casedesk export cases` writes it: its row and its unit's code. */
export type CaseExportRow = CaseRow & { unitCode: string };

/**
 * One page of the cases of some units (all units when `unitIds` is null), in code order after
 * `afterCode`: the export reads the list a page at a time.
 */
export async function casesForExport(
  db: Executor,
  input: { unitIds: number[] | null; afterCode: string | null; limit: number },
): Promise<CaseExportRow[]> {
  const where = and(
    input.unitIds === null ? undefined : inArray(cases.unitId, input.unitIds),
    input.afterCode === null ? undefined : gt(cases.code, input.afterCode),
  );
  const rows = await db
    .select({ row: cases, unitCode: units.code })
    .from(cases)
    .innerJoin(units, eq(units.id, cases.unitId))
    .where(where)
    .orderBy(asc(cases.code))
    .limit(input.limit);
  return rows.map((r) => ({ ...r.row, unitCode: r.unitCode }));
}
