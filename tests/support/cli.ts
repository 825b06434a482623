import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/context.ts';

/** Runs the command line in-process and collects what it printed. */
export async function cli(
  args: string[],
  io: Omit<CliIo, 'stdout' | 'stderr'> & { input?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const { input, ...rest } = io;
  const stdin = new PassThrough();
  stdin.end(input ?? '');
  const code = await runCli(args, { ...rest, stdin, stdout: out, stderr: err });
  return { code, stdout, stderr };
}

/** tsx's loader, which `node --import tsx` resolves to, by its path: spawned programs may run in another folder. */
const TSX_LOADER = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

/**
 * `node` arguments that run the command line from its sources, as `npm run casedesk` does, from
 * any working folder. Tests that spawn casedesk as a program use these rather than
 * bin/casedesk.js, which runs the build in dist/ when there is one: a test must exercise the code
 * it sits beside, not an earlier build.
 *
 * @example spawnSync(process.execPath, [...CASEDESK_FROM_SOURCES, 'units', 'list'], { env })
 */
export const CASEDESK_FROM_SOURCES: readonly string[] = [
  '--import',
  TSX_LOADER,
  fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url)),
];

/** A TCP port free on this machine now, for a program that must be told its port before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `casedesk start` as a program of its own, from the sources, resolving once it printed `ready`
 * (e.g. `casedesk is ready on Slack`); rejects if it exits first. `exited` resolves to its exit code.
 */
export async function startProgram(
  env: NodeJS.ProcessEnv,
  ready: string,
): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [...CASEDESK_FROM_SOURCES, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stdout = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c) => {
      stdout += c;
      if (stdout.includes(ready)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`casedesk start exited with ${code} before it was ready`)));
  });
  return { child, exited };
}
