import type { Database } from '../../db/client.ts';
import type { CaseStatus, Danger, Locale, MemberRole } from '../../db/schema/index.ts';
import { insertCases, findCaseByCode, updateCaseAtVersion, type CaseFields, type CaseRow } from '../../src/repositories/cases.ts';
import { insertCasePhoto } from '../../src/repositories/case-photos.ts';
import { prepareImage } from '../../src/services/images.ts';
import { insertDecisions } from '../../src/repositories/case-decisions.ts';
import { insertIdentity, insertMember, type Member } from '../../src/repositories/members.ts';
import { findUnitByCode, insertUnit, type Unit } from '../../src/repositories/units.ts';

/**
 * A small unit tree used across tests:
 *   C06 (root) ─┬─ CA-HN ── CAQ-HK
 *               └─ CA-HCM
 */
export async function makeUnitTree(db: Database): Promise<Record<'C06' | 'CA-HN' | 'CAQ-HK' | 'CA-HCM', Unit>> {
  const root = await insertUnit(db, { code: 'C06', name: 'Cục Cảnh sát hình sự', parentId: null });
  const hn = await insertUnit(db, { code: 'CA-HN', name: 'Công an TP Hà Nội', parentId: root.id });
  const hk = await insertUnit(db, { code: 'CAQ-HK', name: 'Công an quận Hoàn Kiếm', parentId: hn.id });
  const hcm = await insertUnit(db, { code: 'CA-HCM', name: 'Công an TP Hồ Chí Minh', parentId: root.id });
  return { C06: root, 'CA-HN': hn, 'CAQ-HK': hk, 'CA-HCM': hcm };
}

export async function makeMember(
  db: Database,
  input: {
    handle: string;
    role: MemberRole;
    unit: string;
    locale?: Locale | null;
    displayName?: string;
    discord?: { guild: string; user: string };
    slack?: { team: string; user: string };
  },
): Promise<Member> {
  const unit = await findUnitByCode(db, input.unit);
  if (!unit) throw new Error(`makeMember: no unit ${input.unit}`);
  const member = await insertMember(db, {
    handle: input.handle,
    displayName: input.displayName ?? input.handle,
    role: input.role,
    unitId: unit.id,
    locale: input.locale === undefined ? 'en' : input.locale,
  });
  if (input.discord)
    await insertIdentity(db, { memberId: member.id, platform: 'discord', workspaceId: input.discord.guild, userId: input.discord.user });
  if (input.slack)
    await insertIdentity(db, { memberId: member.id, platform: 'slack', workspaceId: input.slack.team, userId: input.slack.user });
  return member;
}

let sequence = 0;

/**
 * A case with its wanted decision (dated `wantedOn`) and, with `cancellation`, a cancellation
 * decision (dated `on`, or the outcome's day), as the import records them.
 */
export async function makeCase(
  db: Database,
  input: Partial<Omit<CaseFields, 'unitId'>> & {
    unit: string;
    status?: CaseStatus;
    danger?: Danger;
    cancellation?: { number?: string; on?: string };
  },
): Promise<CaseRow> {
  const unit = await findUnitByCode(db, input.unit);
  if (!unit) throw new Error(`makeCase: no unit ${input.unit}`);
  sequence += 1;
  const { unit: _unit, cancellation, ...fields } = input;
  const status = input.status ?? 'wanted';
  const row: CaseFields = {
    code: `TN-2020-${String(sequence).padStart(6, '0')}`,
    fullName: `Đối Tượng ${sequence}`,
    danger: 'normal',
    wantedOn: '2020-03-15',
    ...fields,
    status,
    resolvedOn: input.resolvedOn ?? (status === 'wanted' ? null : '2024-05-20'),
    unitId: unit.id,
  };
  const [created] = await insertCases(db, [row]);
  const id = created!.id;
  await insertDecisions(db, [
    { caseId: id, kind: 'wanted', number: `${sequence}/QĐ-TN`, decidedOn: row.wantedOn, actorLabel: 'import' },
    ...(cancellation
      ? [
          {
            caseId: id,
            kind: 'cancellation' as const,
            number: cancellation.number ?? `${sequence}/QĐ-ĐN`,
            decidedOn: cancellation.on ?? row.resolvedOn!,
            actorLabel: 'import',
          },
        ]
      : []),
  ]);
  return (await findCaseByCode(db, row.code))!;
}

/**
 * A photo on a case, stored as `case info … photo` stores one (a small flat-coloured JPEG unless
 * `data` is given), the case marked as having a photo. Without a member: an import's.
 */
export async function makePhoto(
  db: Database,
  input: { code: string; data?: Uint8Array; caption?: string; colour?: string },
): Promise<{ id: number }> {
  const row = await findCaseByCode(db, input.code);
  if (!row) throw new Error(`makePhoto: no case ${input.code}`);
  const prepared = await prepareImage({
    name: 'photo.jpg',
    // sharp is loaded by the tests that make photos only, not by every test of the factories.
    data: input.data ?? (await (await import('../support/images.ts')).photo('jpeg', { colour: input.colour ?? '#8a4b2d' })),
  });
  if (!prepared.ok) throw new Error(`makePhoto: ${prepared.problem}`);
  const { sourceType: _source, ...image } = prepared.image;
  const inserted = await insertCasePhoto(db, { caseId: row.id, ...image, caption: input.caption ?? null, addedByMemberId: null });
  await updateCaseAtVersion(db, { id: row.id, expectedVersion: row.version, changes: { hasPhoto: true } });
  return inserted;
}
