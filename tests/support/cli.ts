import { PassThrough } from 'node:stream';
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
