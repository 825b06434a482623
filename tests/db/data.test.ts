import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, DatabaseLockedError, queryRows } from '../../db/client.ts';
import { migrateDb } from '../../db/migrate.ts';
import { insertAudit } from '../../src/repositories/audit.ts';
import { findCaseByCode, insertCaseEvents, updateCaseAtVersion } from '../../src/repositories/cases.ts';
import { findUnitByCode, insertUnit, unitSubtreeIds } from '../../src/repositories/units.ts';
import { cleanText } from '../../src/domain/text.ts';
import { migrationCount, openTestDb, testDriver, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;

/** drizzle wraps a database error; the server's own message is its cause. */
async function dbError(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? (error as Error).message;
  }
  throw new Error('the statement succeeded');
}

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
});
afterAll(() => t.close());

describe(`data layer on ${testDriver}`, () => {
  it('applies the migrations a second time as a no-op, leaving the schema unchanged', async () => {
    const schema = () =>
      queryRows<{ table_name: string; n: number }>(
        t.db,
        sql`select table_name, count(*)::int as n from information_schema.columns where table_schema = 'public' group by table_name order by table_name`,
      );
    const before = await schema();
    expect(await migrateDb(t.handle)).toEqual({ applied: 0 });
    expect(await schema()).toEqual(before);
    expect(before.map((r) => r.table_name)).toEqual([
      'audit_chain',
      'audit_log',
      'case_decisions',
      'case_details',
      'case_events',
      'case_ledger',
      'case_photos',
      'case_validations',
      'cases',
      'checks',
      'digest_runs',
      'digest_schedules',
      'follow_ups',
      'hit_requests',
      'inspection_records',
      'inspections',
      'meeting_attendees',
      'meeting_follow_ups',
      'meeting_items',
      'meetings',
      'member_identities',
      'members',
      'outbox',
      'pending_actions',
      'processed_invocations',
      'search_vocabulary',
      'unit_channels',
      'units',
    ]);
  });

  it.each([
    ['NFD input', 'Nguyễn Văn Đức'.normalize('NFD'), [], 'nguyen van duc'],
    ['Đ and đ', 'ĐẶNG ĐÌNH đạt', [], 'dang dinh dat'],
    ['zero-width and bidi characters', 'Ng\u200Buy\u200Dễn\uFEFF \u202EVăn', [], 'nguyen van'],
    ['extra spaces and case', '  LÊ   thị  HOA ', [], 'le thi hoa'],
    ['aliases', 'Trần Văn Tèo', ['Tèo Mập', 'Ba Đen'], 'tran van teo teo map ba den'],
  ])('derives the search key from %s', async (_, fullName, aliases, key) => {
    const row = await makeCase(t.db, { unit: 'CA-HN', fullName, aliases });
    expect(row.searchKey).toBe(key);
  });

  it('keeps the search key right when a name is changed by any UPDATE', async () => {
    const row = await makeCase(t.db, { unit: 'CA-HN', fullName: 'Lê Văn A' });
    await t.db.execute(sql`update cases set full_name = 'Đỗ Thị Bích' where id = ${row.id}`);
    expect((await findCaseByCode(t.db, row.code))!.searchKey).toBe('do thi bich');
  });

  it('cleans text to NFC without invisible characters', () => {
    expect(cleanText('Nguye\u0302\u0303n\u200B  Văn\u202E ')).toBe('Nguyễn Văn');
    expect(cleanText('Nguyễn').length).toBe(6);
  });

  it.each([
    ['UPDATE', sql`update audit_log set outcome = 'ok'`],
    ['DELETE', sql`delete from audit_log`],
    ['TRUNCATE', sql`truncate audit_log`],
  ])('refuses %s on the audit log', async (_, statement) => {
    await insertAudit(t.db, { platform: 'console', userId: 'x', command: 'case show', outcome: 'denied', args: {} });
    expect(await dbError(t.db.execute(statement))).toMatch(/append-only/);
    expect(await queryRows(t.db, sql`select outcome::text from audit_log`)).toEqual([{ outcome: 'denied' }]);
  });

  it.each([
    ['UPDATE', sql`update case_events set kind = 'note'`],
    ['DELETE', sql`delete from case_events`],
  ])('refuses %s on case history', async (_, statement) => {
    const row = await makeCase(t.db, { unit: 'CA-HN' });
    await insertCaseEvents(t.db, [{ caseId: row.id, kind: 'created', actorLabel: 'test', data: {} }]);
    expect(await dbError(t.db.execute(statement))).toMatch(/append-only/);
    expect(await queryRows(t.db, sql`select kind::text from case_events`)).toEqual([{ kind: 'created' }]);
  });

  it('scans with synchronized scans off, so that a scan with a limit meets the same rows each time', async () => {
    expect(await queryRows(t.db, sql`select current_setting('synchronize_seqscans') as value`)).toEqual([{ value: 'off' }]);
  });

  it('applies an update only at the version it read', async () => {
    const row = await makeCase(t.db, { unit: 'CA-HN' });
    const first = await updateCaseAtVersion(t.db, { id: row.id, expectedVersion: 1, changes: { danger: 'dangerous' } });
    const second = await updateCaseAtVersion(t.db, { id: row.id, expectedVersion: 1, changes: { danger: 'normal' } });
    expect(first?.version).toBe(2);
    expect(second).toBeUndefined();
    expect(await findCaseByCode(t.db, row.code)).toMatchObject({ danger: 'dangerous', version: 2 });
  });

  it.each([
    ['an outcome before the wanted date', sql`update cases set status = 'arrested', resolved_on = '2019-01-01'`],
    ['a wanted case with an outcome date', sql`update cases set resolved_on = '2021-01-01'`],
    ['an outcome without a date', sql`update cases set status = 'cleared'`],
  ])('refuses %s in the database itself', async (_, statement) => {
    await makeCase(t.db, { unit: 'CA-HN', wantedOn: '2020-01-01' });
    expect(await dbError(t.db.execute(statement))).toMatch(/cases_resolution_consistent|cases_resolved_after_wanted/);
  });

  it('refuses a follow-up with both or neither assignee', async () => {
    const member = await makeMember(t.db, { handle: 'a', role: 'lead', unit: 'CA-HN' });
    const unit = (await findUnitByCode(t.db, 'CA-HN'))!;
    expect(
      await dbError(
        t.db.execute(sql`insert into follow_ups (task, assignee_member_id, assignee_unit_id) values ('x', ${member.id}, ${unit.id})`),
      ),
    ).toMatch(/follow_ups_one_assignee/);
    expect(await dbError(t.db.execute(sql`insert into follow_ups (task) values ('x')`))).toMatch(/follow_ups_one_assignee/);
  });

  it('finds a unit and all its descendants', async () => {
    const root = (await findUnitByCode(t.db, 'C06'))!;
    const hn = (await findUnitByCode(t.db, 'CA-HN'))!;
    const codes = async (id: number) =>
      (
        await queryRows<{ code: string }>(
          t.db,
          sql`select code from units where id = any(${sql.param(await unitSubtreeIds(t.db, id))}::int[]) order by code`,
        )
      ).map((r) => r.code);
    expect(await codes(root.id)).toEqual(['C06', 'CA-HCM', 'CA-HN', 'CAQ-HK']);
    expect(await codes(hn.id)).toEqual(['CA-HN', 'CAQ-HK']);
  });
});

if (testDriver === 'pglite') {
  describe('the embedded database folder', () => {
    it('is created with its parents, persists across reopening, and is locked while open', async () => {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'casedesk-data-')), 'nested', 'data');
      const first = await createDb({ dataDir });
      await migrateDb(first);
      await insertUnit(first.db, { code: 'KEPT', name: 'Còn đó', parentId: null });
      await expect(createDb({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
      await first.close();
      expect(existsSync(join(dataDir, 'casedesk.lock'))).toBe(false);
      const second = await createDb({ dataDir });
      try {
        expect(await migrateDb(second)).toEqual({ applied: 0 });
        expect((await findUnitByCode(second.db, 'KEPT'))?.name).toBe('Còn đó');
      } finally {
        await second.close();
      }
    });
  });
} else {
  describe('the PostgreSQL server', () => {
    it('says why it cannot connect', async () => {
      await expect(createDb({ databaseUrl: 'postgres://postgres@127.0.0.1:1/none', dataDir: '' })).rejects.toThrow(/ECONNREFUSED|connect/);
    });

    it('applies migrations once when instances start together', async () => {
      const admin = await createDb({ databaseUrl: t.url!, dataDir: '' });
      const name = `${new URL(t.url!).pathname.slice(1)}_m`;
      await admin.db.execute(sql.raw(`create database "${name}"`));
      const url = t.url!.replace(/\/[^/]+$/, `/${name}`);
      const handles = await Promise.all([1, 2, 3].map(() => createDb({ databaseUrl: url, dataDir: '', databasePoolMax: 2 })));
      try {
        const results = await Promise.all(handles.map((h) => migrateDb(h)));
        expect(results.map((r) => r.applied).sort((a, b) => a - b)).toEqual([0, 0, migrationCount]);
      } finally {
        await Promise.all(handles.map((h) => h.close()));
        await admin.db.execute(sql.raw(`drop database "${name}" with (force)`));
        await admin.close();
      }
    });
  });
}
