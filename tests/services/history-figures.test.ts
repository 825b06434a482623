import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
// Before anything that loads the chart: vega-lite adds Set.prototype.toJSON when it loads, and
// discord.js (which the command line loads) then fails to load.
import { cli } from '../support/cli.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { findUnitByCode, insertUnit } from '../../src/repositories/units.ts';
import { createDigestRunner, type Poster } from '../../src/scheduler/digests.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { createTestCore, messageText, type TestCore } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { addTestSchedule } from '../support/schedules.ts';

/**
 * Figures from the record's history: hand-built histories whose figures are known, on the embedded
 * database and on the server alike.
 */

const TZ = 'Asia/Ho_Chi_Minh';
const TODAY = '2025-12-01';
const SLACK = { platform: 'slack' as const, workspaceId: 'T1', userId: 'U1' };
let t: TestDb;
let core: TestCore;

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06', locale: 'vi', slack: { team: 'T1', user: 'U1' } });
  core = createTestCore(t.db, { now: new Date(`${TODAY}T03:00:00Z`) });
});
afterAll(() => t.close());

/** Runs a command as the lead, from Slack, and insists that it worked. */
async function chat(line: string): Promise<string> {
  const { result, reply } = await core.run('lead', line, { actor: SLACK });
  expect(result.outcome, `${line}: ${reply.text}`).toBe('ok');
  return reply.text;
}

/** The figures a report gives for a unit (and its sub-units) over a period. */
async function figures(unit: string, from: string, to: string) {
  const scope = await findUnitByCode(t.db, unit);
  const d = await buildDigest(t.db, { scopeUnitId: scope!.id, period: { from, to }, today: TODAY, timeZone: TZ });
  return {
    arrested: d.resolved.arrested,
    surrendered: d.resolved.surrendered,
    resolved: d.resolved.total,
    wantedDecisions: d.decisions.wanted,
    cancellations: d.decisions.cancelled,
    outstanding: d.outstanding.total,
  };
}

const month = (m: string) => {
  const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
  return [`${m}-01`, `${m}-${last}`] as const;
};
const inMonth = (unit: string, m: string) => figures(unit, ...month(m));

describe('figures from the history', () => {
  it('counts an arrest and the cancellation decision that follows a week later once each, in their own periods', async () => {
    await makeCase(t.db, { code: 'TN-A', unit: 'CAQ-HK', wantedOn: '2025-01-10' });
    await chat('case status TN-A arrested on:2025-07-28');
    await chat('case decision TN-A cancel 45/QĐ-ĐN on:2025-08-04');
    expect(await inMonth('CAQ-HK', '2025-01')).toEqual({
      arrested: 0,
      surrendered: 0,
      resolved: 0,
      wantedDecisions: 1,
      cancellations: 0,
      outstanding: 1,
    });
    expect(await inMonth('CAQ-HK', '2025-07')).toEqual({
      arrested: 1,
      surrendered: 0,
      resolved: 1,
      wantedDecisions: 0,
      cancellations: 0,
      outstanding: 0,
    });
    expect(await inMonth('CAQ-HK', '2025-08')).toEqual({
      arrested: 0,
      surrendered: 0,
      resolved: 0,
      wantedDecisions: 0,
      cancellations: 1,
      outstanding: 0,
    });
    // The parent unit counts its sub-unit's, once.
    expect(await figures('CA-HN', '2025-01-01', '2025-11-30')).toEqual({
      arrested: 1,
      surrendered: 0,
      resolved: 1,
      wantedDecisions: 1,
      cancellations: 1,
      outstanding: 0,
    });
    // The case shows both decisions as documents, oldest first.
    const shown = await chat('case show TN-A');
    expect(shown).toMatch(/Quyết định truy nã: 1\/QĐ-TN, 10\/01\/2025[\s\S]*Quyết định đình nã: 45\/QĐ-ĐN, 04\/08\/2025/);
  });

  it('counts a cancellation without an arrest as a cancellation decision and the end of the wanting, not as resolved', async () => {
    await makeCase(t.db, { code: 'TN-B', unit: 'CA-HCM', wantedOn: '2024-02-01' });
    await chat('case status TN-B cancelled on:2025-05-10 decision:7/QĐ-ĐN');
    expect(await inMonth('CA-HCM', '2025-04')).toMatchObject({ resolved: 0, cancellations: 0, outstanding: 1 });
    expect(await inMonth('CA-HCM', '2025-05')).toMatchObject({ resolved: 0, cancellations: 1, outstanding: 0 });
  });

  it('keeps an outcome in its period when the subject is wanted again by a new decision, and counts that decision in its own', async () => {
    await makeCase(t.db, { code: 'TN-C', unit: 'CA-HCM', wantedOn: '2024-11-01' });
    await chat('case status TN-C arrested on:2025-03-05');
    // Escaped: wanted again from 1 June.
    const reopened = await chat('case decision TN-C wanted 88/QĐ-CSĐT on:2025-06-01');
    expect(reopened).toContain('truy nã lại từ 01/06/2025');
    expect(await findCaseByCode(t.db, 'TN-C')).toMatchObject({ status: 'wanted', spell: 2, wantedOn: '2025-06-01', resolvedOn: null });
    await chat('case status TN-C arrested on:2025-09-09');
    expect(await inMonth('CA-HCM', '2025-02')).toMatchObject({ arrested: 0, outstanding: 1 });
    expect(await inMonth('CA-HCM', '2025-03')).toMatchObject({ arrested: 1, wantedDecisions: 0, outstanding: 0 });
    expect(await inMonth('CA-HCM', '2025-05')).toMatchObject({ arrested: 0, outstanding: 0 });
    expect(await inMonth('CA-HCM', '2025-06')).toMatchObject({ arrested: 0, wantedDecisions: 1, outstanding: 1 });
    expect(await inMonth('CA-HCM', '2025-09')).toMatchObject({ arrested: 1, outstanding: 0 });
    expect(await figures('CA-HCM', '2025-01-01', '2025-11-30')).toMatchObject({ arrested: 2, wantedDecisions: 1 });
  });

  it('refuses a new wanted decision dated before the outcome, and a cancellation before the wanted decision or for a case still wanted', async () => {
    await makeCase(t.db, { code: 'TN-D', unit: 'CA-HCM', wantedOn: '2025-02-01' });
    const stillWanted = await core.run('lead', 'case decision TN-D cancel 3/QĐ-ĐN on:2025-03-01', { actor: SLACK });
    expect(stillWanted.result.outcome).toBe('invalid');
    expect(stillWanted.reply.text).toContain('case status TN-D arrested on:NGÀY decision:3/QĐ-ĐN');
    await chat('case status TN-D arrested on:2025-04-01');
    const early = await core.run('lead', 'case decision TN-D cancel 3/QĐ-ĐN on:2025-01-15', { actor: SLACK });
    expect(early.reply.text).toContain('trước quyết định truy nã của hồ sơ TN-D (01/02/2025)');
    const beforeOutcome = await core.run('lead', 'case decision TN-D wanted 9/QĐ on:2025-03-20', { actor: SLACK });
    expect(beforeOutcome.result.outcome).toBe('invalid');
    expect(beforeOutcome.reply.text).toContain('case status TN-D wanted');
    // Nothing of it was written.
    expect(await inMonth('CA-HCM', '2025-03')).toMatchObject({ wantedDecisions: 0, cancellations: 0 });
    expect(await findCaseByCode(t.db, 'TN-D')).toMatchObject({ status: 'arrested', spell: 1 });
  });

  it('withdraws an outcome recorded in error from its period', async () => {
    await makeCase(t.db, { code: 'TN-E', unit: 'CA-HCM', wantedOn: '2025-01-02' });
    await chat('case status TN-E arrested on:2025-04-04');
    expect(await inMonth('CA-HCM', '2025-04')).toMatchObject({ arrested: 1, outstanding: 0 });
    expect(await chat('case status TN-E wanted')).toContain('rút lại kết quả ghi nhầm');
    expect(await inMonth('CA-HCM', '2025-04')).toMatchObject({ arrested: 0, outstanding: 1 });
  });

  it('moves an outcome to the period of its corrected day', async () => {
    await makeCase(t.db, { code: 'TN-F', unit: 'CA-HCM', wantedOn: '2025-01-02' });
    await chat('case status TN-F arrested on:2025-08-31');
    expect(await chat('case status TN-F arrested on:2025-09-02')).toContain('(đính chính)');
    expect(await inMonth('CA-HCM', '2025-08')).toMatchObject({ arrested: 0, outstanding: 1 });
    expect(await inMonth('CA-HCM', '2025-09')).toMatchObject({ arrested: 1, outstanding: 0 });
    // And to another outcome, on the same day.
    await chat('case status TN-F surrendered');
    expect(await inMonth('CA-HCM', '2025-09')).toMatchObject({ arrested: 0, surrendered: 1, outstanding: 0 });
  });

  it("counts the subjects wanted on a past period's last day", async () => {
    await makeCase(t.db, { code: 'TN-G1', unit: 'CA-HCM', wantedOn: '2023-05-01' });
    await makeCase(t.db, { code: 'TN-G2', unit: 'CA-HCM', wantedOn: '2024-12-31' });
    await makeCase(t.db, { code: 'TN-G3', unit: 'CA-HCM', wantedOn: '2025-01-01' });
    await makeCase(t.db, { code: 'TN-G4', unit: 'CA-HCM', wantedOn: '2023-01-01', status: 'arrested', resolvedOn: '2024-12-31' });
    await makeCase(t.db, { code: 'TN-G5', unit: 'CA-HCM', wantedOn: '2023-01-01', status: 'surrendered', resolvedOn: '2025-01-01' });
    // On 31 December 2024: G1, G2 and G5 (resolved the next day); not G3 (wanted the next day) nor G4 (resolved that day).
    expect(await figures('CA-HCM', '2024-01-01', '2024-12-31')).toMatchObject({ outstanding: 3, wantedDecisions: 1 });
    expect(await figures('CA-HCM', '2025-01-01', '2025-01-31')).toMatchObject({ outstanding: 3, wantedDecisions: 1, surrendered: 1 });
  });
});

describe('history that stays', () => {
  it('refuses to change or remove an entry of the journal or a decision, whoever asks', async () => {
    await makeCase(t.db, { code: 'TN-H', unit: 'CA-HCM', wantedOn: '2025-01-02' });
    for (const statement of [
      sql`update case_ledger set delta = 2`,
      sql`delete from case_ledger`,
      sql`truncate case_ledger`,
      sql`update case_decisions set number = 'X'`,
      sql`delete from case_decisions`,
    ]) {
      const error = await t.db.execute(statement).then(
        () => undefined,
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
      expect(error).toMatch(/^case_(ledger|decisions) is append-only: (UPDATE|DELETE|TRUNCATE) refused$/);
    }
    const [row] = await queryRows<{ entries: number; decisions: number }>(
      t.db,
      sql`select (select count(*) from case_ledger)::int as entries, (select count(*) from case_decisions)::int as decisions`,
    );
    // The case's start (wanted) and its wanted decision.
    expect(row).toEqual({ entries: 2, decisions: 1 });
  });

  it('refuses a new spell that does not follow an outcome, even from a hand-written UPDATE', async () => {
    await makeCase(t.db, { code: 'TN-I', unit: 'CA-HCM', wantedOn: '2025-01-02' });
    const error = await t.db.execute(sql`update cases set spell = 2 where code = 'TN-I'`).then(
      () => undefined,
      (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
    );
    expect(error).toBe('case TN-I: a new wanted spell must follow an outcome, on or after its day');
    expect(await findCaseByCode(t.db, 'TN-I')).toMatchObject({ spell: 1 });
  });
});

describe('figures whichever way a change came', () => {
  it('gives the same figures for the same history recorded from chat, by import, and from the command line', async () => {
    await insertUnit(t.db, { code: 'CA-DN', name: 'Công an TP Đà Nẵng', parentId: (await findUnitByCode(t.db, 'C06'))!.id });
    // Chat (Slack) in Hoàn Kiếm.
    await makeCase(t.db, { code: 'TN-CHAT', unit: 'CAQ-HK', wantedOn: '2025-01-10' });
    await chat('case status TN-CHAT arrested on:2025-07-28');
    await chat('case decision TN-CHAT cancel 45/QĐ-ĐN on:2025-08-04');
    // The wanted list imported in Hồ Chí Minh City: first wanted, then arrested with its cancellation.
    const dir = mkdtempSync(join(tmpdir(), 'casedesk-history-'));
    const header = 'code,full_name,danger,unit,wanted_decision_no,wanted_on,status,resolved_on,cancellation_decision_no,cancelled_on';
    const env = { LOG_LEVEL: 'silent', CASEDESK_LOCALE: 'en', TZ: TZ };
    writeFileSync(join(dir, 'one.csv'), `${header}\nTN-IMPORT,Trần Văn Bình,normal,CA-HCM,12/QĐ,2025-01-10,wanted,,,\n`);
    writeFileSync(
      join(dir, 'two.csv'),
      `${header}\nTN-IMPORT,Trần Văn Bình,normal,CA-HCM,12/QĐ,2025-01-10,arrested,2025-07-28,45/QĐ-ĐN,2025-08-04\n`,
    );
    for (const file of ['one.csv', 'two.csv']) {
      const run = await cli(['import', 'cases', join(dir, file)], { db: t.handle, env });
      expect(run.code, run.stderr).toBe(0);
    }
    // The command line's console in Đà Nẵng.
    await makeMember(t.db, { handle: 'dn.lead', role: 'lead', unit: 'CA-DN' });
    await makeCase(t.db, { code: 'TN-CLI', unit: 'CA-DN', wantedOn: '2025-01-10' });
    const consoleRun = await cli(['console', '--as', 'dn.lead'], {
      db: t.handle,
      env,
      input: 'case status TN-CLI arrested on:2025-07-28\ncase decision TN-CLI cancel 45/QĐ-ĐN on:2025-08-04\n',
    });
    expect(consoleRun.code, consoleRun.stderr).toBe(0);

    for (const [from, to] of [month('2025-01'), month('2025-07'), month('2025-08'), ['2025-01-01', '2025-11-30'] as const]) {
      const viaChat = await figures('CAQ-HK', from, to);
      expect(await figures('CA-HCM', from, to), `${from}..${to}`).toEqual(viaChat);
      expect(await figures('CA-DN', from, to), `${from}..${to}`).toEqual(viaChat);
    }
    expect(await figures('CA-DN', '2025-01-01', '2025-11-30')).toEqual({
      arrested: 1,
      surrendered: 0,
      resolved: 1,
      wantedDecisions: 1,
      cancellations: 1,
      outstanding: 0,
    });
  });
});

describe('a report stays what it said', () => {
  type Post = { channel: string; message: ReplyMessage };
  const recorder = (posts: Post[]): Poster => ({
    async post(channel, message) {
      posts.push({ channel, message });
    },
  });
  const runner = (posts: Post[]) =>
    createDigestRunner({ db: t.db, posters: { slack: recorder(posts) }, logger: pino({ level: 'silent' }) });
  /** 07:00 in Hanoi on the first of each month. */
  const monthly = () => addTestSchedule(t, { cron: '0 7 1 * *', period: 'month' });
  const slot = (day: string) => new Date(`${day}T00:00:00Z`);
  const second = 1_000;

  it('says how the previous period was revised, by late entries and by corrections, and reprints what was sent', async () => {
    await monthly();
    for (const code of ['TN-R1', 'TN-R2', 'TN-R3', 'TN-R4']) await makeCase(t.db, { code, unit: 'CA-HCM', wantedOn: '2025-01-10' });
    await chat('case status TN-R1 arrested on:2025-08-10');
    await chat('case status TN-R2 arrested on:2025-08-05');
    const posts: Post[] = [];
    await runner(posts).runDue(new Date(slot('2025-09-01').getTime() + second));
    expect(posts).toHaveLength(1);
    const august = messageText(posts[0]!.message);
    expect(august).toContain('Tiến độ công tác truy nã: tháng 8/2025');
    expect(august).toContain('Bắt, vận động đầu thú, thanh loại 2 đối tượng truy nã');
    expect(august).not.toContain('Số liệu kỳ trước');

    // In September: two arrests in August recorded late (one with its cancellation decision), and
    // one August arrest withdrawn as recorded in error.
    await chat('case status TN-R3 arrested on:2025-08-20 decision:9/QĐ-ĐN');
    await chat('case status TN-R4 arrested on:2025-08-25');
    await chat('case status TN-R2 wanted');
    await runner(posts).runDue(new Date(slot('2025-10-01').getTime() + second));
    expect(posts).toHaveLength(2);
    const september = messageText(posts[1]!.message);
    expect(september).toContain('Tiến độ công tác truy nã: tháng 9/2025');
    expect(september).toContain(
      'Số liệu kỳ trước (tháng 8/2025) đã điều chỉnh: bắt +1 (+2 ghi muộn, −1 đính chính), đình nã +1 (ghi muộn), còn truy nã −1 (−2 ghi muộn, +1 đính chính).',
    );
    expect(september).not.toMatch(/Trần|Nguyễn|TN-R/);

    // Nothing changed in September since: no revision line.
    await runner(posts).runDue(new Date(slot('2025-11-01').getTime() + second));
    expect(posts).toHaveLength(3);
    expect(messageText(posts[2]!.message)).not.toContain('Số liệu kỳ trước');

    // August as it was sent, not as it is now.
    const [first] = await queryRows<{ id: number }>(t.db, sql`select id::int from digest_runs order by slot limit 1`);
    const reprint = await cli(['digest', '--as-delivered', String(first!.id)], {
      db: t.handle,
      env: { LOG_LEVEL: 'silent', CASEDESK_LOCALE: 'vi' },
    });
    expect(reprint.code, reprint.stderr).toBe(0);
    expect(reprint.stdout).toContain('Bắt, vận động đầu thú, thanh loại 2 đối tượng truy nã');
    expect(await figures('C06', '2025-08-01', '2025-08-31')).toMatchObject({ arrested: 3, cancellations: 1 });
    const missing = await cli(['digest', '--as-delivered', '999'], { db: t.handle, env: { LOG_LEVEL: 'silent', CASEDESK_LOCALE: 'en' } });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('There is no run 999.') });
  });

  it('says it in English too, one figure at a time', async () => {
    await addTestSchedule(t, { cron: '0 7 1 * *', period: 'month' });
    await t.db.execute(sql`update digest_schedules set locale = 'en'`);
    await makeCase(t.db, { code: 'TN-S1', unit: 'CA-HCM', wantedOn: '2025-01-10' });
    const posts: Post[] = [];
    await runner(posts).runDue(new Date(slot('2025-09-01').getTime() + second));
    await chat('case status TN-S1 cleared on:2025-08-30');
    await runner(posts).runDue(new Date(slot('2025-10-01').getTime() + second));
    expect(messageText(posts[1]!.message)).toContain(
      'Previous period revised (August 2025): cleared +1 (late entries), still wanted −1 (late entries).',
    );
  });

  it("cuts periods at midnight in the schedule's time zone", async () => {
    // 00:30 on 1 September in Hanoi is still 31 August in UTC: the last complete month differs.
    await addTestSchedule(t, { cron: '30 0 1 * *', period: 'month', channel: 'C0HANOI' });
    await addTestSchedule(t, { cron: '30 17 31 * *', period: 'month', channel: 'C0UTC', timeZone: 'UTC' });
    await makeCase(t.db, { code: 'TN-T1', unit: 'CA-HCM', wantedOn: '2025-01-10', status: 'arrested', resolvedOn: '2025-08-31' });
    await makeCase(t.db, { code: 'TN-T2', unit: 'CA-HCM', wantedOn: '2025-01-10', status: 'arrested', resolvedOn: '2025-07-31' });
    await makeCase(t.db, { code: 'TN-T3', unit: 'CA-HCM', wantedOn: '2025-01-10', status: 'arrested', resolvedOn: '2025-09-01' });
    const posts: Post[] = [];
    await runner(posts).runDue(new Date(new Date('2025-08-31T17:30:00Z').getTime() + second));
    const byChannel = Object.fromEntries(posts.map((p) => [p.channel, messageText(p.message)]));
    expect(byChannel.C0HANOI).toContain('tháng 8/2025');
    expect(byChannel.C0HANOI).toContain('Bắt, vận động đầu thú, thanh loại 1 đối tượng truy nã (bắt 1,');
    expect(byChannel.C0UTC).toContain('tháng 7/2025');
    expect(byChannel.C0UTC).toContain('Bắt, vận động đầu thú, thanh loại 1 đối tượng truy nã (bắt 1,');
    const runs = await queryRows<{ from: string; to: string }>(
      t.db,
      sql`select period_from::text as "from", period_to::text as "to" from digest_runs order by period_to`,
    );
    expect(runs).toEqual([
      { from: '2025-07-01', to: '2025-07-31' },
      { from: '2025-08-01', to: '2025-08-31' },
    ]);
  });
});
