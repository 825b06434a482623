import type { MemberRole } from '../../db/schema/index.ts';

const RANK: Record<MemberRole, number> = { viewer: 0, officer: 1, lead: 2, admin: 3 };

/** Whether `role` is `required` or above: viewer < officer < lead < admin. */
export function hasRole(role: MemberRole, required: MemberRole): boolean {
  return RANK[role] >= RANK[required];
}
