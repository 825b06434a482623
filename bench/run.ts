import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchCaseFind, type CaseFindResult } from './case-find.ts';
import { benchSlackHttp, type SlackHttpResult } from './slack-http.ts';
import { benchDigest } from './digest.ts';
import { benchCaseStatus, type CaseStatusResult } from './case-status.ts';
import { benchAuditChain, type AuditChainResult } from './audit-chain.ts';
import { benchSearchQuality, type SearchQualityResult } from './search-quality.ts';
import { benchCheck, type CheckBenchResult } from './check.ts';
import { benchPhoto, type PhotoBenchResult } from './photo.ts';
import { benchStartup, type CommandTiming } from './startup.ts';
import { ms } from './stats.ts';

/**
 * `npm run bench [-- case-find:pglite case-find:postgres slack-http slack-http:postgres digest:postgres case-status:pglite
 * case-status:postgres audit-chain:pglite audit-chain:postgres search-quality:pglite search-quality:postgres]`: runs the benchmarks, prints their figures and writes them to bench/results/. Figures are for
 * reading, never asserted in tests.
 *
 * BENCH_PG_URL: the server (default postgres://postgres@127.0.0.1:5432/postgres).
 * BENCH_PGLITE_CASES (default 100000), BENCH_PG_CASES (default 1000000), BENCH_QUERIES (default 500).
 * BENCH_SLACK_CONCURRENCY (default 16), BENCH_SLACK_SECONDS (default 20; 3 for a quick check): the Slack HTTP load.
 * BENCH_SLACK_PG_CASES (default 100000): cases for slack-http:postgres.
 * BENCH_STATUS_CASES (default 100000), BENCH_STATUS_CHANGES (default 400): case-status:<driver> loads that many cases into a
 * database made afresh each run (on the server, casedesk_bench_status_<cases>) and times resolving and reopening that many
 * wanted cases through the dispatcher.
 * BENCH_AUDIT_CASES (default 20000), BENCH_AUDIT_SAMPLES (default 400): audit-chain:<driver> times `case show` and
 * `case note` through the dispatcher with the audit log's hash chain and without it (its trigger disabled), in
 * alternating blocks, over a log of 200,000 earlier rows; on the server also 8 concurrent clients writing notes.
 * BENCH_QUALITY_CASES (default 100000 on PGlite, 100000,1000000 on the server: a comma-separated list runs each size),
 * BENCH_QUALITY_QUERIES (queries per kind, default 50), BENCH_QUALITY_SEED (default 327): search-quality:<driver> scores
 * searchCases (hit@1, hit@10, MRR) on ten kinds of query against a synthetic roll with realistic Vietnamese names, beside a
 * pg_trgm k-nearest baseline, and times `case find` through the dispatcher. On the server each size is a kept database,
 * casedesk_quality_<cases>_<seed>, loaded on first use (a million cases take minutes).
 * BENCH_CHECK_CASES (default 100000 on PGlite, 100000,1000000 on the server), BENCH_CHECK_ROWS (default 35000),
 * BENCH_CHECK_PLANTED (default 700): check:<driver> runs `case check` through the dispatcher on a CSV list of that many
 * people, that many of them wanted, against the search-quality roll with national IDs and hometowns; on the server each
 * size is a kept database, casedesk_check_<cases>_327. Run with `node --expose-gc` for a steadier memory baseline.
 * BENCH_STARTUP_RUNS (default 5), BENCH_STARTUP_CASES (default 3000, the demo's): startup times the command line as a
 * user types it, each a fresh process (`casedesk --help`, `casedesk exec` on the demo data, `npm start` to ready, first
 * time and restart), after `npm run build` when the entry point runs a build; bench/results/startup.json.
 * BENCH_PHOTO_CASES (default 10000), BENCH_PHOTO_SHOWS (default 100): photo:pglite stores a JPEG of nearly 10 MB through
 * `case info … photo` and times `case show` of a case with four photos beside one without; bench/results/photo-pglite.json.
 * Run with `node --expose-gc` for a steadier memory baseline.
 */
const env = process.env;
const serverUrl = env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const queries = Number(env.BENCH_QUERIES ?? 500);
const wanted = process.argv.slice(2);
const selected = (name: string) => wanted.length === 0 || wanted.includes(name);

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });

function report(r: CaseFindResult): string {
  return [
    `case find on ${r.driver}, ${r.cases.toLocaleString('en')} cases, ${r.queries} queries${r.loadSeconds !== null ? ` (loaded in ${r.loadSeconds.toFixed(0)} s)` : ''}`,
    `  through the dispatcher: p50 ${ms(r.dispatcher.p50)}  p90 ${ms(r.dispatcher.p90)}  p99 ${ms(r.dispatcher.p99)}  max ${ms(r.dispatcher.max)}`,
    `  bare search:            p50 ${ms(r.bare.p50)}  p90 ${ms(r.bare.p90)}  p99 ${ms(r.bare.p99)}  max ${ms(r.bare.max)}`,
    `  ratio: p50 ${r.ratioP50.toFixed(2)}×  p99 ${r.ratioP99.toFixed(2)}×`,
  ].join('\n');
}

console.log(`machine: ${machine}`);
for (const driver of ['pglite', 'postgres'] as const) {
  if (!selected(`case-find:${driver}`)) continue;
  const r =
    driver === 'pglite'
      ? await benchCaseFind({ driver, cases: Number(env.BENCH_PGLITE_CASES ?? 100_000), queries })
      : await benchCaseFind({ driver, cases: Number(env.BENCH_PG_CASES ?? 1_000_000), queries, serverUrl });
  console.log(report(r));
  // One file a driver, so that each can be re-run alone.
  const file = new URL(`./results/case-find-${driver}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportSlack(r: SlackHttpResult): string {
  return [
    `slack http: signed /case find commands, ${r.cases.toLocaleString('en')} cases on ${r.driver}, ${r.concurrency} clients, ${r.seconds} s each${r.loadSeconds !== null ? ` (loaded in ${r.loadSeconds.toFixed(0)} s)` : ''}`,
    `  bare Bolt app (acks a constant): ${r.bare.perSecond.toFixed(0)}/s  ack p50 ${ms(r.bare.ack.p50)}  p99 ${ms(r.bare.ack.p99)}`,
    `  casedesk (ack, core, answer):    ${r.full.perSecond.toFixed(0)}/s  ack p50 ${ms(r.full.ack.p50)}  p99 ${ms(r.full.ack.p99)}  answer p50 ${ms(r.full.answer.p50)}  p99 ${ms(r.full.answer.p99)}`,
    `  throughput ratio: ${(r.ratio * 100).toFixed(1)} %  (failures: bare ${r.bare.failures}, casedesk ${r.full.failures}; answers showing the expected case: ${r.full.verified} of ${r.full.answers})`,
  ].join('\n');
}

for (const name of ['slack-http', 'slack-http:postgres'] as const) {
  if (!selected(name)) continue;
  const load = { concurrency: Number(env.BENCH_SLACK_CONCURRENCY ?? 16), seconds: Number(env.BENCH_SLACK_SECONDS ?? 20) };
  const r =
    name === 'slack-http'
      ? await benchSlackHttp({ ...load, driver: 'pglite', cases: Number(env.BENCH_PGLITE_CASES ?? 100_000) })
      : await benchSlackHttp({ ...load, driver: 'postgres', serverUrl, cases: Number(env.BENCH_SLACK_PG_CASES ?? 100_000) });
  console.log(reportSlack(r));
  const file = new URL(`./results/${name === 'slack-http' ? 'slack-http' : 'slack-http-postgres'}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

if (selected('digest:postgres')) {
  const r = await benchDigest({
    serverUrl,
    cases: Number(env.BENCH_PG_CASES ?? 1_000_000),
    events: Number(env.BENCH_PG_EVENTS ?? 5_000_000),
    runs: 10,
  });
  console.log(
    [
      `digest on postgres: ${r.cases.toLocaleString('en')} cases (${r.reopened.toLocaleString('en')} wanted again), ${r.events.toLocaleString('en')} case events, ${r.decisions.toLocaleString('en')} decisions, ${r.journal.toLocaleString('en')} journal entries, ${r.auditRows.toLocaleString('en')} audit rows, ${r.followUps.toLocaleString('en')} follow-ups; ${r.period.from} to ${r.period.to}`,
      `  all units:   p50 ${ms(r.everything.p50)}  max ${ms(r.everything.max)}`,
      `  one province: p50 ${ms(r.province.p50)}  max ${ms(r.province.max)}`,
    ].join('\n'),
  );
  const file = new URL('./results/digest-postgres.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportStatus(r: CaseStatusResult): string {
  return [
    `case status on ${r.driver}, ${r.cases.toLocaleString('en')} cases, ${r.changes} cases resolved and reopened (loaded in ${r.loadSeconds.toFixed(0)} s)`,
    `  resolve (arrested): p50 ${ms(r.resolve.p50)}  p90 ${ms(r.resolve.p90)}  p99 ${ms(r.resolve.p99)}  max ${ms(r.resolve.max)}`,
    `  reopen (wanted):    p50 ${ms(r.reopen.p50)}  p90 ${ms(r.reopen.p90)}  p99 ${ms(r.reopen.p99)}  max ${ms(r.reopen.max)}`,
  ].join('\n');
}

for (const driver of ['pglite', 'postgres'] as const) {
  if (!selected(`case-status:${driver}`)) continue;
  const r = await benchCaseStatus({
    driver,
    cases: Number(env.BENCH_STATUS_CASES ?? 100_000),
    changes: Number(env.BENCH_STATUS_CHANGES ?? 400),
    serverUrl,
  });
  console.log(reportStatus(r));
  const file = new URL(`./results/case-status-${driver}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportAuditChain(r: AuditChainResult): string {
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
  const line = (name: string, m: AuditChainResult['show']) =>
    `  ${name}: chained p50 ${ms(m.chained.p50)} mean ${ms(m.chained.mean)} · unchained p50 ${ms(m.unchained.p50)} mean ${ms(m.unchained.mean)} · cost p50 ${pct(m.overheadP50)}, mean ${pct(m.overheadMean)}`;
  return [
    `audit chain on ${r.driver}, ${r.cases.toLocaleString('en')} cases, ${r.auditRowsBefore.toLocaleString('en')} earlier audit rows, ${r.show.chained.n} samples each`,
    line('case show', r.show),
    line('case note', r.note),
    ...(r.concurrent
      ? [
          `  ${r.concurrent.clients} concurrent clients writing notes: chained ${r.concurrent.chainedPerSecond.toFixed(0)}/s, unchained ${r.concurrent.unchainedPerSecond.toFixed(0)}/s (${pct(r.concurrent.unchainedPerSecond / r.concurrent.chainedPerSecond - 1)} time per note)`,
        ]
      : []),
    `  audit verify: ${r.verify.rows.toLocaleString('en')} chained rows in ${ms(r.verify.ms)}`,
  ].join('\n');
}

for (const driver of ['pglite', 'postgres'] as const) {
  if (!selected(`audit-chain:${driver}`)) continue;
  const r = await benchAuditChain({
    driver,
    cases: Number(env.BENCH_AUDIT_CASES ?? 20_000),
    samples: Number(env.BENCH_AUDIT_SAMPLES ?? 400),
    serverUrl,
  });
  console.log(reportAuditChain(r));
  const file = new URL(`./results/audit-chain-${driver}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportSearchQuality(r: SearchQualityResult): string {
  const f = (x: number) => (Number.isNaN(x) ? '   -' : x.toFixed(2).padStart(4));
  const scores = (s: SearchQualityResult['overall']['casedesk']) => `${f(s.hit1)}  ${f(s.hit10)}  ${f(s.mrr)}`;
  const row = (kind: string, n: string, eligible: string, ambiguous: string, c: string, b: string) =>
    `  ${kind.padEnd(15)} ${n.padStart(4)} ${eligible.padStart(9)} ${ambiguous.padStart(9)} | ${c} | ${b}`;
  return [
    `search quality on ${r.driver}, ${r.cases.toLocaleString('en')} cases, seed ${r.seed}, ${r.queriesPerKind} queries per kind${r.loadSeconds !== null ? ` (loaded in ${r.loadSeconds.toFixed(0)} s)` : ''}; baseline index built in ${r.baselineIndexSeconds.toFixed(1)} s`,
    row('kind', 'n', 'eligible', 'ambiguous', 'casedesk hit@1 hit@10  MRR', 'baseline hit@1 hit@10  MRR').replace(
      ' | casedesk',
      ' | casedesk',
    ),
    ...r.kinds.map((k) =>
      row(
        k.kind,
        String(k.n),
        k.eligible.toLocaleString('en'),
        String(k.ambiguous),
        `        ${scores(k.casedesk)}`,
        `        ${scores(k.baseline)}`,
      ),
    ),
    row(
      'overall',
      String(r.overall.casedesk.n),
      '',
      String(r.kinds.reduce((a, k) => a + k.ambiguous, 0)),
      `        ${scores(r.overall.casedesk)}`,
      `        ${scores(r.overall.baseline)}`,
    ),
    `  case find through the dispatcher: p50 ${ms(r.latency.dispatcher.p50)}  p90 ${ms(r.latency.dispatcher.p90)}  p99 ${ms(r.latency.dispatcher.p99)}  max ${ms(r.latency.dispatcher.max)}`,
    `  searchCases alone:                p50 ${ms(r.latency.casedesk.p50)}  p90 ${ms(r.latency.casedesk.p90)}  p99 ${ms(r.latency.casedesk.p99)}  max ${ms(r.latency.casedesk.max)}`,
    `  baseline k-nearest:               p50 ${ms(r.latency.baseline.p50)}  p90 ${ms(r.latency.baseline.p90)}  p99 ${ms(r.latency.baseline.p99)}  max ${ms(r.latency.baseline.max)}`,
    ...r.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

for (const driver of ['pglite', 'postgres'] as const) {
  if (!selected(`search-quality:${driver}`)) continue;
  const sizes = (env.BENCH_QUALITY_CASES ?? (driver === 'pglite' ? '100000' : '100000,1000000')).split(',').map(Number);
  const results: SearchQualityResult[] = [];
  for (const cases of sizes) {
    const r = await benchSearchQuality({
      driver,
      cases,
      perKind: Number(env.BENCH_QUALITY_QUERIES ?? 50),
      seed: Number(env.BENCH_QUALITY_SEED ?? 327),
      serverUrl,
    });
    console.log(reportSearchQuality(r));
    results.push(r);
  }
  const file = new URL(`./results/search-quality-${driver}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportCheck(r: CheckBenchResult): string {
  const f = r.found;
  return [
    `case check on ${r.driver}: ${r.rows.toLocaleString('en')} people (${r.planted} of them wanted) against ${r.cases.toLocaleString('en')} cases${r.loadSeconds !== null ? ` (loaded in ${r.loadSeconds.toFixed(0)} s)` : ''}`,
    `  ${r.seconds.toFixed(1)} s through the dispatcher (${r.rowsPerSecond.toFixed(0)} rows/s); RSS ${r.memory.baselineRssMb.toFixed(0)} MB before, process peak ${r.memory.peakRssMb.toFixed(0)} MB${r.memory.checkRaisedPeak ? ' (set by the check)' : ' (set before it, by loading)'}; heap after ${r.memory.heapUsedAfterMb.toFixed(0)} MB`,
    `  ${f.candidates} candidates, ${f.requests} confirmation requests (${f.certain} certain); wanted people found: ${f.plantedAsCandidate} of ${r.planted} as candidates, ${f.plantedAsRequest} sent to confirm; ${f.otherRequests} requests for other people`,
  ].join('\n');
}

for (const driver of ['pglite', 'postgres'] as const) {
  if (!selected(`check:${driver}`)) continue;
  const sizes = (env.BENCH_CHECK_CASES ?? (driver === 'pglite' ? '100000' : '100000,1000000')).split(',').map(Number);
  const results: CheckBenchResult[] = [];
  for (const cases of sizes) {
    const r = await benchCheck({
      driver,
      cases,
      rows: Number(env.BENCH_CHECK_ROWS ?? 35_000),
      planted: Number(env.BENCH_CHECK_PLANTED ?? 700),
      seed: 327,
      serverUrl,
    });
    console.log(reportCheck(r));
    results.push(r);
  }
  const file = new URL(`./results/check-${driver}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), results }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportPhoto(r: PhotoBenchResult): string {
  const u = r.upload;
  const m = u.memory;
  return [
    `photos on ${r.driver}, ${r.cases.toLocaleString('en')} cases`,
    `  upload of ${(u.bytes / 2 ** 20).toFixed(1)} MB (${u.width}×${u.height}): ${u.seconds.toFixed(2)} s; RSS ${m.baselineRssMb.toFixed(0)} MB before, ${m.sampledPeakRssMb.toFixed(0)} MB at most during it (+${m.costMb.toFixed(0)} MB); process peak ${m.processPeakRssMb.toFixed(0)} MB${m.uploadRaisedPeak ? ' (set by the upload)' : ''}; stored ${(u.storedBytes.image / 1024).toFixed(0)} KB + thumbnail ${(u.storedBytes.thumbnail / 1024).toFixed(0)} KB`,
    `  case show with 4 photos (${(r.show.filesBytes / 1024).toFixed(0)} KB of files): p50 ${ms(r.show.withPhotos.p50)}  p99 ${ms(r.show.withPhotos.p99)}; without a photo: p50 ${ms(r.show.withoutPhoto.p50)}  p99 ${ms(r.show.withoutPhoto.p99)} (${r.show.runs} runs each)`,
  ].join('\n');
}

if (selected('photo:pglite')) {
  const r = await benchPhoto({ cases: Number(env.BENCH_PHOTO_CASES ?? 10_000), shows: Number(env.BENCH_PHOTO_SHOWS ?? 100) });
  console.log(reportPhoto(r));
  const file = new URL('./results/photo-pglite.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}

function reportTiming(t: CommandTiming): string {
  const rss = t.maxRssMb ? `  max RSS p50 ${t.maxRssMb.p50.toFixed(0)} MB, max ${t.maxRssMb.max.toFixed(0)} MB` : '';
  return `  ${t.command.padEnd(56)} p50 ${ms(t.wall.p50)}  max ${ms(t.wall.max)}${rss}`;
}

if (selected('startup')) {
  const r = await benchStartup({ runs: Number(env.BENCH_STARTUP_RUNS ?? 5), cases: Number(env.BENCH_STARTUP_CASES ?? 3000) });
  console.log(
    [
      `startup at ${r.commit} (entry point runs the ${r.entry}), ${r.help.wall.n} runs each; demo data: ${r.cases.toLocaleString('en')} cases, seeded in ${r.seedSeconds.toFixed(1)} s`,
      ...[r.help, r.exec, r.startFirst, r.startRestart, r.consoleFirst, r.consoleRestart].flatMap((t) => (t ? [reportTiming(t)] : [])),
    ].join('\n'),
  );
  const file = new URL('./results/startup.json', import.meta.url);
  writeFileSync(file, `${JSON.stringify({ machine, at: new Date().toISOString(), result: r }, null, 2)}\n`);
  console.log(`written to ${file.pathname}`);
}
