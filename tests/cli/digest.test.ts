import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
let slack: FakeSlackApi;
beforeAll(async () => {
  t = await openTestDb();
  slack = await startFakeSlackApi();
});
beforeEach(async () => {
  await t.reset();
  slack.calls.length = 0;
  slack.uploads.clear();
  await makeUnitTree(t.db);
  await makeCase(t.db, { code: 'TN-2024-000001', fullName: 'Phạm Văn Tư', unit: 'CAQ-HK', status: 'arrested', resolvedOn: '2024-08-28' });
  await makeCase(t.db, { code: 'TN-2024-000002', fullName: 'Lê Thị Hoa', unit: 'CA-HCM', status: 'surrendered', resolvedOn: '2024-03-02' });
});
afterAll(async () => {
  await slack.close();
  await t.close();
});

const env = { CASEDESK_LOCALE: 'en', LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' };
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { db: t.handle, env: { ...env, ...extra } });

describe('casedesk digest', () => {
  it('prints the digest as text, Markdown or JSON, for a period and a unit', async () => {
    const text = await cli(['digest', '--from', '2024-01-01', '--to', '2024-08-31', '--locale', 'vi']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Tiến độ công tác truy nã: 8 tháng đầu năm 2024');
    expect(text.stdout).toContain('Bắt, vận động đầu thú, thanh loại 2 đối tượng truy nã');
    const markdown = await cli(['digest', '--from', '2024-01-01', '--to', '2024-08-31', '--unit', 'ca-hn', '--format', 'markdown']);
    expect(markdown.stdout).toMatch(/^## Wanted-persons work: the first 8 months of 2024 · CA-HN\n/);
    const json = JSON.parse((await cli(['digest', '--from', '2024-01-01', '--to', '2024-08-31', '--format', 'json'])).stdout) as { resolved: { total: number } };
    expect(json.resolved.total).toBe(2);
    for (const out of [text.stdout, markdown.stdout]) expect(out).not.toMatch(/Phạm Văn Tư|Lê Thị Hoa/);
  });

  it('writes the chart to a PNG file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'casedesk-chart-')), 'chart.png');
    expect((await cli(['digest', '--period', 'ytd', '--chart', file])).code).toBe(0);
    expect(readFileSync(file).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('refuses bad input with a clear message', async () => {
    expect(await cli(['digest', '--from', '2024-02-30', '--to', '2024-03-01'])).toMatchObject({ code: 1, stderr: expect.stringContaining('--from: needs a YYYY-MM-DD date') });
    expect((await cli(['digest', '--from', '2024-02-01'])).stderr).toContain('Give both from and to');
    expect((await cli(['digest', '--unit', 'NOPE'])).stderr).toContain('There is no unit NOPE');
    expect((await cli(['digest', 'schedule', 'add', '--target', 'teams:x', '--cron', '0 7 * * 1'])).stderr).toContain('--target needs the form');
    expect((await cli(['digest', 'schedule', 'add', '--target', 'slack:C1', '--cron', 'every monday'])).stderr).toContain('is not a valid cron expression');
  });
});

describe('casedesk digest schedule and run-schedules', () => {
  it('adds, lists and removes schedules', async () => {
    const added = await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1', '--unit', 'CA-HN', '--period', 'week']);
    expect(added).toMatchObject({ code: 0, stdout: '#1 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0DIGEST · week · CA-HN · en\n' });
    expect((await cli(['digest', 'schedule', 'list'])).stdout).toBe(added.stdout);
    expect((await cli(['digest', 'schedule', 'remove', '1'])).stdout).toBe('Removed schedule 1.\n');
    expect((await cli(['digest', 'schedule', 'remove', '1'])).stderr).toContain('There is no schedule 1.');
  });

  it('sends what is due at an instant through the configured Slack, once however many run it', async () => {
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1', '--locale', 'vi']);
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    const withSlack = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl };
    const now = '2024-09-02T00:00:30Z';
    const [a, b] = await Promise.all([cli(['digest', 'run-schedules', '--now', now], withSlack), cli(['digest', 'run-schedules', '--now', now], withSlack)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(`${a.stdout}${b.stdout}`).toBe(`1 2024-09-02T00:00:00.000Z delivered\n`);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('C0DIGEST');
    // The default period, year to date: both cases.
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Bắt, vận động đầu thú, thanh loại 2 đối tượng truy nã');
    expect(slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1);
    expect(await queryRows(t.db, sql`select attempts, delivered_at is not null as delivered from digest_runs`)).toEqual([{ attempts: 1, delivered: true }]);
  });

  it('exits 1 and keeps the run for a retry when the post fails', async () => {
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1']);
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    const refused = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:00:30Z'], { SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('failed: An API error occurred: invalid_auth');
    expect(await queryRows(t.db, sql`select attempts, delivered_at is null as pending, last_error from digest_runs`)).toEqual([
      { attempts: 1, pending: true, last_error: 'An API error occurred: invalid_auth' },
    ]);
  });
});
