import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { auditOutcome, platform, platformCheck } from './enums.ts';
import { members } from './members.ts';

/**
 * One row per command or access attempt, denials included. Append-only: the database refuses
 * UPDATE, DELETE and TRUNCATE (trigger in the audit migration). Tamper-evident: a trigger numbers
 * each row in the chain (`chain_seq`) and stores a hash over its content and the previous row's
 * hash (`hash`), whatever the inserting code supplied (migration 0027; `casedesk audit verify`).
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
    /** For actions taken from the command line: the operating-system user and host who ran them. */
    osUser: text('os_user'),
    osHost: text('os_host'),
    /** The row's place in the hash chain: 1, 2, 3 … with no gaps (set by the database). */
    chainSeq: bigint('chain_seq', { mode: 'number' }),
    /** sha256 (hex) over the previous row's hash and this row's content (set by the database). */
    hash: text('hash'),
  },
  (t) => [
    check('audit_log_platform_name', platformCheck(t.platform)),
    index('audit_log_at_idx').on(t.at),
    index('audit_log_command_at_idx').on(t.command, t.at),
    index('audit_log_member_idx').on(t.memberId),
    uniqueIndex('audit_log_chain_seq_key').on(t.chainSeq),
    index('audit_log_case_codes_idx').using('gin', t.caseCodes),
  ],
);

/**
 * The head of the audit log's hash chain: one row holding the last row's number and hash. Each
 * audit insert updates it under its row lock, so concurrent inserts from several instances chain
 * one after another. Written only by the audit trigger (security definer); the bot's role reads it.
 */
export const auditChain = pgTable(
  'audit_chain',
  {
    id: boolean('id').primaryKey().default(true),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [check('audit_chain_one_row', sql`${t.id}`)],
);
