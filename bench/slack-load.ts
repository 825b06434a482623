import { randomUUID } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { startFakeSlackApi } from '../tests/fakes/slack-api.ts';

/**
 * The other side of the Slack benchmark, in a thread of its own: the local fake of Slack (for the
 * apps' auth.test and their answers at response_url) and closed-loop clients that send signed
 * slash commands as Slack does.
 */
export interface LoadRun {
  url: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Wait for the answer at response_url before the next command (the full app), or only the ack. */
  waitForAnswer: boolean;
  /** Each with the case codes its answer may show: it must show at least one. */
  lines: Array<{ command: string; text: string; expect: string[] }>;
  userId: string;
}

export interface LoadResult {
  completed: number;
  seconds: number;
  ackMs: number[];
  answerMs: number[];
  failures: number;
  /** Answers that arrived at response_url (warm-up included), and those that showed an expected case. */
  answers: number;
  verified: number;
  /** A few answers that did not show their case, for the error message. */
  misses: Array<{ text: string; expect: string[]; answer: string }>;
}

const api = await startFakeSlackApi({ teamId: 'T0BENCH' });
const waiting = new Map<string, { expect: string[]; done: (verified: boolean, answer: string) => void }>();
api.onResponse = (id, body) => {
  const wanted = waiting.get(id);
  const answer = JSON.stringify(body.blocks ?? '');
  wanted?.done(
    wanted.expect.some((code) => answer.includes(code)),
    answer,
  );
  waiting.delete(id);
  // Answers are not kept: thousands of them would only fill memory.
  api.responses.length = 0;
};
parentPort!.postMessage({
  kind: 'ready',
  apiUrl: api.apiUrl,
  botToken: api.botToken,
  signingSecret: api.signingSecret,
  teamId: api.teamId,
});

parentPort!.on('message', async (message: { kind: 'run'; run: LoadRun } | { kind: 'close' }) => {
  if (message.kind === 'close') {
    await api.close();
    parentPort!.close();
    return;
  }
  parentPort!.postMessage({ kind: 'result', result: await load(message.run) });
});

async function load(run: LoadRun): Promise<LoadResult> {
  const ackMs: number[] = [];
  const answerMs: number[] = [];
  let completed = 0;
  let failures = 0;
  let answers = 0;
  let verified = 0;
  const misses: LoadResult['misses'] = [];
  let next = 0;
  const start = Date.now();
  const measureFrom = start + run.warmupMs;
  const end = measureFrom + run.durationMs;

  async function one(): Promise<void> {
    const line = run.lines[next++ % run.lines.length]!;
    const responseUrl = api.responseUrl();
    const id = responseUrl.split('/').at(-1)!;
    const body = new URLSearchParams({
      token: 'x',
      team_id: api.teamId,
      team_domain: 'bench',
      channel_id: 'C0BENCH',
      channel_name: 'bench',
      user_id: run.userId,
      user_name: 'bench',
      command: line.command,
      text: line.text,
      api_app_id: 'A0BENCH',
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: `${Date.now()}.${randomUUID().replace(/-/g, '')}`,
    }).toString();
    const answered = run.waitForAnswer
      ? new Promise<void>((resolve) =>
          waiting.set(id, {
            expect: line.expect,
            done: (ok, answer) => {
              answers += 1;
              if (ok) verified += 1;
              else if (misses.length < 3) misses.push({ text: line.text, expect: line.expect, answer: answer.slice(0, 600) });
              resolve();
            },
          }),
        )
      : Promise.resolve();
    const sent = process.hrtime.bigint();
    const response = await fetch(run.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...api.sign(body) },
      body,
    });
    await response.text();
    const acked = process.hrtime.bigint();
    if (response.status !== 200) failures += 1;
    await answered;
    const done = process.hrtime.bigint();
    if (Date.now() >= measureFrom && Date.now() <= end) {
      completed += 1;
      ackMs.push(Number(acked - sent) / 1e6);
      if (run.waitForAnswer) answerMs.push(Number(done - sent) / 1e6);
    }
  }

  await Promise.all(
    Array.from({ length: run.concurrency }, async () => {
      while (Date.now() < end) await one();
    }),
  );
  return { completed, seconds: run.durationMs / 1000, ackMs, answerMs, failures, answers, verified, misses };
}
