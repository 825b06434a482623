// `npm run build`, run by `npm install` and `npm ci` (the `prepare` script): compiles the sources to
// dist/ for bin/casedesk.js, which then starts without compiling TypeScript on every run. Type
// checking is `npm run typecheck`'s job; the build only emits (tsconfig.build.json: noCheck).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without the development tools (`npm ci --omit=dev`): bin/casedesk.js runs the sources.
  console.log('casedesk: TypeScript is not installed; skipping the build (bin/casedesk.js runs the sources through tsx)');
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
// Read at run time next to db/migrate.js: the SQL files and drizzle-kit's journal.
cpSync(`${root}db/migrations`, `${dist}/db/migrations`, { recursive: true });
if (!existsSync(`${dist}/src/cli/main.js`)) {
  console.error('casedesk: the build did not produce dist/src/cli/main.js');
  process.exit(1);
}
// The embedded database's template: a first `npm start` unpacks it instead of running PostgreSQL's
// set-up and every migration (seconds on a small machine). Made with the PGlite just installed.
const { PGLITE_TEMPLATE } = await import(pathToFileURL(`${dist}/db/client.js`).href);
const { writePgliteTemplate } = await import(pathToFileURL(`${dist}/db/migrate.js`).href);
await writePgliteTemplate(PGLITE_TEMPLATE);
// bin/casedesk.js compares the sources' times with this file's, to run the sources rather than a stale build.
writeFileSync(`${dist}/.built`, `${new Date().toISOString()}\n`);
