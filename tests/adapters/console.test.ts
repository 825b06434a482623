import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import type { ReplyMessage } from '../../src/domain/reply.ts';
import { renderMarkdown, renderText } from '../../src/adapters/console/render.ts';
import { runConsole } from '../../src/adapters/console/console-adapter.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'officer', role: 'officer', unit: 'C06' });
});
afterAll(() => t.close());

async function chat(lines: string, handle = 'officer') {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (c) => (written += c));
  const dispatcher = createDispatcher({
    db: t.db,
    commands,
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
  const done = runConsole({ dispatcher, input, output, handle });
  // Everything at once, as a pipe delivers it.
  input.end(lines);
  const results = await done;
  return { results, written };
}

describe('console adapter', () => {
  it('answers piped lines in order, each before the next, and ignores blanks and comments', async () => {
    await makeCase(t.db, { code: 'TN-2020-000001', fullName: 'Nguyễn Văn Đức', unit: 'CA-HN' });
    const { results, written } = await chat('whoami\n\n# a comment\ncase find nguyen van duc\ncase show TN-2020-000001\n');
    expect(results.map((r) => r.command)).toEqual(['whoami', 'case find', 'case show']);
    const who = written.indexOf('Member:');
    const found = written.indexOf('Results for "nguyen van duc" (1)');
    const shown = written.indexOf('Case TN-2020-000001');
    expect(who).toBeGreaterThanOrEqual(0);
    expect(found).toBeGreaterThan(who);
    expect(shown).toBeGreaterThan(found);
    expect(written).toContain('- TN-2020-000001 · Nguyễn Văn Đức');
  });

  it('suggests the command meant for a typo, naming a wrong subcommand as such', async () => {
    const { written } = await chat('cse find duc\ncase fnd duc\n');
    expect(written).toContain('There is no such command. Did you mean `case find`?');
    expect(written).toContain('`case` has no subcommand `fnd`. Did you mean `case find`? Subcommands: find, show,');
  });

  it("shows a command's options in help with one colon each", async () => {
    const { written } = await chat('help case find\n');
    expect(written).toContain('case find <text…> [status:wanted|arrested|surrendered|cleared|cancelled]');
    expect(written).toMatch(/^status: +only cases with this status/m);
    expect(written).toMatch(/^text: +/m);
    expect(written).not.toContain('::');
  });

  it('stops at exit', async () => {
    const { results } = await chat('whoami\nexit\nwhoami\n');
    expect(results).toHaveLength(1);
  });

  it('prints case data literally, without mentions, markup or terminal control taking effect', async () => {
    await makeCase(t.db, {
      code: 'TN-2020-000002',
      fullName: 'Lê \u001b[2J\u001b]0;pwned\u0007Văn @everyone <@123> <!channel> **Tám** <b>x</b>',
      unit: 'CA-HN',
    });
    const { written } = await chat('case show TN-2020-000002\n');
    expect(written).toContain('Lê Văn @everyone <@123> <!channel> **Tám** <b>x</b>');
    expect(written).not.toMatch(/\u001b/);
    expect(written).not.toContain('pwned');
  });
});

describe('renderText', () => {
  const message: ReplyMessage = {
    personal: false,
    title: 'Title',
    blocks: [
      { kind: 'text', text: 'Plain text' },
      {
        kind: 'fields',
        fields: [
          { label: 'Short', value: 'one' },
          { label: 'Much longer', value: 'two\nlines' },
        ],
      },
      { kind: 'list', items: ['first', 'second'] },
      { kind: 'list', items: ['a', 'b'], ordered: true },
      { kind: 'code', text: 'case find <text>' },
    ],
    actions: [{ label: 'Done', command: 'followup done', options: { id: '7' } }],
  };

  it('renders every block kind and action', () => {
    expect(renderText(message)).toBe(
      [
        'Title',
        'Plain text',
        'Short:       one',
        'Much longer: two',
        '             lines',
        '- first',
        '- second',
        '1. a',
        '2. b',
        '    case find <text>',
        '[Done] → followup done 7',
      ].join('\n'),
    );
  });
});

describe('renderMarkdown', () => {
  it('renders every block kind, muted text in italics, and leaves the actions out', () => {
    const message: ReplyMessage = {
      personal: false,
      title: 'Title',
      blocks: [
        { kind: 'text', text: 'Plain text' },
        { kind: 'text', text: 'An aside', tone: 'muted' },
        { kind: 'fields', fields: [{ label: 'Short', value: 'one' }] },
        { kind: 'list', items: ['first', 'second'] },
        { kind: 'list', items: ['a', 'b'], ordered: true },
        { kind: 'code', text: 'case find <text>' },
      ],
      actions: [{ label: 'Done', command: 'followup done', options: { id: '7' } }],
    };
    expect(renderMarkdown(message)).toBe(
      [
        '## Title',
        '',
        'Plain text',
        '',
        '_An aside_',
        '',
        '- **Short**: one',
        '',
        '- first',
        '- second',
        '',
        '1. a',
        '2. b',
        '',
        '```',
        'case find <text>',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('shows case data as written: emphasis, links, HTML, tables and a leading # or > do not take effect', () => {
    const message: ReplyMessage = {
      personal: false,
      title: '# *T*',
      blocks: [{ kind: 'text', text: '> **b** [l](x) <b> a|b ~s~ `c` \\\n#h' }],
    };
    expect(renderMarkdown(message)).toBe(
      ['## \\# \\*T\\*', '', '\\> \\*\\*b\\*\\* \\[l\\](x) \\<b\\> a\\|b \\~s\\~ \\`c\\` \\\\', '\\#h', ''].join('\n'),
    );
  });
});
