import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import { createMemoryDb, type DbHandle } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createSlackAdapter } from '../src/adapters/slack/adapter.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import { cleanText } from '../src/domain/text.ts';
import { searchCases } from '../src/repositories/case-search.ts';
import { findMemberByHandle, insertIdentity } from '../src/repositories/members.ts';
import { findUnitByCode, unitSubtreeIds } from '../src/repositories/units.ts';
import { loadBenchCases, openServerBenchDb, sampleQueries } from './case-find.ts';
import type { LoadResult, LoadRun } from './slack-load.ts';
import { summarise, type Summary } from './stats.ts';

const BENCH_USER = 'U0BENCH';

export interface SlackHttpResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  concurrency: number;
  seconds: number;
  /** Null when the server's database was already loaded. */
  loadSeconds: number | null;
  bare: { perSecond: number; ack: Summary; failures: number };
  full: { perSecond: number; ack: Summary; answer: Summary; failures: number; answers: number; verified: number };
  ratio: number;
}

/**
 * Signed slash commands per second over Slack's HTTP transport: casedesk's whole path (Bolt's
 * signature check and ack, then `case find` through the dispatcher with `cases` cases, and the
 * answer posted to response_url) against a bare Bolt app that acks a constant. On PGlite the
 * database is in memory and loaded each run; on the server (`serverUrl`) it is a database of its
 * own, kept between runs, with as many commands at once as the pool has connections. Clients run
 * closed-loop in another thread; for casedesk each waits for the answer before sending the next
 * command, so the rate is what the core sustains, not a backlog of acked work. Every answer must
 * show a case the search finds for its query, or the run fails.
 */
export async function benchSlackHttp(input: {
  driver?: 'pglite' | 'postgres';
  serverUrl?: string;
  cases: number;
  concurrency: number;
  seconds: number;
}): Promise<SlackHttpResult> {
  const driver = input.driver ?? 'pglite';
  let handle: DbHandle;
  let loadSeconds: number | null;
  if (driver === 'pglite') {
    handle = await createMemoryDb();
    await migrateDb(handle);
    loadSeconds = await loadBenchCases(handle, input.cases);
  } else {
    ({ handle, loadSeconds } = await openServerBenchDb(input.serverUrl!, input.cases));
  }
  const worker = new Worker(new URL('./slack-load-worker.mjs', import.meta.url));
  // Listened for at once: a message with no listener yet is lost.
  const started = once(worker, 'message') as Promise<[{ apiUrl: string; botToken: string; signingSecret: string; teamId: string }]>;
  try {
    const member = (await findMemberByHandle(handle.db, 'bench.lead'))!;
    const [ready] = await started;
    try {
      await insertIdentity(handle.db, { memberId: member.id, platform: 'slack', workspaceId: ready.teamId, userId: BENCH_USER });
    } catch (error) {
      // The server's database is kept between runs: linked on an earlier one.
      if (driver === 'pglite') throw error;
    }
    const lines = await expectedAnswers(handle, await sampleQueries(handle, 500));
    const warmupMs = Math.min(3000, input.seconds * 1000);
    const run = async (url: string, waitForAnswer: boolean): Promise<LoadResult> => {
      const job: LoadRun = {
        url,
        concurrency: input.concurrency,
        warmupMs,
        durationMs: input.seconds * 1000,
        waitForAnswer,
        lines,
        userId: BENCH_USER,
      };
      worker.postMessage({ kind: 'run', run: job });
      const [message] = (await once(worker, 'message')) as [{ result: LoadResult }];
      return message.result;
    };

    // The baseline: Bolt alone, verifying the signature and acking a constant.
    const bareApp = new App({
      token: ready.botToken,
      signingSecret: ready.signingSecret,
      port: 0,
      clientOptions: { slackApiUrl: ready.apiUrl },
      logLevel: LogLevel.ERROR,
      deferInitialization: true,
    });
    bareApp.command(/.*/, async ({ ack }) => {
      await ack('ok');
    });
    await bareApp.init();
    const bareServer = (await bareApp.start()) as Server;
    const bare = await run(`http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`, false);
    await bareApp.stop();

    // As createCore builds it: the handle's turns (one command at a time on the embedded database,
    // the pool's size on a server) and its accept lane.
    const dispatcher = createDispatcher({
      db: handle.db,
      turn: handle.turn,
      acceptDb: handle.acceptDb,
      commands,
      locale: 'vi',
      timeZone: 'Asia/Ho_Chi_Minh',
      logger: pino({ level: 'silent' }),
    });
    const adapter = createSlackAdapter({
      dispatcher,
      connection: { botToken: ready.botToken, signingSecret: ready.signingSecret, port: 0, apiUrl: ready.apiUrl },
      logger: pino({ level: 'silent' }),
    });
    await adapter.start();
    const full = await run(`http://127.0.0.1:${adapter.port()}/slack/events`, true);
    await adapter.stop();

    if (full.answers === 0 || full.verified < full.answers) {
      throw new Error(
        `slack-http on ${driver}: ${full.verified} of ${full.answers} answers showed a case the search finds; for example ${JSON.stringify(full.misses, null, 1)}`,
      );
    }
    const barePerSecond = bare.completed / bare.seconds;
    const fullPerSecond = full.completed / full.seconds;
    return {
      driver,
      cases: input.cases,
      concurrency: input.concurrency,
      seconds: input.seconds,
      loadSeconds,
      bare: { perSecond: barePerSecond, ack: summarise(bare.ackMs), failures: bare.failures },
      full: {
        perSecond: fullPerSecond,
        ack: summarise(full.ackMs),
        answer: summarise(full.answerMs),
        failures: full.failures,
        answers: full.answers,
        verified: full.verified,
      },
      ratio: fullPerSecond / barePerSecond,
    };
  } finally {
    worker.postMessage({ kind: 'close' });
    await once(worker, 'exit').catch(() => {});
    await handle.close();
  }
}

/**
 * Each query as a slash command, with the cases its answer may show: those the same search
 * `case find` makes (ten hits, the bench lead's scope) returned in any of three runs. (On the
 * server, the search does not always rank namesakes alike from one run to the next.) Queries the
 * search finds nothing for are left out.
 */
async function expectedAnswers(handle: DbHandle, queries: string[]): Promise<LoadRun['lines']> {
  const root = (await findUnitByCode(handle.db, 'C06'))!;
  const unitIds = await unitSubtreeIds(handle.db, root.id);
  const lines: LoadRun['lines'] = [];
  for (const q of queries) {
    const codes = new Set<string>();
    for (let run = 0; run < 3; run++) {
      for (const hit of await searchCases(handle.db, { text: cleanText(q), unitIds, limit: 10 })) codes.add(hit.code);
    }
    if (codes.size > 0) lines.push({ command: '/case', text: `find ${q}`, expect: [...codes] });
  }
  if (lines.length === 0) throw new Error('slack-http: no sample query finds a case');
  return lines;
}
