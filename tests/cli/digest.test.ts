import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api.ts';
import { cli as runCli } from '../support/cli.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { createTestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

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
    const json = JSON.parse((await cli(['digest', '--from', '2024-01-01', '--to', '2024-08-31', '--format', 'json'])).stdout) as {
      resolved: { total: number };
    };
    expect(json.resolved.total).toBe(2);
    for (const out of [text.stdout, markdown.stdout]) expect(out).not.toMatch(/Phạm Văn Tư|Lê Thị Hoa/);
  });

  it('writes the chart to a PNG file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'casedesk-chart-')), 'chart.png');
    expect((await cli(['digest', '--period', 'ytd', '--chart', file])).code).toBe(0);
    expect(readFileSync(file).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('refuses bad input with a clear message', async () => {
    expect(await cli(['digest', '--from', '2024-02-30', '--to', '2024-03-01'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--from: 2024-02-30 is not a real date (February 2024 has 29 days).'),
    });
    expect((await cli(['digest', '--from', '2026-02-30', '--to', '2026-03-01'])).stderr).toContain(
      '--from: 2026-02-30 is not a real date (February 2026 has 28 days).',
    );
    expect((await cli(['digest', '--from', 'yesterday', '--to', '2026-03-01'])).stderr).toContain(
      '--from: "yesterday" is not a date; write it as YYYY-MM-DD',
    );
    expect((await cli(['digest', '--from', '2024-02-01'])).stderr).toContain('Give both from and to');
    expect((await cli(['digest', '--unit', 'NOPE'])).stderr).toContain('There is no unit NOPE');
    expect((await cli(['digest', 'schedule', 'add', '--target', 'teams:x', '--cron', '0 7 * * 1'])).stderr).toContain(
      '--target needs the form',
    );
    expect((await cli(['digest', 'schedule', 'add', '--target', 'slack:C1', '--cron', 'every monday'])).stderr).toContain(
      'is not a valid cron expression',
    );
    // since-last reports whole days: a schedule firing twice a day is refused for it, as in chat.
    const twice = await cli(['digest', 'schedule', 'add', '--target', 'slack:C1', '--cron', '0 7,19 * * *', '--period', 'since-last']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('fires more than once a day');
  });
});

describe('casedesk digest schedule and run-schedules', () => {
  it('adds, lists and removes schedules', async () => {
    const added = await cli([
      'digest',
      'schedule',
      'add',
      '--target',
      'slack:C0DIGEST',
      '--cron',
      '0 7 * * 1',
      '--unit',
      'CA-HN',
      '--period',
      'week',
    ]);
    expect(added).toMatchObject({ code: 0, stdout: '#1 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0DIGEST · week · CA-HN · en\n' });
    expect((await cli(['digest', 'schedule', 'list'])).stdout).toBe(added.stdout);
    expect((await cli(['digest', 'schedule', 'remove', '1'])).stdout).toBe('Removed schedule 1.\n');
    expect((await cli(['digest', 'schedule', 'remove', '1'])).stderr).toContain('There is no schedule 1.');
  });

  it('prints each schedule with the code of its unit as stored, however the unit was typed', async () => {
    const sub = await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1', '--unit', 'caq-hk']);
    expect(sub.stdout).toBe('#1 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0DIGEST · ytd · CAQ-HK · en\n');
    await cli([
      'digest',
      'schedule',
      'add',
      '--target',
      'discord:D0DIGEST',
      '--cron',
      '0 8 * * 1',
      '--unit',
      'CA-HCM',
      '--kind',
      'overdue',
    ]);
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0ALL', '--cron', '0 9 * * 1']);
    expect((await cli(['digest', 'schedule', 'list'])).stdout).toBe(
      [
        '#1 · 0 7 * * 1 (Asia/Ho_Chi_Minh) · slack:C0DIGEST · ytd · CAQ-HK · en',
        '#2 · 0 8 * * 1 (Asia/Ho_Chi_Minh) · discord:D0DIGEST · overdue reminders · CA-HCM · en',
        '#3 · 0 9 * * 1 (Asia/Ho_Chi_Minh) · slack:C0ALL · ytd · all units · en',
        '',
      ].join('\n'),
    );
  });

  it('sends what is due at an instant through the configured Slack, once however many run it', async () => {
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1', '--locale', 'vi']);
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    const withSlack = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl };
    const now = '2024-09-02T00:00:30Z';
    const [a, b] = await Promise.all([
      cli(['digest', 'run-schedules', '--now', now], withSlack),
      cli(['digest', 'run-schedules', '--now', now], withSlack),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // One sends it; the other, finding it taken, says nothing was due.
    expect([a.stdout, b.stdout].sort()).toEqual([
      `Nothing due at 2024-09-02T00:00:30.000Z.\n`,
      `digest:1@2024-09-02T00:00:00.000Z delivered\n`,
    ]);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe('C0DIGEST');
    // The default period, year to date: both cases.
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain('Bắt, vận động đầu thú, thanh loại 2 đối tượng truy nã');
    expect(slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toHaveLength(1);
    expect(await queryRows(t.db, sql`select attempts, delivered_at is not null as delivered from digest_runs`)).toEqual([
      { attempts: 1, delivered: true },
    ]);
  });

  it('keeps what is due for a platform not configured here, says so, and sends it from where it is', async () => {
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1']);
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    // A slot claimed by an instance that cannot post to Slack waits for one that can.
    const withoutSlack = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:00:30Z']);
    expect(withoutSlack).toMatchObject({ code: 0, stdout: 'Nothing due at 2024-09-02T00:00:30.000Z.\n' });
    await t.db.execute(sql`insert into outbox (key, platform, channel_id, message, created_at, next_attempt_at)
      values ('minutes:99', 'discord', 'D0COMMITTEE', '{"personal": false, "blocks": []}', '2024-09-02T00:00:00Z', '2024-09-02T00:00:00Z')`);
    const withSlack = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl };
    const sent = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:01:00Z'], withSlack);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe(
      'digest:1@2024-09-02T00:00:00.000Z delivered\n1 message waits for Discord, which is not configured here: kept until an instance with Discord runs.\n',
    );
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    const vi = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:02:00Z'], { ...withSlack, CASEDESK_LOCALE: 'vi' });
    expect(vi.stdout).toBe(
      'Còn 1 tin nhắn chờ gửi lên Discord; nơi này chưa cấu hình Discord nên tin nhắn được giữ lại đến khi có tiến trình cấu hình Discord chạy.\n',
    );
  });

  it('closes a meeting left open past the time-out and posts its minutes to its channel', async () => {
    await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'CA-HN' });
    expect(
      (await createTestCore(t.db, { now: new Date('2024-09-02T02:00:00Z') }).run('lead', 'meeting start Giao ban')).result.outcome,
    ).toBe('ok');
    await t.db.execute(sql`update meetings set platform = 'slack', channel_id = 'C0COMMITTEE'`);
    const withSlack = { SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: slack.signingSecret, SLACK_API_URL: slack.apiUrl };
    const early = await cli(['digest', 'run-schedules', '--now', '2024-09-02T13:00:00Z'], withSlack);
    expect(early).toMatchObject({ code: 0, stdout: 'Nothing due at 2024-09-02T13:00:00.000Z.\n' });
    const [a, b] = await Promise.all([1, 2].map(() => cli(['digest', 'run-schedules', '--now', '2024-09-02T14:30:00Z'], withSlack)));
    // One closes it, one (the same or the other) posts it: each line once, in either's output.
    expect(
      `${a!.stdout}${b!.stdout}`
        .split('\n')
        .filter((line) => line && !line.startsWith('Nothing due'))
        .sort(),
    ).toEqual(['Closed meeting #1: it was left open past the time-out.', 'minutes:1 delivered']);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((p) => p.args.channel)).toEqual(['C0COMMITTEE']);
    expect(String(posts[0]!.args.text)).toContain('Minutes of meeting #1: Giao ban');
  });

  it('counts the messages waiting for a platform in the plural', async () => {
    for (const key of ['minutes:98', 'minutes:99']) {
      await t.db.execute(sql`insert into outbox (key, platform, channel_id, message, created_at, next_attempt_at)
        values (${key}, 'discord', 'D0COMMITTEE', '{"personal": false, "blocks": []}', '2024-09-02T00:00:00Z', '2024-09-02T00:00:00Z')`);
    }
    const out = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:01:00Z']);
    expect(out).toMatchObject({
      code: 0,
      stdout: '2 messages wait for Discord, which is not configured here: kept until an instance with Discord runs.\n',
    });
  });

  it('exits 1 and keeps the run for a retry when the post fails', async () => {
    await cli(['digest', 'schedule', 'add', '--target', 'slack:C0DIGEST', '--cron', '0 7 * * 1']);
    await t.db.execute(sql`update digest_schedules set created_at = '2024-01-01T00:00:00Z'`);
    const refused = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:00:30Z'], {
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('digest:1@2024-09-02T00:00:00.000Z failed, will be retried: An API error occurred: invalid_auth');
    expect(refused.stdout).toContain('1 message waits to be retried on Slack.');
    const vi = await cli(['digest', 'run-schedules', '--now', '2024-09-02T00:10:00Z'], {
      SLACK_BOT_TOKEN: 'xoxb-revoked',
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      CASEDESK_LOCALE: 'vi',
    });
    expect(vi.stdout).toContain('digest:1@2024-09-02T00:00:00.000Z lỗi, sẽ gửi lại: An API error occurred: invalid_auth');
    expect(await queryRows(t.db, sql`select attempts, delivered_at is null as pending, last_error from outbox`)).toEqual([
      { attempts: 2, pending: true, last_error: 'An API error occurred: invalid_auth' },
    ]);
    expect(await queryRows(t.db, sql`select built_at is not null as built, delivered_at is null as pending from digest_runs`)).toEqual([
      { built: true, pending: true },
    ]);
  });
});
