import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvFileError, loadConfig, loadEnvFile } from '../../src/config.ts';
import { commanderText } from '../../src/cli/main.ts';
import { createLogger, prettyLogStream } from '../../src/logger.ts';
import { cli, CASEDESK_FROM_SOURCES } from '../support/cli.ts';
import { testDriver } from '../support/db.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'casedesk-program-'));

describe('.env', () => {
  it('fills what the environment lacks, and the environment wins over the file', () => {
    const dir = folder();
    writeFileSync(
      join(dir, '.env'),
      '# settings\nCASEDESK_LOCALE=en\nexport TZ = "Asia/Bangkok"\nLOG_LEVEL=debug\nSLACK_NOTE="two\nlines"\n',
    );
    const env: Record<string, string | undefined> = { LOG_LEVEL: 'error' };
    expect(loadEnvFile(join(dir, '.env'), env).sort()).toEqual(['CASEDESK_LOCALE', 'SLACK_NOTE', 'TZ']);
    expect(env).toEqual({ LOG_LEVEL: 'error', CASEDESK_LOCALE: 'en', TZ: 'Asia/Bangkok', SLACK_NOTE: 'two\nlines' });
    expect(loadConfig(env)).toMatchObject({ locale: 'en', timeZone: 'Asia/Bangkok', logLevel: 'error' });
  });

  it('is optional', () => {
    const env = {};
    expect(loadEnvFile(join(folder(), '.env'), env)).toEqual([]);
    expect(env).toEqual({});
  });

  it('refuses a line that is not NAME=value, naming the line and never its text', () => {
    const dir = folder();
    writeFileSync(join(dir, '.env'), 'CASEDESK_LOCALE=en\n\nDATABASE_URL postgres://casedesk:s3cret@db/casedesk\nTZ=UTC\n');
    expect(() => loadEnvFile(join(dir, '.env'), {})).toThrow(EnvFileError);
    const env = {};
    let thrown: unknown;
    try {
      loadEnvFile(join(dir, '.env'), env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvFileError);
    expect((thrown as EnvFileError).problem).toEqual({ line: 3 });
    expect((thrown as Error).message).not.toContain('s3cret');
    // Nothing of a bad file is taken.
    expect(env).toEqual({});
  });

  it('validates LOG_FORMAT', () => {
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT: must be json/);
  });
});

describe('logs for a person', () => {
  it('are one line with time, level, message and the bound fields, the error under it, its parameters still left out', () => {
    const lines: string[] = [];
    const logger = createLogger('info', prettyLogStream({ write: (line: string) => lines.push(line) }));
    logger.child({ platform: 'discord' }).warn({ attempt: 2, reason: 'rate limited' }, 'could not stop');
    const failed = Object.assign(new Error('Failed query: insert into notes (text) values ($1)\nparams: CCCD 001085012345'), {
      query: 'insert into notes (text) values ($1)',
      params: ['CCCD 001085012345'],
    });
    logger.error({ err: failed, reference: 'E7K2' }, 'command failed');
    logger.debug('not shown');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}could not stop platform=discord attempt=2 reason="rate limited"\n$/);
    expect(lines[1]).toMatch(
      /^\d\d:\d\d:\d\d ERROR command failed reference=E7K2\n {4}Error: Failed query: insert into notes \(text\) values \(\$1\)\n/,
    );
    expect(lines.join('')).not.toContain('001085012345');
  });
});

describe("the command line's own words", () => {
  it('follow CASEDESK_LOCALE in help and errors, and suggest the command meant', async () => {
    const vi = await cli(['--help'], { env: { CASEDESK_LOCALE: 'vi' } });
    expect(vi.stdout).toContain('Cách dùng: casedesk');
    expect(vi.stdout).toContain('Lệnh:');
    expect(vi.stdout).toMatch(/seed \[options\]\s+nạp dữ liệu giả lập/);
    const en = await cli(['--help'], { env: { CASEDESK_LOCALE: 'en' } });
    expect(en.stdout).toContain('Usage: casedesk');
    expect(en.stdout).toMatch(/seed \[options\]\s+fill an empty database/);
    // Listed though its module loads only when named, and complete when named.
    expect(en.stdout).toMatch(/digest\s+the steering committee's progress digest/);
    const digest = await cli(['digest', '--help'], { env: { CASEDESK_LOCALE: 'en' } });
    expect(digest.stdout).toContain('schedule');

    const typo = await cli(['sed'], { env: { CASEDESK_LOCALE: 'vi' } });
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("lỗi: không có lệnh 'sed'");
    expect(typo.stderr).toContain('(Có phải bạn muốn gõ seed?)');
    const typoEn = await cli(['sed'], { env: { CASEDESK_LOCALE: 'en' } });
    expect(typoEn.stderr).toContain("error: unknown command 'sed'");
    expect(typoEn.stderr).toContain('(Did you mean seed?)');
  });

  it('describes every command, argument and option in Vietnamese as well as in English', async () => {
    const visited: string[] = [];
    const problems: string[] = [];
    // Walks the whole tree from `casedesk --help`, each command's help rendered in both languages.
    const walk = async (path: string[]): Promise<void> => {
      const vi = parseHelp((await cli([...path, '--help'], { env: { CASEDESK_LOCALE: 'vi' } })).stdout, 'vi');
      const en = parseHelp((await cli([...path, '--help'], { env: { CASEDESK_LOCALE: 'en' } })).stdout, 'en');
      const where = ['casedesk', ...path].join(' ');
      visited.push(where);
      const compare = (what: string, viText: string | undefined, enText: string) => {
        if (viText === undefined) problems.push(`${where}: ${what} is missing from the Vietnamese help`);
        else if (viText === enText) problems.push(`${where}: ${what} is English only: "${enText}"`);
        else if (!VIETNAMESE_LETTER.test(viText)) problems.push(`${where}: ${what} does not read as Vietnamese: "${viText}"`);
      };
      compare('the description', vi.description, en.description);
      for (const [term, enText] of en.entries) compare(`"${term}"`, vi.entries.get(term), enText);
      for (const name of en.commands) {
        const sub = [...path, name];
        await walk(sub);
        // The list of commands says what the command's own help says (digest's stand-in included).
        for (const [locale, parsed] of [
          ['vi', vi],
          ['en', en],
        ] as const) {
          const listed = [...parsed.entries].find(([term]) => term.split(' ')[0] === name)?.[1];
          const own = parseHelp((await cli([...sub, '--help'], { env: { CASEDESK_LOCALE: locale } })).stdout, locale).description;
          if (listed !== own) problems.push(`${where}: "${name}" is listed (${locale}) as "${listed}" but describes itself as "${own}"`);
        }
      }
    };
    await walk([]);
    expect(problems).toEqual([]);
    // The walk reached the leaves of every group, so that a forgotten description had nowhere to hide.
    expect(visited).toEqual(
      expect.arrayContaining([
        'casedesk audit export',
        'casedesk db roles',
        'casedesk digest show',
        'casedesk digest schedule add',
        'casedesk digest schedule remove',
        'casedesk digest run-schedules',
        'casedesk units channel',
        'casedesk members unlink',
        'casedesk discord deploy',
        'casedesk export cases',
        'casedesk import cases',
        'casedesk jobs run',
        'casedesk meeting minutes',
        'casedesk seed',
        'casedesk start',
      ]),
    );
  }, 120_000);

  it("says commander's words after a description in Vietnamese, wrapped or not", async () => {
    const vi = (await cli(['digest', 'schedule', 'add', '--help'], { env: { CASEDESK_LOCALE: 'vi' } })).stdout;
    // Wrapped over three lines, the choices and the default still read in Vietnamese.
    expect(vi.replace(/\s+/g, ' ')).toMatch(/ kỳ báo cáo của mỗi lần gửi \(chọn một trong: "week", [^)]*, mặc định: "ytd"\) /);
    expect(vi).not.toMatch(/choices|default:/);
    const bad = await cli(['meeting', 'minutes', '1', '--format', 'pdf'], { env: { CASEDESK_LOCALE: 'vi' } });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("lỗi: tùy chọn '--format <format>' không nhận giá trị 'pdf'; chọn một trong: text, markdown, json.");
    const job = await cli(['jobs', 'run', 'vacuum'], { env: { CASEDESK_LOCALE: 'vi' } });
    expect(job.stderr).toContain("lỗi: đối số 'name' không nhận giá trị 'vacuum'; chọn một trong: housekeeping, hit-ladder.");
  });

  it("translates commander's other errors", () => {
    expect(commanderText("error: required option '--as <handle>' not specified\n", 'vi')).toBe(
      "lỗi: thiếu tùy chọn bắt buộc '--as <handle>'\n",
    );
    expect(commanderText("error: too many arguments for 'list'. Expected 0 arguments but got 1.\n", 'vi')).toBe(
      "lỗi: quá nhiều đối số cho lệnh 'list': cần 0, nhận được 1.\n",
    );
    expect(commanderText("error: unknown option '--x'\n", 'en')).toBe("error: unknown option '--x'\n");
  });
});

// Programs on the embedded database, run from their sources: what a newcomer's terminal shows.
if (testDriver === 'pglite') {
  describe('as a program', () => {
    const run = (cwd: string, args: string[], env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [...CASEDESK_FROM_SOURCES, ...args], {
        cwd,
        env: { ...cleanEnv(), CASEDESK_DATA_DIR: join(cwd, 'data'), ...env },
        encoding: 'utf8',
      });

    it('reads .env in the working folder, the environment winning, and stops on a bad one with one line', () => {
      const dir = folder();
      writeFileSync(join(dir, '.env'), 'CASEDESK_LOCALE=en\n');
      expect(run(dir, ['units', 'list']).stdout).toBe('CODE  PARENT  NAME\n');
      expect(run(dir, ['units', 'list'], { CASEDESK_LOCALE: 'vi' }).stdout).toBe('MÃ  CẤP TRÊN  TÊN\n');
      writeFileSync(join(dir, '.env'), 'CASEDESK_LOCALE=en\nnot a setting\n');
      const bad = run(dir, ['units', 'list']);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toBe('casedesk: .env, dòng 2: cần có dạng TÊN=giá trị (tên biến, dấu "=", rồi giá trị); xem .env.example\n');
      expect(bad.stdout).toBe('');
    }, 120_000);

    it('keeps standard output for answers: logs go to standard error, JSON when it is not a terminal, none from exec by default', () => {
      const dir = folder();
      const migrate = run(dir, ['db', 'migrate'], { CASEDESK_LOCALE: 'en' });
      expect(migrate.status).toBe(0);
      expect(migrate.stdout).toMatch(/^Applied \d+ migration\(s\); the database is up to date \(pglite, [^\n]*\)\.\n$/);
      const logged = migrate.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logged).toEqual([expect.objectContaining({ level: 30, msg: 'migrations applied' })]);

      const console = run(dir, ['console'], { CASEDESK_LOCALE: 'en', LOG_FORMAT: 'json' });
      expect(console.stderr).toBe('');
      expect(console.stdout).not.toContain('{"level"');
      const exec = run(dir, ['exec', '--as', 'admin', 'whoami'], { CASEDESK_LOCALE: 'en' });
      expect(exec.status).toBe(0);
      expect(exec.stdout).toContain('Member:   Quản trị cục bộ (admin)');
      expect(exec.stderr).toBe('');
      const pretty = run(folder(), ['db', 'migrate'], { CASEDESK_LOCALE: 'en', LOG_FORMAT: 'pretty' });
      expect(pretty.stderr).toMatch(/^\d\d:\d\d:\d\d INFO {2}migrations applied applied=\d+ location=/);
    }, 120_000);

    it('ends quietly when its reader closes standard output early', async () => {
      const dir = folder();
      const lines = 'case find nguyen van duc\n'.repeat(300);
      const child = spawn(process.execPath, [...CASEDESK_FROM_SOURCES, 'console'], {
        cwd: dir,
        env: { ...cleanEnv(), CASEDESK_DATA_DIR: join(dir, 'data'), CASEDESK_LOCALE: 'en' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      // As `| head -1` does: read the first answer, then close the pipe.
      child.stdout.once('data', () => child.stdout.destroy());
      child.stdin.end(lines);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(code).toBe(0);
    }, 180_000);
  });
}

/** A letter only Vietnamese writes (a tone mark, a horned vowel, đ): text in Vietnamese has some. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/** Commander's own words after a description, said back in English so that only the description is compared. */
const HELP_EXTRAS_BACK: Array<[RegExp, string]> = [
  [/chọn một trong: /g, 'choices: '],
  [/mặc định: /g, 'default: '],
  [/giá trị khi bỏ trống: /g, 'preset: '],
  [/biến môi trường: /g, 'env: '],
];

/**
 * A command's help, as commander lays it out: the description under the usage line, then each
 * section's items (`  term  description`, wrapped lines indented under the description), joined
 * back into one line each. `commands` are the subcommands listed, without commander's `help`.
 */
function parseHelp(help: string, locale: 'vi' | 'en'): { description: string; entries: Map<string, string>; commands: string[] } {
  const back = (line: string) => (locale === 'vi' ? HELP_EXTRAS_BACK.reduce((s, [from, to]) => s.replace(from, to), line) : line);
  const blocks = help.trimEnd().split('\n\n');
  const description = /^\S.*:$/m.test(blocks[1]!.split('\n')[0]!) ? '' : blocks[1]!.split('\n').join(' ');
  const entries = new Map<string, string>();
  const commands: string[] = [];
  let last: string | undefined;
  for (const block of blocks.slice(description ? 2 : 1)) {
    const [heading, ...lines] = block.split('\n');
    const isCommands = heading === 'Commands:' || heading === 'Lệnh:';
    for (const line of lines) {
      const item = /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line);
      if (item) {
        last = item[1]!;
        entries.set(last, item[2]!);
        const name = last.split(' ')[0]!;
        if (isCommands && name !== 'help') commands.push(name);
      } else if (last !== undefined && /^ {3,}\S/.test(line)) {
        entries.set(last, `${entries.get(last)} ${line.trim()}`);
      } else {
        throw new Error(`unexpected help line: "${line}"`);
      }
    }
  }
  for (const [term, text] of entries) entries.set(term, back(text));
  return { description: back(description), entries, commands };
}

/** The environment without settings of the machine running the tests that would change what is checked. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(DATABASE_|LOG_|CASEDESK_|TEST_DATABASE_URL$)/.test(name)) env[name] = value;
  }
  return env;
}
