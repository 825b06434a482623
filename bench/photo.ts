import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { commands } from '../commands/index.ts';
import { createMemoryDb } from '../db/client.ts';
import { migrateDb } from '../db/migrate.ts';
import { createDispatcher } from '../src/core/dispatcher.ts';
import type { Invocation, Reply } from '../src/core/invocation.ts';
import type { ReplyMessage } from '../src/domain/reply.ts';
import { insertCases, type CaseFields } from '../src/repositories/cases.ts';
import { insertMember } from '../src/repositories/members.ts';
import { insertUnit } from '../src/repositories/units.ts';
import { PHOTO_LIMITS } from '../src/services/images.ts';
import { summarise, type Summary } from './stats.ts';

/**
 * Photos on the embedded database, through the dispatcher: what an upload of nearly 10 MB (a
 * 12-megapixel JPEG of camera noise, which compresses badly, as a phone's photo of a dim room does)
 * costs in time and memory to check, re-encode and store; then `case show` of a case with photos
 * (the newest, the large one, in full and thumbnails of three more) beside
 * `case show` of a case without one.
 */

export interface PhotoBenchResult {
  driver: 'pglite';
  cases: number;
  upload: {
    bytes: number;
    width: number;
    height: number;
    /** From the bytes to the answer: reading, decoding, re-encoding, storing, audit, commit. */
    seconds: number;
    /** Stored: the bounded copy and its thumbnail. */
    storedBytes: { image: number; thumbnail: number };
    /**
     * RSS just before (collected), the highest RSS sampled every 2 ms while it ran, and the
     * process's peak RSS after it (the kernel's high-water mark); `uploadRaisedPeak` says whether
     * the upload set that peak.
     */
    memory: { baselineRssMb: number; sampledPeakRssMb: number; costMb: number; processPeakRssMb: number; uploadRaisedPeak: boolean };
  };
  show: { runs: number; withPhotos: Summary; withoutPhoto: Summary; filesBytes: number };
}

const MiB = 1024 * 1024;

/**
 * A JPEG of noise just under the upload limit, made in a child process: made here, its decoding
 * buffers would raise this process's memory high-water mark before the upload is measured, and the
 * upload would then reuse them unseen.
 */
function bigUpload(): { data: Buffer; width: number; height: number } {
  const [width, height] = [4000, 3000];
  const script = `
    import sharp from 'sharp';
    for (const quality of [96, 92, 88, 84, 80]) {
      const data = await sharp({ create: { width: ${width}, height: ${height}, channels: 3, background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg({ quality }).toBuffer();
      if (data.length <= ${PHOTO_LIMITS.bytes}) { writeFileSync(process.argv[1], data); process.exit(0); }
    }
    process.exit(1);`;
  const folder = mkdtempSync(join(tmpdir(), 'casedesk-photo-bench-'));
  const file = join(folder, 'upload.jpg');
  try {
    execFileSync(process.execPath, ['--input-type=module', '-e', `import { writeFileSync } from 'node:fs';${script}`, file]);
    return { data: readFileSync(file), width, height };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export async function benchPhoto(input: { cases: number; shows: number }): Promise<PhotoBenchResult> {
  const handle = await createMemoryDb();
  await migrateDb(handle);
  const db = handle.db;
  const unit = await insertUnit(db, { code: 'CA-HN', name: 'Công an TP Hà Nội', parentId: null });
  await insertMember(db, { handle: 'bench.officer', displayName: 'Bench', role: 'officer', unitId: unit.id, locale: 'en' });
  const rows: CaseFields[] = Array.from({ length: input.cases }, (_, i) => ({
    code: `TN-2020-${String(i + 1).padStart(6, '0')}`,
    fullName: `Đối Tượng ${i + 1}`,
    danger: 'normal',
    status: 'wanted',
    wantedOn: '2020-03-15',
    unitId: unit.id,
  }));
  for (let i = 0; i < rows.length; i += 2000) await insertCases(db, rows.slice(i, i + 2000));
  const dispatcher = createDispatcher({
    db,
    commands,
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'error' }, pino.destination(2)),
    turn: handle.turn,
  });
  let n = 0;
  const run = async (line: string, files: Record<string, Uint8Array> = {}) => {
    const answers: ReplyMessage[] = [];
    const reply: Reply = { canBePrivate: true, send: async (m) => void answers.push(m) };
    const invocation: Invocation = {
      id: `bench:photo:${++n}`,
      actor: { platform: 'console', workspaceId: 'local', userId: 'bench.officer' },
      channel: { id: 'bench', isPrivate: true },
      input: { kind: 'text', line },
      openFile: (name) => {
        const data = files[name];
        return data && { name, size: data.length, read: async () => data };
      },
    };
    const result = await dispatcher.dispatch(invocation, reply);
    if (result.outcome !== 'ok') throw new Error(`${line}: ${result.outcome} ${JSON.stringify(answers.at(-1)?.blocks ?? null)}`);
    return answers.at(-1)!;
  };

  const code = rows[0]!.code;
  for (const colour of ['#aa3300', '#0033aa', '#33aa00']) {
    const small = await sharp({ create: { width: 1200, height: 900, channels: 3, background: colour } })
      .jpeg()
      .toBuffer();
    await run(`case info ${code} photo file:small.jpg`, { 'small.jpg': small });
  }
  // The large upload comes last, so that case show attaches its copy in full.
  const upload = bigUpload();
  global.gc?.();
  const baselineRss = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  let sampled = baselineRss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 2);
  const start = performance.now();
  await run(`case info ${code} photo file:upload.jpg`, { 'upload.jpg': upload.data });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const peakAfter = process.resourceUsage().maxRSS * 1024;

  const shown = await run(`case show ${code}`);
  const files = shown.files ?? [];
  if (files.length !== 4) throw new Error(`case show attached ${files.length} files, not 4`);
  const withPhotos: number[] = [];
  const withoutPhoto: number[] = [];
  for (let i = 0; i < input.shows; i++) {
    let t = performance.now();
    await run(`case show ${code}`);
    withPhotos.push(performance.now() - t);
    t = performance.now();
    await run(`case show ${rows[1]!.code}`);
    withoutPhoto.push(performance.now() - t);
  }
  await handle.close();
  return {
    driver: 'pglite',
    cases: input.cases,
    upload: {
      bytes: upload.data.length,
      width: upload.width,
      height: upload.height,
      seconds,
      storedBytes: { image: files[0]!.data.byteLength, thumbnail: files[1]!.data.byteLength },
      memory: {
        baselineRssMb: baselineRss / MiB,
        sampledPeakRssMb: sampled / MiB,
        costMb: (sampled - baselineRss) / MiB,
        processPeakRssMb: peakAfter / MiB,
        uploadRaisedPeak: peakAfter > peakBefore,
      },
    },
    show: {
      runs: input.shows,
      withPhotos: summarise(withPhotos),
      withoutPhoto: summarise(withoutPhoto),
      filesBytes: files.reduce((sum, f) => sum + f.data.byteLength, 0),
    },
  };
}
