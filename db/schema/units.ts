import { type AnyPgColumn, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** Organisational units, as a tree: ministry department → provincial police → district. */
export const units = pgTable('units', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  parentId: integer('parent_id').references((): AnyPgColumn => units.id, { onDelete: 'restrict' }),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});
