import { and, asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { digestSchedules, units, type Locale, type Platform } from '../../db/schema/index.ts';

export type DigestSchedule = typeof digestSchedules.$inferSelect;

/** A schedule with the code of the unit it reports on (null: every unit). */
export interface DigestScheduleRow extends DigestSchedule {
  unitCode: string | null;
}

/** A schedule to store: where it posts, what it covers, in which language, and who added it. */
export interface NewSchedule {
  cron: string;
  timeZone: string;
  platform: Platform;
  channel: string;
  unitId: number | null;
  period: string;
  locale: Locale;
  createdByMemberId: number | null;
  kind: string;
}

export async function insertSchedule(db: Executor, input: NewSchedule): Promise<DigestSchedule> {
  const [row] = await db
    .insert(digestSchedules)
    .values({
      cron: input.cron,
      timeZone: input.timeZone,
      targetPlatform: input.platform,
      targetChannel: input.channel,
      unitId: input.unitId,
      period: input.period,
      locale: input.locale,
      createdByMemberId: input.createdByMemberId,
      kind: input.kind,
    })
    .returning();
  return row!;
}

/**
 * The schedules, by id, each with its unit's code. `withinUnits` keeps those whose unit is one of
 * these; `id` keeps that one schedule.
 */
export async function selectSchedules(
  db: Executor,
  input: { enabledOnly?: boolean; withinUnits?: number[]; id?: number } = {},
): Promise<DigestScheduleRow[]> {
  return db
    .select({ ...getTableColumns(digestSchedules), unitCode: units.code })
    .from(digestSchedules)
    .leftJoin(units, eq(units.id, digestSchedules.unitId))
    .where(
      and(
        input.enabledOnly ? eq(digestSchedules.enabled, true) : undefined,
        input.id === undefined ? undefined : eq(digestSchedules.id, input.id),
        withinUnits(input.withinUnits),
      ),
    )
    .orderBy(asc(digestSchedules.id));
}

/** Deletes a schedule (its run ledger goes with it). False when there was none with that id within `withinUnits`. */
export async function deleteSchedule(db: Executor, input: { id: number; withinUnits?: number[] }): Promise<boolean> {
  const rows = await db
    .delete(digestSchedules)
    .where(and(eq(digestSchedules.id, input.id), withinUnits(input.withinUnits)))
    .returning({ id: digestSchedules.id });
  return rows.length === 1;
}

const withinUnits = (unitIds: number[] | undefined) =>
  unitIds === undefined ? undefined : inArray(digestSchedules.unitId, unitIds.length ? unitIds : [-1]);
