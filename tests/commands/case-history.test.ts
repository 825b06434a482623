import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
const CODE = 'TN-2021-000200';
const OTHER = 'TN-2021-000201';

beforeAll(async () => {
  t = await openTestDb();
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'viewer', role: 'viewer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer.vi', role: 'officer', unit: 'CA-HN', locale: 'vi' });
  await makeMember(t.db, { handle: 'officer.hcm', role: 'officer', unit: 'CA-HCM' });
  await makeCase(t.db, { code: CODE, fullName: 'Phạm Thị Hoa', unit: 'CA-HN', wantedOn: '2021-03-01' });
  await makeCase(t.db, { code: OTHER, fullName: 'Trần Văn Bình', unit: 'CA-HN', wantedOn: '2021-03-01' });
});
afterAll(() => t.close());

const ok = async (handle: string, line: string) => {
  const run = await core.run(handle, line);
  expect(run.result.outcome, `${line}: ${run.reply.text}`).toBe('ok');
  return run;
};

/** An outcome, a note, then many follow-up entries after them: what pushed both out of `case show`. */
async function busyCase() {
  await ok('lead', `case status ${CODE} arrested on:2024-08-15 bắt tại Gia Lâm`);
  await ok('officer', `case note ${CODE} đã lấy lời khai ban đầu`);
  for (let i = 1; i <= 4; i++) await ok('lead', `followup add ${CODE} officer "Xác minh địa chỉ ${i}"`);
  for (let i = 1; i <= 3; i++) await ok('officer', `followup done ${i} xong ${i}`);
}

describe('case show', () => {
  it('keeps the latest status change and note in sight whatever follow-ups add, and points to the history', async () => {
    await busyCase();
    const { reply } = await ok('officer', `case show ${CODE}`);
    expect(reply.text).toContain('wanted → arrested (2024-08-15) — bắt tại Gia Lâm');
    expect(reply.text).toContain('note · officer: đã lấy lời khai ban đầu');
    // The five latest, all follow-up entries, are there too; the two oldest assignments are not.
    expect(reply.text).toContain('#3 Xác minh địa chỉ 3 (done) — xong 3');
    expect(reply.text).toContain('#3 Xác minh địa chỉ 3 (assigned to officer)');
    expect(reply.text).not.toContain('#2 Xác minh địa chỉ 2 (assigned');
    expect(reply.text).not.toContain('#1 Xác minh địa chỉ 1 (assigned');
    // 9 events: 7 shown, so 2 more.
    expect(reply.text).toContain(`2 more events; to see them all: case history ${CODE}`);
    // Newest first: the follow-ups, then the note, then the status change.
    expect(reply.text.indexOf('#3 Xác minh địa chỉ 3 (assigned')).toBeLessThan(reply.text.indexOf('đã lấy lời khai'));
    expect(reply.text.indexOf('đã lấy lời khai')).toBeLessThan(reply.text.indexOf('wanted → arrested'));
  });

  it('says nothing of a history when every event is shown', async () => {
    await ok('officer', `case note ${CODE} ghi chú`);
    const { reply } = await ok('officer', `case show ${CODE}`);
    expect(reply.text).toContain('ghi chú');
    expect(reply.text).not.toContain('case history');
  });
});

describe('case history', () => {
  it('lists every event of the case, newest first, privately', async () => {
    await busyCase();
    const { result, reply } = await ok('officer', `case history ${CODE}`);
    expect(reply.messages[0]!.personal).toBe(true);
    const items = reply.messages[0]!.blocks.flatMap((b) => (b.kind === 'list' ? b.items : []));
    expect(items).toHaveLength(9);
    expect(items[0]).toContain('#3 Xác minh địa chỉ 3 (done) — xong 3');
    expect(items.at(-1)).toContain('wanted → arrested (2024-08-15) — bắt tại Gia Lâm');
    expect(items.at(-2)).toContain('note · officer: đã lấy lời khai ban đầu');
    expect(reply.text).toContain(`History of case ${CODE}`);
    expect(reply.text).toContain('9 events, newest first.');
    expect(result.outcome).toBe('ok');
    const [audit] = await queryRows<{ command: string; case_codes: string[] }>(
      t.db,
      sql`select command, case_codes from audit_log where command = 'case history'`,
    );
    expect(audit).toEqual({ command: 'case history', case_codes: [CODE] });
  });

  it("shows only that case's events, and says so when there are none", async () => {
    await ok('officer', `case note ${OTHER} chỉ của hồ sơ khác`);
    const { reply } = await ok('officer', `case history ${CODE}`);
    expect(reply.text).toContain('Nothing recorded yet.');
    expect(reply.text).not.toContain('chỉ của hồ sơ khác');
    const vi = await ok('officer.vi', `case history ${OTHER}`);
    expect(vi.reply.text).toContain(`Diễn biến của hồ sơ ${OTHER}`);
    expect(vi.reply.text).toContain('1 diễn biến, mới nhất trước.');
  });

  it('is "not found" outside the scope, refused to a viewer, and withheld where the answer cannot be private', async () => {
    await ok('officer', `case note ${CODE} nơi ở của đối tượng`);
    const outside = await core.run('officer.hcm', `case history ${CODE}`);
    expect(outside.result.code).toBe('not_found');
    expect(outside.reply.text).not.toContain('nơi ở');
    expect((await core.run('viewer', `case history ${CODE}`)).result.code).toBe('denied');
    const shared = await core.run('officer', `case history ${CODE}`, { canBePrivate: false });
    expect(shared.result.outcome).toBe('ok');
    expect(shared.reply.messages[0]!.personal).toBe(false);
    expect(shared.reply.text).not.toContain('nơi ở');
    expect(shared.reply.text).toContain('direct message');
  });
});
