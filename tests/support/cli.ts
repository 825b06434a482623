import { createRequire } from 'node:module';
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
