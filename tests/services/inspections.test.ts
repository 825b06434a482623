import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import type { Executor } from '../../db/client.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import type { Scope } from '../../src/domain/scope.ts';
import { findMemberByHandle, type Member } from '../../src/repositories/members.ts';
import { findUnitByCode, unitSubtreeIds } from '../../src/repositories/units.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { closeFollowUpAs } from '../../src/services/follow-ups.ts';
import {
  closeInspection,
  FINDING_DUE_DAYS,
  markInspection,
  showInspection,
  startInspection,
  type ClosedInspection,
} from '../../src/services/inspections.ts';
import { startMeeting } from '../../src/services/meetings.ts';
import { messageText } from '../support/core.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const NOW = new Date('2024-09-02T02:00:00Z');
const TODAY = '2024-09-02';
let t: TestDb;

/** The six wanted cases of CAQ-HK, by code; its arrested case and its parent's case are never drawn. */
const HK = ['TN-HK-0001', 'TN-HK-0002', 'TN-HK-0003', 'TN-HK-0004', 'TN-HK-0005', 'TN-HK-0006'];

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'hn.lead', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hn.officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'hk.lead', role: 'lead', unit: 'CAQ-HK' });
  await makeMember(t.db, { handle: 'hcm.lead', role: 'lead', unit: 'CA-HCM' });
  for (const [i, code] of HK.entries()) {
    await makeCase(t.db, {
      code,
      fullName: `Phạm Văn Hùng ${i}`,
      unit: 'CAQ-HK',
      // 0001 has everything; 0002 lacks a photo; the others lack marks and history.
      hasPhoto: i !== 1,
      identifyingMarks: i < 2 ? 'sẹo ở cằm' : null,
      criminalHistory: i < 2 ? '01 tiền án trộm cắp' : '',
    });
  }
  await makeCase(t.db, { code: 'TN-HK-0099', unit: 'CAQ-HK', status: 'arrested' });
  await makeCase(t.db, { code: 'TN-HN-0001', unit: 'CA-HN' });
  // 0001 was validated by its unit in June.
  await t.db.execute(
    sql`insert into case_validations (case_id, unit_id, member_id, validated_at, complete)
        select c.id, c.unit_id, m.id, '2024-06-10T03:00:00Z', true from cases c, members m
        where c.code = 'TN-HK-0001' and m.handle = 'hk.lead'`,
  );
});
afterAll(() => t.close());

async function as(handle: string): Promise<{ actor: Member; scope: Scope }> {
  const actor = (await findMemberByHandle(t.db, handle))!;
  return { actor, scope: { unitId: actor.unitId, unitIds: await unitSubtreeIds(t.db, actor.unitId) } };
}

const start = async (handle: string, input: { unitCode: string; sampleSize?: number; seed?: string; platform?: 'console' | 'discord' }) =>
  startInspection(t.db, {
    ...(await as(handle)),
    unitCode: input.unitCode,
    sampleSize: input.sampleSize,
    seed: input.seed,
    platform: input.platform ?? 'console',
    channelId: input.platform === 'discord' ? 'C-INSPECT' : 'console',
    now: NOW,
    timeZone: TZ,
  });

const channelMessage = (closed: ClosedInspection): ReplyMessage => ({
  personal: false,
  toChannel: true,
  blocks: [{ kind: 'text', text: `closed #${closed.inspection.id}: ${closed.summary.findings} findings` }],
});

const close = async (handle: string, id: number, db: Executor = t.db, partial = false) =>
  closeInspection(db, { ...(await as(handle)), id, partial, now: NOW, today: TODAY, locale: 'en', channelMessage });

const mark = async (handle: string, id: number, record: string, value: string) =>
  markInspection(t.db, { ...(await as(handle)), id, record, mark: value, now: NOW });

/** The first `n` of the unit's wanted case ids in md5(seed:id) order, computed here, apart from the SQL. */
async function expectedSample(seed: string, n: number): Promise<string[]> {
  const rows = await queryRows<{ id: number; code: string }>(
    t.db,
    sql`select c.id, c.code from cases c join units u on u.id = c.unit_id where u.code = 'CAQ-HK' and c.status = 'wanted'`,
  );
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  return rows
    .map((r) => ({ code: r.code, key: md5(`${seed}:${r.id}`) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, n)
    .map((r) => r.code)
    .sort();
}

describe('drawing the sample', () => {
  it("takes all the unit's own wanted records, numbered by code, with their completeness and latest validation", async () => {
    const started = await start('hn.lead', { unitCode: 'caq-hk' });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const { inspection, records } = started.value;
    expect(inspection).toMatchObject({ unitCode: 'CAQ-HK', sampleSize: null, closedAt: null });
    expect(inspection.seed).toMatch(/^[0-9a-f]{12}$/);
    expect(records.map((r) => [r.position, r.caseCode])).toEqual(HK.map((code, i) => [i + 1, code]));
    expect(records.map((r) => [r.hasPhoto, r.hasMarks, r.hasHistory])).toEqual([
      [true, true, true],
      [false, true, true],
      [true, false, false],
      [true, false, false],
      [true, false, false],
      [true, false, false],
    ]);
    expect(records[0]!.validatedAt?.toISOString()).toBe('2024-06-10T03:00:00.000Z');
    expect(records.slice(1).every((r) => r.validatedAt === null)).toBe(true);
    expect(records.every((r) => r.result === null)).toBe(true);
  });

  it('keeps the completeness as drawn when the case changes later', async () => {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK' });
    if (!started.ok) throw new Error('not started');
    await t.db.execute(sql`update cases set has_photo = true where code = 'TN-HK-0002'`);
    const shown = await showInspection(t.db, { scope: (await as('hn.lead')).scope, id: started.value.inspection.id });
    expect(shown.ok && shown.value.records[1]!.hasPhoto).toBe(false);
  });

  it('draws N records from the seed: the same seed over the same records draws the same sample', async () => {
    const first = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 3, seed: 'giao-ban-q3' });
    if (!first.ok) throw new Error('not started');
    const codes = first.value.records.map((r) => r.caseCode);
    expect(codes).toHaveLength(3);
    expect(codes).toEqual(await expectedSample('giao-ban-q3', 3));
    expect(first.value.records.map((r) => r.position)).toEqual([1, 2, 3]);
    expect(first.value.inspection).toMatchObject({ sampleSize: 3, seed: 'giao-ban-q3' });
    expect((await close('hn.lead', first.value.inspection.id, t.db, true)).ok).toBe(true);
    const again = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 3, seed: 'giao-ban-q3' });
    if (!again.ok) throw new Error('not started');
    expect(again.value.records.map((r) => r.caseCode)).toEqual(codes);
  });

  it('draws other samples from other seeds, each as md5(seed:id) orders them', async () => {
    const samples = new Set<string>();
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const started = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 2, seed });
      if (!started.ok) throw new Error('not started');
      const codes = started.value.records.map((r) => r.caseCode);
      expect(codes).toEqual(await expectedSample(seed, 2));
      samples.add(codes.join(','));
      expect((await close('hn.lead', started.value.inspection.id, t.db, true)).ok).toBe(true);
    }
    expect(samples.size).toBeGreaterThan(1);
  });

  it('takes all of them when fewer than N are wanted', async () => {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 50, seed: 'x' });
    expect(started.ok && started.value.records.length).toBe(HK.length);
  });
});

describe('refusals', () => {
  it('refuses an officer, a unit out of scope, the own unit, a second open inspection, and a unit with nothing to inspect', async () => {
    expect(await start('hn.officer', { unitCode: 'CAQ-HK' })).toMatchObject({ ok: false, failure: { code: 'denied' } });
    expect(await start('hn.lead', { unitCode: 'CA-HCM' })).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(await start('hn.lead', { unitCode: 'NOPE' })).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(await start('hk.lead', { unitCode: 'CAQ-HK' })).toMatchObject({ ok: false, failure: { code: 'denied' } });
    const first = await start('hn.lead', { unitCode: 'CAQ-HK' });
    expect(first.ok).toBe(true);
    const second = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 2 });
    expect(second).toMatchObject({ ok: false, failure: { code: 'conflict' } });
    if (!second.ok) expect(second.failure.text('en')).toContain('inspection #1 open');
    // The root's lead inspecting CA-HCM, which has no wanted record of its own.
    await makeMember(t.db, { handle: 'c06.lead', role: 'lead', unit: 'C06' });
    expect(await start('c06.lead', { unitCode: 'CA-HCM' })).toMatchObject({ ok: false, failure: { code: 'invalid' } });
    expect(await queryRows(t.db, sql`select unit_id from inspections`)).toHaveLength(1);
  });

  it('opens one inspection when two leads open one of the same unit at once', async () => {
    await makeMember(t.db, { handle: 'hn.lead2', role: 'lead', unit: 'CA-HN' });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const leads = { 'hn.lead': await as('hn.lead'), 'hn.lead2': await as('hn.lead2') };
    const opening = (handle: keyof typeof leads, hold: boolean) =>
      t.db.transaction(async (tx) => {
        const started = await startInspection(tx, {
          ...leads[handle],
          unitCode: 'CAQ-HK',
          platform: 'console',
          channelId: 'console',
          now: NOW,
          timeZone: TZ,
        });
        if (hold) {
          entered();
          await held;
        }
        return started;
      });
    // The first holds its transaction open, its inspection written, while the second tries.
    const first = opening('hn.lead', true);
    await inside;
    const second = opening('hn.lead2', false);
    setTimeout(release, 100);
    const results = await Promise.all([first, second]);
    expect(results.map((r) => (r.ok ? 'ok' : r.failure.code))).toEqual(['ok', 'conflict']);
    expect(await queryRows(t.db, sql`select id from inspections where closed_at is null`)).toHaveLength(1);
  });

  it('refuses marks by the inspected unit, of unknown records, after closing; and closing with unmarked records', async () => {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 2, seed: 's' });
    if (!started.ok) throw new Error('not started');
    const id = started.value.inspection.id;
    expect(await mark('hk.lead', id, '1', 'ok')).toMatchObject({ ok: false, failure: { code: 'denied' } });
    expect(await mark('hn.officer', id, '3', 'ok')).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(await mark('hn.officer', id, 'TN-HN-0001', 'ok')).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(await mark('hcm.lead', id, '1', 'ok')).toMatchObject({ ok: false, failure: { code: 'not_found' } });
    expect(await mark('hn.officer', id, '1', 'ok')).toMatchObject({ ok: true });
    const refused = await close('hn.lead', id);
    expect(refused).toMatchObject({ ok: false, failure: { code: 'invalid' } });
    if (!refused.ok) expect(refused.failure.text('en')).toContain('1 of the records are not marked yet (2)');
    expect(await close('hn.officer', id, t.db, true)).toMatchObject({ ok: false, failure: { code: 'denied' } });
    expect(await close('hk.lead', id, t.db, true)).toMatchObject({ ok: false, failure: { code: 'denied' } });
    expect(await close('hn.lead', id, t.db, true)).toMatchObject({ ok: true, value: { summary: { sampled: 2, ok: 1, unmarked: 1 } } });
    expect(await mark('hn.officer', id, '2', 'thiếu ảnh')).toMatchObject({ ok: false, failure: { code: 'conflict' } });
    expect(await close('hn.lead', id, t.db, true)).toMatchObject({ ok: false, failure: { code: 'conflict' } });
  });
});

describe('closing', () => {
  it('turns each finding into a follow-up for the inspected unit and queues the summary for the channel once', async () => {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK', platform: 'discord' });
    if (!started.ok) throw new Error('not started');
    const id = started.value.inspection.id;
    expect(await mark('hn.officer', id, '1', 'OK')).toMatchObject({ ok: true, value: { record: { result: 'ok', finding: null } } });
    expect(await mark('hn.officer', id, 'tn-hk-0002', 'Thiếu ảnh')).toMatchObject({ ok: true, value: { record: { result: 'finding' } } });
    // Marked again before closing: the second mark replaces the first.
    await mark('hn.lead', id, '3', 'đạt');
    await mark('hn.lead', id, '3', 'Chưa cập nhật tiền án');
    for (const position of ['4', '5', '6']) await mark('hn.officer', id, position, 'ok');
    const closed = await close('hn.lead', id);
    if (!closed.ok) throw new Error(closed.failure.text('en'));
    const due = '2024-10-02';
    expect(FINDING_DUE_DAYS).toBe(30);
    expect(closed.value.summary).toEqual({
      sampled: 6,
      ok: 4,
      findings: 2,
      unmarked: 0,
      complete: 1,
      incomplete: 5,
      missingPhoto: 1,
      missingMarks: 4,
      missingHistory: 4,
      neverValidated: 5,
    });
    expect(closed.value.followUps.map((f) => [f.caseCode, f.dueOn])).toEqual([
      ['TN-HK-0002', due],
      ['TN-HK-0003', due],
    ]);
    const followUps = await queryRows<{
      id: number;
      code: string;
      unit: string;
      task: string;
      due: string;
      status: string;
      linked: number;
    }>(
      t.db,
      sql`select f.id, c.code, u.code as unit, f.task, f.due_on::text as due, f.status::text as status, r.follow_up_id as linked
          from follow_ups f join cases c on c.id = f.case_id join units u on u.id = f.assignee_unit_id
          join inspection_records r on r.case_id = f.case_id and r.inspection_id = ${id}
          order by f.id`,
    );
    expect(followUps).toEqual([
      {
        id: closed.value.followUps[0]!.id,
        code: 'TN-HK-0002',
        unit: 'CAQ-HK',
        task: `Act on the finding of inspection #${id}, case TN-HK-0002: Thiếu ảnh`,
        due,
        status: 'open',
        linked: closed.value.followUps[0]!.id,
      },
      {
        id: closed.value.followUps[1]!.id,
        code: 'TN-HK-0003',
        unit: 'CAQ-HK',
        task: `Act on the finding of inspection #${id}, case TN-HK-0003: Chưa cập nhật tiền án`,
        due,
        status: 'open',
        linked: closed.value.followUps[1]!.id,
      },
    ]);
    const [stored] = await queryRows<{ summary: Record<string, number>; closedBy: string }>(
      t.db,
      sql`select i.summary, m.handle as "closedBy" from inspections i join members m on m.id = i.closed_by_member_id where i.id = ${id}`,
    );
    expect(stored).toEqual({ summary: closed.value.summary, closedBy: 'hn.lead' });
    const posts = await queryRows<{ key: string; platform: string; channel_id: string; message: ReplyMessage }>(
      t.db,
      sql`select key, platform, channel_id, message from outbox`,
    );
    expect(posts).toEqual([
      { key: `inspection:${id}`, platform: 'discord', channel_id: 'C-INSPECT', message: channelMessage(closed.value) },
    ]);
  });

  it('posts nothing for an inspection opened on the console, which has no channel', async () => {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 1, seed: 'z' });
    if (!started.ok) throw new Error('not started');
    await mark('hn.officer', started.value.inspection.id, '1', 'ok');
    expect((await close('hn.lead', started.value.inspection.id)).ok).toBe(true);
    expect(await queryRows(t.db, sql`select id from outbox`)).toEqual([]);
  });
});

describe('what the digest and the agenda show', () => {
  async function heldWithTwoFindings(): Promise<number> {
    const started = await start('hn.lead', { unitCode: 'CAQ-HK', sampleSize: 3, seed: 'q3' });
    if (!started.ok) throw new Error('not started');
    const id = started.value.inspection.id;
    await mark('hn.officer', id, '1', 'ok');
    await mark('hn.officer', id, '2', 'Thiếu đặc điểm nhận dạng của Phạm Văn Hùng');
    await mark('hn.officer', id, '3', 'Thiếu tiền án');
    expect((await close('hn.lead', id)).ok).toBe(true);
    return id;
  }

  it('counts the inspections held in the period by inspected unit', async () => {
    await heldWithTwoFindings();
    // Still open: not held.
    expect((await start('hn.lead', { unitCode: 'CAQ-HK' })).ok).toBe(true);
    const unitId = (await findUnitByCode(t.db, 'CA-HN'))!.id;
    const digest = await buildDigest(t.db, {
      scopeUnitId: unitId,
      period: { from: '2024-09-01', to: '2024-09-30' },
      today: TODAY,
      timeZone: TZ,
    });
    expect(digest.inspections).toEqual([{ unitCode: 'CAQ-HK', held: 1, sampled: 3, findings: 2 }]);
    expect(messageText(digestMessage(digest, 'en'))).toContain('Records inspections: 1 held (CAQ-HK 1); 3 records inspected, 2 findings.');
    expect(messageText(digestMessage(digest, 'vi'))).toContain(
      'Kiểm tra hồ sơ: 1 cuộc đã kết thúc (CAQ-HK 1); 3 hồ sơ được kiểm tra, 2 phát hiện.',
    );
    const august = await buildDigest(t.db, {
      scopeUnitId: unitId,
      period: { from: '2024-08-01', to: '2024-08-31' },
      today: TODAY,
      timeZone: TZ,
    });
    expect(august.inspections).toEqual([]);
    expect(messageText(digestMessage(august, 'en'))).not.toContain('Records inspections');
    const hcm = await buildDigest(t.db, {
      scopeUnitId: (await findUnitByCode(t.db, 'CA-HCM'))!.id,
      period: { from: '2024-09-01', to: '2024-09-30' },
      today: TODAY,
      timeZone: TZ,
    });
    expect(hcm.inspections).toEqual([]);
  });

  it("lists the findings' open follow-ups on the agenda of a committee over the unit, and drops those done", async () => {
    const id = await heldWithTwoFindings();
    const meeting = async (handle: string, channelId: string, now: Date) =>
      startMeeting(t.db, { ...(await as(handle)), platform: 'console', channelId, now, today: TODAY, timeZone: TZ, locale: 'en' });
    const agenda = await meeting('hn.lead', 'm1', NOW);
    if (!agenda.ok) throw new Error('no meeting');
    const open = agenda.value.agenda.openFindings!;
    expect(open.total).toBe(2);
    expect(open.findings.map((f) => [f.caseCode, f.unitCode, f.inspectionId, f.dueOn, f.overdue])).toEqual([
      [expect.stringMatching(/^TN-HK-/), 'CAQ-HK', id, '2024-10-02', false],
      [expect.stringMatching(/^TN-HK-/), 'CAQ-HK', id, '2024-10-02', false],
    ]);
    // Another committee's agenda does not list them.
    const hcm = await meeting('hcm.lead', 'm2', NOW);
    expect(hcm.ok && hcm.value.agenda.openFindings).toEqual({ findings: [], total: 0 });
    // One is done: the next agenda lists the other.
    const hk = await as('hk.lead');
    const done = await closeFollowUpAs(t.db, {
      scope: hk.scope,
      member: hk.actor,
      id: open.findings[0]!.followUpId,
      status: 'done',
      note: null,
      now: NOW,
    });
    expect(done.ok).toBe(true);
    const next = await meeting('hn.lead', 'm3', new Date('2024-09-03T02:00:00Z'));
    expect(next.ok && next.value.agenda.openFindings?.findings.map((f) => f.followUpId)).toEqual([open.findings[1]!.followUpId]);
  });
});
