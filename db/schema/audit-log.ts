import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { auditOutcome, platform, platformCheck } from './enums.ts';
import { members } from './members.ts';

/**
 * One row per command or access attempt, denials included. Append-only: the database refuses
 * UPDATE, DELETE and TRUNCATE (trigger in the audit migration).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'restrict' }),
    /** The raw platform identity, kept even when it resolves to no member. */
    platform: platform('platform').notNull(),
    workspaceId: text('workspace_id'),
    userId: text('user_id'),
    channelId: text('channel_id'),
    invocationId: text('invocation_id'),
    command: text('command').notNull(),
    args: jsonb('args').$type<Record<string, unknown>>().notNull().default({}),
    caseCodes: text('case_codes').array().notNull().default([]),
    outcome: auditOutcome('outcome').notNull(),
    /** A stable error code (`not_found`, `denied`, …) or the reference id of an internal error. */
    detail: text('detail'),
  },
  (t) => [
    check('audit_log_platform_name', platformCheck(t.platform)),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_command_at_idx').on(t.command, t.at),
    index('audit_log_member_idx').on(t.memberId),
  ],
);
