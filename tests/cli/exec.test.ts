import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, queryRows } from '../../db/client.ts';
import { cli as runCli, CASEDESK_FROM_SOURCES } from '../support/cli.ts';
import { exitCodeFor } from '../../src/cli/console.ts';
import { findMemberByHandle } from '../../src/repositories/members.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const cli = (args: string[], input?: string) => runCli(args, { db: t.handle, input, env: { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent' } });

describe('casedesk exec', () => {
  beforeEach(async () => {
    await makeUnitTree(t.db);
    await makeMember(t.db, { handle: 'viewer', role: 'viewer', unit: 'CA-HN' });
    await makeCase(t.db, { code: 'TN-2020-000001', fullName: 'Nguyễn Văn Đức', unit: 'CA-HN' });
  });

  it('prints the answer and exits 0', async () => {
    const result = await cli(['exec', '--as', 'viewer', 'case find nguyen van duc']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('TN-2020-000001 · Nguyễn Văn Đức');
  });

  it.each([
    ['not found', ['exec', '--as', 'viewer', 'case show TN-1999-000000'], 'No case TN-1999-000000'],
    ['denied', ['exec', '--as', 'viewer', 'case status TN-2020-000001 arrested'], 'needs the lead role'],
    ['an unknown handle', ['exec', '--as', 'ghost', 'whoami'], 'There is no member "ghost"'],
    ['invalid input', ['exec', '--as', 'viewer', 'case find'], 'Missing text'],
  ])('exits 1 for %s', async (_, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(message);
  });

  it('maps outcomes to exit codes, internal errors to 2', () => {
    expect([exitCodeFor('ok'), exitCodeFor('denied'), exitCodeFor('invalid'), exitCodeFor('error'), exitCodeFor('duplicate')]).toEqual([
      0, 1, 1, 2, 2,
    ]);
  });

  it('requires --as: scripts must say who acts', async () => {
    const result = await cli(['exec', 'whoami']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("required option '--as <handle>'");
  });
});

describe('casedesk console', () => {
  it('answers piped lines as the member given', async () => {
    await makeUnitTree(t.db);
    await makeMember(t.db, { handle: 'viewer', role: 'viewer', unit: 'CA-HN' });
    const result = await cli(['console', '--as', 'viewer'], 'whoami\nhelp whoami\n');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Member:   viewer (viewer)');
    expect(result.stdout).toContain('Tell you your role, unit and scope');
  });

  it('creates the local administrator once, on an empty database', async () => {
    const first = await cli(['console'], 'whoami\n');
    expect(first.stdout).toContain('Created the local administrator "admin"');
    expect(first.stdout).toContain('Role:     admin');
    expect(await findMemberByHandle(t.db, 'admin')).toMatchObject({ role: 'admin' });
    const second = await cli(['console'], 'whoami\n');
    expect(second.stdout).not.toContain('Created');
  });
});

if (testDriver === 'pglite') {
  describe('as a program', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'casedesk-exec-')), 'data');
    // PORT 0: a service serves its health and metrics, on a port of its own choosing here.
    const env = { ...process.env, CASEDESK_DATA_DIR: dataDir, CASEDESK_LOCALE: 'en', LOG_LEVEL: 'warn', DATABASE_URL: '', PORT: '0' };

    // Four processes, each loading the whole program: slow on two shared cores, hence the time allowed.
    it('runs exec on a fresh data folder with the exit code of the answer', () => {
      const run = (...args: string[]) => spawnSync(process.execPath, [...CASEDESK_FROM_SOURCES, ...args], { env, encoding: 'utf8' });
      expect(run('units', 'add', 'C06', 'Cục Cảnh sát hình sự').status).toBe(0);
      expect(run('members', 'add', 'lan', '--role', 'viewer', '--unit', 'C06').status).toBe(0);
      const ok = run('exec', '--as', 'lan', 'whoami');
      expect(ok.stdout).toContain('Unit:     C06 (Cục Cảnh sát hình sự)');
      expect(ok.status).toBe(0);
      expect(run('exec', '--as', 'lan', 'case show TN-1').status).toBe(1);
    }, 180_000);

    it('starts, says it is ready, and stops cleanly on SIGTERM, releasing the data folder', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c) => {
          stdout += c;
          if (stdout.includes('casedesk is ready')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      expect(existsSync(join(dataDir, 'casedesk.lock'))).toBe(true);
      // A service without a chat platform still serves its readiness (the database) on its own port.
      const port = /health and metrics on port (\d+)/.exec(stdout)?.[1];
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(join(dataDir, 'casedesk.lock'))).toBe(false);
      // Its audit row was written when it started, with who started it.
      const handle = await createDb({ dataDir });
      try {
        const rows = await queryRows<{ command: string; detail: string; os_user: string | null }>(
          handle.db,
          sql`select command, detail, os_user from audit_log where command = 'casedesk start'`,
        );
        expect(rows).toEqual([{ command: 'casedesk start', detail: 'started', os_user: userInfo().username }]);
      } finally {
        await handle.close();
      }
    }, 90_000);
  });
}
