import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Idempotency keys of platform requests. An instance claims a key with an INSERT before acting;
 * a retried request, or a second bot instance receiving the same one, finds it taken, so each
 * request has one effect.
 *
 * A claim is leased while its command runs (`lease_until`, renewed), and finished (`lease_until`
 * null) in the transaction that commits the command's audit row and answer. A claim whose lease
 * ran out before it was finished belongs to an instance that died: a duplicate takes it over.
 */
export const processedInvocations = pgTable('processed_invocations', {
  key: text('key').primaryKey(),
  claimedBy: text('claimed_by').notNull(),
  claimedAt: timestamp('claimed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  /** Until when the claimer is taken to be working on it; null once finished (or claimed before leases). */
  leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }),
});
