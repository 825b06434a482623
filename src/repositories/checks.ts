import { and, asc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import {
  cases,
  checks,
  hitRequests,
  unitChannels,
  units,
  type CheckedPerson,
  type Danger,
  type HitPriority,
  type HitStatus,
  type Locale,
  type Platform,
} from '../../db/schema/index.ts';
import type { WantedCase } from '../domain/check-match.ts';

export type CheckRow = typeof checks.$inferSelect;
export type HitRequestRow = typeof hitRequests.$inferSelect;

/** The next `limit` wanted cases after `afterId`, by id: a check reads the whole list in such pages. */
export async function wantedCasesAfter(db: Executor, input: { afterId: number; limit: number }): Promise<WantedCase[]> {
  const rows = await db
    .select({
      id: cases.id,
      code: cases.code,
      fullName: cases.fullName,
      aliases: cases.aliases,
      birthYear: cases.birthYear,
      birthDate: cases.birthDate,
      nationalId: cases.nationalId,
      hometown: cases.hometown,
      unitId: cases.unitId,
      danger: cases.danger,
    })
    .from(cases)
    .where(and(eq(cases.status, 'wanted'), gt(cases.id, input.afterId)))
    .orderBy(asc(cases.id))
    .limit(input.limit);
  return rows;
}

export async function insertCheck(db: Executor, input: typeof checks.$inferInsert): Promise<CheckRow> {
  const [row] = await db.insert(checks).values(input).returning();
  return row!;
}

export async function insertHitRequests(db: Executor, rows: Array<typeof hitRequests.$inferInsert>): Promise<HitRequestRow[]> {
  if (rows.length === 0) return [];
  const inserted: HitRequestRow[] = [];
  // A few hundred rows a statement keeps each within the parameter limit.
  for (let i = 0; i < rows.length; i += 500)
    inserted.push(
      ...(await db
        .insert(hitRequests)
        .values(rows.slice(i, i + 500))
        .returning()),
    );
  return inserted;
}

/** Where each unit is asked to confirm hits: its own channels, else its nearest ancestor's, by platform. */
export async function channelsForUnits(
  db: Executor,
  input: { unitIds: number[] },
): Promise<Array<{ unitId: number; platform: Platform; channelId: string; locale: Locale }>> {
  if (input.unitIds.length === 0) return [];
  return queryRows(
    db,
    sql`with recursive up(start_id, id, depth) as (
          select u.id, u.id, 0 from ${units} u where u.id in ${sql`(${sql.join(
            input.unitIds.map((id) => sql`${id}`),
            sql`, `,
          )})`}
          union all
          select up.start_id, u.parent_id, up.depth + 1 from up join ${units} u on u.id = up.id where u.parent_id is not null
        )
        select distinct on (up.start_id, c.platform) up.start_id as "unitId", c.platform, c.channel_id as "channelId", c.locale
          from up join ${unitChannels} c on c.unit_id = up.id
          order by up.start_id, c.platform, up.depth`,
  );
}

/** The leads of each unit and their chat accounts, to be told of hits directly. */
export async function leadAccountsOfUnits(
  db: Executor,
  input: { unitIds: number[] },
): Promise<Array<{ unitId: number; memberId: number; platform: Platform; userId: string; locale: Locale | null }>> {
  if (input.unitIds.length === 0) return [];
  return queryRows(
    db,
    sql`select m.unit_id as "unitId", m.id as "memberId", i.platform, i.user_id as "userId", m.locale
          from members m join member_identities i on i.member_id = m.id
          where m.role = 'lead' and m.disabled_at is null and m.unit_id in ${sql`(${sql.join(
            input.unitIds.map((id) => sql`${id}`),
            sql`, `,
          )})`} and i.platform <> 'console'
          order by m.unit_id, m.id, i.platform`,
  );
}

export async function setUnitChannel(
  db: Executor,
  input: { unitId: number; platform: Platform; channelId: string; locale: Locale },
): Promise<void> {
  await db
    .insert(unitChannels)
    .values(input)
    .onConflictDoUpdate({
      target: [unitChannels.unitId, unitChannels.platform],
      set: { channelId: input.channelId, locale: input.locale },
    });
}

/** A hit request with what its answer and messages need: the case's code and unit, the check's asker. */
export interface HitRequestView extends HitRequestRow {
  caseCode: string;
  caseName: string;
  caseBirthYear: number | null;
  danger: Danger;
  caseStatus: string;
  unitCode: string;
  check: Pick<CheckRow, 'memberId' | 'platform' | 'workspaceId' | 'userId' | 'locale' | 'fileName'>;
}

const viewColumns = {
  request: hitRequests,
  caseCode: cases.code,
  caseName: cases.fullName,
  caseBirthYear: cases.birthYear,
  danger: cases.danger,
  caseStatus: cases.status,
  unitCode: units.code,
  check: {
    memberId: checks.memberId,
    platform: checks.platform,
    workspaceId: checks.workspaceId,
    userId: checks.userId,
    locale: checks.locale,
    fileName: checks.fileName,
  },
};

const toView = ({ request, ...rest }: { request: HitRequestRow } & Omit<HitRequestView, keyof HitRequestRow>): HitRequestView => ({
  ...request,
  ...rest,
});

/** Hit requests with their case, owning unit and check, to be narrowed by the caller. */
const selectViews = (db: Executor) =>
  db
    .select(viewColumns)
    .from(hitRequests)
    .innerJoin(cases, eq(cases.id, hitRequests.caseId))
    .innerJoin(units, eq(units.id, hitRequests.unitId))
    .innerJoin(checks, eq(checks.id, hitRequests.checkId));

/** One hit request, locked for its answer. */
export async function findHitRequestForUpdate(db: Executor, input: { id: number }): Promise<HitRequestView | undefined> {
  const rows = await selectViews(db).where(eq(hitRequests.id, input.id)).for('update', { of: hitRequests });
  return rows[0] && toView(rows[0]);
}

/** Open requests whose time ran out, locked; another instance skips them. */
export async function dueHitRequests(db: Executor, input: { now: Date; limit: number }): Promise<HitRequestView[]> {
  const rows = await selectViews(db)
    .where(and(eq(hitRequests.status, 'open'), lte(hitRequests.dueAt, input.now), sql`${hitRequests.stage} < 3`))
    .orderBy(asc(hitRequests.dueAt), asc(hitRequests.id))
    .limit(input.limit)
    .for('update', { of: hitRequests, skipLocked: true });
  return rows.map(toView);
}

export async function updateHitRequest(
  db: Executor,
  input: {
    id: number;
    set: Partial<Pick<HitRequestRow, 'status' | 'stage' | 'dueAt' | 'answeredAt' | 'answeredByMemberId' | 'answerNote' | 'waits'>>;
  },
): Promise<void> {
  await db.update(hitRequests).set(input.set).where(eq(hitRequests.id, input.id));
}

/** Hit requests of some units or of one checker, newest first. */
export async function listHitRequests(
  db: Executor,
  input: { unitIds: number[]; checkerMemberId: number; status?: HitStatus | undefined; limit: number },
): Promise<HitRequestView[]> {
  const rows = await selectViews(db)
    .where(
      and(
        sql`(${inArray(hitRequests.unitId, input.unitIds.length ? input.unitIds : [-1])} or ${checks.memberId} = ${input.checkerMemberId})`,
        input.status ? eq(hitRequests.status, input.status) : undefined,
      ),
    )
    .orderBy(sql`${hitRequests.id} desc`)
    .limit(input.limit);
  return rows.map(toView);
}

export type { CheckedPerson, HitPriority, HitStatus };
