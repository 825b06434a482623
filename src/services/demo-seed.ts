import type { Database, Executor } from '../../db/client.ts';
import type { MemberRole } from '../../db/schema/index.ts';
import { dayIn, type IsoDate } from '../domain/dates.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import { text } from '../i18n/text.ts';
import {
  countCases,
  countCasesByStatus,
  insertCaseEvents,
  insertCases,
  wantedCaseIds,
  type CaseEventInput,
} from '../repositories/cases.ts';
import { insertCaseDetails, type CaseDetailInput } from '../repositories/case-details.ts';
import { insertDecisions, type DecisionInput } from '../repositories/case-decisions.ts';
import { countFollowUpsByState, insertFollowUps } from '../repositories/follow-ups.ts';
import { findMemberByHandle, insertMember } from '../repositories/members.ts';
import { insertUnit, renameUnit, unitTree } from '../repositories/units.ts';
import { addDays } from '../domain/dates.ts';
import { createRandom, generateCaseBatches, type DemoCase, type DemoUnit } from './demo-data.ts';
import { LOCAL_ROOT } from './local-admin.ts';
import { plural } from '../i18n/plural.ts';

/** `casedesk seed --demo`: a realistic synthetic data set, so a newcomer has something to look up. */

export const DEMO_UNITS: ReadonlyArray<{ code: string; name: string; parent: string | null; weight: number }> = [
  { code: 'C06', name: 'Cục Cảnh sát hình sự', parent: null, weight: 1 },
  { code: 'CA-HN', name: 'Công an TP Hà Nội', parent: 'C06', weight: 4 },
  { code: 'CAQ-HK', name: 'Công an quận Hoàn Kiếm', parent: 'CA-HN', weight: 2 },
  { code: 'CAQ-DD', name: 'Công an quận Đống Đa', parent: 'CA-HN', weight: 2 },
  { code: 'CA-HCM', name: 'Công an TP Hồ Chí Minh', parent: 'C06', weight: 4 },
  { code: 'CAQ-Q1', name: 'Công an Quận 1', parent: 'CA-HCM', weight: 2 },
  { code: 'CATP-TD', name: 'Công an TP Thủ Đức', parent: 'CA-HCM', weight: 2 },
  { code: 'CA-DN', name: 'Công an TP Đà Nẵng', parent: 'C06', weight: 2 },
  { code: 'CA-HP', name: 'Công an TP Hải Phòng', parent: 'C06', weight: 2 },
  { code: 'CA-NA', name: 'Công an tỉnh Nghệ An', parent: 'C06', weight: 3 },
];

export const DEMO_MEMBERS: ReadonlyArray<{ handle: string; name: string; role: MemberRole; unit: string }> = [
  { handle: 'admin', name: 'Quản trị hệ thống', role: 'admin', unit: 'C06' },
  { handle: 'lead.c06', name: 'Đại tá Trần Quốc Hưng', role: 'lead', unit: 'C06' },
  { handle: 'lead.hn', name: 'Thượng tá Nguyễn Thị Lan', role: 'lead', unit: 'CA-HN' },
  { handle: 'officer.hn', name: 'Đại úy Lê Minh Đạt', role: 'officer', unit: 'CA-HN' },
  { handle: 'officer.hk', name: 'Thượng úy Phạm Đức Anh', role: 'officer', unit: 'CAQ-HK' },
  { handle: 'viewer.hn', name: 'Trung úy Vũ Thu Hà', role: 'viewer', unit: 'CA-HN' },
  { handle: 'lead.hcm', name: 'Thượng tá Huỳnh Văn Phúc', role: 'lead', unit: 'CA-HCM' },
  { handle: 'officer.hcm', name: 'Đại úy Võ Thanh Tâm', role: 'officer', unit: 'CA-HCM' },
  { handle: 'viewer.hcm', name: 'Trung úy Đặng Ngọc Mai', role: 'viewer', unit: 'CA-HCM' },
];

export interface SeedSummary {
  units: number;
  members: number;
  cases: number;
  byStatus: Record<string, number>;
  followUps: { open: number; overdue: number; done: number };
  /**
   * The root unit the database had (the local administrator's, made by a first `casedesk start`),
   * which became the demo's root: its former code. Undefined when the database had no unit.
   */
  adoptedRoot: string | undefined;
}

/** Cases that the README's examples look up, so they work on every demo database. */
function namedCases(units: Map<string, number>, today: IsoDate): DemoCase[] {
  return [
    {
      fields: {
        code: 'TN-2021-000001',
        fullName: 'Nguyễn Văn Đức',
        aliases: ['Đức Sẹo'],
        birthYear: 1986,
        gender: 'male',
        nationalId: '001086012345',
        hometown: 'Xã Phú Minh, Hà Nội',
        charges: 'Cướp tài sản (Điều 168 BLHS)',
        danger: 'dangerous',
        unitId: units.get('CAQ-HK')!,
        wantedOn: '2021-04-12',
        status: 'wanted',
        hasPhoto: false,
        identifyingMarks: 'Sẹo dài ở má trái',
        criminalHistory: null,
      },
      decisions: [{ kind: 'wanted', number: '15/QĐ-CSĐT', decidedOn: '2021-04-12', authority: 'Cơ quan CSĐT Công an TP Hà Nội' }],
    },
    {
      fields: {
        code: 'TN-2022-000002',
        fullName: 'Hoàng Thị Khuyến',
        aliases: ['Khuyến Béo'],
        birthYear: 1979,
        gender: 'female',
        nationalId: null,
        hometown: 'Phường Lê Lợi, Nghệ An',
        charges: 'Lừa đảo chiếm đoạt tài sản (Điều 174 BLHS)',
        danger: 'normal',
        unitId: units.get('CA-NA')!,
        wantedOn: '2022-09-03',
        status: 'surrendered',
        resolvedOn: addDays(today, -40),
        outcomeNote: 'Ra đầu thú tại Công an huyện',
        hasPhoto: true,
        identifyingMarks: null,
        criminalHistory: null,
      },
      decisions: [
        { kind: 'wanted', number: '88/QĐ-CSĐT', decidedOn: '2022-09-03', authority: 'Cơ quan CSĐT Công an tỉnh Nghệ An' },
        { kind: 'cancellation', number: '21/QĐ-ĐN', decidedOn: addDays(today, -36), authority: 'Cơ quan CSĐT Công an tỉnh Nghệ An' },
      ],
    },
  ];
}

/**
 * Writes cases, with their decision documents, a `created` event each and a `status_changed` event
 * for resolved ones, in batches. Used by the demo seed and the benchmarks.
 */
export async function writeDemoCases(
  db: Executor,
  input: { count: number; seed: number; today: IsoDate; units: readonly DemoUnit[]; firstSequence?: number; batchSize?: number },
): Promise<void> {
  for (const batch of generateCaseBatches(input)) await writeCaseBatch(db, batch);
}

/**
 * Writes generated cases, then their decisions, their events and their identifying marks and
 * criminal history entries, all recorded by `seed`.
 */
export async function writeCaseBatch(db: Executor, batch: DemoCase[]): Promise<void> {
  const inserted = await insertCases(
    db,
    batch.map((c) => c.fields),
  );
  const byCode = new Map(batch.map((c) => [c.fields.code, c]));
  const decisions: DecisionInput[] = [];
  const events: CaseEventInput[] = [];
  const details: CaseDetailInput[] = [];
  for (const { id, code } of inserted) {
    const { fields: c, decisions: documents } = byCode.get(code)!;
    for (const d of documents) decisions.push({ ...d, caseId: id, actorLabel: 'seed' });
    if (c.identifyingMarks) details.push({ caseId: id, kind: 'marks', text: c.identifyingMarks, addedByLabel: 'seed' });
    if (c.criminalHistory) details.push({ caseId: id, kind: 'history', text: c.criminalHistory, addedByLabel: 'seed' });
    events.push({ caseId: id, kind: 'created', actorLabel: 'seed', occurredOn: c.wantedOn, data: {} });
    if (c.status !== 'wanted') {
      events.push({
        caseId: id,
        kind: 'status_changed',
        actorLabel: 'seed',
        occurredOn: c.resolvedOn ?? null,
        data: { changes: { status: ['wanted', c.status], resolved_on: [null, c.resolvedOn] } },
      });
    }
  }
  // A few thousand rows a statement at most, well within the bound on a statement's parameters.
  for (let i = 0; i < decisions.length; i += 4000) await insertDecisions(db, decisions.slice(i, i + 4000));
  await insertCaseEvents(db, events);
  for (let i = 0; i < details.length; i += 4000) await insertCaseDetails(db, details.slice(i, i + 4000));
}

/**
 * Seeds an empty database, or one with a single root unit and no case: what a first `casedesk
 * start` leaves (the local administrator in a unit `ROOT`). That unit becomes the demo's root
 * (C06), keeping its id and members, so the whole force is still one tree: the local
 * administrator sees every demo case, and the whole force's digest breaks down by the provinces
 * under C06 rather than by two roots. Refuses a database with cases, or with units of its own.
 */
export async function seedDemo(
  db: Database,
  input: { cases: number; seed: number; now: Date; timeZone: string },
): Promise<Result<SeedSummary>> {
  if ((await countCases(db)) > 0) {
    return fail(
      'conflict',
      text(
        'Cơ sở dữ liệu đã có hồ sơ; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống. Hãy dùng thư mục dữ liệu khác (CASEDESK_DATA_DIR) hoặc cơ sở dữ liệu khác (DATABASE_URL).',
        'The database already has cases; demo data only goes into an empty one. Use another data folder (CASEDESK_DATA_DIR) or database (DATABASE_URL).',
      ),
    );
  }
  const today = dayIn(input.timeZone, input.now);
  return db.transaction(async (tx) => {
    const existing = await unitTree(tx);
    // Only the root a first start made: a unit of the user's own is never renamed into the demo's.
    const lone = existing.length === 1 && existing[0]!.code === LOCAL_ROOT && existing[0]!.parentId === null ? existing[0]! : undefined;
    if (existing.length > 0 && !lone) {
      return fail(
        'conflict',
        text(
          `Cơ sở dữ liệu đã có ${plural('vi', existing.length, 'đơn vị', 'đơn vị')}; dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống, hoặc chỉ có đơn vị gốc của quản trị viên cục bộ. Hãy dùng thư mục dữ liệu khác (CASEDESK_DATA_DIR) hoặc cơ sở dữ liệu khác (DATABASE_URL).`,
          `The database already has ${plural('en', existing.length, 'unit', 'units')}; demo data only goes into an empty one, or one with just the local administrator's root unit. Use another data folder (CASEDESK_DATA_DIR) or database (DATABASE_URL).`,
        ),
      );
    }
    const unitIds = new Map<string, number>();
    for (const u of DEMO_UNITS) {
      if (u.parent === null && lone) {
        await renameUnit(tx, { id: lone.id, code: u.code, name: u.name });
        unitIds.set(u.code, lone.id);
        continue;
      }
      const unit = await insertUnit(tx, { code: u.code, name: u.name, parentId: u.parent ? unitIds.get(u.parent)! : null });
      unitIds.set(u.code, unit.id);
    }
    const memberIds = new Map<string, number>();
    for (const m of DEMO_MEMBERS) {
      const found = await findMemberByHandle(tx, m.handle);
      const member =
        found ??
        (await insertMember(tx, { handle: m.handle, displayName: m.name, role: m.role, unitId: unitIds.get(m.unit)!, locale: null }));
      memberIds.set(m.handle, member.id);
    }
    const named = namedCases(unitIds, today);
    await writeCaseBatch(tx, named);
    await writeDemoCases(tx, {
      count: Math.max(0, input.cases - named.length),
      seed: input.seed,
      today,
      firstSequence: 100,
      units: DEMO_UNITS.map((u) => ({ id: unitIds.get(u.code)!, code: u.code, weight: u.weight })),
    });
    await seedFollowUps(tx, { seed: input.seed, today, memberIds, unitIds, now: input.now });
    const byStatus = await countCasesByStatus(tx);
    const fu = await countFollowUpsByState(tx, { today });
    return ok({
      units: DEMO_UNITS.length,
      members: DEMO_MEMBERS.length,
      cases: Object.values(byStatus).reduce((a, b) => a + b, 0),
      byStatus,
      followUps: { open: fu.open, overdue: fu.overdue, done: fu.done },
      adoptedRoot: lone?.code,
    });
  });
}

const TASKS = [
  'Xác minh nơi ở hiện tại',
  'Phối hợp với công an địa phương rà soát',
  'Bổ sung ảnh và đặc điểm nhận dạng',
  'Vận động gia đình để đối tượng ra đầu thú',
  'Kiểm tra thông tin từ nguồn tin',
  'Rà soát hồ sơ để đình nã',
];

async function seedFollowUps(
  db: Executor,
  input: { seed: number; today: IsoDate; now: Date; memberIds: Map<string, number>; unitIds: Map<string, number> },
): Promise<void> {
  const random = createRandom(input.seed ^ 0x5eed);
  const wanted = await wantedCaseIds(db, { limit: 60 });
  const assignees = ['officer.hn', 'officer.hk', 'officer.hcm', 'lead.hn', 'lead.hcm'];
  const rows = wanted.map((id, i) => {
    const kind = i % 3; // open, overdue, done
    const toUnit = random.chance(0.3);
    const dueOn = kind === 1 ? addDays(input.today, -random.int(1, 30)) : addDays(input.today, random.int(3, 45));
    return {
      caseId: id,
      assigneeMemberId: toUnit ? null : input.memberIds.get(random.pick(assignees))!,
      assigneeUnitId: toUnit ? input.unitIds.get(random.pick(['CA-HN', 'CA-HCM', 'CA-NA']))! : null,
      task: random.pick(TASKS),
      dueOn,
      status: kind === 2 ? ('done' as const) : ('open' as const),
      createdByMemberId: input.memberIds.get(random.pick(['lead.c06', 'lead.hn', 'lead.hcm']))!,
      completedAt: kind === 2 ? input.now : null,
      completedByMemberId: kind === 2 ? input.memberIds.get('officer.hn')! : null,
    };
  });
  await insertFollowUps(db, rows);
}
