import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
/** 10:00 on 2024-09-01 in Hanoi. */
const NOW = new Date('2024-09-01T03:00:00Z');

/** Never validated, wanted 2023-01-10: due 2024-01-10, 235 days late. */
const A = 'TN-2023-000001';
/** Validated 2023-09-20: due 2024-09-20, in 19 days. */
const B = 'TN-2020-000002';
/** CA-HN's own, wanted 2023-08-31: due 2024-08-31, a day late. */
const C = 'TN-2023-000003';
/** CA-HCM's, long overdue: outside CA-HN's units. */
const D = 'TN-2020-000004';
/** Wanted 2024-01-05: due 2025-01-05, not yet listed. */
const E = 'TN-2024-000005';
/** Arrested: no longer wanted. */
const F = 'TN-2020-000006';

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db, { now: NOW });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'officer.hk', role: 'officer', unit: 'CAQ-HK' });
  await makeMember(t.db, { handle: 'officer.hn', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'viewer.hn', role: 'viewer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'viewer.vi', role: 'viewer', unit: 'CA-HN', locale: 'vi' });
  await makeCase(t.db, { code: A, unit: 'CAQ-HK', wantedOn: '2023-01-10' });
  await makeCase(t.db, { code: B, unit: 'CAQ-HK', wantedOn: '2020-03-15', validatedOn: '2023-09-20' });
  await makeCase(t.db, { code: C, unit: 'CA-HN', wantedOn: '2023-08-31' });
  await makeCase(t.db, { code: D, unit: 'CA-HCM', wantedOn: '2020-01-01' });
  await makeCase(t.db, { code: E, unit: 'CAQ-HK', wantedOn: '2024-01-05' });
  await makeCase(t.db, { code: F, unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-05-20' });
});
afterAll(() => t.close());

const validations = () =>
  queryRows<{ code: string; unit: string; member: string; validated_at: string; complete: boolean; note: string | null }>(
    t.db,
    sql`select c.code, u.code as unit, m.handle as member, to_char(v.validated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as validated_at,
               v.complete, v.note
        from case_validations v join cases c on c.id = v.case_id join units u on u.id = v.unit_id join members m on m.id = v.member_id
        order by v.id`,
  );
const caseState = (code: string) =>
  queryRows<{ validated_on: string | null; version: number }>(
    t.db,
    sql`select validated_on::text, version from cases where code = ${code}`,
  );
const lastAudit = async () =>
  (
    await queryRows<{ command: string; outcome: string; detail: string | null; case_codes: string[]; args: Record<string, unknown> }>(
      t.db,
      sql`select command, outcome::text, detail, case_codes, args from audit_log order by id desc limit 1`,
    )
  )[0];

describe('case validate', () => {
  it('records who reviewed a wanted record and when, dates its next review a year on, and notes it in its history', async () => {
    expect((await core.run('officer.hk', `case show ${A}`)).reply.text).toContain('This record has never been reviewed.');
    const { result, reply } = await core.run('officer.hk', `case validate ${A} complete`);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toBe(`Validation of ${A} recorded: complete. Next review due 2025-09-01.`);
    expect(reply.messages[0]!.personal).toBe(false);
    expect(await validations()).toEqual([
      { code: A, unit: 'CAQ-HK', member: 'officer.hk', validated_at: '2024-09-01T03:00:00', complete: true, note: null },
    ]);
    expect(await caseState(A)).toEqual([{ validated_on: '2024-09-01', version: 2 }]);
    const events = await queryRows<{ kind: string; occurred_on: string; data: Record<string, unknown> }>(
      t.db,
      sql`select e.kind::text, e.occurred_on::text, e.data from case_events e join cases c on c.id = e.case_id
          where c.code = ${A} and e.kind = 'validated'`,
    );
    expect(events).toEqual([
      {
        kind: 'validated',
        occurred_on: '2024-09-01',
        data: { version: 2, validation: 1, complete: true, changes: { validated_on: [null, '2024-09-01'] } },
      },
    ]);
    expect(await lastAudit()).toMatchObject({ command: 'case validate', outcome: 'ok', case_codes: [A] });
    expect((await core.run('officer.hk', `case history ${A}`)).reply.text).toContain('validated · officer.hk: complete');
    expect((await core.run('officer.hk', `case show ${A}`)).reply.text).toContain('Last review: 2024-09-01; 0 entries new since then.');
  });

  it('records an incomplete record with what it lacks, without echoing it, and refuses one without a note', async () => {
    const refused = await core.run('officer.hk', `case validate ${B} incomplete`);
    expect(refused.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(refused.reply.text).toContain(`Say what case ${B} lacks, e.g. case validate ${B} incomplete`);
    expect(await validations()).toEqual([]);

    const { result, reply } = await core.run('officer.hk', `case validate ${B} thiếu ảnh, chưa có tiền án`);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toBe(`Validation of ${B} recorded: incomplete (noted). Please complete the record; next review due 2025-09-01.`);
    expect(reply.text).not.toContain('tiền án');
    expect(await validations()).toMatchObject([{ code: B, complete: false, note: 'ảnh, chưa có tiền án' }]);
    expect(await caseState(B)).toEqual([{ validated_on: '2024-09-01', version: 2 }]);
  });

  it('refuses a case no longer wanted in the member language, stores nothing, and audits the refusal', async () => {
    await makeMember(t.db, { handle: 'officer.vi', role: 'officer', unit: 'CAQ-HK', locale: 'vi' });
    const { result, reply } = await core.run('officer.vi', `case validate ${F}`);
    expect(result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(reply.text).toContain(`Hồ sơ ${F} không còn truy nã (đã bắt ngày 20/05/2024); chỉ rà soát hồ sơ đang truy nã. Chưa ghi gì.`);
    expect(reply.text).toContain(`case decision ${F} wanted`);
    expect(await validations()).toEqual([]);
    expect(await caseState(F)).toEqual([{ validated_on: null, version: 1 }]);
    expect(
      await queryRows(t.db, sql`select count(*)::int as n from case_events e join cases c on c.id = e.case_id where e.kind = 'validated'`),
    ).toEqual([{ n: 0 }]);
    expect(await lastAudit()).toMatchObject({ command: 'case validate', outcome: 'invalid', detail: 'invalid', args: { code: F } });
  });

  it('treats a case outside the member units as absent, refuses viewers, and lets an officer above the owning unit validate', async () => {
    const outside = await core.run('officer.hn', `case validate ${D}`);
    expect(outside.result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect(outside.reply.text).toBe(`No case ${D} within your units.`);
    expect(await lastAudit()).toMatchObject({ command: 'case validate', outcome: 'invalid', detail: 'not_found' });

    const viewer = await core.run('viewer.hn', `case validate ${A}`);
    expect(viewer.result).toMatchObject({ outcome: 'denied', code: 'denied' });
    expect(await lastAudit()).toMatchObject({ command: 'case validate', outcome: 'denied' });
    expect(await validations()).toEqual([]);

    // CA-HN holds CAQ-HK: the review is recorded for the unit that owns the case.
    expect((await core.run('officer.hn', `case validate ${A}`)).result.outcome).toBe('ok');
    expect(await validations()).toMatchObject([{ code: A, unit: 'CAQ-HK', member: 'officer.hn', complete: true }]);
  });
});

describe('validation due', () => {
  it('lists the records overdue and due within 30 days of the member units, the one due earliest first, by code and dates', async () => {
    const { result, reply } = await core.run('viewer.hn', 'validation due');
    expect(result.outcome).toBe('ok');
    const [message] = reply.messages;
    expect(message!.personal).toBe(false);
    expect(message!.title).toBe('Records to validate: 2 overdue, 1 due in the next 30 days');
    expect(message!.blocks[0]).toEqual({
      kind: 'list',
      items: [
        `${A} · CAQ-HK · due 2024-01-10 (235 days late) · never validated`,
        `${C} · CA-HN · due 2024-08-31 (1 day late) · never validated`,
        `${B} · CAQ-HK · due 2024-09-20 (in 19 days) · last validated 2023-09-20`,
      ],
    });
    expect(reply.text).toContain('Records 1–3 of 3, earliest due first.');
    expect(reply.text).not.toMatch(/Đối Tượng/);
    expect(await lastAudit()).toMatchObject({ command: 'validation due', outcome: 'ok', case_codes: [A, C, B] });

    const vi = await core.run('viewer.vi', 'validation due unit:CAQ-HK');
    expect(vi.reply.messages[0]!.title).toBe('Hồ sơ cần rà soát · CAQ-HK: 1 quá hạn, 1 đến hạn trong 30 ngày tới');
    expect(vi.reply.text).toContain(`${A} · CAQ-HK · hạn 10/01/2024 (quá 235 ngày) · chưa rà soát lần nào`);
    expect(vi.reply.text).toContain(`${B} · CAQ-HK · hạn 20/09/2024 (còn 19 ngày) · rà soát lần cuối 20/09/2023`);
    expect(vi.reply.text).not.toContain(C);

    const outside = await core.run('viewer.hn', 'validation due unit:CA-HCM');
    expect(outside.result).toMatchObject({ outcome: 'invalid', code: 'not_found' });
    expect(outside.reply.text).toBe('No unit CA-HCM within your units.');
  });

  it('moves with the clock: a validated record leaves the list, and one comes due as the days pass', async () => {
    let now = NOW;
    const moving = createTestCore(t.db, { clock: () => now });
    await moving.run('officer.hk', `case validate ${A}`);
    expect((await moving.run('viewer.hn', 'validation due')).reply.messages[0]!.title).toBe(
      'Records to validate: 1 overdue, 1 due in the next 30 days',
    );
    // 2024-12-10: B is 81 days late, C 101; E (due 2025-01-05) has come within the window.
    now = new Date('2024-12-10T03:00:00Z');
    const later = await moving.run('viewer.hn', 'validation due');
    expect(later.reply.messages[0]!.title).toBe('Records to validate: 2 overdue, 1 due in the next 30 days');
    expect(later.reply.messages[0]!.blocks[0]).toEqual({
      kind: 'list',
      items: [
        `${C} · CA-HN · due 2024-08-31 (101 days late) · never validated`,
        `${B} · CAQ-HK · due 2024-09-20 (81 days late) · last validated 2023-09-20`,
        `${E} · CAQ-HK · due 2025-01-05 (in 26 days) · never validated`,
      ],
    });
  });

  it('takes the months between reviews and the window from the configuration', async () => {
    const sixMonths = createTestCore(t.db, { now: NOW, validation: { months: 6, windowDays: 0 } });
    const { reply } = await sixMonths.run('viewer.hn', 'validation due');
    // Six months on: B was due 2024-03-20 and E 2024-07-05; nothing is listed before its due date.
    expect(reply.messages[0]!.title).toBe('Records to validate: 4 overdue, 0 due today');
    expect((reply.messages[0]!.blocks[0] as { items: string[] }).items.map((line) => line.split(' · ')[0])).toEqual([A, C, B, E]);
    expect((await sixMonths.run('officer.hk', `case validate ${E}`)).reply.text).toBe(
      `Validation of ${E} recorded: complete. Next review due 2025-03-01.`,
    );
  });

  it('pages a long list, and says there is nothing when there is nothing', async () => {
    for (let i = 0; i < 24; i++)
      await makeCase(t.db, { code: `TN-2019-${String(i).padStart(6, '0')}`, unit: 'CAQ-HK', wantedOn: '2019-06-01' });
    const first = await core.run('officer.hk', 'validation due');
    expect(first.reply.messages[0]!.title).toBe('Records to validate: 25 overdue, 1 due in the next 30 days');
    expect((first.reply.messages[0]!.blocks[0] as { items: string[] }).items).toHaveLength(25);
    expect(first.reply.text).toContain('Records 1–25 of 26, earliest due first. Next page: validation due page:2');
    const second = await core.run('officer.hk', 'validation due page:2');
    expect((second.reply.messages[0]!.blocks[0] as { items: string[] }).items).toEqual([
      `${B} · CAQ-HK · due 2024-09-20 (in 19 days) · last validated 2023-09-20`,
    ]);
    expect(second.reply.text).toContain('Records 26–26 of 26');

    const hcm = await makeMember(t.db, { handle: 'officer.hcm', role: 'officer', unit: 'CA-HCM' });
    expect(hcm.id).toBeGreaterThan(0);
    await core.run('officer.hcm', `case validate ${D}`);
    expect((await core.run('officer.hcm', 'validation due')).reply.text).toBe(
      'No record is overdue or due for validation in the next 30 days.',
    );
  });
});
