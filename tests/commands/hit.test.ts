import { asc, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checks, hitRequests, outbox } from '../../db/schema/index.ts';
import { runHitLadder } from '../../src/jobs/hit-ladder.ts';
import { HIT_MESSAGES } from '../../src/presenters/checks.ts';
import { setHitChannel, type HitMessages, type ListedPerson } from '../../src/services/checks.ts';
import { createServices } from '../../src/services/index.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { findUnitByCode } from '../../src/repositories/units.ts';
import { findMemberByHandle } from '../../src/repositories/members.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';
import { createTestCore, messageText } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

/**
 * Hit confirmation, as NCIC asks it: each likely hit of a list check goes to the unit that owns the
 * case, which confirms, rejects or asks for time; unanswered, it is asked again, then its leads are
 * told, then it is overdue. The clock is injected; the ladder's job is run by hand.
 */
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(() => t.close());

const T0 = new Date('2024-09-01T03:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
let now = T0;
const core = () => createTestCore(t.db, { clock: () => now });
const logger = pino({ level: 'silent' });
const SLACK = { platform: 'slack' as const, workspaceId: 'T1' };

const person = (fullName: string, more: Partial<ListedPerson> = {}): ListedPerson => ({
  line: 2,
  fullName,
  birthYear: null,
  birthDate: null,
  nationalId: null,
  hometown: null,
  extra: [],
  ...more,
});

/** A check made by hcm.officer from Slack, straight through the service (the file reader is tested apart). */
async function check(people: ListedPerson[], priority: 'urgent' | 'routine' = 'routine', messages: HitMessages = HIT_MESSAGES) {
  const member = (await findMemberByHandle(t.db, 'hcm.officer'))!;
  return t.db.transaction(async (tx) => {
    const done = await createServices(tx).runCheck({
      member,
      scope: { unitId: member.unitId, unitIds: [member.unitId] },
      people,
      skipped: 0,
      fileName: 'tam-giu.csv',
      fileSha256: 'ab'.repeat(32),
      priority,
      now,
      invocation: { id: `check-${Math.random()}`, ...SLACK, userId: 'U-CHECKER' },
      locale: 'vi',
      timeZone: 'Asia/Ho_Chi_Minh',
      messages,
    });
    if (!done.ok) throw new Error('check refused');
    return done.value;
  });
}

/** The code of Nguyễn Văn Đức's case (the factory numbers cases across tests). */
let duc = '';
const messages = () => t.db.select().from(outbox).orderBy(asc(outbox.id));
const requests = () => t.db.select().from(hitRequests).orderBy(asc(hitRequests.id));

beforeEach(async () => {
  await t.reset();
  now = T0;
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'hcm.officer', role: 'officer', unit: 'CA-HCM', slack: { team: 'T1', user: 'U-CHECKER' } });
  await makeMember(t.db, { handle: 'hn.lead', role: 'lead', unit: 'CA-HN', locale: 'vi', slack: { team: 'T1', user: 'U-HN-LEAD' } });
  await makeMember(t.db, { handle: 'hn.officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hk.officer', role: 'officer', unit: 'CAQ-HK' });
  duc = (
    await makeCase(t.db, { unit: 'CA-HN', fullName: 'Nguyễn Văn Đức', birthYear: 1985, nationalId: '001085012345', danger: 'dangerous' })
  ).code;
  await makeCase(t.db, { unit: 'CA-HN', fullName: 'Trần Thị Hoa', birthYear: 1990 });
  const set = await setHitChannel(t.db, { unitCode: 'CA-HN', platform: 'slack', channelId: 'C-HN-HITS', locale: 'vi' });
  expect(set.ok).toBe(true);
});

describe('asking the owning unit to confirm', () => {
  it('asks for likely hits only: codes in the unit channel, the details to its leads directly', async () => {
    const outcome = await check([
      person('nguyen van duc', { line: 2, birthYear: 1985 }),
      person('Trần Thị Hoa', { line: 3 }), // a name alone: a candidate, not enough to ask
      person('Lê Văn Tám', { line: 4 }),
    ]);
    expect(outcome.check).toMatchObject({ rows: 3, rowsWithCandidates: 2, candidates: 2, certain: 0, requests: 1 });
    const [request] = await requests();
    expect(request).toMatchObject({ line: 2, status: 'open', stage: 0, priority: 'routine', dueAt: minutes(60) });
    const sent = await messages();
    expect(sent.map((m) => [m.channelId, m.userId])).toEqual([
      ['C-HN-HITS', null],
      [null, 'U-HN-LEAD'],
    ]);
    const channel = JSON.stringify(sent[0]!.message);
    expect(channel).toContain(duc);
    expect(channel).toContain(`hit confirm ${request!.id}`);
    expect(channel).not.toMatch(/Nguy|nguyen|1985|001085012345/);
    const lead = sent[1]!.message as { personal: boolean };
    expect(lead.personal).toBe(true);
    expect(JSON.stringify(lead)).toContain('nguyen van duc');
  });

  it('asks within 10 minutes when the person is held, and sends a sure ID hit whatever the name', async () => {
    await check([person('Nguyen Van X', { nationalId: '001085012345' })], 'urgent');
    expect(await requests()).toMatchObject([{ certain: true, score: 1, priority: 'urgent', dueAt: minutes(10) }]);
  });

  it('leaves nothing behind when the check fails half-way', async () => {
    const failing: HitMessages = {
      ...HIT_MESSAGES,
      channel: () => {
        throw new Error('killed while queueing');
      },
    };
    await expect(check([person('Nguyễn Văn Đức', { birthYear: 1985 })], 'routine', failing)).rejects.toThrow('killed');
    expect(await t.db.select().from(checks)).toEqual([]);
    expect(await requests()).toEqual([]);
    expect(await messages()).toEqual([]);
  });
});

describe('answering a hit', () => {
  it('confirms, tells the checker, offers to record the arrest, and refuses a second answer', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    const [request] = await requests();
    now = minutes(5);
    const { result, reply } = await core().run('hn.officer', `hit confirm ${request!.id}`);
    expect(result.outcome).toBe('ok');
    expect(reply.messages[0]!.actions).toEqual([
      expect.objectContaining({ command: 'case status', options: { code: duc, outcome: 'arrested' } }),
    ]);
    expect((await requests())[0]).toMatchObject({ status: 'confirmed', answeredAt: minutes(5) });
    const told = (await messages()).filter((m) => m.userId === 'U-CHECKER');
    expect(told).toHaveLength(1);
    expect(messageText(told[0]!.message as never)).toContain('CA-HN xác nhận');
    const again = await core().run('hn.officer', `hit reject ${request!.id} nhầm`);
    expect(again.result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
  });

  it('takes a rejection with its reason, and refuses one without', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    const [request] = await requests();
    expect((await core().run('hn.officer', `hit reject ${request!.id}`)).result.outcome).toBe('invalid');
    expect((await core().run('hn.officer', `hit reject ${request!.id} vân tay không khớp`)).result.outcome).toBe('ok');
    expect((await requests())[0]).toMatchObject({ status: 'rejected', answerNote: 'vân tay không khớp' });
    const told = (await messages()).find((m) => m.userId === 'U-CHECKER');
    expect(messageText(told!.message as never)).toContain('vân tay không khớp');
  });

  it('lets only the owning unit and those above it answer', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    const [request] = await requests();
    // The checker's own unit does not own the case; a sub-unit does not answer for its parent.
    expect((await core().run('hcm.officer', `hit confirm ${request!.id}`)).result).toMatchObject({ code: 'not_found' });
    expect((await core().run('hk.officer', `hit confirm ${request!.id}`)).result).toMatchObject({ code: 'not_found' });
    expect((await requests())[0]!.status).toBe('open');
  });

  it('refuses to confirm a case that is no longer wanted', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    const [request] = await requests();
    await t.db.execute(sql`update cases set status = 'arrested', resolved_on = '2024-08-30' where code = ${duc}`);
    const { result, reply } = await core().run('hn.officer', `hit confirm ${request!.id}`);
    expect(result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
    expect(reply.text).toContain(`hit reject ${request!.id}`);
  });
});

describe('the ladder', () => {
  const ladder = () => runHitLadder(t.db, { now, timeZone: 'Asia/Ho_Chi_Minh', logger });

  it('asks again at the deadline, then tells the leads, then counts it overdue', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    now = minutes(59);
    expect(await ladder()).toEqual({ askedAgain: 0, leadsTold: 0, overdue: 0 });
    now = minutes(60);
    expect(await ladder()).toEqual({ askedAgain: 1, leadsTold: 0, overdue: 0 });
    expect((await requests())[0]).toMatchObject({ stage: 1, dueAt: minutes(120) });
    const second = (await messages()).at(-1)!;
    expect(second.channelId).toBe('C-HN-HITS');
    expect(messageText(second.message as never)).toContain('nhắc lần 2');
    now = minutes(120);
    expect(await ladder()).toEqual({ askedAgain: 0, leadsTold: 1, overdue: 0 });
    const toLead = (await messages()).filter((m) => m.userId === 'U-HN-LEAD');
    expect(toLead).toHaveLength(2);
    now = minutes(180);
    expect(await ladder()).toEqual({ askedAgain: 0, leadsTold: 0, overdue: 1 });
    const count = (await messages()).length;
    now = minutes(600);
    expect(await ladder()).toEqual({ askedAgain: 0, leadsTold: 0, overdue: 0 });
    expect(await messages()).toHaveLength(count);
  });

  it('waits as long as the unit asked before asking again', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })], 'urgent');
    const [request] = await requests();
    now = minutes(8);
    expect((await core().run('hn.officer', `hit wait ${request!.id} 30`)).result.outcome).toBe('ok');
    expect((await requests())[0]).toMatchObject({ status: 'open', dueAt: minutes(38), waits: 1 });
    now = minutes(37);
    expect((await ladder()).askedAgain).toBe(0);
    now = minutes(38);
    expect((await ladder()).askedAgain).toBe(1);
    expect((await messages()).filter((m) => m.userId === 'U-CHECKER')).toHaveLength(1);
  });

  it('moves each request once when two instances run the ladder together', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 }), person('Trần Thị Hoa', { line: 3, birthYear: 1990 })]);
    now = minutes(60);
    const passes = await Promise.all([ladder(), ladder()]);
    expect(passes.reduce((sum, p) => sum + p.askedAgain, 0)).toBe(2);
    expect((await requests()).map((r) => r.stage)).toEqual([1, 1]);
    const seconds = (await messages()).filter((m) => m.channelId === 'C-HN-HITS' && messageText(m.message as never).includes('nhắc lần 2'));
    expect(seconds.map((m) => messageText(m.message as never).match(/#\d+/g)).flat()).toHaveLength(2);
  });
});

describe('hit list', () => {
  it('shows the requests sent to one’s units and those of one’s own checks, with codes only', async () => {
    await check([person('Nguyễn Văn Đức', { birthYear: 1985 })]);
    const forUnit = await core().run('hn.officer', 'hit list');
    expect(forUnit.reply.text).toContain(duc);
    expect(forUnit.reply.messages[0]!.personal).toBe(false);
    expect(forUnit.reply.text).not.toContain('Nguyễn');
    const forChecker = await core().run('hcm.officer', 'hit list all');
    expect(forChecker.reply.text).toContain(duc);
    const other = await core().run('hk.officer', 'hit list');
    expect(other.reply.text).not.toContain(duc);
  });
});

describe('the digest', () => {
  it('counts rows checked as lookups, candidates, confirmations, subjects resolved after a check and overdue confirmations', async () => {
    await check([
      person('Nguyễn Văn Đức', { line: 2, birthYear: 1985 }),
      person('Trần Thị Hoa', { line: 3, birthYear: 1990 }),
      person('Lê Văn Tám', { line: 4 }),
    ]);
    const [first, second] = await requests();
    now = minutes(5);
    expect((await core().run('hn.officer', `hit confirm ${first!.id}`)).result.outcome).toBe('ok');
    await t.db.execute(sql`update cases set status = 'arrested', resolved_on = '2024-09-01' where code = ${duc}`);
    // The other goes unanswered through the whole ladder.
    for (const at of [60, 120, 180]) {
      now = minutes(at);
      await runHitLadder(t.db, { now, timeZone: 'Asia/Ho_Chi_Minh', logger });
    }
    expect((await requests()).find((r) => r.id === second!.id)!.stage).toBe(3);
    const period = { from: '2024-09-01', to: '2024-09-30' };
    const digest = await buildDigest(t.db, { scopeUnitId: null, period, today: '2024-09-01', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(digest.checks).toEqual({ lists: 1, rowsChecked: 3, candidates: 2, confirmed: 1, resolvedAfterCheck: 1, overdue: 1 });
    // One hit confirmation and one hit list were audited as commands, not as lookups: rows checked are.
    expect(digest.lookups).toBe(3);
    const hcm = (await findUnitByCode(t.db, 'CA-HCM'))!;
    const forHcm = await buildDigest(t.db, { scopeUnitId: hcm.id, period, today: '2024-09-01', timeZone: 'Asia/Ho_Chi_Minh' });
    // The checking unit counts the list; the owning unit (CA-HN) the confirmations.
    expect(forHcm.checks).toMatchObject({ lists: 1, rowsChecked: 3, confirmed: 0, overdue: 0 });
    const text = messageText(digestMessage(digest, 'vi'));
    expect(text).toContain('Đối chiếu danh sách: 1 danh sách, 3 lượt đối tượng');
    expect(text).toContain('1 yêu cầu xác nhận quá hạn');
  });
});
