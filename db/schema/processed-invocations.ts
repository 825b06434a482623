import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys of platform requests. An instance claims a key with an INSERT before acting;
 * a retried request, or a second bot instance receiving the same one, finds it taken and stays
 * silent, so each request has one effect.
 */
export const processedInvocations = pgTable('processed_invocations', {
  key: text('key').primaryKey(),
  claimedBy: text('claimed_by').notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
