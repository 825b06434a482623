import type { ChildProcess } from 'node:child_process';
import { webApi } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../../db/client.ts';
import { createSlackPoster } from '../../../src/adapters/slack/post.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api.ts';
import { freePort, startProgram } from '../../support/cli.ts';
import { openTestDb, testDriver, type TestDb } from '../../support/db.ts';
import { makeMember, makeUnitTree } from '../../factories/index.ts';

let t: TestDb;
let api: FakeSlackApi;
beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeSlackApi();
});
beforeEach(() => t.reset());
afterAll(async () => {
  await api.close();
  await t.close();
});

const idOf = (responseUrl: string) => responseUrl.split('/').at(-1)!;
const poster = () => createSlackPoster(new webApi.WebClient(api.botToken, { slackApiUrl: api.apiUrl }), 0, 'en');
/** An answer of `n` pages' worth of lines (each page holds at most 50 blocks). */
const longAnswer = (lines: number): ReplyMessage => ({
  personal: true,
  blocks: Array.from({ length: lines }, (_, i) => ({ kind: 'text' as const, text: `Line ${i + 1}` })),
});

describe('a stored answer delivered through its response_url', () => {
  it('posts the pages in sequence, at most five, with the cut note under the last, and the files to direct messages', async () => {
    const url = api.responseUrl();
    const message: ReplyMessage = {
      ...longAnswer(400),
      files: [{ name: 'result.csv', contentType: 'text/csv', data: new TextEncoder().encode('a,b\n1,2\n') }],
    };
    const parts = poster().answerParts({ responseUrl: url, userId: 'U0LEAD0001' }, message);
    for (const part of parts) await part();
    const taken = api.responses.filter((r) => r.id === idOf(url));
    expect(taken).toHaveLength(5);
    expect(taken.every((r) => r.body.response_type === 'ephemeral' && r.body.replace_original === false)).toBe(true);
    expect(JSON.stringify(taken[4]!.body.blocks)).toContain('Slack takes only 5 replies to one command');
    expect(api.refusedResponses.filter((r) => r.id === idOf(url))).toEqual([]);
    expect([...api.uploads.values()].map((b) => b.toString())).toContain('a,b\n1,2\n');
  });

  it('fails, naming Slack’s reason but not the address, once the response_url has expired', async () => {
    const url = api.responseUrl({ ageMs: 31 * 60_000 });
    const [part] = poster().answerParts({ responseUrl: url, userId: 'U0LEAD0001' }, longAnswer(1));
    const error = await part!().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('expired_url');
    expect(error?.message).not.toContain(idOf(url));
    expect(api.responses.filter((r) => r.id === idOf(url))).toEqual([]);
  });
});

// Two processes on one database: only the server takes more than one (PGlite's folder is locked by
// the process that opens it). The single-process equivalents run on both drivers in tests/core/answers.test.ts.
if (testDriver === 'postgres') {
  describe('casedesk start on Slack over HTTP, killed between commit and answer', () => {
    const started: ChildProcess[] = [];
    afterAll(() => {
      for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });

    async function startInstance(): Promise<{ child: ChildProcess; port: number }> {
      const port = await freePort();
      const env = {
        ...process.env,
        DATABASE_URL: t.url!,
        CASEDESK_LOCALE: 'en',
        LOG_LEVEL: 'warn',
        SLACK_BOT_TOKEN: api.botToken,
        SLACK_SIGNING_SECRET: api.signingSecret,
        PORT: String(port),
        SLACK_API_URL: api.apiUrl,
      };
      const { child } = await startProgram(env, 'casedesk is ready on Slack');
      started.push(child);
      return { child, port };
    }

    it('has the survivor deliver the answer exactly once, and the killed instance none', async () => {
      await makeUnitTree(t.db);
      await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06', slack: { team: api.teamId, user: 'U0LEAD0001' } });
      const a = await startInstance();
      await startInstance();
      const url = api.responseUrl();
      const id = idOf(url);
      // The answer a sends will hang, unanswered and not applied, until the test lets it go.
      api.hold(id);
      const acked = await api.postSlashCommand(`http://127.0.0.1:${a.port}/slack/events`, {
        text: 'whoami',
        userId: 'U0LEAD0001',
        responseUrl: url,
      });
      expect(acked.status).toBe(200);
      await api.until(() => api.held.some((h) => h.id === id), 60_000);
      // Committed before answering: the audit row and the stored answer are there.
      expect(await queryRows(t.db, sql`select command, outcome from audit_log where command = 'whoami'`)).toEqual([
        { command: 'whoami', outcome: 'ok' },
      ]);
      const exited = new Promise<string | null>((resolve) => a.child.on('exit', (_, signal) => resolve(signal)));
      a.child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      // The post a had in flight died with it: never answered, never applied.
      await api.until(() => api.held.find((h) => h.id === id)?.state === 'dropped');
      api.release(id);
      expect(api.responses.filter((r) => r.id === id)).toEqual([]);
      // Once a's lease on the answer (a minute) runs out, the survivor's answer pass (every 5 s) delivers it.
      await api.until(() => api.responses.some((r) => r.id === id), 120_000);
      const delivered = await queryRows<{ delivered: boolean; reply_to: unknown }>(
        t.db,
        sql`select delivered_at is not null as delivered, reply_to from outbox where key like 'answer:slack:%'`,
      );
      expect(delivered).toEqual([{ delivered: true, reply_to: {} }]);
      const taken = api.responses.filter((r) => r.id === id);
      expect(taken).toHaveLength(1);
      expect(JSON.stringify(taken[0]!.body)).toContain('lead');
      expect(await queryRows(t.db, sql`select count(*)::int as n from audit_log where command = 'whoami'`)).toEqual([{ n: 1 }]);
    }, 240_000);
  });
}
