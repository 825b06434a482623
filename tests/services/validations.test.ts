import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { DEFAULT_VALIDATION_POLICY, validationDueOn, validationState } from '../../src/domain/validation.ts';
import { messageText } from '../support/core.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { findMemberByHandle, type Member } from '../../src/repositories/members.ts';
import { unitSubtreeIds } from '../../src/repositories/units.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { changeCaseStatus } from '../../src/services/cases.ts';
import { dueValidations, validateCase, validationFigures } from '../../src/services/validations.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let units: Awaited<ReturnType<typeof makeUnitTree>>;
let officer: Member;
let rootScope: { unitId: number; unitIds: number[] };
const TZ = 'Asia/Ho_Chi_Minh';
const TODAY = '2024-09-01';
const AUGUST = { from: '2024-08-01', to: '2024-08-31' };

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  units = await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'officer.c06', role: 'officer', unit: 'C06' });
  officer = (await findMemberByHandle(t.db, 'officer.c06'))!;
  rootScope = { unitId: units.C06.id, unitIds: await unitSubtreeIds(t.db, units.C06.id) };
});
afterAll(() => t.close());

/** Validates `code` at `at` (an instant), as the command does with its clock. */
const validateAt = (code: string, at: string, complete = true) =>
  validateCase(t.db, {
    scope: rootScope,
    actor: officer,
    code,
    complete,
    note: complete ? undefined : 'thiếu ảnh',
    now: new Date(at),
    today: new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date(at)),
    policy: DEFAULT_VALIDATION_POLICY,
  });

describe('validation due dates', () => {
  it('adds months as PostgreSQL does, to the last day of a shorter month', async () => {
    const cases: Array<[string, number]> = [
      ['2023-09-15', 12],
      ['2024-02-29', 12],
      ['2023-01-31', 1],
      ['2024-01-31', 1],
      ['2023-08-31', 6],
      ['2020-12-31', 14],
      ['2024-11-30', 60],
    ];
    for (const [from, months] of cases) {
      const [row] = await queryRows<{ due: string }>(
        t.db,
        sql`select (${from}::date + make_interval(months => ${months}::int))::date::text as due`,
      );
      expect(validationDueOn(from, months), `${from} + ${months}`).toBe(row!.due);
    }
    expect(validationDueOn('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('is due from the window before its day through the day itself, and overdue after', () => {
    expect(validationState('2024-10-01', TODAY, 30)).toBe('due');
    expect(validationState('2024-10-02', TODAY, 30)).toBe('current');
    expect(validationState(TODAY, TODAY, 0)).toBe('due');
    expect(validationState('2024-08-31', TODAY, 30)).toBe('overdue');
  });

  it('lists by the exact due date at a month end, which the index alone would miss', async () => {
    // Wanted 2023-08-31: six months on is 2024-02-29, overdue on 2024-03-01 but not on 2024-02-29.
    await makeCase(t.db, { code: 'TN-2023-000031', unit: 'CA-HN', wantedOn: '2023-08-31' });
    const on = async (today: string) => dueValidations(t.db, { scope: rootScope, today, policy: { months: 6, windowDays: 0 }, limit: 10 });
    expect(await on('2024-02-28')).toMatchObject({ ok: true, value: { due: 0, overdue: 0, rows: [] } });
    expect(await on('2024-02-29')).toMatchObject({
      ok: true,
      value: { due: 1, overdue: 0, rows: [{ dueOn: '2024-02-29', daysOverdue: 0 }] },
    });
    expect(await on('2024-03-01')).toMatchObject({
      ok: true,
      value: { due: 0, overdue: 1, rows: [{ dueOn: '2024-02-29', daysOverdue: 1 }] },
    });
  });
});

describe('validation figures for the digest', () => {
  beforeEach(async () => {
    await makeCase(t.db, { code: 'TN-2023-000001', unit: 'CAQ-HK', wantedOn: '2023-01-10' });
    await makeCase(t.db, { code: 'TN-2023-000002', unit: 'CAQ-HK', wantedOn: '2023-02-10' });
    await makeCase(t.db, { code: 'TN-2023-000003', unit: 'CA-HCM', wantedOn: '2023-03-10' });
    await makeCase(t.db, { code: 'TN-2023-000004', unit: 'CA-HCM', wantedOn: '2023-04-10' });
    await makeCase(t.db, { code: 'TN-2023-000005', unit: 'CA-HN', wantedOn: '2023-09-20' });
    await makeCase(t.db, { code: 'TN-2023-000006', unit: 'CA-HN', wantedOn: '2023-05-10' });
    // 1: reviewed in August, and arrested since: it still counts for August.
    expect((await validateAt('TN-2023-000001', '2024-08-10T03:00:00Z')).ok).toBe(true);
    await changeCaseStatus(t.db, {
      scope: rootScope,
      actor: officer,
      code: 'TN-2023-000001',
      to: 'arrested',
      on: '2024-08-20',
      today: TODAY,
    });
    // 2: incomplete, then complete in August: counted once, as complete.
    await validateAt('TN-2023-000002', '2024-08-05T03:00:00Z', false);
    await validateAt('TN-2023-000002', '2024-08-20T03:00:00Z');
    // 3: incomplete at 01:00 on 1 August in Hanoi (still 31 July in UTC).
    await validateAt('TN-2023-000003', '2024-07-31T18:00:00Z', false);
    // 4: at 00:30 on 1 September in Hanoi: after the period.
    await validateAt('TN-2023-000004', '2024-08-31T17:30:00Z');
  });

  it('counts the period from the reviews dated in it, and what is due and overdue on the digest day', async () => {
    const figures = await validationFigures(t.db, {
      unitIds: null,
      ...AUGUST,
      today: TODAY,
      timeZone: TZ,
      policy: DEFAULT_VALIDATION_POLICY,
    });
    // Due: 5 (2024-09-20, within 30 days). Overdue: 6 (2024-05-10). 1 is arrested; 2, 3, 4 reviewed.
    expect(figures).toMatchObject({ validated: 3, incomplete: 1, due: 1, overdue: 1 });
    const byCode = new Map([units['CAQ-HK'], units['CA-HCM'], units['CA-HN']].map((u) => [u.id, u.code]));
    expect(
      figures.byUnit.map(({ unitId, ...rest }) => ({ unit: byCode.get(unitId), ...rest })).sort((a, b) => a.unit!.localeCompare(b.unit!)),
    ).toEqual([
      { unit: 'CA-HCM', validated: 1, incomplete: 1, due: 0, overdue: 0 },
      { unit: 'CA-HN', validated: 0, incomplete: 0, due: 1, overdue: 1 },
      { unit: 'CAQ-HK', validated: 2, incomplete: 0, due: 0, overdue: 0 },
    ]);
    const hk = await validationFigures(t.db, {
      unitIds: [units['CAQ-HK'].id],
      ...AUGUST,
      today: TODAY,
      timeZone: TZ,
      policy: DEFAULT_VALIDATION_POLICY,
    });
    expect(hk).toMatchObject({ validated: 2, incomplete: 0, due: 0, overdue: 0 });
  });

  it('says them in the digest, in both languages, for its scope', async () => {
    const digest = await buildDigest(t.db, { scopeUnitId: null, period: AUGUST, today: TODAY, timeZone: TZ });
    expect(digest.validations).toEqual({ validated: 3, incomplete: 1, due: 1, overdue: 1 });
    expect(messageText(digestMessage(digest, 'en'))).toContain(
      'Validation: 3 records validated in the period (1 incomplete); 1 due for validation now, 1 overdue.',
    );
    expect(messageText(digestMessage(digest, 'vi'))).toContain(
      'Rà soát hồ sơ: 3 hồ sơ được rà soát trong kỳ (1 còn thiếu); hiện 1 hồ sơ đến hạn rà soát, 1 quá hạn.',
    );
    const hn = await buildDigest(t.db, {
      scopeUnitId: units['CA-HN'].id,
      period: AUGUST,
      today: TODAY,
      timeZone: TZ,
      validation: { months: 6, windowDays: 30 },
    });
    // CA-HN and CAQ-HK, every six months: 5 (due 2024-03-20) and 6 (2023-11-10) overdue, 2 (2025-02-20) not yet due.
    expect(hn.validations).toEqual({ validated: 2, incomplete: 0, due: 0, overdue: 2 });
  });
});
