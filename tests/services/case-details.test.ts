import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { Scope } from '../../src/domain/scope.ts';
import { caseCardBlocks } from '../../src/presenters/case.ts';
import { messageText } from '../support/core.ts';
import { caseDetailsOfCase, insertCaseDetails } from '../../src/repositories/case-details.ts';
import { findCaseByCode, type CaseRow } from '../../src/repositories/cases.ts';
import type { Member } from '../../src/repositories/members.ts';
import { addCaseDetail, detailsAddedByUnit, detailsAddedSince } from '../../src/services/case-details.ts';
import { getCaseCard } from '../../src/services/cases.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makePhoto, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
const TODAY = '2024-09-01';
const TZ = 'Asia/Ho_Chi_Minh';
let officer: Member;
let hn: Scope;
let hcm: Scope;
let kase: CaseRow;
/** Each entry a minute after the one before. */
let clock: Date;

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  const units = await makeUnitTree(t.db);
  officer = await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'CA-HN' });
  hn = { unitId: units['CA-HN'].id, unitIds: [units['CA-HN'].id, units['CAQ-HK'].id] };
  hcm = { unitId: units['CA-HCM'].id, unitIds: [units['CA-HCM'].id] };
  clock = new Date('2024-09-01T01:00:00Z');
  kase = await makeCase(t.db, { code: 'TN-2021-000300', unit: 'CA-HN', wantedOn: '2021-03-01' });
});
afterAll(() => t.close());

const add = (input: {
  kind?: 'marks' | 'history';
  text: string | undefined;
  source?: string;
  on?: string;
  scope?: Scope;
  version?: number;
}) =>
  addCaseDetail(t.db, {
    scope: input.scope ?? hn,
    actor: officer,
    code: kase.code,
    kind: input.kind ?? 'marks',
    text: input.text,
    source: input.source,
    on: input.on,
    expectedVersion: input.version,
    now: (clock = new Date(clock.getTime() + 60_000)),
    today: TODAY,
  });

const infoEvents = () =>
  queryRows<{ data: Record<string, unknown>; actor_member_id: number }>(
    t.db,
    sql`select data, actor_member_id from case_events where kind = 'info_added' order by id`,
  );

describe('adding an entry', () => {
  it('keeps every entry, newest first, and makes the latest the case summary', async () => {
    const first = await add({ text: 'sẹo dài ở cằm', source: 'bản án 12/2020/HS-ST', on: '2020-05-01' });
    expect(first.ok).toBe(true);
    const second = await add({ text: '  hình xăm rồng  ở bắp tay phải ' });
    const history = await add({ kind: 'history', text: '2 tiền án trộm cắp', source: 'CV 45/PC02' });
    expect(second.ok && history.ok).toBe(true);
    if (!second.ok || !history.ok) return;
    expect(second.value.count).toBe(2);
    expect(history.value.count).toBe(1);
    expect(await findCaseByCode(t.db, kase.code)).toMatchObject({
      identifyingMarks: 'hình xăm rồng ở bắp tay phải',
      criminalHistory: '2 tiền án trộm cắp',
      version: kase.version + 3,
    });
    const entries = await caseDetailsOfCase(t.db, { caseId: kase.id });
    expect(entries.map((e) => [e.kind, e.text, e.source, e.notedOn, e.addedBy])).toEqual([
      ['history', '2 tiền án trộm cắp', 'CV 45/PC02', null, 'officer'],
      ['marks', 'hình xăm rồng ở bắp tay phải', null, null, 'officer'],
      ['marks', 'sẹo dài ở cằm', 'bản án 12/2020/HS-ST', '2020-05-01', 'officer'],
    ]);
    // Added at the clock's time, a minute apart.
    expect(entries.map((e) => e.addedAt.toISOString())).toEqual([
      '2024-09-01T01:03:00.000Z',
      '2024-09-01T01:02:00.000Z',
      '2024-09-01T01:01:00.000Z',
    ]);
  });

  it('records an info_added event naming the entry, its source and day, without its text', async () => {
    const added = await add({ kind: 'history', text: 'tiền án cướp tài sản', source: 'bản án 7/2019/HS-PT', on: '2019-11-20' });
    if (!added.ok) throw new Error('not added');
    const events = await infoEvents();
    expect(events).toEqual([
      {
        actor_member_id: officer.id,
        data: {
          version: added.value.row.version,
          field: 'history',
          detail: added.value.detail.id,
          source: 'bản án 7/2019/HS-PT',
          on: '2019-11-20',
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('cướp');
  });

  it('refuses an empty text, a day in the future and a case outside the scope, writing nothing', async () => {
    const empty = await add({ text: ' \n  ' });
    expect(empty.ok).toBe(false);
    if (!empty.ok) {
      expect(empty.failure.code).toBe('invalid');
      expect(empty.failure.text('en')).toContain(`e.g. case info ${kase.code} marks`);
      expect(empty.failure.text('vi')).toContain('Chưa có nội dung đặc điểm nhận dạng');
    }
    const missing = await add({ text: undefined });
    expect(missing.ok).toBe(false);
    const future = await add({ text: 'sẹo', on: '2024-09-02' });
    expect(future.ok).toBe(false);
    if (!future.ok) {
      expect(future.failure.text('vi')).toContain('Ngày của nguồn (02/09/2024) ở tương lai; hôm nay là 01/09/2024');
      expect(future.failure.text('en')).toContain('leave on: out if it is unknown');
    }
    const outside = await add({ text: 'sẹo', scope: hcm });
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.failure.code).toBe('not_found');
    expect(await caseDetailsOfCase(t.db, { caseId: kase.id })).toEqual([]);
    expect(await infoEvents()).toEqual([]);
    expect((await findCaseByCode(t.db, kase.code))!.version).toBe(kase.version);
  });

  it('accepts today as the source day', async () => {
    expect((await add({ text: 'sẹo', on: TODAY })).ok).toBe(true);
  });

  it('refuses a change to a case changed after the version read, and the very latest entry again', async () => {
    expect((await add({ text: 'sẹo ở cằm', version: kase.version })).ok).toBe(true);
    const stale = await add({ text: 'nốt ruồi', version: kase.version });
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.failure.code).toBe('conflict');
    const again = await add({ text: 'sẹo ở cằm' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.failure.text('en')).toContain('nothing changed');
    // The same text from another source is a new entry.
    expect((await add({ text: 'sẹo ở cằm', source: 'biên bản nhận dạng' })).ok).toBe(true);
    expect(await caseDetailsOfCase(t.db, { caseId: kase.id })).toHaveLength(2);
  });

  it('is append-only: the database refuses to change or remove an entry', async () => {
    await add({ text: 'sẹo' });
    await expect(t.db.execute(sql`update case_details set text = 'khác'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from case_details`)).rejects.toThrow();
    expect((await caseDetailsOfCase(t.db, { caseId: kase.id }))[0]!.text).toBe('sẹo');
  });
});

describe('on the case card', () => {
  const card = async (locale: 'vi' | 'en') => {
    const found = await getCaseCard(t.db, hn, kase.code);
    if (!found.ok) throw new Error('no card');
    return messageText({ personal: true, blocks: caseCardBlocks(found.value, locale, TZ) });
  };
  const entry = (kind: 'marks' | 'history', text: string, addedAt: string, extra: { source?: string; notedOn?: string } = {}) =>
    insertCaseDetails(t.db, [{ caseId: kase.id, kind, text, addedByMemberId: officer.id, addedAt: new Date(addedAt), ...extra }]);

  it('marks the entries added since the last review, by the day in the local time zone', async () => {
    await entry('marks', 'sẹo cũ', '2024-07-31T16:30:00Z'); // 31/07 23:30 in Hanoi: before the review day
    await entry('marks', 'hình xăm', '2024-07-31T17:30:00Z', { source: 'biên bản 3', notedOn: '2024-07-30' }); // 01/08 00:30
    await entry('history', 'tiền án trộm cắp', '2024-08-20T02:00:00Z');
    await t.db.execute(sql`update cases set validated_on = '2024-08-01' where id = ${kase.id}`);
    const en = await card('en');
    expect(en).toContain('Last review: 2024-08-01; 2 entries new since then.');
    expect(en).toContain('Identifying marks: yes (2 entries)');
    expect(en).toContain('Criminal history: yes (1 entry)');
    expect(en).toContain('[new since the last review] hình xăm — source: biên bản 3, dated 2024-07-30 · officer, 2024-08-01 00:30');
    expect(en).toContain('\nsẹo cũ · officer, 2024-07-31 23:30');
    expect(en).toContain('[new since the last review] tiền án trộm cắp · officer, 2024-08-20 09:00');
    // Each kind under its heading, newest first.
    expect(en.indexOf('hình xăm —')).toBeLessThan(en.indexOf('sẹo cũ'));
    expect(en.indexOf('Criminal history\n')).toBeGreaterThan(en.indexOf('sẹo cũ'));
    const vi = await card('vi');
    expect(vi).toContain('Rà soát gần nhất: 01/08/2024; 2 mục mới kể từ đó.');
    expect(vi).toContain('[mới kể từ lần rà soát trước] hình xăm — nguồn: biên bản 3, ngày 30/07/2024 · officer, 01/08/2024 00:30');
  });

  it('says so when the record was never reviewed, marking nothing', async () => {
    await entry('marks', 'sẹo', '2024-08-20T02:00:00Z');
    const en = await card('en');
    expect(en).toContain('This record has never been reviewed.');
    expect(en).not.toContain('new since the last review');
    expect(await card('vi')).toContain('Hồ sơ chưa được rà soát lần nào.');
  });
});

describe("the records department's figures", () => {
  it('counts entries added in a period per unit and kind, and since a moment for a scope', async () => {
    const hk = await makeCase(t.db, { code: 'TN-2021-000301', unit: 'CAQ-HK' });
    const south = await makeCase(t.db, { code: 'TN-2021-000302', unit: 'CA-HCM' });
    const at = (caseId: number, kind: 'marks' | 'history', addedAt: string) =>
      insertCaseDetails(t.db, [{ caseId, kind, text: 'x', addedByLabel: 'import', addedAt: new Date(addedAt) }]);
    await at(kase.id, 'marks', '2024-07-31T23:59:59.999Z');
    await at(kase.id, 'marks', '2024-08-01T00:00:00Z');
    await at(kase.id, 'history', '2024-08-15T00:00:00Z');
    await at(hk.id, 'marks', '2024-08-10T00:00:00Z');
    await at(hk.id, 'marks', '2024-09-01T00:00:00Z');
    await at(south.id, 'history', '2024-08-10T00:00:00Z');
    const august = await detailsAddedByUnit(t.db, {
      unitIds: [...hn.unitIds, ...hcm.unitIds],
      from: new Date('2024-08-01T00:00:00Z'),
      to: new Date('2024-09-01T00:00:00Z'),
    });
    expect(august).toEqual(
      new Map([
        [kase.unitId, { marks: 1, history: 1 }],
        [hk.unitId, { marks: 1, history: 0 }],
        [south.unitId, { marks: 0, history: 1 }],
      ]),
    );
    expect(await detailsAddedSince(t.db, { unitIds: hn.unitIds, since: new Date('2024-08-01T00:00:00Z') })).toEqual({
      marks: 3,
      history: 1,
    });
    expect(await detailsAddedSince(t.db, { unitIds: hcm.unitIds, since: new Date('2024-08-11T00:00:00Z') })).toEqual({
      marks: 0,
      history: 0,
    });
    expect(await detailsAddedSince(t.db, { unitIds: [], since: new Date('2000-01-01T00:00:00Z') })).toEqual({ marks: 0, history: 0 });
  });
});

describe('what the digest says was added to the records', () => {
  it('counts the photos and entries added in the period, from their dates in the time zone, within the scope', async () => {
    const hcmCase = await makeCase(t.db, { code: 'TN-2021-000301', unit: 'CA-HCM', wantedOn: '2021-03-01' });
    const entry = (caseId: number, kind: 'marks' | 'history', addedAt: string, label: string | null = null) => ({
      caseId,
      kind,
      text: 'sẹo ở cằm',
      addedByMemberId: label ? null : officer.id,
      addedByLabel: label,
      addedAt: new Date(addedAt),
    });
    await insertCaseDetails(t.db, [
      entry(kase.id, 'marks', '2024-08-10T03:00:00Z'),
      // 1 September, 00:30 in Ho Chi Minh City: the next period's.
      entry(kase.id, 'history', '2024-08-31T17:30:00Z'),
      // What the migration copied from the old free-text fields is not news.
      entry(kase.id, 'marks', '2024-08-05T03:00:00Z', 'migration'),
      entry(hcmCase.id, 'history', '2024-08-15T03:00:00Z'),
    ]);
    const first = await makePhoto(t.db, { code: kase.code });
    const second = await makePhoto(t.db, { code: kase.code, colour: '#224466' });
    const early = await makePhoto(t.db, { code: kase.code, colour: '#446622' });
    const at = async (id: number, addedAt: string) =>
      t.db.execute(sql`update case_photos set added_at = ${addedAt}::timestamptz where id = ${id}`);
    // 1 August, 00:30 in Ho Chi Minh City: in the period.
    await at(first.id, '2024-07-31T17:30:00Z');
    await at(second.id, '2024-08-20T03:00:00Z');
    await at(early.id, '2024-07-31T16:30:00Z');
    const august = { from: '2024-08-01', to: '2024-08-31' };
    const all = await buildDigest(t.db, { scopeUnitId: null, period: august, today: TODAY, timeZone: TZ });
    expect(all.added).toEqual({ photos: 2, marks: 1, history: 1 });
    const ofHn = await buildDigest(t.db, { scopeUnitId: hn.unitId, period: august, today: TODAY, timeZone: TZ });
    expect(ofHn.added).toEqual({ photos: 2, marks: 1, history: 0 });
    expect(messageText(digestMessage(all, 'en'))).toMatch(/Photos added in the period\W+2\b/);
    expect(messageText(digestMessage(all, 'vi'))).toMatch(/Tiền án, tiền sự bổ sung trong kỳ\W+1\b/);
  });
});
