import { check, index, integer, pgTable, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { locale, memberRole, platform, platformCheck } from './enums.ts';
import { units } from './units.ts';

/** People who may use casedesk. A chat user who is not linked to a member can do nothing. */
export const members = pgTable('members', {
  id: serial('id').primaryKey(),
  handle: text('handle').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: memberRole('role').notNull(),
  unitId: integer('unit_id')
    .notNull()
    .references(() => units.id, { onDelete: 'restrict' }),
  locale: locale('locale'),
  createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  /** Set when the member was disabled (left the force, suspended): refused on every command from then on. */
  disabledAt: timestamp('disabled_at', { withTimezone: true, precision: 3 }),
});

/** (platform, workspace or guild, user) → member. One chat account maps to one member. */
export const memberIdentities = pgTable(
  'member_identities',
  {
    id: serial('id').primaryKey(),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    platform: platform('platform').notNull(),
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check('member_identities_platform_name', platformCheck(t.platform)),
    unique('member_identities_platform_user_key').on(t.platform, t.workspaceId, t.userId),
    index('member_identities_member_idx').on(t.memberId),
  ],
);
