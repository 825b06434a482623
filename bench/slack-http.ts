import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { App, LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import { createMemoryDb } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createSlackAdapter } from '../src/adapters/slack/adapter.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import { findMemberByHandle, insertIdentity } from '../src/repositories/members.ts';
import { loadBenchCases, sampleQueries } from './case-find.ts';
import type { LoadResult, LoadRun } from './slack-load.ts';
import { summarise, type Summary } from './stats.ts';

const BENCH_USER = 'U0BENCH';

export interface SlackHttpResult {
  cases: number;
  concurrency: number;
  seconds: number;
  loadSeconds: number;
  bare: { perSecond: number; ack: Summary; failures: number };
  full: { perSecond: number; ack: Summary; answer: Summary; failures: number };
  ratio: number;
}

/**
 * Signed slash commands per second over Slack's HTTP transport: casedesk's whole path (Bolt's
 * signature check and ack, then `case find` through the dispatcher on PGlite with `cases` cases,
 * and the answer posted to response_url) against a bare Bolt app that acks a constant. Clients
 * run closed-loop in another thread; for casedesk each waits for the answer before sending the
 * next command, so the rate is what the core sustains, not a backlog of acked work.
 */
export async function benchSlackHttp(input: { cases: number; concurrency: number; seconds: number }): Promise<SlackHttpResult> {
  const handle = await createMemoryDb();
  const worker = new Worker(new URL('./slack-load-worker.mjs', import.meta.url));
  // Listened for at once: a message with no listener yet is lost.
  const started = once(worker, 'message') as Promise<[{ apiUrl: string; botToken: string; signingSecret: string; teamId: string }]>;
  try {
    await migrateDb(handle);
    const loadSeconds = await loadBenchCases(handle, input.cases);
    const member = (await findMemberByHandle(handle.db, 'bench.lead'))!;
    const [ready] = await started;
    await insertIdentity(handle.db, { memberId: member.id, platform: 'slack', workspaceId: ready.teamId, userId: BENCH_USER });
    const lines = (await sampleQueries(handle, 500)).map((q) => ({ command: '/case', text: `find ${q}` }));
    const run = async (url: string, waitForAnswer: boolean): Promise<LoadResult> => {
      const job: LoadRun = { url, concurrency: input.concurrency, warmupMs: 3000, durationMs: input.seconds * 1000, waitForAnswer, lines, userId: BENCH_USER };
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

    // As createCore builds it for the embedded database.
    const dispatcher = createDispatcher({ db: handle.db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger: pino({ level: 'silent' }), maxConcurrent: 1 });
    const adapter = createSlackAdapter({
      dispatcher,
      connection: { botToken: ready.botToken, signingSecret: ready.signingSecret, port: 0, apiUrl: ready.apiUrl },
      logger: pino({ level: 'silent' }),
    });
    await adapter.start();
    const full = await run(`http://127.0.0.1:${adapter.port()}/slack/events`, true);
    await adapter.stop();

    const barePerSecond = bare.completed / bare.seconds;
    const fullPerSecond = full.completed / full.seconds;
    return {
      cases: input.cases,
      concurrency: input.concurrency,
      seconds: input.seconds,
      loadSeconds,
      bare: { perSecond: barePerSecond, ack: summarise(bare.ackMs), failures: bare.failures },
      full: { perSecond: fullPerSecond, ack: summarise(full.ackMs), answer: summarise(full.answerMs), failures: full.failures },
      ratio: fullPerSecond / barePerSecond,
    };
  } finally {
    worker.postMessage({ kind: 'close' });
    await once(worker, 'exit').catch(() => {});
    await handle.close();
  }
}
