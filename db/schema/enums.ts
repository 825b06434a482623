import { sql, type SQL } from 'drizzle-orm';
import { pgEnum, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** `auditor` stands outside the ranks: it reads the audit log and nothing of the cases. */
export const memberRole = pgEnum('member_role', ['viewer', 'officer', 'lead', 'admin', 'auditor']);
export const locale = pgEnum('locale', ['vi', 'en']);
export const danger = pgEnum('danger', ['normal', 'dangerous', 'especially_dangerous']);
export const caseStatus = pgEnum('case_status', ['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled']);
export const gender = pgEnum('gender', ['male', 'female', 'other']);
export const caseEventKind = pgEnum('case_event_kind', [
  'created',
  'updated',
  'status_changed',
  'reopened',
  'info_added',
  'note',
  'decision',
  'validated',
  'photo_retired',
]);
export const decisionKind = pgEnum('decision_kind', ['wanted', 'cancellation']);
export const followUpStatus = pgEnum('follow_up_status', ['open', 'done', 'cancelled']);
export const auditOutcome = pgEnum('audit_outcome', ['ok', 'denied', 'invalid', 'error']);

export type MemberRole = (typeof memberRole.enumValues)[number];
export type Locale = (typeof locale.enumValues)[number];
export type Danger = (typeof danger.enumValues)[number];
export type CaseStatus = (typeof caseStatus.enumValues)[number];
export type Gender = (typeof gender.enumValues)[number];
export type CaseEventKind = (typeof caseEventKind.enumValues)[number];
export type DecisionKind = (typeof decisionKind.enumValues)[number];
export type FollowUpStatus = (typeof followUpStatus.enumValues)[number];
export type AuditOutcome = (typeof auditOutcome.enumValues)[number];

/**
 * The platforms casedesk speaks on: the local console and the chat platforms of src/adapters/.
 * The database keeps a platform as text and checks only its form ({@link platformCheck}), so a new
 * platform is a name added here and needs no migration.
 */
export const PLATFORMS = ['console', 'discord', 'slack'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A platform column: text, typed as a {@link Platform}. Pair it with {@link platformCheck}. */
export const platform = (name: string) => text(name).$type<Platform>();

/** The CHECK a platform column carries: a lower-case name such as `slack`. */
export const platformCheck = (column: AnyPgColumn): SQL => sql`${column} ~ '^[a-z][a-z0-9_]*$'`;
