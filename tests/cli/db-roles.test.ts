import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, databaseErrorCode, databaseErrorMessage, queryRows, type Database, type DbHandle } from '../../db/client.ts';
import { insertAudit } from '../../src/repositories/audit.ts';
import { cli } from '../support/cli.ts';
import { openTestDb, testDriver, type TestDb } from '../support/db.ts';

describe('casedesk db roles on the embedded database', () => {
  it('answers that the embedded database has no roles, and exits 0', async () => {
    const en = await cli(['db', 'roles'], { env: { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent' } });
    expect(en).toMatchObject({ code: 0, stderr: '' });
    expect(en.stdout).toBe(
      'The embedded database (PGlite) has no roles: one process, one user. Roles exist only on a PostgreSQL server (DATABASE_URL).\n',
    );
    const vi = await cli(['db', 'roles', '--app', 'whatever'], { env: { CASEDESK_LOCALE: 'vi', LOG_LEVEL: 'silent' } });
    expect(vi.code).toBe(0);
    expect(vi.stdout).toContain('Cơ sở dữ liệu nhúng (PGlite) không có vai trò');
  });
});

if (testDriver === 'postgres') {
  let t: TestDb;
  // Roles belong to the whole server: named after this file's database, so that parallel runs never share one.
  let owner: string;
  let app: string;
  let ownerUrl: string;
  let appUrl: string;
  let firstRun: { code: number; stdout: string; stderr: string };

  const asUrl = (url: string, role: string) => {
    const u = new URL(url);
    u.username = role;
    return u.toString();
  };
  const env = (vars: Record<string, string>) => ({ env: { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent', ...vars } });
  const roles = () => ['db', 'roles', '--owner', owner, '--app', app];

  /** Opens a connection as `url`'s role, runs `work`, closes it. */
  async function as<T>(url: string, work: (db: Database) => Promise<T>): Promise<T> {
    const handle: DbHandle = await createDb({ databaseUrl: url, dataDir: '', databasePoolMax: 1 });
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }

  /** The server's reason for refusing `statement`; fails the test when it is allowed. */
  async function refusal(db: Database, statement: string): Promise<string> {
    try {
      await db.execute(sql.raw(statement));
    } catch (error) {
      expect(databaseErrorCode(error)).toBe('42501');
      return databaseErrorMessage(error);
    }
    throw new Error(`allowed: ${statement}`);
  }

  /** Owners and rights of everything `db roles` touches, to compare two runs. */
  const snapshot = () =>
    queryRows<{ line: string }>(
      t.db,
      sql`select line from (
            select 'rel ' || c.oid::regclass || ' ' || c.relowner::regrole || ' ' || coalesce(c.relacl::text, '-') as line
              from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'drizzle')
            union all
            select 'fn ' || p.oid::regprocedure || ' ' || p.proowner::regrole || ' ' || coalesce(p.proacl::text, '-')
              from pg_proc p where p.pronamespace = 'public'::regnamespace
            union all
            select 'type ' || t.oid::regtype || ' ' || t.typowner::regrole from pg_type t where t.typnamespace = 'public'::regnamespace
            union all
            select 'schema ' || nspname || ' ' || nspowner::regrole || ' ' || coalesce(nspacl::text, '-')
              from pg_namespace where nspname in ('public', 'drizzle')
            union all
            select 'db ' || coalesce(datacl::text, '-') from pg_database where datname = current_database()
            union all
            select 'role ' || rolname || ' ' || rolsuper || rolcreaterole || rolcreatedb || rolcanlogin
              from pg_roles where rolname in (${owner}, ${app})
            union all
            select 'member ' || m.roleid::regrole || ' ' || m.member::regrole from pg_auth_members m
              where m.member in (select oid from pg_roles where rolname in (${owner}, ${app}))) s
          order by line`,
    );

  beforeAll(async () => {
    t = await openTestDb();
    const database = new URL(t.url!).pathname.slice(1);
    const tag = database.slice(database.lastIndexOf('_t_') + 3);
    owner = `casedesk_t_${tag}_owner`;
    app = `casedesk_t_${tag}_app`;
    ownerUrl = asUrl(t.url!, owner);
    appUrl = asUrl(t.url!, app);
    // As the operator would, with a superuser's URL as the only one.
    firstRun = await cli(roles(), env({ DATABASE_URL: t.url! }));
  });

  afterAll(async () => {
    const existing = await queryRows<{ rolname: string }>(t.db, sql`select rolname from pg_roles where rolname in (${owner}, ${app})`);
    const names = existing.map((r) => `"${r.rolname}"`).join(', ');
    // What they own and were granted here (the database's CONNECT included) goes first; then the roles themselves.
    if (names) await t.db.execute(sql.raw(`drop owned by ${names}`));
    await t.close();
    if (names) {
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop role if exists ${names}`);
      } finally {
        await admin.end({ timeout: 5 });
      }
    }
  });

  describe('casedesk db roles on a server', () => {
    it('creates the two roles, hands the tables to the owner, grants the app its rights, checks them, and prints the URLs', async () => {
      expect(firstRun.stderr).toBe('');
      expect(firstRun.code).toBe(0);
      const lines = firstRun.stdout.trimEnd().split('\n');
      expect(lines.slice(0, 2)).toEqual([
        `Created role ${owner} (LOGIN, no password yet; set one with: ALTER ROLE ${owner} PASSWORD '…';).`,
        `Created role ${app} (LOGIN, no password yet; set one with: ALTER ROLE ${app} PASSWORD '…';).`,
      ]);
      expect(lines).toContain(
        `Granted ${owner}: CONNECT ON DATABASE, CREATE ON DATABASE, USAGE ON SCHEMA public, CREATE ON SCHEMA public.`,
      );
      expect(lines).toContain('Applied 0 migration(s).');
      expect(lines.find((l) => l.startsWith(`${owner} now owns `))).toMatch(/now owns \d+ more of casedesk's objects/);
      expect(lines.find((l) => l.startsWith(`Set ${app}'s rights (`))).toContain(
        'SELECT, INSERT on audit_log, case_events, case_ledger, case_decisions, case_details, case_validations; SELECT on audit_chain; SELECT, INSERT, UPDATE, DELETE on the other tables',
      );
      expect(lines.filter((l) => l.startsWith('✓ Checked: '))).toHaveLength(6);
      expect(lines.filter((l) => l.startsWith('✗'))).toEqual([]);
      expect(lines.slice(-2)).toEqual([
        `DATABASE_URL=${asUrl(t.url!, app).replace('@', ':***@')}`,
        `DATABASE_MIGRATION_URL=${asUrl(t.url!, owner).replace('@', ':***@')}`,
      ]);
      const owners = await queryRows<{ owner: string; n: number }>(
        t.db,
        sql`select c.relowner::regrole::text as owner, count(*)::int as n from pg_class c
            where c.relnamespace in ('public'::regnamespace, 'drizzle'::regnamespace) and c.relkind in ('r', 'S')
            group by 1`,
      );
      expect(owners).toEqual([{ owner, n: expect.any(Number) }]);
    });

    it('lets the app role add and read audit rows, but not change, delete or truncate them', async () => {
      await as(appUrl, async (db) => {
        await insertAudit(db, { platform: 'console', command: 'db-roles-test', outcome: 'ok', args: {}, caseCodes: [] });
        const [row] = await queryRows<{ seq: number | null; hash: string | null }>(
          db,
          sql`select chain_seq::int as seq, hash from audit_log where command = 'db-roles-test'`,
        );
        // Chained by the security-definer trigger, which updates audit_chain for it.
        expect(row!.seq).toBeGreaterThan(0);
        expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(await refusal(db, "update audit_log set detail = 'x' where command = 'db-roles-test'")).toBe(
          'permission denied for table audit_log',
        );
        expect(await refusal(db, "delete from audit_log where command = 'db-roles-test'")).toBe('permission denied for table audit_log');
        expect(await refusal(db, 'truncate audit_log')).toBe('permission denied for table audit_log');
        expect(await refusal(db, 'delete from case_ledger')).toBe('permission denied for table case_ledger');
      });
      const [count] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from audit_log where command = 'db-roles-test'`);
      expect(count!.n).toBe(1);
    });

    it('keeps the app role from disabling or dropping the triggers, writing the chain head, or creating anything', async () => {
      await as(appUrl, async (db) => {
        expect(await refusal(db, 'alter table audit_log disable trigger audit_log_append_only')).toBe('must be owner of table audit_log');
        expect(await refusal(db, 'drop trigger audit_log_append_only on audit_log')).toBe('must be owner of relation audit_log');
        expect(await refusal(db, 'alter table audit_log owner to current_user')).toBe('must be owner of table audit_log');
        expect(await refusal(db, 'update audit_chain set seq = 0')).toBe('permission denied for table audit_chain');
        expect(await refusal(db, "insert into audit_chain (id, seq, hash) values (false, 0, 'x')")).toBe(
          'permission denied for table audit_chain',
        );
        expect(await refusal(db, 'create table rogue (id int)')).toBe('permission denied for schema public');
        expect(await refusal(db, 'create schema rogue')).toMatch(/^permission denied for database /);
        expect(await refusal(db, `set role ${owner}`)).toBe(`permission denied to set role "${owner}"`);
      });
      const [trigger] = await queryRows<{ enabled: string }>(
        t.db,
        sql`select tgenabled as enabled from pg_trigger where tgname = 'audit_log_append_only'`,
      );
      expect(trigger!.enabled).toBe('O');
    });

    it('runs commands as the app role, with the owner migrating and with the app URL alone', async () => {
      const both = env({ DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: ownerUrl });
      expect(await cli(['units', 'add', 'C06', 'Cục Cảnh sát hình sự'], both)).toMatchObject({ code: 0, stdout: 'Added unit C06.\n' });
      expect(await cli(['members', 'add', 'duc.nv', '--role', 'lead', '--unit', 'C06'], both)).toMatchObject({ code: 0 });
      const alone = await cli(['members', 'list'], env({ DATABASE_URL: appUrl }));
      expect(alone).toMatchObject({ code: 0, stderr: '' });
      expect(alone.stdout).toMatch(/^duc\.nv +lead +C06 /m);
      const migrate = await cli(['db', 'migrate'], both);
      expect(migrate).toMatchObject({ code: 0, stderr: '' });
      expect(migrate.stdout).toContain(`Applied 0 migration(s); the database is up to date (postgres, postgres://${app}@`);
    });

    it('changes nothing when run again, as the superuser or as the owner', async () => {
      const before = await snapshot();
      const again = await cli(roles(), env({ DATABASE_URL: t.url! }));
      expect(again).toMatchObject({ code: 0, stderr: '' });
      expect(again.stdout).toContain(`Role ${owner} exists already.\nRole ${app} exists already.\n`);
      expect(again.stdout).toContain(`${owner} already has CONNECT and CREATE on the database`);
      expect(again.stdout).toContain(`${owner} already owns all of casedesk's objects.`);
      expect(again.stdout).toContain(`${app}'s rights were exactly these already:`);
      expect(again.stdout).not.toMatch(/Created|Granted|now owns|Set .*'s rights|✗/);
      expect(await snapshot()).toEqual(before);

      const asOwner = await cli(roles(), env({ DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: ownerUrl }));
      expect(asOwner).toMatchObject({ code: 0, stderr: '' });
      expect(asOwner.stdout.match(/✓ Checked/g)).toHaveLength(6);
      expect(await snapshot()).toEqual(before);
    });

    it('takes back whatever the app role was granted beyond its rights', async () => {
      const before = await snapshot();
      await t.db.execute(sql.raw(`grant truncate, trigger, update, delete on audit_log to "${app}" with grant option`));
      await t.db.execute(sql.raw(`grant all on audit_chain, units to "${app}"`));
      await t.db.execute(sql.raw(`grant create on schema public to "${app}"`));
      await t.db.execute(sql.raw(`grant "${owner}" to "${app}"`));
      const repaired = await cli(roles(), env({ DATABASE_URL: t.url! }));
      expect(repaired).toMatchObject({ code: 0, stderr: '' });
      expect(repaired.stdout).toMatch(new RegExp(`Set ${app}'s rights \\(\\d+ GRANT/REVOKE statements\\)`));
      expect(repaired.stdout).not.toContain('✗');
      expect(await snapshot()).toEqual(before);
    });

    it('refuses to finish when the app role is a superuser, saying which check failed', async () => {
      await t.db.execute(sql.raw(`alter role "${app}" superuser`));
      try {
        const result = await cli(roles(), env({ DATABASE_URL: t.url! }));
        expect(result.code).toBe(1);
        expect(result.stdout).toContain(`✗ Failed: ${app} is not a superuser and cannot create roles or databases`);
        expect(result.stdout).toContain('SUPERUSER');
        expect(result.stdout).not.toContain('DATABASE_URL=');
        expect(result.stderr).toBe(
          `casedesk: ${app} still has rights it should not have, or lacks some it needs (see the ✗ lines above).\n`,
        );
        const vi = await cli(roles(), env({ DATABASE_URL: t.url!, CASEDESK_LOCALE: 'vi' }));
        expect(vi.stdout).toMatch(new RegExp(`✗ Không đạt: ${app} không phải superuser, [^\n]*: [^\n]*SUPERUSER[^\n]*\\.\n`));
        expect(vi.stderr).toBe(`casedesk: ${app} vẫn còn quyền không nên có hoặc thiếu quyền cần có (xem các dòng ✗ ở trên).\n`);
      } finally {
        await t.db.execute(sql.raw(`alter role "${app}" nosuperuser`));
      }
    });

    it('refuses role names that are not plain lower-case identifiers', async () => {
      for (const name of ['Casedesk', 'x"; drop table units; --', 'pg_app', 'a'.repeat(64), '1app']) {
        const result = await cli(['db', 'roles', '--app', name], env({ DATABASE_URL: t.url! }));
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`--app "${name}" is not a valid role name`);
      }
    });

    it('gives the app its rights on a table a later migration adds, once the owner has migrated', async () => {
      await as(ownerUrl, (db) => db.execute(sql`create table roles_probe (id serial primary key, note text)`));
      try {
        await as(appUrl, async (db) =>
          expect(await refusal(db, 'select * from roles_probe')).toBe('permission denied for table roles_probe'),
        );
        const result = await cli(['units', 'list'], env({ DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: ownerUrl }));
        expect(result.code).toBe(0);
        await as(appUrl, async (db) => {
          await db.execute(sql`insert into roles_probe (note) values ('x')`);
          expect(await queryRows(db, sql`select note from roles_probe`)).toEqual([{ note: 'x' }]);
          expect(await refusal(db, 'truncate roles_probe')).toBe('permission denied for table roles_probe');
        });
      } finally {
        await as(ownerUrl, (db) => db.execute(sql`drop table roles_probe`));
      }
    });

    it('fails with a one-line reason when migrations are pending and only the app URL is given', async () => {
      const [last] = await queryRows<{ id: number; hash: string; created_at: string }>(
        t.db,
        sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`,
      );
      // As if a newer casedesk had shipped one more migration.
      await t.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last!.id}`);
      try {
        for (const args of [['units', 'list'], ['db', 'migrate'], ['start']]) {
          const result = await cli(args, env({ DATABASE_URL: appUrl }));
          expect(result.code).toBe(1);
          expect(result.stdout).toBe('');
          expect(result.stderr).toBe(
            `casedesk: The database lacks 1 migration(s) and the role ${app} (DATABASE_URL) may not apply them: set DATABASE_MIGRATION_URL to the owner's URL, or run \`casedesk db migrate\` with it.\n`,
          );
        }
        const vi = await cli(['units', 'list'], { env: { LOG_LEVEL: 'silent', DATABASE_URL: appUrl } });
        expect(vi.stderr).toContain('DATABASE_MIGRATION_URL');
        expect(vi.stderr).toContain('`casedesk db migrate`');
        expect(vi.stderr.trimEnd().split('\n')).toHaveLength(1);
      } finally {
        await t.db.execute(
          sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last!.id}, ${last!.hash}, ${last!.created_at}::bigint)`,
        );
      }
      expect(await cli(['units', 'list'], env({ DATABASE_URL: appUrl }))).toMatchObject({ code: 0 });
    });

    /** Runs `casedesk start` as a program (no terminal, no chat platform) until it is ready, then stops it. */
    async function start(vars: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start'], {
        env: { ...process.env, CASEDESK_LOCALE: 'en', LOG_LEVEL: 'warn', DATABASE_MIGRATION_URL: '', ...vars },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c) => {
          stdout += c;
          if (stdout.includes('casedesk is ready')) resolve();
        });
        void exited.then((code) => reject(new Error(`exited early with ${code}: ${stderr}`)));
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      return { stdout, stderr };
    }

    it('starts with one URL for both, saying once that it runs with owner rights; with two URLs, says nothing of it', async () => {
      const single = await start({ DATABASE_URL: t.url! });
      const lines = single.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        "Warning: casedesk runs with the database owner's rights (DATABASE_URL's role owns the tables or is a superuser), so whoever obtains this credential could rewrite the audit log. Set up `casedesk db roles` and DATABASE_MIGRATION_URL.",
      );
      expect(lines[1]).toMatch(/^casedesk is ready \(postgres, /);
      const warning = single.stderr
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.msg.includes('owner rights'));
      expect(warning).toHaveLength(1);
      expect(warning[0]!.level).toBe(40);

      const owned = await start({ DATABASE_URL: ownerUrl });
      expect(owned.stdout).toContain("Warning: casedesk runs with the database owner's rights");

      const split = await start({ DATABASE_URL: appUrl, DATABASE_MIGRATION_URL: ownerUrl });
      expect(split.stdout).toMatch(/^casedesk is ready \(postgres, postgres:\/\/casedesk_t_\w+_app@/);
      expect(split.stdout).not.toContain('Warning');
      expect(split.stderr).not.toContain('owner rights');
    }, 90_000);
  });
}
