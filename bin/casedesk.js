#!/usr/bin/env node
// The `casedesk` command: runs the TypeScript sources through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runProgram } = await import('../src/cli/main.ts');
process.exitCode = await runProgram(process.argv.slice(2));
