import type { Executor } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';

export type AuditEntry = Omit<typeof auditLog.$inferInsert, 'id' | 'at' | 'chainSeq' | 'hash'>;

/**
 * Appends one row to the audit log; the database chains it (number and hash) and refuses any
 * change after that. What was typed is kept as typed, except that a NUL, which Postgres cannot
 * store in text, is written as U+2400 (␀): the row of a refused line is written all the same.
 */
export async function insertAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(storable(entry));
}

const NUL = new RegExp(String.fromCharCode(0), 'g');

function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(NUL, '\u2400') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
  }
  return value;
}
