import { and, asc, eq } from 'drizzle-orm';
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
