import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli as runCli, CASEDESK_FROM_SOURCES } from '../support/cli.ts';
import { migrationCount, openTestDb, testDriver, type TestDb } from '../support/db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(() => t.reset());
afterAll(() => t.close());

const cli = (args: string[], locale: 'vi' | 'en' = 'en') => runCli(args, { db: t.handle, env: { CASEDESK_LOCALE: locale } });

describe('casedesk units and members', () => {
  it('adds units in a tree and lists them', async () => {
    expect(await cli(['units', 'add', 'c06', 'Cục Cảnh sát hình sự'])).toMatchObject({ code: 0, stdout: 'Added unit C06.\n' });
    expect((await cli(['units', 'add', 'CA-HN', 'Công an TP Hà Nội', '--parent', 'C06'], 'vi')).stdout).toBe('Đã thêm đơn vị CA-HN.\n');
    const list = await cli(['units', 'list']);
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      'CODE   PARENT  NAME',
      'C06    -       Cục Cảnh sát hình sự',
      'CA-HN  C06     Công an TP Hà Nội',
    ]);
    expect((await cli(['units', 'list'], 'vi')).stdout.split('\n')[0]).toBe('MÃ     CẤP TRÊN  TÊN');
  });

  it.each([
    [['units', 'add', 'X', 'Y', '--parent', 'NOPE'], 'No parent unit "NOPE"'],
    [['units', 'add', 'bad code!', 'Y'], 'is not valid'],
    [['units', 'add', 'C06', 'again'], 'already exists'],
    [['members', 'add', 'duc.nv', '--role', 'boss', '--unit', 'C06'], 'Role "boss" is not valid'],
    [['members', 'add', 'duc.nv', '--role', 'lead', '--unit', 'NOPE'], 'No unit "NOPE"'],
    [['members', 'add', 'duc.nv', '--role', 'lead', '--unit', 'C06', '--locale', 'fr'], 'Locale "fr" is not valid'],
    [['members', 'add', 'Đức', '--role', 'lead', '--unit', 'C06'], 'is not valid'],
    [['members', 'link', 'nobody', '--platform', 'discord', '--workspace', '1', '--user', '2'], 'No member "nobody"'],
    [['members', 'link', 'x', '--platform', 'teams', '--workspace', '1', '--user', '2'], 'Platform "teams" is not valid'],
  ])('refuses %j with exit 1 and says why', async (args, message) => {
    await cli(['units', 'add', 'C06', 'Cục']);
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('adds and links members, refusing an account already linked', async () => {
    await cli(['units', 'add', 'C06', 'Cục']);
    expect(
      (await cli(['members', 'add', 'duc.nv', '--role', 'lead', '--unit', 'c06', '--name', 'Nguyễn Văn Đức', '--locale', 'vi'])).code,
    ).toBe(0);
    await cli(['members', 'add', 'lan.nt', '--role', 'viewer', '--unit', 'C06']);
    expect((await cli(['members', 'link', 'duc.nv', '--platform', 'discord', '--workspace', '111', '--user', '222'])).stdout).toBe(
      'Linked discord 111/222 to duc.nv.\n',
    );
    expect((await cli(['members', 'link', 'duc.nv', '--platform', 'discord', '--workspace', '111', '--user', '222'])).code).toBe(0);
    const again = await cli(['members', 'link', 'lan.nt', '--platform', 'discord', '--workspace', '111', '--user', '222']);
    expect(again).toMatchObject({ code: 1 });
    expect(again.stderr).toContain('already linked');
    const list = await cli(['members', 'list']);
    expect(list.stdout).toContain('duc.nv  lead    C06   vi      Nguyễn Văn Đức  discord:111/222');
    expect(list.stdout).toContain('lan.nt  viewer  C06   -       lan.nt          -');
    // In Vietnamese, the roles are named in Vietnamese too, with the word --role takes.
    const vi = await cli(['members', 'list'], 'vi');
    expect(vi.stdout).toMatch(/^TÊN ĐĂNG NHẬP +VAI TRÒ +ĐƠN VỊ/m);
    expect(vi.stdout).toMatch(/^duc\.nv +chỉ huy \(lead\) +C06 /m);
    expect(vi.stdout).toMatch(/^lan\.nt +người xem \(viewer\) +C06 /m);
  });

  it('says in plain Vietnamese what db migrate applied', async () => {
    const migrate = await cli(['db', 'migrate'], 'vi');
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(
      /^Đã áp dụng 0 bản cập nhật cấu trúc cơ sở dữ liệu \(migration\); cơ sở dữ liệu đã ở phiên bản mới nhất \(/,
    );
  });

  it('prints help with exit 0 and refuses an unknown command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: casedesk');
    expect(help.stdout).toContain('import');
    const unknown = await cli(['arrest']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown command 'arrest'");
  });
});

// One run of the real executable on a fresh embedded database: what a newcomer types.
if (testDriver === 'pglite') {
  it('runs as a program: db migrate, then units list, on a fresh data folder', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'casedesk-bin-')), 'data');
    const env = { ...process.env, CASEDESK_DATA_DIR: dataDir, CASEDESK_LOCALE: 'en', LOG_LEVEL: 'warn', DATABASE_URL: '' };
    const migrate = spawnSync(process.execPath, [...CASEDESK_FROM_SOURCES, 'db', 'migrate'], { env, encoding: 'utf8' });
    expect(migrate.stderr).toBe('');
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toMatch(new RegExp(`^Applied ${migrationCount} migration\\(s\\); the database is up to date \\(pglite, `));
    const list = spawnSync(process.execPath, [...CASEDESK_FROM_SOURCES, 'units', 'list'], { env, encoding: 'utf8' });
    expect(list.status).toBe(0);
    expect(list.stdout).toBe('CODE  PARENT  NAME\n');
  }, 60_000);
}
