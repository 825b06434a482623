import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { commands } from '../../commands/index.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { ReplyAction } from '../../src/domain/reply.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { findCaseByCode } from '../../src/repositories/cases.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { RecordingReply, createTestCore, type TestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let core: TestCore;
const CODE = 'TN-2021-000100';

beforeAll(async () => {
  t = await openTestDb();
  // 2024-09-01 03:00 UTC is 10:00 on 2024-09-01 in Hanoi.
  core = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'lead2', role: 'lead', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'CA-HN' });
  await makeMember(t.db, { handle: 'lead.vi', role: 'lead', unit: 'CA-HN', locale: 'vi' });
  await makeCase(t.db, { code: CODE, fullName: 'Phạm Thị Hoa', unit: 'CA-HN', wantedOn: '2021-03-01', nationalId: '001190000001' });
});
afterAll(() => t.close());

const events = () =>
  queryRows<{ kind: string; occurred_on: string | null; data: Record<string, unknown> }>(
    t.db,
    sql`select kind, occurred_on::text, data from case_events order by id`,
  );

describe('case status', () => {
  it('records an outcome on the day it happened, with one event', async () => {
    const { result, reply } = await core.run('lead', `case status ${CODE} arrested on:2024-08-15 bắt tại Gia Lâm`);
    expect(result.outcome).toBe('ok');
    expect(reply.text).toContain('wanted → arrested');
    const row = (await findCaseByCode(t.db, CODE))!;
    expect(row).toMatchObject({ status: 'arrested', resolvedOn: '2024-08-15', outcomeNote: 'bắt tại Gia Lâm', version: 2 });
    expect(await events()).toEqual([expect.objectContaining({ kind: 'status_changed', occurred_on: '2024-08-15' })]);
  });

  it('defaults the day to today in the configured time zone', async () => {
    // 2024-08-31 18:30 UTC is already 2024-09-01 in Hanoi.
    const lateCore = createTestCore(t.db, { now: new Date('2024-08-31T18:30:00Z') });
    await lateCore.run('lead', `case status ${CODE} surrendered`);
    expect((await findCaseByCode(t.db, CODE))!.resolvedOn).toBe('2024-09-01');
  });

  it.each([
    ['đầu thú', 'surrendered'],
    ['dau-thu', 'surrendered'],
    ['bat', 'arrested'],
    ['thanh-loai', 'cleared'],
    ['dinh-na', 'cancelled'],
  ])('accepts the Vietnamese word %s', async (word, status) => {
    const { result } = await core.run('lead', `case status ${CODE} ${word} on:2024-01-02`);
    expect(result.outcome).toBe('ok');
    expect((await findCaseByCode(t.db, CODE))!.status).toBe(status);
  });

  it('reopens a case with truy-na, clearing the outcome', async () => {
    await core.run('lead', `case status ${CODE} arrested on:2024-01-02`);
    const { result } = await core.run('lead', `case status ${CODE} truy-na nhầm người`);
    expect(result.outcome).toBe('ok');
    expect(await findCaseByCode(t.db, CODE)).toMatchObject({ status: 'wanted', resolvedOn: null, version: 3 });
    expect((await events()).map((e) => e.kind)).toEqual(['status_changed', 'reopened']);
  });

  it.each([
    ['a future date', `on:2024-09-02`, 'in the future'],
    ['a date before the wanted date', `on:2021-02-28`, 'before the wanted date'],
    ['a date that does not exist', `on:2024-02-30`, 'not a real date'],
    ['a day-first date', `on:31/02/2020`, 'not a real date'],
    ['a valid day-first date', `on:15/08/2024`, 'e.g. 2024-08-15'],
    ['a malformed date', `on:yesterday`, 'YYYY-MM-DD'],
  ])('refuses %s with a specific message and changes nothing', async (_, option, message) => {
    const { result, reply } = await core.run('lead', `case status ${CODE} arrested ${option}`);
    expect(result.outcome).toBe('invalid');
    expect(reply.text).toContain(message);
    expect((await findCaseByCode(t.db, CODE))!.version).toBe(1);
    expect(await events()).toEqual([]);
  });

  it('refuses an unknown outcome word, listing the accepted ones', async () => {
    const { result, reply } = await core.run('lead', `case status ${CODE} escaped`);
    expect(result.code).toBe('invalid');
    expect(reply.text).toContain('arrested, surrendered');
    expect(reply.text).toContain('Usage: case status <code>');
  });

  it('refuses a change to the status the case already has', async () => {
    const { result } = await core.run('lead', `case status ${CODE} wanted`);
    expect(result.code).toBe('conflict');
  });

  it('refuses a change made against a version someone else changed, saying what changed', async () => {
    await core.run('lead2', `case status ${CODE} arrested on:2024-08-01`);
    const { result, reply } = await core.run('lead', `case status ${CODE} surrendered on:2024-08-02 version:1`);
    expect(result.code).toBe('conflict');
    expect(reply.text).toContain('lead2');
    expect(reply.text).toContain('wanted → arrested');
    expect(await findCaseByCode(t.db, CODE)).toMatchObject({ status: 'arrested', version: 2 });
  });

  it('lets exactly one of two simultaneous changes win', async () => {
    const other = createTestCore(t.db, { now: new Date('2024-09-01T03:00:00Z') });
    const results = await Promise.all([
      core.run('lead', `case status ${CODE} arrested on:2024-08-01 version:1`),
      other.run('lead2', `case status ${CODE} surrendered on:2024-08-02 version:1`),
    ]);
    expect(results.map((r) => r.result.outcome).sort()).toEqual(['invalid', 'ok']);
    expect((await findCaseByCode(t.db, CODE))!.version).toBe(2);
    expect(await events()).toHaveLength(1);
  });

  it('answers in Vietnamese with Vietnamese dates', async () => {
    const { reply } = await core.run('lead.vi', `case status ${CODE} arrested on:2024-08-15`);
    expect(reply.text).toContain('đang truy nã → đã bắt (ngày 15/08/2024)');
    const future = await core.run('lead.vi', `case status ${CODE} surrendered on:2024-12-01`);
    expect(future.reply.text).toContain('01/12/2024 ở tương lai');
  });
});

describe('case note and case info', () => {
  it('adds a note to the history and fills record completeness', async () => {
    expect((await core.run('officer', `case note ${CODE} "đã xác minh" tại nơi ở`)).result.outcome).toBe('ok');
    expect((await core.run('officer', `case info ${CODE} photo Kho ảnh số 12`)).result.outcome).toBe('ok');
    expect((await core.run('officer', `case info ${CODE} đặc-điểm sẹo dài ở cằm`)).result.outcome).toBe('ok');
    expect((await core.run('officer', `case info ${CODE} tien-an 2 tiền án trộm cắp`)).result.outcome).toBe('ok');
    expect(await findCaseByCode(t.db, CODE)).toMatchObject({
      hasPhoto: true,
      photoNote: 'Kho ảnh số 12',
      identifyingMarks: 'sẹo dài ở cằm',
      criminalHistory: '2 tiền án trộm cắp',
      version: 4,
    });
    expect((await events()).map((e) => e.kind)).toEqual(['note', 'info_added', 'info_added', 'info_added']);
    expect((await events())[0]!.data).toEqual({ note: 'đã xác minh tại nơi ở' });
  });

  it('shows the full card with events and completeness to an officer, privately', async () => {
    await core.run('lead', `case status ${CODE} arrested on:2024-08-15`);
    const { reply } = await core.run('officer', `case show ${CODE}`);
    expect(reply.messages[0]!.personal).toBe(true);
    expect(reply.text).toContain('Phạm Thị Hoa');
    expect(reply.text).toContain('001190000001');
    expect(reply.text).toContain('Photo: missing');
    expect(reply.text).toContain('wanted → arrested (2024-08-15)');
  });

  it('shows only a summary, without personal data, where the answer cannot be private', async () => {
    const { reply } = await core.run('officer', `case show ${CODE}`, { canBePrivate: false });
    expect(reply.messages[0]!.personal).toBe(false);
    expect(reply.text).toContain(CODE);
    expect(reply.text).not.toContain('Phạm Thị Hoa');
    expect(reply.text).not.toContain('001190000001');
    expect(reply.text).toContain('direct message');
  });

  it('refuses a note over its limit, giving the limit', async () => {
    const { result, reply } = await core.run('officer', `case note ${CODE} ${'x'.repeat(2001)}`);
    expect(result.code).toBe('invalid');
    expect(reply.text).toContain('limit of 2000');
  });

  it('refuses an unknown code specifically', async () => {
    const { result, reply } = await core.run('officer', 'case note TN-1999-999999 abc');
    expect(result.code).toBe('not_found');
    expect(reply.text).toContain('No case TN-1999-999999');
  });
});

describe('case status where the user can press buttons', () => {
  /** A reply with buttons, as on Discord and Slack. */
  class ButtonReply extends RecordingReply {
    readonly interactive = true;
  }
  let now = new Date('2024-09-01T03:00:00Z');
  const dispatcher = () =>
    createDispatcher({
      db: t.db,
      commands,
      locale: 'en',
      timeZone: 'Asia/Ho_Chi_Minh',
      logger: pino({ level: 'silent' }),
      clock: () => now,
    });
  const press = async (handle: string, action: ReplyAction) => {
    const reply = new ButtonReply();
    const result = await dispatcher().dispatch(
      {
        id: randomUUID(),
        actor: { platform: 'console', workspaceId: 'local', userId: handle },
        channel: { id: 'c', isPrivate: true },
        input: { kind: 'options', command: action.command, options: action.options },
      },
      reply,
    );
    return { result, reply };
  };
  const ask = async (line: string) => {
    const reply = new ButtonReply();
    await dispatcher().dispatch(
      {
        id: randomUUID(),
        actor: { platform: 'console', workspaceId: 'local', userId: 'lead' },
        channel: { id: 'c', isPrivate: true },
        input: { kind: 'text', line },
      },
      reply,
    );
    return reply;
  };
  beforeEach(() => {
    now = new Date('2024-09-01T03:00:00Z');
  });

  it('shows the change first and refuses the confirmation when the case changed meanwhile', async () => {
    const question = await ask(`case status ${CODE} arrested on:2024-08-20`);
    expect(question.text).toContain(`${CODE} · Phạm Thị Hoa: wanted → arrested (on 2024-08-20).`);
    expect(question.messages[0]!.personal).toBe(true);
    const [confirm] = question.messages[0]!.actions!;
    expect((await findCaseByCode(t.db, CODE))!.status).toBe('wanted');

    // Someone else records another outcome before the lead confirms.
    expect((await core.run('lead2', `case status ${CODE} surrendered on:2024-08-25`)).result.outcome).toBe('ok');
    const { result, reply } = await press('lead', confirm!);
    expect(result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
    expect(reply.text).toMatch(/changed/i);
    expect((await findCaseByCode(t.db, CODE))!.status).toBe('surrendered');
  });

  it('keeps the day shown in the question, and lets a confirmation expire after an hour', async () => {
    // Asked at 23:30 in Hanoi, confirmed at 00:20: the outcome keeps the day the question showed.
    now = new Date('2024-09-01T16:30:00Z');
    const first = await ask(`case status ${CODE} arrested`);
    const second = await ask(`case status ${CODE} cleared`);
    now = new Date('2024-09-01T17:20:00Z');
    const { result } = await press('lead', first.messages[0]!.actions![0]!);
    expect(result.outcome).toBe('ok');
    expect((await findCaseByCode(t.db, CODE))!.resolvedOn).toBe('2024-09-01');
    now = new Date('2024-09-01T17:31:00Z');
    const late = await press('lead', second.messages[0]!.actions![0]!);
    expect(late.result).toMatchObject({ outcome: 'invalid', code: 'invalid' });
    expect(late.reply.text).toContain('expired');
    expect(await queryRows(t.db, sql`select count(*)::int as n from pending_actions`)).toEqual([{ n: 1 }]);
  });
});
