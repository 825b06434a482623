import type { Executor } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';

export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at'>;

/** Appends one row to the audit log. The table refuses any change after that. */
export async function insertAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}
