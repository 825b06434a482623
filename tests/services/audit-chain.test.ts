import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows, type Executor } from '../../db/client.ts';
import { insertAudit } from '../../src/repositories/audit.ts';
import { parseKeptHead, verifyAuditChain, type ChainReport, type KeptHead } from '../../src/services/audit.ts';
import { buildDigest } from '../../src/services/digest/digest.ts';
import { digestMessage } from '../../src/presenters/digest.ts';
import { makeMember, makeUnitTree } from '../factories/index.ts';
import { cli as runCli } from '../support/cli.ts';
import { messageText } from '../support/core.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const operator = { user: 'nguyenvana', host: 'may-tram-01' };
const cli = (args: string[], locale: 'vi' | 'en' = 'en') =>
  runCli(args, { db: t.handle, env: { CASEDESK_LOCALE: locale }, operator, logger: pino({ level: 'silent' }) });

async function writeRows(count: number): Promise<void> {
  for (let i = 1; i <= count; i++)
    await insertAudit(t.db, { platform: 'console', command: `case show`, args: { code: `TN-${i}` }, outcome: 'ok', detail: null });
}

/** Tampers as a superuser would, with every trigger bypassed, verifies, then undoes it all. */
async function tampered(tamper: string | string[], options: { kept?: KeptHead } = {}): Promise<ChainReport> {
  class Undo extends Error {
    constructor(readonly report: ChainReport) {
      super('undo');
    }
  }
  try {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const statement of [tamper].flat()) await tx.execute(sql.raw(statement));
      await tx.execute(sql`set local session_replication_role = origin`);
      throw new Undo(await verifyAuditChain(tx, { batch: 4, ...options }));
    });
  } catch (error) {
    if (error instanceof Undo) return error.report;
    throw error;
  }
  throw new Error('unreachable');
}

const idAt = async (db: Executor, seq: number) =>
  (await queryRows<{ id: number }>(db, sql`select id::int as id from audit_log where chain_seq = ${seq}`))[0]!.id;

describe('the audit log as a hash chain', () => {
  it('numbers every row without gaps and verifies an untouched log, in batches', async () => {
    await writeRows(10);
    const rows = await queryRows<{ seq: number }>(t.db, sql`select chain_seq::int as seq from audit_log order by id`);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const report = await verifyAuditChain(t.db, { batch: 3 });
    expect(report).toMatchObject({ rows: 10, head: { seq: 10 }, finding: null });
    expect(report.head.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores what the inserting code claims for the number and the hash', async () => {
    await writeRows(2);
    await t.db.execute(sql`insert into audit_log (platform, command, outcome, chain_seq, hash) values ('console', 'x', 'ok', 1, 'forged')`);
    const [row] = await queryRows<{ seq: number; hash: string }>(
      t.db,
      sql`select chain_seq::int as seq, hash from audit_log where command = 'x'`,
    );
    expect(row).toMatchObject({ seq: 3 });
    expect(row!.hash).not.toBe('forged');
    expect((await verifyAuditChain(t.db)).finding).toBeNull();
  });

  it('catches a row changed by a superuser, naming it', async () => {
    await writeRows(10);
    const report = await tampered(`update audit_log set detail = 'sửa lại' where chain_seq = 6`);
    expect(report.finding).toEqual({ kind: 'changed', id: await idAt(t.db, 6), seq: 6 });
  });

  it('catches a changed row whose hash was recomputed, at the row after it', async () => {
    await writeRows(10);
    const report = await tampered([
      `update audit_log set detail = 'x' where chain_seq = 4`,
      `update audit_log set hash = casedesk_audit_row_hash((select hash from audit_log where chain_seq = 3), 4, audit_log) where chain_seq = 4`,
    ]);
    // Its own hash now fits its content; the next row was chained to the old one.
    expect(report.finding).toEqual({ kind: 'changed', id: await idAt(t.db, 5), seq: 5 });
  });

  it('catches rows removed from the middle and from the end', async () => {
    await writeRows(10);
    expect((await tampered(`delete from audit_log where chain_seq in (4, 5)`)).finding).toEqual({
      kind: 'removed',
      from: 4,
      to: 5,
      nextId: await idAt(t.db, 6),
    });
    // A whole batch missing (the walk's batch is 4 rows): the gap is still named.
    expect((await tampered(`delete from audit_log where chain_seq between 2 and 7`)).finding).toMatchObject({
      kind: 'removed',
      from: 2,
      to: 7,
    });
    expect((await tampered(`delete from audit_log where chain_seq >= 9`)).finding).toEqual({
      kind: 'removed',
      from: 9,
      to: 10,
      nextId: null,
    });
    expect((await tampered(`truncate audit_log`)).finding).toEqual({ kind: 'removed', from: 1, to: 10, nextId: null });
  });

  it('catches rows inserted out of order or outside the chain', async () => {
    await writeRows(6);
    expect(
      (await tampered(`insert into audit_log (platform, command, outcome) values ('console', 'case show', 'ok')`)).finding,
    ).toMatchObject({ kind: 'outside', count: 1 });
    expect(
      (
        await tampered(
          `insert into audit_log (platform, command, outcome, chain_seq, hash) values ('console', 'case show', 'ok', 7, repeat('a', 64))`,
        )
      ).finding,
    ).toMatchObject({ kind: 'beyond_head', seq: 7 });
    // A row slipped in between 3 and 4, taking 4's number (the unique index dropped first).
    const report = await tampered([
      `drop index audit_log_chain_seq_key`,
      `insert into audit_log (id, platform, command, outcome, chain_seq, hash)
         values (1000, 'console', 'case show', 'ok', 4, casedesk_audit_row_hash((select hash from audit_log where chain_seq = 3), 4, null::audit_log))`,
    ]);
    expect(report.finding).toEqual({ kind: 'out_of_order', id: 1000, seq: 4 });
  });

  it('proves with the head a digest carried that the log was not rewritten wholesale', async () => {
    await makeUnitTree(t.db);
    await writeRows(5);
    const digest = await buildDigest(t.db, {
      scopeUnitId: null,
      period: { from: '2024-08-01', to: '2024-08-31' },
      today: '2024-09-01',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const footer = messageText(digestMessage(digest, 'vi'));
    const kept = /casedesk audit verify --head (\d+:[0-9a-f]{12})/.exec(footer)?.[1];
    expect(kept).toBe(digest.auditHead);
    expect(kept).toMatch(/^5:/);
    expect(await cli(['audit', 'verify', '--head', kept!])).toMatchObject({ code: 0 });
    // Every row rewritten and chained again consistently, head included: only the kept head can tell.
    const rewrite = `do $$ declare r audit_log; h text := casedesk_audit_genesis(); begin
         for r in select * from audit_log order by chain_seq loop
           r.detail := 'rewritten';
           h := casedesk_audit_row_hash(h, r.chain_seq, r);
           update audit_log set detail = 'rewritten', hash = h where id = r.id;
         end loop;
         update audit_chain set hash = h;
       end $$`;
    expect((await tampered(rewrite)).finding).toBeNull();
    expect((await tampered(rewrite, { kept: parseKeptHead(kept!)! })).finding).toMatchObject({ kind: 'kept_head', seq: 5 });
  });

  it('keeps the chain whole under concurrent inserts from several connections', async () => {
    const writers = testDriver === 'postgres' ? Array.from({ length: 4 }, () => postgres(t.url!, { max: 1, onnotice: () => {} })) : [];
    try {
      if (writers.length)
        await Promise.all(
          writers.flatMap((w, i) =>
            Array.from({ length: 25 }, (_, j) =>
              w.begin(async (tx) => {
                await tx`insert into audit_log (platform, command, outcome, detail) values ('console', 'case show', 'ok', ${`${i}-${j}`})`;
              }),
            ),
          ),
        );
      else await writeRows(100);
      const seqs = await queryRows<{ n: number; max: number }>(
        t.db,
        sql`select count(distinct chain_seq)::int as n, max(chain_seq)::int as max from audit_log`,
      );
      expect(seqs[0]).toEqual({ n: 100, max: 100 });
      expect((await verifyAuditChain(t.db)).finding).toBeNull();
    } finally {
      await Promise.all(writers.map((w) => w.end({ timeout: 5 })));
    }
  });

  it('finds nothing amiss in rows chained while it verifies', async () => {
    await writeRows(20);
    const writer = testDriver === 'postgres' ? postgres(t.url!, { max: 1, onnotice: () => {} }) : undefined;
    try {
      const more = async () => {
        for (let i = 0; i < 40; i++) {
          if (writer) await writer`insert into audit_log (platform, command, outcome) values ('console', 'case show', 'ok')`;
          else await insertAudit(t.db, { platform: 'console', command: 'case show', outcome: 'ok' });
        }
      };
      // Small batches, so that the walk's statements and the inserts interleave.
      const [report] = await Promise.all([verifyAuditChain(t.db, { batch: 2 }), more()]);
      expect(report.finding).toBeNull();
      expect(report.rows).toBe(report.head.seq);
      expect(report.rows).toBeGreaterThanOrEqual(20);
      expect(await verifyAuditChain(t.db)).toMatchObject({ rows: 60, finding: null });
    } finally {
      await writer?.end({ timeout: 5 });
    }
  });
});

describe('casedesk audit verify', () => {
  it('says the log is intact and prints the head; names a change with exit 1', async () => {
    await writeRows(3);
    const ok = await cli(['audit', 'verify'], 'vi');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Nhật ký kiểm toán nguyên vẹn: 3 dòng, đầu chuỗi 3:[0-9a-f]{12}\.\n$/);
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update audit_log set detail = 'x' where chain_seq = 2`);
    });
    const broken = await cli(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`row ${await idAt(t.db, 2)} (link 2 of the chain) is not what was written`);
    expect((await cli(['audit', 'verify', '--head', 'abc'])).stderr).toContain('is not a chain head');
  });
});

describe('command-line actions in the audit log', () => {
  const cliRows = () =>
    queryRows<{
      command: string;
      outcome: string;
      os_user: string;
      os_host: string;
      args: Record<string, unknown>;
      member_id: number | null;
      detail: string | null;
    }>(t.db, sql`select command, outcome::text, os_user, os_host, args, member_id, detail from audit_log order by id`);

  it('writes one row for each action, with the operating-system user and host', async () => {
    expect((await cli(['units', 'add', 'C06', 'Cục'])).code).toBe(0);
    expect((await cli(['members', 'add', 'duc.nv', '--role', 'admin', '--unit', 'C06'])).code).toBe(0);
    expect((await cli(['members', 'list'])).code).toBe(0);
    expect((await cli(['units', 'add', 'X', 'Y', '--parent', 'NOPE'])).code).toBe(1);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    expect((await cli(['db', 'migrate'])).code).toBe(0);
    const rows = await cliRows();
    expect(rows.map((r) => [r.command, r.outcome, r.detail])).toEqual([
      ['casedesk units add', 'ok', null],
      ['casedesk members add', 'ok', null],
      ['casedesk members list', 'ok', null],
      ['casedesk units add', 'invalid', 'not_found'],
      ['casedesk audit verify', 'ok', null],
      ['casedesk db migrate', 'ok', null],
    ]);
    expect(rows.every((r) => r.os_user === operator.user && r.os_host === operator.host)).toBe(true);
    expect(rows[1]!.args).toEqual({ handle: 'duc.nv', role: 'admin', unit: 'C06' });
  });

  it('audits an action refused before it reached the database, such as an argument that does not parse', async () => {
    expect((await cli(['meeting', 'minutes', '0x10'])).code).toBe(1);
    expect((await cli(['audit', 'verify', '--head', 'nonsense'])).code).toBe(1);
    const rows = await cliRows();
    expect(rows.map((r) => [r.command, r.outcome, r.detail, r.args, r.os_user])).toEqual([
      ['casedesk meeting minutes', 'invalid', 'invalid', { id: '0x10', format: 'text' }, operator.user],
      ['casedesk audit verify', 'invalid', 'invalid', { head: 'nonsense' }, operator.user],
    ]);
  });

  it('audits importing, digests, scheduled runs, minutes and listings, each once', async () => {
    await makeUnitTree(t.db);
    const dir = mkdtempSync(join(tmpdir(), 'casedesk-cli-audit-'));
    const file = join(dir, 'cases.csv');
    writeFileSync(file, 'code,full_name,danger,unit,wanted_on,status\nTN-2020-000009,Trần Văn Bình,normal,CA-HN,2020-01-01,wanted\n');
    const runs: string[][] = [
      ['import', 'cases', file],
      ['digest', '--period', 'ytd'],
      ['digest', 'run-schedules'],
      ['digest', 'schedule', 'list'],
      ['meeting', 'minutes', '7'],
      ['members', 'link', 'nobody', '--platform', 'slack', '--workspace', 'T1', '--user', 'U1'],
      ['units', 'list'],
    ];
    for (const args of runs) await cli(args);
    const rows = await cliRows();
    expect(rows.map((r) => [r.command, r.outcome])).toEqual([
      ['casedesk import cases', 'ok'],
      ['casedesk digest show', 'ok'],
      ['casedesk digest run-schedules', 'ok'],
      ['casedesk digest schedule list', 'ok'],
      ['casedesk meeting minutes', 'invalid'],
      ['casedesk members link', 'invalid'],
      ['casedesk units list', 'ok'],
    ]);
    expect(rows.every((r) => r.os_user === operator.user && r.os_host === operator.host && r.member_id === null)).toBe(true);
    expect(rows[0]!.args).toEqual({ file });
  });

  it('records who ran exec and console beside the member they acted as', async () => {
    await makeUnitTree(t.db);
    const admin = await makeMember(t.db, { handle: 'admin.c06', role: 'admin', unit: 'C06' });
    expect((await cli(['exec', '--as', 'admin.c06', 'whoami'])).code).toBe(0);
    expect((await runCli(['console', '--as', 'admin.c06'], { db: t.handle, operator, input: 'whoami\nfollowup list\n' })).code).toBe(0);
    const rows = await cliRows();
    expect(rows.map((r) => [r.command, r.member_id, r.os_user, r.os_host])).toEqual([
      ['whoami', admin.id, operator.user, operator.host],
      ['whoami', admin.id, operator.user, operator.host],
      ['followup list', admin.id, operator.user, operator.host],
      ['casedesk console', null, operator.user, operator.host],
    ]);
  });

  it('audits an action that fails unexpectedly, with the reference the operator is shown', async () => {
    // The meetings table gone from under the command: a failure no check foresees.
    await t.db.execute(sql`alter table meetings rename to meetings_away`);
    try {
      const failed = await cli(['meeting', 'minutes', '1']);
      expect(failed.code).toBe(2);
      const reference = /reference (E-[0-9A-F]{8})/.exec(failed.stderr)?.[1];
      expect(reference).toBeDefined();
      expect(failed.stderr.trim().split('\n')).toHaveLength(1);
      const rows = await cliRows();
      expect(rows.map((r) => [r.command, r.outcome, r.detail])).toEqual([['casedesk meeting minutes', 'error', reference]]);
    } finally {
      await t.db.execute(sql`alter table meetings_away rename to meetings`);
    }
  });
});
