import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/adapters/console/render.ts';
import { messageText } from '../support/core.ts';
import { CHART_SIZE, digestChartSpec, monthLabel, renderDigestChart } from '../../src/presenters/digest-chart.ts';
import { buildDigest, type Digest, type Figures } from '../../src/services/digest/digest.ts';
import { resolveDigestRequest } from '../../src/services/digest/request.ts';
import { describePeriod, presetPeriod } from '../../src/services/digest/period.ts';
import { comparisonText, digestMessage } from '../../src/presenters/digest.ts';
import { findUnitByCode } from '../../src/repositories/units.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

/** Every figure of `rows` added up, independently of the digest's own sums. */
function sumFigures(rows: Figures[]): Figures {
  const sum = (pick: (f: Figures) => number) => rows.reduce((n, r) => n + pick(r), 0);
  return {
    resolved: {
      arrested: sum((f) => f.resolved.arrested),
      surrendered: sum((f) => f.resolved.surrendered),
      cleared: sum((f) => f.resolved.cleared),
      total: sum((f) => f.resolved.total),
      dangerous: sum((f) => f.resolved.dangerous),
      especiallyDangerous: sum((f) => f.resolved.especiallyDangerous),
    },
    decisions: { wanted: sum((f) => f.decisions.wanted), cancelled: sum((f) => f.decisions.cancelled) },
    outstanding: {
      total: sum((f) => f.outstanding.total),
      dangerous: sum((f) => f.outstanding.dangerous),
      especiallyDangerous: sum((f) => f.outstanding.especiallyDangerous),
    },
    newCases: sum((f) => f.newCases),
  };
}

const TZ = 'Asia/Ho_Chi_Minh';
const TODAY = '2024-09-01';
let t: TestDb;
let everything: Digest;
const figures = (d: Digest): Figures => ({
  resolved: d.resolved,
  decisions: d.decisions,
  outstanding: d.outstanding,
  newCases: d.newCases,
});

/**
 * A hand-built data set whose figures are known. The period is the first 8 months of 2024
 * (2024-01-01 to 2024-08-31); the same period of 2023 is the comparison.
 */
beforeAll(async () => {
  t = await openTestDb();
  await makeUnitTree(t.db);
  const lead = await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  const c = async (code: string, fields: Parameters<typeof makeCase>[1]) =>
    makeCase(t.db, { code, fullName: `Nguyễn Văn ${code}`, nationalId: `0010${code.slice(-4)}99999`, ...fields });
  // Resolved in the period, on its first and last day; dangerous and especially dangerous.
  await c('TN-A-0001', {
    unit: 'CAQ-HK',
    status: 'arrested',
    resolvedOn: '2024-01-01',
    danger: 'dangerous',
    wantedOn: '2023-06-01',
    hasPhoto: true,
    identifyingMarks: 'x',
    criminalHistory: 'y',
  });
  await c('TN-B-0002', {
    unit: 'CA-HN',
    status: 'surrendered',
    resolvedOn: '2024-08-31',
    danger: 'especially_dangerous',
    wantedOn: '2024-02-10',
  });
  await c('TN-E-0005', { unit: 'CA-HCM', status: 'arrested', resolvedOn: '2024-03-05', wantedOn: '2021-01-01' });
  // Just outside the period: the day before, and the day after (still wanted on its last day).
  await c('TN-C-0003', { unit: 'CA-HN', status: 'cleared', resolvedOn: '2023-12-31' });
  await c('TN-D-0004', {
    unit: 'CA-HN',
    status: 'arrested',
    resolvedOn: '2024-09-01',
    hasPhoto: true,
    identifyingMarks: 'x',
    criminalHistory: 'y',
  });
  // A cancellation (đình nã) in the period; an outstanding case; one wanted only after the period.
  await c('TN-F-0006', {
    unit: 'CA-HCM',
    status: 'cancelled',
    resolvedOn: '2024-04-01',
    cancellation: { number: '12/QĐ-ĐN', on: '2024-04-01' },
  });
  await c('TN-G-0007', { unit: 'CA-HCM', danger: 'especially_dangerous', wantedOn: '2024-05-05', aliases: ['<!channel> @everyone'] });
  await c('TN-H-0008', { unit: 'CA-HCM', wantedOn: '2024-09-01', hasPhoto: true, identifyingMarks: 'x', criminalHistory: 'y' });
  // The same period a year earlier: two resolved.
  await c('TN-I-0009', { unit: 'CA-HN', status: 'arrested', resolvedOn: '2023-05-05' });
  await c('TN-J-0010', { unit: 'CA-HCM', status: 'surrendered', resolvedOn: '2023-08-31' });
  // The first quarter of 2022: one resolved before it but recorded (created, updated) in it, one
  // resolved in it but recorded long before.
  await c('TN-K-0011', { unit: 'CA-HCM', status: 'arrested', resolvedOn: '2021-12-20', wantedOn: '2020-01-01' });
  await c('TN-L-0012', { unit: 'CA-HCM', status: 'surrendered', resolvedOn: '2022-02-10', wantedOn: '2020-01-01' });
  await t.db.execute(
    sql`update cases set created_at = '2022-02-15T03:00:00Z', updated_at = '2022-02-15T03:00:00Z' where code = 'TN-K-0011'`,
  );
  await t.db.execute(
    sql`update cases set created_at = '2020-05-01T03:00:00Z', updated_at = '2020-05-01T03:00:00Z' where code = 'TN-L-0012'`,
  );
  // Recorded at 23:30 and 00:30 in Hanoi around the period's end: only the first is in it.
  await t.db.execute(sql`update cases set created_at = '2024-08-31T16:30:00Z' where code = 'TN-B-0002'`);
  await t.db.execute(sql`update cases set created_at = '2024-08-31T17:30:00Z' where code = 'TN-D-0004'`);
  // Lookups: two answered in the period; a refused one and one after it do not count.
  for (const [command, outcome, at] of [
    ['case find', 'ok', '2024-03-01T02:00:00Z'],
    ['case show', 'ok', '2024-08-31T16:59:00Z'],
    ['case find', 'denied', '2024-03-01T02:00:00Z'],
    ['case find', 'ok', '2024-08-31T17:01:00Z'],
  ] as const) {
    await t.db.execute(
      sql`insert into audit_log (at, member_id, platform, command, outcome) values (${at}, ${lead.id}, 'console', ${command}, ${outcome})`,
    );
  }
  // Follow-ups: two overdue today (oldest first), one due today (not overdue), one done in the period.
  const hcm = (await findUnitByCode(t.db, 'CA-HCM'))!;
  await t.db.execute(sql`insert into follow_ups (case_id, assignee_unit_id, task, due_on, created_by_member_id, created_at)
    select id, ${hcm.id}, 'Xác minh nơi ở của Nguyễn Văn G', '2024-08-15', ${lead.id}, '2024-08-01T03:00:00Z' from cases where code = 'TN-G-0007'`);
  await t.db.execute(sql`insert into follow_ups (case_id, assignee_member_id, task, due_on, created_by_member_id, created_at)
    select id, ${lead.id}, 'Rà soát', '2024-07-01', ${lead.id}, '2023-12-01T03:00:00Z' from cases where code = 'TN-D-0004'`);
  await t.db.execute(sql`insert into follow_ups (assignee_member_id, task, due_on, created_by_member_id, created_at)
    values (${lead.id}, 'Báo cáo', '2024-09-01', ${lead.id}, '2024-06-01T03:00:00Z')`);
  await t.db
    .execute(sql`insert into follow_ups (assignee_member_id, task, due_on, status, created_by_member_id, created_at, completed_at, completed_by_member_id)
    values (${lead.id}, 'Xong', '2024-05-01', 'done', ${lead.id}, '2024-04-01T03:00:00Z', '2024-04-20T03:00:00Z', ${lead.id})`);
  everything = await buildDigest(t.db, { scopeUnitId: null, period: presetPeriod('ytd', TODAY), today: TODAY, timeZone: TZ });
});
afterAll(() => t.close());

describe('digest figures', () => {
  it('counts outcomes by the day they happened, first and last day of the period included', () => {
    expect(everything.period).toEqual({ from: '2024-01-01', to: '2024-08-31', preset: 'ytd' });
    expect(everything.resolved).toEqual({ arrested: 2, surrendered: 1, cleared: 0, total: 3, dangerous: 2, especiallyDangerous: 1 });
    expect(everything.resolvedLastYear).toMatchObject({ arrested: 1, surrendered: 1, total: 2 });
  });

  it('counts decisions, what was outstanding at the end of the period, and how complete it is', () => {
    expect(everything.decisions).toEqual({ wanted: 2, cancelled: 1 });
    // TN-D (resolved the day after) and TN-G; TN-H was wanted only after the period.
    expect(everything.outstanding).toEqual({ total: 2, dangerous: 1, especiallyDangerous: 1 });
    expect(everything.completeness).toEqual({ missingPhoto: 1, missingMarks: 1, missingHistory: 1 });
  });

  it('counts an outcome by its date, not by the day the case was recorded or updated', async () => {
    const q1 = await buildDigest(t.db, { scopeUnitId: null, period: { from: '2022-01-01', to: '2022-03-31' }, today: TODAY, timeZone: TZ });
    // TN-L (resolved in the period, recorded in 2020) counts; TN-K (recorded in it, resolved in 2021) does not.
    expect(q1.resolved).toEqual({ arrested: 0, surrendered: 1, cleared: 0, total: 1, dangerous: 0, especiallyDangerous: 0 });
    expect(q1.monthly.map((m) => [m.month, m.arrested, m.surrendered])).toEqual([
      ['2022-01', 0, 0],
      ['2022-02', 0, 1],
      ['2022-03', 0, 0],
    ]);
    // TN-K is a case recorded in the period, and that is all it counts for.
    expect(q1.newCases).toBe(1);
    // CA-HN is listed for the cases it still had outstanding then.
    expect(q1.units.map((u) => [u.code, u.resolved.total, u.newCases])).toEqual([
      ['CA-HCM', 1, 1],
      ['CA-HN', 0, 0],
    ]);
  });

  it("takes the period's days in the configured time zone", () => {
    expect(everything.newCases).toBe(1);
    expect(everything.lookups).toBe(2);
  });

  it('lists follow-ups overdue today, oldest first, with case codes and assignees only', () => {
    expect(everything.followUps).toMatchObject({ opened: 3, completed: 1, overdue: 2 });
    expect(everything.followUps.oldestOverdue.map((o) => [o.caseCode, o.assignee, o.dueOn])).toEqual([
      ['TN-D-0004', 'lead', '2024-07-01'],
      ['TN-G-0007', 'CA-HCM', '2024-08-15'],
    ]);
  });

  it("gives every figure per unit, and the units add up to the scope's totals", async () => {
    expect(everything.units.map((u) => [u.code, u.resolved.total, u.outstanding.total])).toEqual([
      ['CA-HN', 2, 1],
      ['CA-HCM', 1, 1],
    ]);
    expect(everything.units[0]).toMatchObject({
      code: 'CA-HN',
      resolved: { arrested: 1, surrendered: 1, cleared: 0, total: 2, dangerous: 2, especiallyDangerous: 1 },
      decisions: { wanted: 1, cancelled: 0 },
      outstanding: { total: 1, dangerous: 0, especiallyDangerous: 0 },
      newCases: 1,
    });
    expect(everything.units[1]).toMatchObject({
      code: 'CA-HCM',
      resolved: { arrested: 1, surrendered: 0, cleared: 0, total: 1, dangerous: 0, especiallyDangerous: 0 },
      decisions: { wanted: 1, cancelled: 1 },
      outstanding: { total: 1, dangerous: 1, especiallyDangerous: 1 },
      newCases: 0,
    });
    expect(everything.units.some((u) => u.own)).toBe(false);
    expect(sumFigures(everything.units)).toEqual(figures(everything));

    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const scoped = await buildDigest(t.db, { scopeUnitId: hn.id, period: presetPeriod('ytd', TODAY), today: TODAY, timeZone: TZ });
    expect(scoped.scope).toEqual({ code: 'CA-HN', name: 'Công an TP Hà Nội' });
    expect(scoped.resolved.total).toBe(2);
    expect(scoped.units.map((u) => [u.code, u.own ?? false, u.resolved.total, u.outstanding.total])).toEqual([
      ['CA-HN', true, 1, 1],
      ['CAQ-HK', false, 1, 0],
    ]);
    expect(sumFigures(scoped.units)).toEqual(figures(scoped));
    expect(messageText(digestMessage(scoped, 'en'))).toContain(
      'CA-HN (its own cases): 1 resolved (arrested 0, surrendered 1, cleared 0; 1 dangerous); 1 still wanted; 1 wanted decision, 0 cancellations; 1 new case',
    );
    expect(messageText(digestMessage(scoped, 'vi'))).toContain(
      'CAQ-HK Công an quận Hoàn Kiếm: Bắt, vận động đầu thú, thanh loại 1 (bắt 1, đầu thú 0, thanh loại 0; nguy hiểm, đặc biệt nguy hiểm 1); còn truy nã 0; QĐ truy nã 0, QĐ đình nã 0; hồ sơ mới 0',
    );
  });

  it('sums the units beyond the limit into one line, still adding up to the totals', async () => {
    const top = await buildDigest(t.db, {
      scopeUnitId: null,
      period: presetPeriod('ytd', TODAY),
      today: TODAY,
      timeZone: TZ,
      unitLimit: 1,
    });
    expect(top.units.map((u) => u.code)).toEqual(['CA-HN']);
    expect(top.others).toMatchObject({
      count: 1,
      resolved: { total: 1 },
      decisions: { wanted: 1, cancelled: 1 },
      outstanding: { total: 1 },
    });
    expect(sumFigures([...top.units, top.others!])).toEqual(figures(top));
    expect(messageText(digestMessage(top, 'en'))).toContain('1 other unit: 1 resolved');
    expect(messageText(digestMessage(top, 'vi'))).toContain('1 đơn vị khác: Bắt, vận động đầu thú, thanh loại 1 (');
  });

  it('shows resolved per month against the same months a year earlier', () => {
    expect(everything.monthly).toHaveLength(8);
    const none = { arrested: 0, surrendered: 0, cleared: 0 };
    expect(everything.monthly[0]).toEqual({ month: '2024-01', arrested: 1, surrendered: 0, cleared: 0, lastYear: none });
    expect(everything.monthly[4]).toEqual({
      month: '2024-05',
      arrested: 0,
      surrendered: 0,
      cleared: 0,
      lastYear: { ...none, arrested: 1 },
    });
    expect(everything.monthly[7]).toEqual({
      month: '2024-08',
      arrested: 0,
      surrendered: 1,
      cleared: 0,
      lastYear: { ...none, surrendered: 1 },
    });
  });

  it('counts the changes recorded since the last digest', async () => {
    await t.db.execute(
      sql`insert into case_events (case_id, kind, occurred_on, recorded_at) select id, 'status_changed', '2024-08-31', '2024-08-31T05:00:00Z' from cases where code = 'TN-B-0002'`,
    );
    await t.db.execute(
      sql`insert into case_events (case_id, kind, recorded_at) select id, 'created', '2024-08-20T05:00:00Z' from cases where code = 'TN-G-0007'`,
    );
    const d = await buildDigest(t.db, {
      scopeUnitId: null,
      period: presetPeriod('ytd', TODAY),
      today: TODAY,
      timeZone: TZ,
      since: new Date('2024-08-25T00:00:00Z'),
    });
    expect(d.sinceLast).toEqual({ since: '2024-08-25T00:00:00.000Z', statusChanges: 1, newCases: 0 });
    expect(messageText(digestMessage(d, 'en'))).toContain('Since the last digest: 1 status change, 0 new cases.');
    expect(messageText(digestMessage(d, 'vi'))).toContain('Từ báo cáo trước: 1 thay đổi trạng thái, 0 hồ sơ mới.');
  });
});

describe('digest rendering', () => {
  it('words the comparison with last year: up, down, the same, and none last year', () => {
    expect(comparisonText('vi', 112, 100, 2023)).toBe('tăng 12% so với cùng kỳ năm 2023');
    expect(comparisonText('vi', 1124, 1000, 2023)).toBe('tăng 12,4% so với cùng kỳ năm 2023');
    expect(comparisonText('en', 1124, 1000, 2023)).toBe('up 12.4% on the same period of 2023');
    expect(comparisonText('vi', 90, 100, 2023)).toBe('giảm 10% so với cùng kỳ năm 2023');
    expect(comparisonText('en', 90, 100, 2023)).toBe('down 10% on the same period of 2023');
    expect(comparisonText('vi', 5, 5, 2023)).toBe('bằng cùng kỳ năm 2023');
    expect(comparisonText('vi', 5, 0, 2023)).toBe('cùng kỳ năm 2023 không có trường hợp nào');
    expect(comparisonText('vi', 0, 0, 2023)).toBe('không có; cùng kỳ năm 2023 cũng không có');
    expect(comparisonText('en', 0, 0, 2023)).toBe('none; none in the same period of 2023 either');
  });

  it('says a change too small to show is almost none, and shows one decimal otherwise', () => {
    expect(comparisonText('vi', 1002, 1000, 2023)).toBe('tăng 0,2% so với cùng kỳ năm 2023');
    expect(comparisonText('en', 998, 1000, 2023)).toBe('down 0.2% on the same period of 2023');
    expect(comparisonText('vi', 10001, 10000, 2023)).toBe('gần như không đổi so với cùng kỳ năm 2023');
    expect(comparisonText('en', 9999, 10000, 2023)).toBe('almost unchanged on the same period of 2023');
  });

  it("names last year's period by its dates when it runs over two years", () => {
    const lastYear = { from: '2023-12-01', to: '2024-01-31' };
    expect(comparisonText('vi', 6, 5, lastYear)).toBe('tăng 20% so với cùng kỳ (từ 01/12/2023 đến 31/01/2024)');
    expect(comparisonText('en', 4, 5, lastYear)).toBe('down 20% on the same period a year earlier (2023-12-01 to 2024-01-31)');
    expect(comparisonText('vi', 6, 5, { from: '2023-01-01', to: '2023-08-31' })).toBe('tăng 20% so với cùng kỳ năm 2023');
  });

  it('words a period with nothing resolved, this year or last', () => {
    const zero = { arrested: 0, surrendered: 0, cleared: 0, total: 0, dangerous: 0, especiallyDangerous: 0 };
    const empty = { ...everything, resolved: zero, resolvedLastYear: zero };
    expect(messageText(digestMessage(empty, 'vi'))).toContain(
      'Bắt, vận động đầu thú, thanh loại: không có; cùng kỳ năm 2023 cũng không có.',
    );
    expect(messageText(digestMessage(empty, 'en'))).toContain(
      'Arrested, persuaded to surrender or cleared from the list: none; none in the same period of 2023 either.',
    );
    const fewer = { ...empty, resolvedLastYear: { ...zero, arrested: 4, total: 4 } };
    expect(messageText(digestMessage(fewer, 'vi'))).toContain(
      'Bắt, vận động đầu thú, thanh loại: không có, giảm 100% so với cùng kỳ năm 2023.',
    );
  });

  it("reads like the committee's report, in each locale's number format", () => {
    const vi = messageText(digestMessage(everything, 'vi'));
    expect(vi).toContain('Tiến độ công tác truy nã: 8 tháng đầu năm 2024');
    expect(vi).toContain(
      'Bắt, vận động đầu thú, thanh loại 3 đối tượng truy nã (bắt 2, đầu thú 1, thanh loại 0), tăng 50% so với cùng kỳ năm 2023',
    );
    expect(vi).toContain('Quyết định truy nã ban hành: 2');
    expect(vi).toContain('Hồ sơ mới: 1');
    expect(vi).toContain('Trong đó nguy hiểm, đặc biệt nguy hiểm: 1 (đặc biệt nguy hiểm: 1)');
    const en = messageText(digestMessage(everything, 'en'));
    expect(en).toContain('the first 8 months of 2024');
    expect(en).toContain(
      '3 wanted subjects (arrested 2, surrendered 1, cleared 0), up 50% on the same period of 2023; 2 of them dangerous or especially dangerous (1 especially dangerous)',
    );
    expect(en).toContain('Wanted decisions issued: 2');
    expect(en).toContain('Of them dangerous or especially dangerous: 1 (1 especially dangerous)');
    const one = { ...everything, resolved: { ...everything.resolved, arrested: 1, surrendered: 0, total: 1 } };
    expect(messageText(digestMessage(one, 'en'))).toContain('cleared from the list: 1 wanted subject (arrested 1,');
    const big = { ...everything, outstanding: { total: 12345, dangerous: 0, especiallyDangerous: 0 } };
    expect(messageText(digestMessage(big, 'vi'))).toContain('12.345');
    expect(messageText(digestMessage(big, 'en'))).toContain('12,345');
  });

  it('carries aggregates and case codes only: no name, ID number or alias in any format', () => {
    const outputs = [
      renderText(digestMessage(everything, 'vi')),
      renderText(digestMessage(everything, 'en')),
      renderMarkdown(digestMessage(everything, 'vi')),
      JSON.stringify(everything),
    ];
    for (const out of outputs) {
      expect(out).not.toMatch(/Nguyễn Văn/);
      expect(out).not.toMatch(/99999/);
      expect(out).not.toContain('<!channel>');
    }
    expect(digestMessage(everything, 'vi')).toMatchObject({ personal: false, toChannel: true });
    expect(renderText(digestMessage(everything, 'vi'))).toContain('TN-G-0007');
  });

  it('says how many overdue follow-ups the list leaves out', async () => {
    const d = await buildDigest(t.db, {
      scopeUnitId: null,
      period: presetPeriod('ytd', TODAY),
      today: TODAY,
      timeZone: TZ,
      overdueLimit: 1,
    });
    expect(d.followUps.oldestOverdue).toHaveLength(1);
    expect(messageText(digestMessage(d, 'en'))).toContain('… and 1 more (followup list overdue)');
    expect(messageText(digestMessage(d, 'vi'))).toContain('… và 1 việc quá hạn khác');
    expect(messageText(digestMessage(everything, 'en'))).not.toContain('more (followup list overdue)');
  });

  it.each(['vi', 'en'] as const)('draws the chart as a PNG of exactly the declared size (%s)', async (locale) => {
    const png = await renderDigestChart(everything, locale);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    // A year of months, and a single one, fit the same size.
    const year = await renderDigestChart(
      await buildDigest(t.db, { scopeUnitId: null, period: { from: '2023-09-01', to: '2024-08-31' }, today: TODAY, timeZone: TZ }),
      locale,
    );
    expect([year.readUInt32BE(16), year.readUInt32BE(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    const month = await renderDigestChart(
      await buildDigest(t.db, { scopeUnitId: null, period: presetPeriod('month', TODAY), today: TODAY, timeZone: TZ }),
      locale,
    );
    expect([month.readUInt32BE(16), month.readUInt32BE(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
  });

  it('leaves the built-in prototypes as they were after drawing, so that discord.js still loads after a chart', async () => {
    await renderDigestChart(everything, 'vi');
    // vega-lite adds Set.prototype.toJSON as it loads; discord.js's event emitter then fails to load.
    expect(Object.getOwnPropertyNames(Set.prototype)).not.toContain('toJSON');
    const discord = await import('discord.js');
    expect(typeof discord.Client).toBe('function');
  });

  it('titles the chart with its unit and period, as of its last day, and marks a month it covers only in part', async () => {
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const d = await buildDigest(t.db, {
      scopeUnitId: hn.id,
      period: { from: '2024-01-01', to: '2024-08-20' },
      today: '2024-08-21',
      timeZone: TZ,
    });
    const values = (spec: ReturnType<typeof digestChartSpec>) =>
      (spec.data as { values: Array<{ month: string; partOnly: boolean }> }).values;
    const vi = digestChartSpec(d, 'vi');
    expect(vi.title).toMatchObject({
      text: 'Bắt, vận động đầu thú, thanh loại theo tháng',
      subtitle: [
        'CA-HN (Công an TP Hà Nội): từ 01/01/2024 đến 20/08/2024, tính đến ngày 20/08/2024',
        'T8/2024 chưa hết tháng: số liệu mới đến ngày 20/08/2024 (cột có viền nét đứt)',
      ],
    });
    const months = [...new Set(values(vi).map((v) => v.month))];
    expect(months.at(-1)).toBe('T8/2024 (đến 20/08)');
    expect(months.at(-2)).toBe('T7/2024');
    expect(
      values(vi)
        .filter((v) => v.partOnly)
        .map((v) => v.month),
    ).toEqual(Array(6).fill('T8/2024 (đến 20/08)'));
    const en = digestChartSpec(d, 'en');
    expect((en.title as { subtitle: string[] }).subtitle).toEqual([
      'CA-HN (Công an TP Hà Nội): 2024-01-01 to 2024-08-20, as of 2024-08-20',
      'Aug 2024 is still in progress: figures to 2024-08-20 only (dashed outline)',
    ]);
    // Whole months only: nothing marked, all units named.
    const whole = digestChartSpec(everything, 'en');
    expect((whole.title as { subtitle: string[] }).subtitle).toEqual(['all units: the first 8 months of 2024, as of 2024-08-31']);
    expect(values(whole).some((v) => v.partOnly)).toBe(false);
    const png = await renderDigestChart(d, 'vi');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
  });

  it("labels the chart's months in each locale", () => {
    expect(monthLabel('vi', '2026-01')).toBe('T1/2026');
    expect(monthLabel('en', '2026-01')).toBe('Jan 2026');
    expect(monthLabel('en', '2025-12')).toBe('Dec 2025');
  });
});

describe('digest periods', () => {
  it.each([
    ['week', '2024-09-04', '2024-08-26', '2024-09-01'],
    ['week', '2024-09-02', '2024-08-26', '2024-09-01'],
    ['month', '2024-09-01', '2024-08-01', '2024-08-31'],
    ['month', '2024-01-15', '2023-12-01', '2023-12-31'],
    ['quarter', '2024-05-10', '2024-01-01', '2024-03-31'],
    ['quarter', '2024-02-01', '2023-10-01', '2023-12-31'],
    ['ytd', '2024-09-01', '2024-01-01', '2024-08-31'],
    ['ytd', '2024-01-01', '2023-01-01', '2023-12-31'],
  ] as const)('%s on %s is %s to %s', (preset, today, from, to) => {
    expect(presetPeriod(preset, today)).toEqual({ from, to, preset });
  });

  it("runs since-last from the day after the last digest's period, or the last 7 days for a schedule's first", () => {
    expect(presetPeriod('since-last', '2024-09-09', '2024-09-01')).toEqual({ from: '2024-09-02', to: '2024-09-08', preset: 'since-last' });
    expect(presetPeriod('since-last', '2024-09-09', '2024-09-07')).toEqual({ from: '2024-09-08', to: '2024-09-08', preset: 'since-last' });
    expect(presetPeriod('since-last', '2024-09-09')).toEqual({ from: '2024-09-02', to: '2024-09-08', preset: 'since-last' });
  });

  it('never repeats a day already reported: after a digest up to yesterday, since-last is today alone', () => {
    expect(presetPeriod('since-last', '2024-09-09', '2024-09-08')).toEqual({ from: '2024-09-09', to: '2024-09-09', preset: 'since-last' });
    expect(presetPeriod('since-last', '2024-09-09', '2024-09-09')).toEqual({ from: '2024-09-09', to: '2024-09-09', preset: 'since-last' });
    expect(describePeriod('vi', { from: '2024-09-09', to: '2024-09-09' })).toBe('ngày 09/09/2024');
    expect(describePeriod('en', { from: '2024-09-09', to: '2024-09-09' })).toBe('2024-09-09');
  });

  it("refuses since-last without a schedule's previous digest, and takes it with one", async () => {
    const alone = await resolveDigestRequest(t.db, { scope: null, preset: 'since-last', today: '2024-09-09' });
    expect(alone.ok).toBe(false);
    if (!alone.ok) {
      expect(alone.failure.code).toBe('invalid');
      expect(alone.failure.text('en')).toContain('since-last needs a schedule');
      expect(alone.failure.text('vi')).toContain('chỉ dùng được cho lịch gửi báo cáo');
    }
    expect(await resolveDigestRequest(t.db, { scope: null, preset: 'since-last', today: '2024-09-09', lastTo: '2024-09-01' })).toEqual({
      ok: true,
      value: { scopeUnitId: null, period: { from: '2024-09-02', to: '2024-09-08', preset: 'since-last' } },
    });
  });

  it('names the period as the reports do', () => {
    expect(describePeriod('vi', { from: '2024-01-01', to: '2024-08-31' })).toBe('8 tháng đầu năm 2024');
    expect(describePeriod('en', { from: '2024-01-01', to: '2024-08-31' })).toBe('the first 8 months of 2024');
    expect(describePeriod('vi', { from: '2024-08-01', to: '2024-08-31' })).toBe('tháng 8/2024');
    expect(describePeriod('en', { from: '2024-08-01', to: '2024-08-31' })).toBe('August 2024');
    expect(describePeriod('vi', { from: '2024-08-26', to: '2024-09-01' })).toBe('từ 26/08/2024 đến 01/09/2024');
    expect(describePeriod('en', { from: '2023-01-01', to: '2023-12-31' })).toBe('the year 2023');
  });
});
