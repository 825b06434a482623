import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeUnitTree } from '../factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const env = { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent', TZ: 'Asia/Ho_Chi_Minh' };
const cli = (args: string[], input?: string) => runCli(args, { db: t.handle, input, env });
/** The console as `npm start` runs it on a terminal, as the local administrator. */
const start = (input = '') => cli(['console'], input);
const seed = () => cli(['seed', '--demo', '--cases', '200']);

async function roots(): Promise<string[]> {
  const rows = await queryRows<{ code: string }>(t.db, sql`select code from units where parent_id is null order by code`);
  return rows.map((r) => r.code);
}

async function adminUnit(): Promise<string | undefined> {
  const [row] = await queryRows<{ code: string }>(
    t.db,
    sql`select u.code from members m join units u on u.id = m.unit_id where m.handle = 'admin'`,
  );
  return row?.code;
}

describe('the first run, in any order', () => {
  it('start then seed: the demo takes over the local administrator’s root, who then finds the demo case', async () => {
    const first = await start('whoami\n');
    expect(first.stdout).toContain('Created the local administrator "admin"');
    expect(first.stdout).toContain('npx casedesk seed --demo');
    expect(await roots()).toEqual(['ROOT']);

    const seeded = await seed();
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain("The root unit ROOT (the local administrator's) became the demo's root C06");
    expect(seeded.stdout).toContain('breaks down by province');
    expect(await roots()).toEqual(['C06']);
    expect(await adminUnit()).toBe('C06');

    const after = await start('case find nguyen van duc\n');
    expect(after.stdout).toContain('TN-2021-000001 · Nguyễn Văn Đức');
    expect(after.stdout).not.toContain('Created the local administrator');
    expect(after.stdout).not.toContain('seed --demo');
  });

  it('seed then start: the local administrator is the demo’s, in its root, and finds the demo case', async () => {
    const seeded = await seed();
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).not.toContain('became the demo');
    const started = await start('case find nguyen van duc\n');
    expect(started.stdout).not.toContain('Created the local administrator');
    expect(started.stdout).toContain('TN-2021-000001 · Nguyễn Văn Đức');
    expect(await roots()).toEqual(['C06']);
    expect(await adminUnit()).toBe('C06');
  });

  it('start twice: one administrator, one root, and the next step said each time the database is empty', async () => {
    const first = await start('whoami\n');
    const second = await start('whoami\n');
    expect(first.stdout).toContain('Created the local administrator');
    expect(second.stdout).not.toContain('Created the local administrator');
    for (const run of [first, second]) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('The database has no case yet');
      expect(run.stdout).toContain('npx casedesk import cases <file>');
    }
    expect(await roots()).toEqual(['ROOT']);
    const [members] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from members`);
    expect(members?.n).toBe(1);
  });

  it('start, seed, start, seed: the second seed is refused and changes nothing', async () => {
    await start();
    expect((await seed()).code).toBe(0);
    await start();
    const again = await seed();
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has cases');
    expect(await roots()).toEqual(['C06']);
  });

  it('refuses demo data beside units of the user’s own, writing nothing', async () => {
    await makeUnitTree(t.db);
    const [before] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from units`);
    const seeded = await seed();
    expect(seeded.code).toBe(1);
    expect(seeded.stderr).toContain(`The database already has ${before!.n} units`);
    const [after] = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from units`);
    expect(after!.n).toBe(before!.n);
  });

  it('refuses demo data beside a single root unit of the user’s own, and never renames it', async () => {
    expect((await cli(['units', 'add', 'HN', 'Công an Hà Nội'])).code).toBe(0);
    const seeded = await seed();
    expect(seeded.code).toBe(1);
    expect(seeded.stderr).toContain('The database already has 1 unit;');
    expect(await roots()).toEqual(['HN']);
  });
});
