import { asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { queryRows, type Executor } from '../../db/client.ts';
import { units } from '../../db/schema/index.ts';

export type Unit = typeof units.$inferSelect;

export async function insertUnit(db: Executor, input: { code: string; name: string; parentId: number | null }): Promise<Unit> {
  const [row] = await db.insert(units).values(input).returning();
  return row!;
}

export async function findUnitByCode(db: Executor, code: string): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.code, code)).limit(1);
  return row;
}

export async function findUnitById(db: Executor, id: number): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id)).limit(1);
  return row;
}

/** The first root unit created (no parent), if any. */
export async function findOldestRootUnit(db: Executor): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(isNull(units.parentId)).orderBy(asc(units.id)).limit(1);
  return row;
}

/** Gives a unit another code and name, keeping its id (its members, cases and schedules stay with it). */
export async function renameUnit(db: Executor, input: { id: number; code: string; name: string }): Promise<void> {
  await db.update(units).set({ code: input.code, name: input.name }).where(eq(units.id, input.id));
}

/** The units with these ids (a member's scope), in no particular order. */
export async function findUnitsByIds(db: Executor, input: { ids: number[] }): Promise<Array<Pick<Unit, 'id' | 'code' | 'name'>>> {
  if (input.ids.length === 0) return [];
  return db.select({ id: units.id, code: units.code, name: units.name }).from(units).where(inArray(units.id, input.ids));
}

export interface UnitListRow extends Unit {
  parentCode: string | null;
}

export async function listUnits(db: Executor): Promise<UnitListRow[]> {
  const parent = alias(units, 'parent');
  const rows = await db
    .select({ unit: units, parentCode: parent.code })
    .from(units)
    .leftJoin(parent, eq(parent.id, units.parentId))
    .orderBy(asc(units.code));
  return rows.map((r) => ({ ...r.unit, parentCode: r.parentCode }));
}

/** The ids of a unit and all its descendants: a member's scope. */
export async function unitSubtreeIds(db: Executor, unitId: number): Promise<number[]> {
  const rows = await queryRows<{ id: number }>(
    db,
    sql`with recursive tree(id) as (
          select ${unitId}::int
          union all
          select u.id from ${units} u join tree on u.parent_id = tree.id
        ) select id from tree`,
  );
  return rows.map((r) => Number(r.id));
}

export interface UnitTreeRow {
  id: number;
  parentId: number | null;
  code: string;
  name: string;
}

/** Every unit with its parent: the whole tree, small enough to walk in memory. */
export async function unitTree(db: Executor): Promise<UnitTreeRow[]> {
  return db.select({ id: units.id, parentId: units.parentId, code: units.code, name: units.name }).from(units).orderBy(units.id);
}

/** How many units there are: whether a scope covers every one. */
export async function countUnits(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(units);
  return row?.n ?? 0;
}
