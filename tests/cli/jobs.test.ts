import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { cli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';

let t: TestDb;
const DAY = 24 * 60 * 60_000;
const operator = { user: 'ops', host: 'bastion' };
const env = { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent', CASEDESK_INVOCATION_RETENTION_DAYS: '10' };

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  // Relative to the real clock: `casedesk jobs run` runs at the instant it is started.
  const now = Date.now();
  for (const [key, days] of [
    ['discord:a', 40],
    ['slack:b', 11],
    ['slack:c', 9],
    ['console:d', 0],
  ] as const) {
    const at = new Date(now - days * DAY).toISOString();
    await t.db.execute(sql`insert into processed_invocations (key, claimed_by, claimed_at) values (${key}, 'pid-1', ${at})`);
  }
  await t.db.execute(
    sql`insert into audit_log (at, platform, command, outcome) values (${new Date(now - 400 * DAY).toISOString()}, 'console', 'case show', 'ok')`,
  );
});
afterAll(() => t.close());

const claims = async () =>
  (await queryRows<{ key: string }>(t.db, sql`select key from processed_invocations order by claimed_at`)).map((r) => r.key);
const audit = () =>
  queryRows<{ command: string; args: unknown; outcome: string; os_user: string | null; os_host: string | null }>(
    t.db,
    sql`select command, args, outcome, os_user, os_host from audit_log order by id`,
  );

describe('casedesk jobs run', () => {
  it('runs the housekeeping job by name with the configured age, says what it forgot, and is audited once', async () => {
    const run = await cli(['jobs', 'run', 'housekeeping'], { db: t.handle, env, operator });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Forgot 2 processed request ids claimed more than 10 days ago \(before \d{4}-\d\d-\d\d \d\d:\d\d; CASEDESK_INVOCATION_RETENTION_DAYS\)\.$/,
    );
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^Forgot 0 messages delivered before \d{4}-\d\d-\d\d \d\d:\d\d\.$/),
      'Forgot 0 expired confirmations.',
      'The audit log is kept whole: casedesk never deletes its rows.',
    ]);
    expect(await claims()).toEqual(['slack:c', 'console:d']);
    expect(await audit()).toEqual([
      { command: 'case show', args: {}, outcome: 'ok', os_user: null, os_host: null },
      {
        command: 'casedesk jobs run',
        args: { name: 'housekeeping', forgotten: { invocations: 2, delivered: 0, confirmations: 0 } },
        outcome: 'ok',
        os_user: 'ops',
        os_host: 'bastion',
      },
    ]);

    // A retry, or another instance's pass meanwhile: a no-op, audited as such.
    const again = await cli(['jobs', 'run', 'housekeeping'], { db: t.handle, env: { ...env, CASEDESK_LOCALE: 'vi' }, operator });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Đã xoá 0 mã yêu cầu đã xử lý từ hơn 10 ngày trước \(trước \d\d\/\d\d\/\d{4} \d\d:\d\d;/);
    expect(again.stdout).toContain('Nhật ký kiểm toán được giữ nguyên');
    expect(await claims()).toEqual(['slack:c', 'console:d']);
    expect((await audit()).map((r) => r.args)).toEqual([
      {},
      { name: 'housekeeping', forgotten: { invocations: 2, delivered: 0, confirmations: 0 } },
      { name: 'housekeeping', forgotten: { invocations: 0, delivered: 0, confirmations: 0 } },
    ]);
  });

  it('refuses a job it does not know, naming the ones it does, and runs nothing', async () => {
    const run = await cli(['jobs', 'run', 'cleanup'], { db: t.handle, env, operator });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("value 'cleanup' is invalid for argument 'name'. Allowed choices are housekeeping, hit-ladder.");
    expect(await claims()).toHaveLength(4);
  });

  it('runs the hit ladder by name and says what it moved', async () => {
    const run = await cli(['jobs', 'run', 'hit-ladder'], { db: t.handle, env, operator });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /Asked again: 0; told to the units' leads: 0; now overdue: 0\.|Hỏi lại 0 yêu cầu xác nhận; báo lãnh đạo đơn vị 0; chuyển quá hạn 0\./,
    );
  });

  it('stops at start with an actionable line when the age is not a whole number of days', async () => {
    const run = await cli(['jobs', 'run', 'housekeeping'], {
      db: t.handle,
      env: { ...env, CASEDESK_INVOCATION_RETENTION_DAYS: '0' },
      operator,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('CASEDESK_INVOCATION_RETENTION_DAYS: must be at least 1 day');
    expect(run.stderr).toContain('such as 30 (see .env.example)');
    expect(await claims()).toHaveLength(4);
  });
});
