import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { members } from './members.ts';

/**
 * A command offered behind a button, waiting to be confirmed: a status change previewed on Discord
 * or Slack runs only when someone presses "confirm". The button carries just the key, so the
 * command's options (a reason of a thousand characters) need not fit a platform's button limits.
 * Pressing consumes the row; whoever presses is checked like a typed command.
 */
export const pendingActions = pgTable(
  'pending_actions',
  {
    key: text('key').primaryKey(),
    command: text('command').notNull(),
    options: jsonb('options').$type<Record<string, string | number | boolean>>().notNull(),
    offeredToMemberId: integer('offered_to_member_id')
      .notNull()
      .references(() => members.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('pending_actions_expires_at_idx').on(t.expiresAt)],
);
