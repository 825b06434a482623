import type { Database } from '../../db/client.ts';
import { countCases } from '../repositories/cases.ts';
import { findMemberByHandle, insertMember } from '../repositories/members.ts';
import { findOldestRootUnit, insertUnit } from '../repositories/units.ts';

/** The console's default member, acting for whoever sits at the terminal. */
export const LOCAL_ADMIN = 'admin';

/** The root unit the local administrator is made in on an empty database (a later `seed --demo` takes it over). */
export const LOCAL_ROOT = 'ROOT';

/**
 * The console's default user: the member `admin`, created on first use as an administrator of the
 * oldest root unit (the demo's C06 after `casedesk seed --demo`), or of a new `ROOT` unit on an
 * empty database, which a later `seed --demo` takes over as its root. Returns whether it was created.
 */
export async function ensureLocalAdmin(db: Database): Promise<boolean> {
  if (await findMemberByHandle(db, LOCAL_ADMIN)) return false;
  return db.transaction(async (tx) => {
    const oldestRoot = await findOldestRootUnit(tx);
    const root = oldestRoot ?? (await insertUnit(tx, { code: LOCAL_ROOT, name: 'Toàn lực lượng', parentId: null }));
    await insertMember(tx, { handle: LOCAL_ADMIN, displayName: 'Quản trị cục bộ', role: 'admin', unitId: root.id, locale: null });
    return true;
  });
}

/** Whether the database holds no case yet: a first run, to be told how to fill it. */
export async function hasNoCases(db: Database): Promise<boolean> {
  return (await countCases(db)) === 0;
}
