import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise, type Summary } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'casedesk.js');

/** One command's timings (wall clock, ms) and peak memory (max RSS, MB) over its runs. */
export interface CommandTiming {
  command: string;
  wall: Summary;
  maxRssMb: Summary | null;
}

export interface StartupResult {
  /** The commit measured, and whether its working tree had changes. */
  commit: string;
  /** Whether the published entry point ran a build (dist/) or the sources through tsx. */
  entry: 'dist' | 'sources';
  cases: number;
  seedSeconds: number;
  help: CommandTiming;
  exec: CommandTiming;
  startFirst: CommandTiming;
  startRestart: CommandTiming;
  /** The same in a terminal (a pseudo-terminal from util-linux's `script`): the console chat's prompt. Null without `script`. */
  consoleFirst: CommandTiming | null;
  consoleRestart: CommandTiming | null;
}

/**
 * Times a first hour's command lines as a user types them, each a fresh process: `casedesk --help`,
 * `casedesk exec --as lead.hn "case find nguyen van duc"` on the embedded database holding the demo
 * data, and `npm start` until it says it is ready, on a fresh data folder (migrations applied) and on
 * a restart. Wall clock from spawn; peak memory from GNU time (`/usr/bin/time -f %M`) where it exists.
 * Without a terminal `start` serves only the scheduled jobs, and says "ready" once it would take commands.
 */
export async function benchStartup(options: { runs: number; cases: number }): Promise<StartupResult> {
  const dir = mkdtempSync(join(tmpdir(), 'casedesk-startup-'));
  const env = { ...cleanEnv(), CASEDESK_DATA_DIR: join(dir, 'demo') };
  try {
    const built = existsSync(join(ROOT, 'tsconfig.build.json'));
    if (built) {
      // The published entry point runs the build: measure the current sources, not a stale build.
      const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npm run build failed');
    }
    const help = await timeCommand('casedesk --help', [BIN, '--help'], env, options.runs);
    const seedStart = process.hrtime.bigint();
    const seeded = spawnSync(process.execPath, [BIN, 'seed', '--demo', '--cases', String(options.cases)], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    if (seeded.status !== 0) throw new Error(`seed --demo failed: ${seeded.stderr}`);
    const seedSeconds = Number(process.hrtime.bigint() - seedStart) / 1e9;
    const exec = await timeCommand(
      'casedesk exec --as lead.hn "case find nguyen van duc"',
      [BIN, 'exec', '--as', 'lead.hn', 'case find nguyen van duc'],
      env,
      options.runs,
    );
    const first: number[] = [];
    const restart: number[] = [];
    const consoleFirst: number[] = [];
    const consoleRestart: number[] = [];
    const terminal = existsSync('/usr/bin/script');
    for (let i = 0; i < options.runs; i++) {
      const fresh = { ...env, CASEDESK_DATA_DIR: join(dir, `start-${i}`) };
      first.push(await untilReady(fresh));
      restart.push(await untilReady(fresh));
      if (!terminal) continue;
      const console = { ...env, CASEDESK_DATA_DIR: join(dir, `console-${i}`) };
      consoleFirst.push(await untilPrompt(console));
      consoleRestart.push(await untilPrompt(console));
    }
    return {
      commit: commitOf(),
      entry: built ? 'dist' : 'sources',
      cases: options.cases,
      seedSeconds,
      help,
      exec,
      startFirst: { command: 'npm start (fresh data folder)', wall: summarise(first), maxRssMb: null },
      startRestart: { command: 'npm start (restart)', wall: summarise(restart), maxRssMb: null },
      consoleFirst: terminal
        ? { command: 'npm start in a terminal (fresh data folder)', wall: summarise(consoleFirst), maxRssMb: null }
        : null,
      consoleRestart: terminal ? { command: 'npm start in a terminal (restart)', wall: summarise(consoleRestart), maxRssMb: null } : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The environment without what would change what is measured (a database server, log settings, chat platforms). */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(DATABASE_|LOG_|DISCORD_|SLACK_|CASEDESK_|NODE_OPTIONS$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

async function timeCommand(label: string, args: string[], env: Record<string, string>, runs: number): Promise<CommandTiming> {
  const gnuTime = existsSync('/usr/bin/time');
  const walls: number[] = [];
  const rss: number[] = [];
  const rssFile = join(tmpdir(), `casedesk-startup-rss-${process.pid}`);
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const run = gnuTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...args], { cwd: ROOT, env, encoding: 'utf8' })
      : spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status !== 0) throw new Error(`${label} exited with ${run.status}: ${run.stderr}`);
    if (gnuTime) rss.push(Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) / 1024);
  }
  rmSync(rssFile, { force: true });
  return { command: label, wall: summarise(walls), maxRssMb: gnuTime ? summarise(rss) : null };
}

/** `npm start` without a terminal: the time until its "ready" line on standard output; then it is stopped. */
function untilReady(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let took: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (took === undefined && /ready|sẵn sàng/.test(out)) {
        took = Number(process.hrtime.bigint() - start) / 1e6;
        // The whole group: npm, its shell and casedesk.
        process.kill(-child.pid!, 'SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('exit', () => (took === undefined ? reject(new Error(`npm start ended before it was ready: ${out}${err}`)) : resolve(took)));
  });
}

/**
 * `npm start` in a terminal, as a user runs it: the time until the console chat's prompt line
 * (`… Ctrl+D …`); then Ctrl+D ends it. The terminal is a pseudo-terminal from `script -qfc`.
 */
function untilPrompt(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/script', ['-qfc', 'npm start', '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let took: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (took === undefined && /Ctrl\+D/.test(out)) {
        took = Number(process.hrtime.bigint() - start) / 1e6;
        child.stdin.write('\x04');
      }
    });
    child.on('exit', () =>
      took === undefined ? reject(new Error(`npm start in a terminal ended before its prompt: ${out}`)) : resolve(took),
    );
  });
}

function commitOf(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  return dirty ? `${head} (with changes)` : head;
}
