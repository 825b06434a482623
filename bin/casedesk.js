#!/usr/bin/env node
// The `casedesk` command (and `npm start`). It runs the build in dist/ (made by `npm install` or
// `npm ci` through the `prepare` script, or by `npm run build`), which starts in a fraction of the
// time the TypeScript sources take to compile. Without a build, or with sources changed since it
// was made, it runs the sources through tsx instead, as `npm run casedesk` always does.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

/** The build's time, or 0 when there is none. */
function builtAt() {
  try {
    return statSync(new URL('dist/.built', root)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether a file under the compiled folders is newer than the build (a few hundred stats: milliseconds). */
function changedSince(time) {
  for (const folder of ['src', 'commands', 'db']) {
    let entries;
    try {
      entries = readdirSync(new URL(folder, root), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile() && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > time) return true;
    }
  }
  return false;
}

const built = builtAt();
let main;
if (built > 0 && !changedSince(built)) {
  main = await import('../dist/src/cli/main.js');
} else {
  if (built > 0) process.stderr.write('casedesk: the sources changed after the last build; running them (npm run build starts faster)\n');
  const { register } = await import('tsx/esm/api');
  register();
  main = await import('../src/cli/main.ts');
}
process.exitCode = await main.runProgram(process.argv.slice(2));
