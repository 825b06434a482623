import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { memberIdentities, members, units, type Locale, type MemberRole, type Platform } from '../../db/schema/index.ts';

export type Member = typeof members.$inferSelect;
export type MemberIdentity = typeof memberIdentities.$inferSelect;

export async function insertMember(
  db: Executor,
  input: { handle: string; displayName: string; role: MemberRole; unitId: number; locale: Locale | null },
): Promise<Member> {
  const [row] = await db.insert(members).values(input).returning();
  return row!;
}

/** The handle of the member with this id, if there is one. */
export async function findMemberHandle(db: Executor, input: { id: number }): Promise<string | undefined> {
  const [row] = await db.select({ handle: members.handle }).from(members).where(eq(members.id, input.id)).limit(1);
  return row?.handle;
}

export async function findMemberByHandle(db: Executor, handle: string): Promise<Member | undefined> {
  const [row] = await db.select().from(members).where(eq(members.handle, handle)).limit(1);
  return row;
}

export async function findMemberByIdentity(
  db: Executor,
  identity: { platform: Platform; workspaceId: string; userId: string },
): Promise<Member | undefined> {
  const [row] = await db
    .select({ member: members })
    .from(memberIdentities)
    .innerJoin(members, eq(members.id, memberIdentities.memberId))
    .where(
      and(
        eq(memberIdentities.platform, identity.platform),
        eq(memberIdentities.workspaceId, identity.workspaceId),
        eq(memberIdentities.userId, identity.userId),
      ),
    )
    .limit(1);
  return row?.member;
}

/** Links a chat account to a member. Returns undefined when that account is already linked. */
export async function insertIdentity(
  db: Executor,
  input: { memberId: number; platform: Platform; workspaceId: string; userId: string },
): Promise<MemberIdentity | undefined> {
  const [row] = await db.insert(memberIdentities).values(input).onConflictDoNothing().returning();
  return row;
}

export interface MemberListRow extends Member {
  unitCode: string;
  identities: Array<{ platform: Platform; workspaceId: string; userId: string }>;
}

export async function listMembers(db: Executor): Promise<MemberListRow[]> {
  const rows = await db
    .select({ member: members, unitCode: units.code })
    .from(members)
    .innerJoin(units, eq(units.id, members.unitId))
    .orderBy(asc(members.handle));
  const identities = await db.select().from(memberIdentities).orderBy(asc(memberIdentities.id));
  return rows.map((r) => ({
    ...r.member,
    unitCode: r.unitCode,
    identities: identities
      .filter((i) => i.memberId === r.member.id)
      .map(({ platform, workspaceId, userId }) => ({ platform, workspaceId, userId })),
  }));
}

/** An arbitrary constant: the advisory lock that makes changes to members take turns. */
const MEMBER_CHANGES_LOCK = 7_291_046_332;

/**
 * Makes this transaction's member changes wait for any other's to commit. Changes are rare, and
 * one after the other, two admins disabling each other at once cannot both pass the "not the last
 * admin" check.
 */
export async function serializeMemberChanges(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${MEMBER_CHANGES_LOCK})`);
}

/** A member as a lifecycle change sees them: with their unit's code and whether that unit is a root. */
export interface MemberForChange extends Member {
  unitCode: string;
  unitIsRoot: boolean;
}

export async function findMemberForChange(db: Executor, handle: string): Promise<MemberForChange | undefined> {
  const [row] = await db
    .select({ member: members, unitCode: units.code, unitParentId: units.parentId })
    .from(members)
    .innerJoin(units, eq(units.id, members.unitId))
    .where(eq(members.handle, handle))
    .limit(1);
  return row && { ...row.member, unitCode: row.unitCode, unitIsRoot: row.unitParentId === null };
}

/** The ids of the unit's admins who are not disabled. */
export async function findActiveAdminIds(db: Executor, input: { unitId: number }): Promise<number[]> {
  const rows = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.unitId, input.unitId), eq(members.role, 'admin'), isNull(members.disabledAt)));
  return rows.map((r) => r.id);
}

/** Changes a member's role, unit or disabled time; the others are left as they are. */
export async function updateMember(
  db: Executor,
  input: { id: number; role?: MemberRole; unitId?: number; disabledAt?: Date | null },
): Promise<Member> {
  const { id, ...patch } = input;
  const [row] = await db.update(members).set(patch).where(eq(members.id, id)).returning();
  return row!;
}

/** The chat accounts linked to a member, oldest first. */
export async function findIdentitiesOfMember(db: Executor, input: { memberId: number }): Promise<MemberIdentity[]> {
  return db.select().from(memberIdentities).where(eq(memberIdentities.memberId, input.memberId)).orderBy(asc(memberIdentities.id));
}

/**
 * Unlinks a member's chat accounts on one platform: the one named by workspace and user, or all of
 * them when those are not given. Returns what was unlinked.
 */
export async function deleteIdentities(
  db: Executor,
  input: { memberId: number; platform: Platform; workspaceId?: string | undefined; userId?: string | undefined },
): Promise<MemberIdentity[]> {
  return db
    .delete(memberIdentities)
    .where(
      and(
        eq(memberIdentities.memberId, input.memberId),
        eq(memberIdentities.platform, input.platform),
        input.workspaceId === undefined ? undefined : eq(memberIdentities.workspaceId, input.workspaceId),
        input.userId === undefined ? undefined : eq(memberIdentities.userId, input.userId),
      ),
    )
    .returning();
}
