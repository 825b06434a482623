import { pgEnum } from 'drizzle-orm/pg-core';

export const memberRole = pgEnum('member_role', ['viewer', 'officer', 'lead', 'admin']);
export const locale = pgEnum('locale', ['vi', 'en']);
export const platform = pgEnum('platform', ['console', 'discord', 'slack']);
export const danger = pgEnum('danger', ['normal', 'dangerous', 'especially_dangerous']);
export const caseStatus = pgEnum('case_status', ['wanted', 'arrested', 'surrendered', 'cleared', 'cancelled']);
export const gender = pgEnum('gender', ['male', 'female', 'other']);
export const caseEventKind = pgEnum('case_event_kind', ['created', 'updated', 'status_changed', 'reopened', 'info_added', 'note']);
export const followUpStatus = pgEnum('follow_up_status', ['open', 'done', 'cancelled']);
export const auditOutcome = pgEnum('audit_outcome', ['ok', 'denied', 'invalid', 'error']);

export type MemberRole = (typeof memberRole.enumValues)[number];
export type Locale = (typeof locale.enumValues)[number];
export type Platform = (typeof platform.enumValues)[number];
export type Danger = (typeof danger.enumValues)[number];
export type CaseStatus = (typeof caseStatus.enumValues)[number];
export type Gender = (typeof gender.enumValues)[number];
export type CaseEventKind = (typeof caseEventKind.enumValues)[number];
export type FollowUpStatus = (typeof followUpStatus.enumValues)[number];
export type AuditOutcome = (typeof auditOutcome.enumValues)[number];
