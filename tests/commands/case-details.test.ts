import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
const CODE = 'TN-2021-000400';

beforeAll(async () => {
  t = await openTestDb();
  // 2024-09-01 03:00 UTC is 10:00 on 2024-09-01 in Hanoi.
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer.vi', role: 'officer', unit: 'CA-HN', locale: 'vi' });
  await makeMember(t.db, { handle: 'officer.hcm', role: 'officer', unit: 'CA-HCM' });
  await makeCase(t.db, { code: CODE, fullName: 'Phạm Thị Hoa', unit: 'CA-HN', wantedOn: '2021-03-01' });
});
afterAll(() => t.close());

const entries = () =>
  queryRows<{ kind: string; text: string; source: string | null; noted_on: string | null; added_by_label: string | null }>(
    t.db,
    sql`select kind, text, source, noted_on::text, added_by_label from case_details order by id`,
  );

describe('case info marks|history', () => {
  it('adds an entry with its source and day, saying in the channel what was recorded but not the text', async () => {
    const { result, reply } = await core.run(
      'officer',
      `case info ${CODE} marks "sẹo dài ở cằm" source:"bản án 12/2020/HS-ST" on:2020-05-01`,
    );
    expect(result.outcome).toBe('ok');
    expect(reply.messages[0]!.personal).toBe(false);
    expect(reply.text).toBe(
      `Added identifying marks to ${CODE} (entry 1; with its source, source dated 2020-05-01). It is the first entry. See: case show ${CODE}`,
    );
    expect(reply.text).not.toContain('sẹo');
    expect(reply.text).not.toContain('12/2020');
    expect(await entries()).toEqual([
      { kind: 'marks', text: 'sẹo dài ở cằm', source: 'bản án 12/2020/HS-ST', noted_on: '2020-05-01', added_by_label: null },
    ]);
    const second = await core.run('officer.vi', `case info ${CODE} dac-diem hình xăm rồng ở tay phải`);
    expect(second.reply.text).toBe(
      `Đã thêm đặc điểm nhận dạng cho ${CODE} (mục thứ 2; không ghi nguồn, không ghi ngày). 1 mục trước vẫn được giữ. Xem: case show ${CODE}`,
    );
    expect(await findCaseByCode(t.db, CODE)).toMatchObject({ identifyingMarks: 'hình xăm rồng ở tay phải' });
    expect(await entries()).toHaveLength(2);
  });

  it('shows the entries on the card and the entry in the history', async () => {
    await core.run('officer', `case info ${CODE} history "1 tiền án trộm cắp" source:"bản án 7/2019/HS-PT" on:2019-11-20`);
    await t.db.execute(sql`update cases set validated_on = '2024-08-01' where code = ${CODE}`);
    const card = await core.run('officer', `case show ${CODE}`);
    expect(card.reply.messages[0]!.personal).toBe(true);
    expect(card.reply.text).toContain('Criminal history: yes (1 entry)');
    expect(card.reply.text).toContain(
      '[new since the last review] 1 tiền án trộm cắp — source: bản án 7/2019/HS-PT, dated 2019-11-20 · officer, 2024-09-01 10:00',
    );
    expect(card.reply.text).toContain('Identifying marks: missing');
    const history = await core.run('officer', `case history ${CODE}`);
    expect(history.reply.text).toMatch(
      /information added · officer: criminal history \(entry #\d+; source: bản án 7\/2019\/HS-PT; dated 2019-11-20\)/,
    );
    const vi = await core.run('officer.vi', `case history ${CODE}`);
    expect(vi.reply.text).toMatch(
      /bổ sung thông tin · officer: tiền án, tiền sự \(mục #\d+; nguồn: bản án 7\/2019\/HS-PT; ngày 20\/11\/2019\)/,
    );
  });

  it('refuses a source day in the future, in the reader’s language, recording nothing', async () => {
    const en = await core.run('officer', `case info ${CODE} marks sẹo on:2024-09-02`);
    expect(en.result.code).toBe('invalid');
    expect(en.reply.text).toContain("The source's day (2024-09-02) is in the future; today is 2024-09-01.");
    const vi = await core.run('officer.vi', `case info ${CODE} marks sẹo on:2024-09-02`);
    expect(vi.reply.text).toContain('Ngày của nguồn (02/09/2024) ở tương lai');
    expect(await entries()).toEqual([]);
    expect((await findCaseByCode(t.db, CODE))!.identifyingMarks).toBeNull();
  });

  it('refuses a source or a day with a photo', async () => {
    const { result, reply } = await core.run('officer', `case info ${CODE} photo "Kho ảnh 12" source:x`);
    expect(result.code).toBe('invalid');
    expect(reply.text).toContain('Leave them out when recording a photo.');
    expect((await findCaseByCode(t.db, CODE))!.hasPhoto).toBe(false);
  });

  it('treats a case of another unit as one that does not exist', async () => {
    const { result, reply } = await core.run('officer.hcm', `case info ${CODE} marks sẹo`);
    expect(result.code).toBe('not_found');
    expect(reply.text).toContain(`No case ${CODE} within your units.`);
    expect(await entries()).toEqual([]);
  });
});
