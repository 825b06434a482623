import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { casePhotos, members } from '../../db/schema/index.ts';

/** The columns a new photo is written with; its id, time and retirement are the database's. */
export type CasePhotoInput = Omit<typeof casePhotos.$inferInsert, 'id' | 'addedAt' | 'retiredAt' | 'retiredByMemberId' | 'retireReason'>;

/**
 * A photo of a case without its bytes. `number` is its place among all the case's photos, retired
 * ones included, in the order they were added, from 1: it never changes, so a member can name it.
 */
export interface CasePhotoView {
  id: number;
  number: number;
  width: number;
  height: number;
  originalBytes: number;
  originalSha256: string;
  caption: string | null;
  addedBy: string;
  addedAt: Date;
  retiredAt: Date | null;
  retireReason: string | null;
}

export async function insertCasePhoto(db: Executor, row: CasePhotoInput): Promise<{ id: number }> {
  const [inserted] = await db.insert(casePhotos).values(row).returning({ id: casePhotos.id });
  return inserted!;
}

/** A case's photos with their numbers, newest first; the retired ones only with `withRetired`. */
export async function casePhotosOf(db: Executor, input: { caseId: number; withRetired?: boolean }): Promise<CasePhotoView[]> {
  const numbered = db
    .select({
      id: casePhotos.id,
      number: sql<number>`(row_number() over (order by ${casePhotos.addedAt}, ${casePhotos.id}))::int`.as('number'),
      width: casePhotos.width,
      height: casePhotos.height,
      originalBytes: casePhotos.originalBytes,
      originalSha256: casePhotos.originalSha256,
      caption: casePhotos.caption,
      addedBy: sql<string>`coalesce(${members.handle}, '-')`.as('added_by'),
      addedAt: casePhotos.addedAt,
      retiredAt: casePhotos.retiredAt,
      retireReason: casePhotos.retireReason,
    })
    .from(casePhotos)
    .leftJoin(members, eq(members.id, casePhotos.addedByMemberId))
    .where(eq(casePhotos.caseId, input.caseId))
    .as('numbered');
  return db
    .select()
    .from(numbered)
    .where(input.withRetired ? undefined : isNull(numbered.retiredAt))
    .orderBy(desc(numbered.addedAt), desc(numbered.id));
}

/** How many photos of a case are not retired. */
export async function countActivePhotos(db: Executor, input: { caseId: number }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(casePhotos)
    .where(and(eq(casePhotos.caseId, input.caseId), isNull(casePhotos.retiredAt)));
  return row?.n ?? 0;
}

/** The full images of some photos, by id. */
export async function photoImages(db: Executor, input: { ids: number[] }): Promise<Map<number, { contentType: string; data: Uint8Array }>> {
  if (input.ids.length === 0) return new Map();
  const rows = await db
    .select({ id: casePhotos.id, contentType: casePhotos.contentType, data: casePhotos.image })
    .from(casePhotos)
    .where(inArray(casePhotos.id, input.ids));
  return new Map(rows.map((r) => [r.id, { contentType: r.contentType, data: r.data }]));
}

/** The thumbnails of some photos, by id. */
export async function photoThumbnails(
  db: Executor,
  input: { ids: number[] },
): Promise<Map<number, { contentType: string; data: Uint8Array }>> {
  if (input.ids.length === 0) return new Map();
  const rows = await db
    .select({ id: casePhotos.id, contentType: casePhotos.contentType, data: casePhotos.thumbnail })
    .from(casePhotos)
    .where(inArray(casePhotos.id, input.ids));
  return new Map(rows.map((r) => [r.id, { contentType: r.contentType, data: r.data }]));
}

/** Retires a photo that is not retired yet; undefined when it already was. */
export async function retirePhoto(
  db: Executor,
  input: { id: number; memberId: number; reason: string },
): Promise<{ id: number; retiredAt: Date } | undefined> {
  const [row] = await db
    .update(casePhotos)
    .set({ retiredAt: sql`now()`, retiredByMemberId: input.memberId, retireReason: input.reason })
    .where(and(eq(casePhotos.id, input.id), isNull(casePhotos.retiredAt)))
    .returning({ id: casePhotos.id, retiredAt: casePhotos.retiredAt });
  return row ? { id: row.id, retiredAt: row.retiredAt! } : undefined;
}
