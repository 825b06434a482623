import { pino } from 'pino';
import { commands } from '../commands/index.ts';
import { createMemoryDb, type DbHandle } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import type { Reply } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { analyzeAll, countRows, hitRequestsOfCheck } from '../src/repositories/bench-data.ts';
import { insertCases } from '../src/repositories/cases.ts';
import { insertMember } from '../src/repositories/members.ts';
import { insertUnit } from '../src/repositories/units.ts';
import { createRandom, type Random } from '../src/services/demo-data.ts';
import { openKeptServerDb } from './databases.ts';
import { generateQualityCase, QUALITY_UNITS, qualityCaseFields, qualityIndex, type QualityCase } from './search-quality/data.ts';

/**
 * `case check` through the dispatcher: a list of people (a custody facility's intake over some
 * months, say) as a CSV file, checked against every wanted case. The wanted cases are the
 * search-quality benchmark's realistic roll, with national IDs for most and a hometown; the list is
 * people drawn from the same name frequencies with another seed (so that namesakes of wanted people
 * occur as often as they would), among them a few wanted people written as lists write them: the
 * name as recorded or without diacritics, with a typo, the middle name left out, the birth year one
 * off, or only the ID number right. Reports the time, the process's peak memory, and how many of the
 * planted people were found and sent to confirm.
 */

const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const BATCH = 2_000;
const PROVINCES = [
  'Hà Nội',
  'TP Hồ Chí Minh',
  'Hải Phòng',
  'Đà Nẵng',
  'Cần Thơ',
  'Nghệ An',
  'Thanh Hóa',
  'Nam Định',
  'Bắc Ninh',
  'Đồng Nai',
];
const PROVINCE_CODE = ['001', '079', '031', '048', '092', '040', '038', '036', '027', '075'];

export interface CheckBenchResult {
  driver: 'pglite' | 'postgres';
  cases: number;
  rows: number;
  planted: number;
  loadSeconds: number | null;
  /** From the file's bytes to the answer, through the dispatcher (reading, matching, writing requests, audit, commit). */
  seconds: number;
  rowsPerSecond: number;
  /**
   * RSS before the check (after loading, collected), and the process's peak RSS after it (the
   * kernel's high-water mark, which sampling between turns of the event loop would miss while the
   * list is matched); `checkRaisedPeak` says whether the check set that peak.
   */
  memory: { baselineRssMb: number; peakRssMb: number; checkRaisedPeak: boolean; heapUsedAfterMb: number };
  found: {
    candidates: number;
    requests: number;
    certain: number;
    /** Planted people whose case was among their row's candidates, and among the requests. */
    plantedAsCandidate: number;
    plantedAsRequest: number;
    /** Requests for a row that is not a planted wanted person, or for another case than the planted one. */
    otherRequests: number;
  };
}

interface WantedRecord extends QualityCase {
  nationalId: string | null;
  hometown: string;
}

/** A 12-digit CCCD: province, century and sex, the two last digits of the year, six more. */
function cccd(random: Random, province: number, birthYear: number, female: boolean): string {
  const century = (birthYear >= 2000 ? 2 : 0) + (female ? 1 : 0);
  return `${PROVINCE_CODE[province]}${century}${String(birthYear % 100).padStart(2, '0')}${String(random.int(0, 999_999)).padStart(6, '0')}`;
}

function wantedRecords(cases: number, seed: number): WantedRecord[] {
  const random = createRandom(seed);
  const extra = createRandom(seed + 1);
  return Array.from({ length: cases }, (_, i) => {
    const c = generateQualityCase(random, i);
    const province = extra.int(0, PROVINCES.length - 1);
    return { ...c, nationalId: extra.chance(0.7) ? cccd(extra, province, c.birthYear, c.female) : null, hometown: PROVINCES[province]! };
  });
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
function typo(random: Random, word: string): string {
  const letters = [...fold(word).toLowerCase()];
  const at = random.int(0, letters.length - 1);
  const kind = random.int(0, 2);
  if (kind === 0 && letters.length > 2) letters.splice(at, 1);
  else if (kind === 1) letters.splice(at, 0, 'abcdeghiklmnopqrstuvxy'[random.int(0, 21)]!);
  else letters[at] = 'abcdeghiklmnopqrstuvxy'[random.int(0, 21)]!;
  return letters.join('');
}

interface ListRow {
  name: string;
  birth: string;
  id: string;
  hometown: string;
  /** The wanted case this row stands for, or -1. */
  planted: number;
}

/**
 * `rows` people, `planted` of them wanted ones written as lists write them. The others come from
 * the same generator with another seed, and never carry a wanted person's ID.
 */
function makeList(wanted: readonly WantedRecord[], input: { rows: number; planted: number; seed: number }): ListRow[] {
  const random = createRandom(input.seed);
  const people = createRandom(input.seed + 7);
  const ids = new Set(wanted.map((w) => w.nationalId).filter(Boolean));
  const rows: ListRow[] = [];
  for (let i = 0; i < input.rows - input.planted; i++) {
    const p = generateQualityCase(people, i);
    const province = random.int(0, PROVINCES.length - 1);
    let id = random.chance(0.8) ? cccd(random, province, p.birthYear, p.female) : '';
    while (ids.has(id)) id = cccd(random, province, p.birthYear, p.female);
    rows.push({
      name: p.fullName,
      birth: random.chance(0.6) ? `${random.int(1, 28)}/${random.int(1, 12)}/${p.birthYear}` : String(p.birthYear),
      id,
      hometown: random.chance(0.7) ? PROVINCES[province]! : '',
      planted: -1,
    });
  }
  for (let i = 0; i < input.planted; i++) {
    const target = random.int(0, wanted.length - 1);
    const w = wanted[target]!;
    const kind = random.weighted([
      ['as recorded', 35],
      ['no diacritics', 20],
      ['typo', 15],
      ['middle left out', 10],
      ['year one off', 10],
      ['id only', 10],
    ] as const);
    let name = w.fullName;
    if (kind === 'no diacritics') name = fold(name);
    if (kind === 'typo') name = [...w.words.slice(0, -1), typo(random, w.words.at(-1)!)].join(' ');
    if (kind === 'middle left out' && w.words.length >= 3) name = `${w.words[0]} ${w.words.at(-1)}`;
    if (kind === 'id only') name = generateQualityCase(people, input.rows + i).fullName;
    const year = kind === 'year one off' ? w.birthYear + (random.chance(0.5) ? 1 : -1) : w.birthYear;
    rows.push({
      name,
      birth: String(year),
      id: kind === 'id only' ? (w.nationalId ?? '') : random.chance(0.5) ? (w.nationalId ?? '') : '',
      hometown: random.chance(0.5) ? w.hometown : '',
      planted: kind === 'id only' && !w.nationalId ? -1 : target,
    });
  }
  // The planted people anywhere in the list, not at its end.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}

const csvCell = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
function toCsv(rows: readonly ListRow[]): Uint8Array {
  const lines = [
    'STT;Họ và tên;Ngày sinh;Số CCCD;Quê quán',
    ...rows.map((r, i) => [String(i + 1), r.name, r.birth, r.id, r.hometown].map(csvCell).join(';')),
  ];
  return new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`);
}

async function loadWanted(handle: DbHandle, wanted: readonly WantedRecord[]): Promise<number> {
  const start = Date.now();
  const unitIds: number[] = [];
  for (const [i, u] of QUALITY_UNITS.entries()) {
    unitIds.push((await insertUnit(handle.db, { code: u.code, name: u.name, parentId: i === 0 ? null : unitIds[0]! })).id);
  }
  await insertMember(handle.db, { handle: 'bench.officer', displayName: 'Bench', role: 'officer', unitId: unitIds[0]!, locale: 'vi' });
  for (let done = 0; done < wanted.length; done += BATCH) {
    await insertCases(
      handle.db,
      wanted
        .slice(done, done + BATCH)
        .map((w) => ({ ...qualityCaseFields(w, unitIds[w.unit]!), nationalId: w.nationalId, hometown: w.hometown })),
    );
    if ((done + BATCH) % 100_000 === 0) process.stderr.write(`  loaded ${(done + BATCH).toLocaleString('en')} cases\n`);
  }
  await analyzeAll(handle.db);
  return (Date.now() - start) / 1000;
}

export async function benchCheck(input: {
  driver: 'pglite' | 'postgres';
  cases: number;
  rows: number;
  planted: number;
  seed: number;
  serverUrl?: string;
}): Promise<CheckBenchResult> {
  const wanted = wantedRecords(input.cases, input.seed);
  let handle: DbHandle;
  let loadSeconds: number | null;
  if (input.driver === 'pglite') {
    handle = await createMemoryDb();
    await migrateDb(handle);
    loadSeconds = await loadWanted(handle, wanted);
  } else {
    ({ handle, loadSeconds } = await openKeptServerDb(input.serverUrl!, {
      name: `casedesk_check_${input.cases}_${input.seed}`,
      cases: input.cases,
      poolMax: 4,
      load: (h) => loadWanted(h, wanted),
    }));
  }
  try {
    const list = makeList(wanted, { rows: input.rows, planted: input.planted, seed: input.seed + 100 });
    const data = toCsv(list);
    const dispatcher = createDispatcher({
      db: handle.db,
      commands,
      locale: 'vi',
      timeZone: TIME_ZONE,
      logger: pino({ level: 'error' }, pino.destination(2)),
      turn: handle.turn,
    });
    const answers: ReplyMessage[] = [];
    const reply: Reply = { canBePrivate: true, send: async (m) => void answers.push(m) };
    const checksBefore = await countRows(handle.db, { table: 'checks' });

    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const start = performance.now();
    const result = await dispatcher.dispatch(
      {
        id: `bench:check:${Date.now()}`,
        actor: { platform: 'console', workspaceId: 'local', userId: 'bench.officer' },
        channel: { id: 'bench', isPrivate: true },
        input: { kind: 'options', command: 'case check', options: { file: 'list.csv' } },
        openFile: () => ({ name: 'list.csv', size: data.length, read: async () => data }),
      },
      reply,
    );
    const seconds = (performance.now() - start) / 1000;
    const peakAfter = process.resourceUsage().maxRSS * 1024;
    const heapAfter = process.memoryUsage().heapUsed;
    if (result.outcome !== 'ok')
      throw new Error(`case check: ${result.outcome} ${result.code ?? ''} ${JSON.stringify(answers.at(-1)?.blocks ?? null)}`);
    if ((await countRows(handle.db, { table: 'checks' })) !== checksBefore + 1) throw new Error('case check made no check');

    // What the result file says, row by row: the file's row number is its line (header is 1).
    const file = answers.at(-1)!.files![0]!;
    const lines = new TextDecoder()
      .decode(file.data)
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .slice(1)
      .filter(Boolean);
    const candidatesByRow = new Map<number, Set<number>>();
    for (const line of lines) {
      const cells = line.split(',');
      const row = Number(cells[0]);
      const code = cells.find((c) => /^SQ-\d{7}$/.test(c));
      if (code) candidatesByRow.set(row, (candidatesByRow.get(row) ?? new Set()).add(qualityIndex(code)));
    }
    const requests = await hitRequestsOfCheck(handle.db, { invocationPrefix: 'bench:check:' });
    const plantedOf = (line: number) => list[line - 2]?.planted ?? -1;
    const plantedRows = list.flatMap((r, i) => (r.planted >= 0 ? [{ line: i + 2, target: r.planted }] : []));
    const requested = new Set(requests.map((r) => `${r.line}|${qualityIndex(r.code)}`));
    return {
      driver: input.driver,
      cases: input.cases,
      rows: input.rows,
      planted: plantedRows.length,
      loadSeconds,
      seconds,
      rowsPerSecond: input.rows / seconds,
      memory: {
        baselineRssMb: baselineRss / 2 ** 20,
        peakRssMb: peakAfter / 2 ** 20,
        checkRaisedPeak: peakAfter > peakBefore,
        heapUsedAfterMb: heapAfter / 2 ** 20,
      },
      found: {
        candidates: [...candidatesByRow.values()].reduce((n, s) => n + s.size, 0),
        requests: requests.length,
        certain: requests.filter((r) => r.certain).length,
        plantedAsCandidate: plantedRows.filter((p) => candidatesByRow.get(p.line)?.has(p.target)).length,
        plantedAsRequest: plantedRows.filter((p) => requested.has(`${p.line}|${p.target}`)).length,
        otherRequests: requests.filter((r) => plantedOf(r.line) !== qualityIndex(r.code)).length,
      },
    };
  } finally {
    await handle.close();
  }
}
