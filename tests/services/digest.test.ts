import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/adapters/console/render.ts';
import { messageText } from '../support/core.ts';
import { renderDigestChart } from '../../src/services/digest/chart.ts';
import { buildDigest, type Digest } from '../../src/services/digest/digest.ts';
import { describePeriod, presetPeriod } from '../../src/services/digest/period.ts';
import { comparisonText, digestMarkdown, digestMessage } from '../../src/services/digest/render.ts';
import { findUnitByCode } from '../../src/repositories/units.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const TODAY = '2024-09-01';
let t: TestDb;
let everything: Digest;

/**
 * A hand-built data set whose figures are known. The period is the first 8 months of 2024
 * (2024-01-01 to 2024-08-31); the same period of 2023 is the comparison.
 */
beforeAll(async () => {
  t = await openTestDb();
  await makeUnitTree(t.db);
  const lead = await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  const c = async (code: string, fields: Parameters<typeof makeCase>[1]) => makeCase(t.db, { code, fullName: `Nguyễn Văn ${code}`, nationalId: `0010${code.slice(-4)}99999`, ...fields });
  // Resolved in the period, on its first and last day; dangerous and especially dangerous.
  await c('TN-A-0001', { unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-01-01', danger: 'dangerous', wantedOn: '2023-06-01', hasPhoto: true, identifyingMarks: 'x', criminalHistory: 'y' });
  await c('TN-B-0002', { unit: 'CA-HN', status: 'surrendered', resolvedOn: '2024-08-31', danger: 'especially_dangerous', wantedOn: '2024-02-10' });
  await c('TN-E-0005', { unit: 'CA-HCM', status: 'arrested', resolvedOn: '2024-03-05', wantedOn: '2021-01-01' });
  // Just outside the period: the day before, and the day after (still wanted on its last day).
  await c('TN-C-0003', { unit: 'CA-HN', status: 'cleared', resolvedOn: '2023-12-31' });
  await c('TN-D-0004', { unit: 'CA-HN', status: 'arrested', resolvedOn: '2024-09-01', hasPhoto: true, identifyingMarks: 'x', criminalHistory: 'y' });
  // A cancellation (đình nã) in the period; an outstanding case; one wanted only after the period.
  await c('TN-F-0006', { unit: 'CA-HCM', status: 'cancelled', resolvedOn: '2024-04-01', cancelledOn: '2024-04-01', cancellationDecisionNo: '12/QĐ-ĐN' });
  await c('TN-G-0007', { unit: 'CA-HCM', danger: 'especially_dangerous', wantedOn: '2024-05-05', aliases: ['<!channel> @everyone'] });
  await c('TN-H-0008', { unit: 'CA-HCM', wantedOn: '2024-09-01', hasPhoto: true, identifyingMarks: 'x', criminalHistory: 'y' });
  // The same period a year earlier: two resolved.
  await c('TN-I-0009', { unit: 'CA-HN', status: 'arrested', resolvedOn: '2023-05-05' });
  await c('TN-J-0010', { unit: 'CA-HCM', status: 'surrendered', resolvedOn: '2023-08-31' });
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
    await t.db.execute(sql`insert into audit_log (at, member_id, platform, command, outcome) values (${at}, ${lead.id}, 'console', ${command}, ${outcome})`);
  }
  // Follow-ups: two overdue today (oldest first), one due today (not overdue), one done in the period.
  const hcm = (await findUnitByCode(t.db, 'CA-HCM'))!;
  await t.db.execute(sql`insert into follow_ups (case_id, assignee_unit_id, task, due_on, created_by_member_id, created_at)
    select id, ${hcm.id}, 'Xác minh nơi ở của Nguyễn Văn G', '2024-08-15', ${lead.id}, '2024-08-01T03:00:00Z' from cases where code = 'TN-G-0007'`);
  await t.db.execute(sql`insert into follow_ups (case_id, assignee_member_id, task, due_on, created_by_member_id, created_at)
    select id, ${lead.id}, 'Rà soát', '2024-07-01', ${lead.id}, '2023-12-01T03:00:00Z' from cases where code = 'TN-D-0004'`);
  await t.db.execute(sql`insert into follow_ups (assignee_member_id, task, due_on, created_by_member_id, created_at)
    values (${lead.id}, 'Báo cáo', '2024-09-01', ${lead.id}, '2024-06-01T03:00:00Z')`);
  await t.db.execute(sql`insert into follow_ups (assignee_member_id, task, due_on, status, created_by_member_id, created_at, completed_at, completed_by_member_id)
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

  it('takes the period\'s days in the configured time zone', () => {
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

  it('gives figures per unit that add up to the scope\'s totals', async () => {
    expect(everything.units.map((u) => [u.code, u.resolved, u.outstanding])).toEqual([
      ['CA-HN', 2, 1],
      ['CA-HCM', 1, 1],
    ]);
    expect(everything.units.some((u) => u.own)).toBe(false);
    expect(everything.units.reduce((n, u) => n + u.resolved, 0)).toBe(everything.resolved.total);
    expect(everything.units.reduce((n, u) => n + u.outstanding, 0)).toBe(everything.outstanding.total);
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const scoped = await buildDigest(t.db, { scopeUnitId: hn.id, period: presetPeriod('ytd', TODAY), today: TODAY, timeZone: TZ });
    expect(scoped.scope).toEqual({ code: 'CA-HN', name: 'Công an TP Hà Nội' });
    expect(scoped.resolved.total).toBe(2);
    expect(scoped.units.map((u) => [u.code, u.own ?? false, u.resolved, u.outstanding])).toEqual([
      ['CA-HN', true, 1, 1],
      ['CAQ-HK', false, 1, 0],
    ]);
    expect(messageText(digestMessage(scoped, 'en'))).toContain('CA-HN (its own cases): 1 resolved; 1 still wanted');
  });

  it('shows resolved per month against the same months a year earlier', () => {
    expect(everything.monthly).toHaveLength(8);
    expect(everything.monthly[0]).toEqual({ month: '2024-01', arrested: 1, surrendered: 0, cleared: 0, lastYear: 0 });
    expect(everything.monthly[4]).toEqual({ month: '2024-05', arrested: 0, surrendered: 0, cleared: 0, lastYear: 1 });
    expect(everything.monthly[7]).toEqual({ month: '2024-08', arrested: 0, surrendered: 1, cleared: 0, lastYear: 1 });
  });

  it('counts the changes recorded since the last digest', async () => {
    await t.db.execute(sql`insert into case_events (case_id, kind, occurred_on, recorded_at) select id, 'status_changed', '2024-08-31', '2024-08-31T05:00:00Z' from cases where code = 'TN-B-0002'`);
    await t.db.execute(sql`insert into case_events (case_id, kind, recorded_at) select id, 'created', '2024-08-20T05:00:00Z' from cases where code = 'TN-G-0007'`);
    const d = await buildDigest(t.db, { scopeUnitId: null, period: presetPeriod('ytd', TODAY), today: TODAY, timeZone: TZ, since: new Date('2024-08-25T00:00:00Z') });
    expect(d.sinceLast).toEqual({ since: '2024-08-25T00:00:00.000Z', statusChanges: 1, newCases: 0 });
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
    expect(comparisonText('en', 0, 0, 2023)).toBe('none, as in the same period of 2023');
  });

  it('reads like the committee\'s report, in each locale\'s number format', () => {
    const vi = messageText(digestMessage(everything, 'vi'));
    expect(vi).toContain('Tiến độ công tác truy nã: 8 tháng đầu năm 2024');
    expect(vi).toContain('Bắt, vận động đầu thú, thanh loại 3 đối tượng truy nã (bắt 2, đầu thú 1, thanh loại 0), tăng 50% so với cùng kỳ năm 2023');
    const en = messageText(digestMessage(everything, 'en'));
    expect(en).toContain('the first 8 months of 2024');
    expect(en).toContain('up 50% on the same period of 2023; 2 of them dangerous or especially dangerous (1 especially dangerous)');
    const big = { ...everything, outstanding: { total: 12345, dangerous: 0, especiallyDangerous: 0 } };
    expect(messageText(digestMessage(big, 'vi'))).toContain('12.345');
    expect(messageText(digestMessage(big, 'en'))).toContain('12,345');
  });

  it('carries aggregates and case codes only: no name, ID number or alias in any format', () => {
    const outputs = [
      renderText(digestMessage(everything, 'vi')),
      renderText(digestMessage(everything, 'en')),
      digestMarkdown(everything, 'vi'),
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

  it('draws the chart as a PNG 800 pixels wide', async () => {
    const png = await renderDigestChart(everything, 'vi');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(800);
    expect(png.readUInt32BE(20)).toBeGreaterThan(250);
    expect(png.readUInt32BE(20)).toBeLessThan(600);
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

  it('runs since-last from the day after the last digest\'s period, or the last 7 days', () => {
    expect(presetPeriod('since-last', '2024-09-09', '2024-09-01')).toEqual({ from: '2024-09-02', to: '2024-09-08', preset: 'since-last' });
    expect(presetPeriod('since-last', '2024-09-09')).toEqual({ from: '2024-09-02', to: '2024-09-08', preset: 'since-last' });
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
