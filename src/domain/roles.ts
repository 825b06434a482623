import type { MemberRole } from '../../db/schema/index.ts';

/** The roles a member may be given: the ranks, and `auditor`, who reads the audit log and nothing of the cases. */
export const MEMBER_ROLES = ['viewer', 'officer', 'lead', 'admin', 'auditor'] as const satisfies readonly MemberRole[];

type RankedRole = Exclude<MemberRole, 'auditor'>;
const RANK: Record<RankedRole, number> = { viewer: 0, officer: 1, lead: 2, admin: 3 };

/**
 * Whether `role` may do what needs `required`. The ranks: viewer < officer < lead < admin.
 * `auditor` stands outside them: it reads the audit log and nothing of the cases, so it meets no
 * ranked requirement, and a command that requires `auditor` (the audit review) is open to
 * auditors and admins.
 */
export function hasRole(role: MemberRole, required: MemberRole): boolean {
  if (required === 'auditor') return role === 'auditor' || role === 'admin';
  if (role === 'auditor') return false;
  return RANK[role] >= RANK[required];
}
