import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/client.ts';
import { CommandRegistry, defineCommand } from '../../src/core/command.ts';
import { createDispatcher } from '../../src/core/dispatcher.ts';
import { fail, ok } from '../../src/domain/result.ts';
import { text } from '../../src/i18n/text.ts';
import { openTestDb, type TestDb } from '../support/db.ts';
import { RecordingReply, createTestCore } from '../support/core.ts';
import { makeCase, makeMember, makeUnitTree } from '../factories/index.ts';

let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
});
beforeEach(async () => {
  await t.reset();
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'lead', role: 'lead', unit: 'C06' });
});
afterAll(() => t.close());

/** Test-only commands that misbehave on purpose. */
const writesThenFails = defineCommand({
  name: 'test writefail',
  nameVi: 'thử',
  description: text('thử', 'test'),
  minRole: 'viewer',
  writes: true,
  options: [],
  async run(ctx) {
    const written = await ctx.services.addUnit({ code: 'HALF-WRITTEN', name: 'x' });
    if (!written.ok) throw new Error('the test could not write its unit');
    return fail('conflict', text('xung đột', 'conflict'));
  },
});
const throws = defineCommand({
  name: 'test throw',
  nameVi: 'thử',
  description: text('thử', 'test'),
  minRole: 'viewer',
  writes: true,
  options: [],
  async run(ctx) {
    const written = await ctx.services.addUnit({ code: 'HALF-WRITTEN', name: 'x' });
    if (!written.ok) return fail('conflict', text('không ghi được', 'the test could not write its unit'));
    throw new Error('boom: a bug');
  },
});
const leaksPersonal = defineCommand({
  name: 'test personal',
  nameVi: 'thử',
  description: text('thử', 'test'),
  minRole: 'viewer',
  writes: false,
  options: [],
  run: async () => ok({ personal: true, toChannel: true, blocks: [{ kind: 'text', text: 'Nguyễn Văn Đức, 001085012345' }] }),
});

function testDispatcher() {
  return createDispatcher({
    db: t.db,
    commands: new CommandRegistry([writesThenFails, throws, leaksPersonal]),
    locale: 'en',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
}
const invocation = (id: string, line: string) => ({
  id,
  actor: { platform: 'console' as const, workspaceId: 'local', userId: 'lead' },
  channel: { id: 'c', isPrivate: false },
  input: { kind: 'text' as const, line },
});
const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe('dispatcher', () => {
  it('rolls back what a command wrote before answering a failure, and audits the failure', async () => {
    const reply = new RecordingReply();
    const result = await testDispatcher().dispatch(invocation('a', 'test writefail'), reply);
    expect(result).toMatchObject({ outcome: 'invalid', code: 'conflict' });
    expect(await queryRows(t.db, sql`select 1 from units where code = 'HALF-WRITTEN'`)).toEqual([]);
    expect(await queryRows(t.db, sql`select outcome, detail from audit_log`)).toEqual([{ outcome: 'invalid', detail: 'conflict' }]);
  });

  it('answers a bug with a reference id, rolls back, and audits the reference', async () => {
    const reply = new RecordingReply();
    const result = await testDispatcher().dispatch(invocation('b', 'test throw'), reply);
    expect(result.outcome).toBe('error');
    expect(result.reference).toMatch(/^E-[0-9A-F]{8}$/);
    expect(reply.text).toContain(result.reference);
    expect(reply.text).not.toContain('boom');
    expect(await queryRows(t.db, sql`select 1 from units where code = 'HALF-WRITTEN'`)).toEqual([]);
    expect(await queryRows(t.db, sql`select outcome, detail from audit_log`)).toEqual([{ outcome: 'error', detail: result.reference }]);
  });

  it('never sends personal data where the reply cannot be private, and never to the channel', async () => {
    const shared = new RecordingReply(false);
    await testDispatcher().dispatch(invocation('c', 'test personal'), shared);
    expect(shared.text).not.toContain('Nguyễn');
    expect(shared.text).toContain('direct message');
    const privateReply = new RecordingReply(true);
    await testDispatcher().dispatch(invocation('d', 'test personal'), privateReply);
    expect(privateReply.messages[0]).toMatchObject({ personal: true, toChannel: false });
  });

  it('gives the same invocation id one effect, even from two dispatchers at once', async () => {
    await makeCase(t.db, { code: 'TN-2020-000009', unit: 'CA-HN', wantedOn: '2020-01-01' });
    const core = createTestCore(t.db);
    const other = createTestCore(t.db);
    const [a, b] = await Promise.all([
      core.run('lead', 'case note TN-2020-000009 first', { id: 'slack:T1:trigger-1' }),
      other.run('lead', 'case note TN-2020-000009 first', { id: 'slack:T1:trigger-1' }),
    ]);
    expect([a.result.outcome, b.result.outcome].sort()).toEqual(['duplicate', 'ok']);
    expect(await count('case_events')).toBe(1);
    expect(await count('audit_log')).toBe(1);
    const again = await core.run('lead', 'case note TN-2020-000009 first', { id: 'slack:T1:trigger-1' });
    expect(again.result.outcome).toBe('duplicate');
    expect(again.reply.messages).toEqual([]);
  });

  it('refuses a line holding a NUL or another control character as invalid, and audits it', async () => {
    await makeCase(t.db, { code: 'TN-2020-000009', unit: 'CA-HN', wantedOn: '2020-01-01' });
    const core = createTestCore(t.db);
    const nul = await core.run('lead', 'case note TN-2020-000009 a\u0000b');
    expect(nul.result).toEqual({ outcome: 'invalid', code: 'invalid', command: 'case note' });
    expect(nul.reply.text).toBe('The line contains a control character (U+0000) at position 27; retype it.');
    const escape = await core.run('lead', 'case find \u001B[2Jnguyen');
    expect(escape.result).toEqual({ outcome: 'invalid', code: 'invalid', command: 'case find' });
    const typed = await core.runOptions('lead', 'case note', { code: 'TN-2020-000009', text: 'ghi chú\u0085' });
    expect(typed.result).toEqual({ outcome: 'invalid', code: 'invalid', command: 'case note' });
    expect(typed.reply.text).toBe('Option text contains a control character (U+0085) at position 8; retype it.');
    expect(await count('case_events')).toBe(0);
    expect(await queryRows(t.db, sql`select command, outcome, detail, args from audit_log order by id`)).toEqual([
      { command: 'case note', outcome: 'invalid', detail: 'invalid', args: { line: 'case note TN-2020-000009 a\u2400b' } },
      { command: 'case find', outcome: 'invalid', detail: 'invalid', args: { line: 'case find \u001B[2Jnguyen' } },
      { command: 'case note', outcome: 'invalid', detail: 'invalid', args: { code: 'TN-2020-000009', text: 'ghi chú\u0085' } },
    ]);
  });

  it('suggests nothing for a partial option holding a control character', async () => {
    await makeCase(t.db, { code: 'TN-2020-000009', unit: 'CA-HN', wantedOn: '2020-01-01' });
    const core = createTestCore(t.db);
    const suggest = (id: string, partial: string) =>
      core.dispatcher.suggest({
        id,
        actor: { platform: 'console', workspaceId: 'local', userId: 'lead' },
        command: 'case show',
        option: 'code',
        partial,
        channelId: 'c',
      });
    expect(await suggest('s1', 'TN-2020-00000')).toEqual([expect.objectContaining({ value: 'TN-2020-000009' })]);
    expect(await suggest('s2', 'TN-2020\u0000')).toEqual([]);
  });

  it('answers an unknown command with the way to help', async () => {
    const core = createTestCore(t.db);
    const unknown = await core.run('lead', 'arrest everyone');
    expect(unknown.result.code).toBe('unknown_command');
    expect(unknown.reply.text).toContain('help');
    const group = await core.run('lead', 'case');
    expect(group.reply.text).toContain('help case');
  });

  it('suggests the nearest command for a typo in the group, the subcommand or a one-word command', async () => {
    await makeMember(t.db, { handle: 'vi.lead', role: 'lead', unit: 'C06', locale: 'vi' });
    const core = createTestCore(t.db);
    const group = await core.run('lead', 'cse find duc');
    expect(group.result.code).toBe('unknown_command');
    expect(group.reply.text).toBe('There is no such command. Did you mean `case find`? Type help for the list of commands.');
    const sub = await core.run('lead', 'case fnd duc');
    expect(sub.result.code).toBe('unknown_command');
    expect(sub.reply.text).toBe(
      '`case` has no subcommand `fnd`. Did you mean `case find`? Subcommands: find, show, status, decision, note, info, photo-retire, check, history, validate. Type help case for how to use them.',
    );
    expect((await core.run('lead', 'hlep')).reply.text).toContain('Did you mean `help`?');
    expect((await core.run('lead', 'folowup lst')).reply.text).toContain('Did you mean `followup list`?');
    expect((await core.run('lead', 'chek list.csv')).reply.text).toContain('Did you mean `check`?');
    // In Vietnamese, as the member reads.
    const vi = await core.run('vi.lead', 'case fnd duc');
    expect(vi.reply.text).toContain('Lệnh `case` không có lệnh con `fnd`. Có phải bạn muốn gõ `case find`? Các lệnh con: find, show');
  });

  it('suggests nothing for words far from every command, but names the subcommands of a group', async () => {
    const core = createTestCore(t.db);
    for (const line of ['arrest everyone', 'xyz', 'hi', 'case TN-2020-000001']) {
      const { result, reply } = await core.run('lead', line);
      expect(result.code, line).toBe('unknown_command');
      expect(reply.text, line).not.toContain('Did you mean');
    }
    expect((await core.run('lead', 'case zzzz')).reply.text).toContain('`case` has no subcommand `zzzz`. Subcommands: find, show');
    expect((await core.run('lead', 'followup')).reply.text).toBe(
      '`followup` needs a subcommand: add, list, done, cancel. Type: help followup',
    );
  });

  it('names roles and options in Vietnamese as nouns that read in a sentence', async () => {
    await makeMember(t.db, { handle: 'vi.viewer', role: 'viewer', unit: 'C06', locale: 'vi' });
    const core = createTestCore(t.db);
    const denied = await core.run('vi.viewer', 'case note TN-2020-000001 ghi chú');
    expect(denied.reply.text).toBe('Lệnh "case note" cần vai trò cán bộ trở lên; vai trò của bạn là người xem.');
    const missing = await core.run('vi.viewer', 'case show');
    expect(missing.reply.text).toContain('Thiếu mã hồ sơ (code): mã hồ sơ, ví dụ TN-2020-000123.');
    const help = await core.run('vi.viewer', 'help case find');
    expect(help.reply.text).toContain('status (trạng thái): chỉ hồ sơ có trạng thái này');
    expect(help.reply.text).toContain('Vai trò tối thiểu: người xem.');
    expect(help.reply.text).not.toContain('::');
  });

  it('tells an unknown chat user how to get access, with their account id', async () => {
    const core = createTestCore(t.db);
    const { result, reply } = await core.run('x', 'whoami', { actor: { platform: 'discord', workspaceId: 'G42', userId: 'U7' } });
    expect(result.code).toBe('unknown_user');
    expect(reply.text).toContain('--platform discord --workspace G42 --user U7');
  });

  it('answers in the member language', async () => {
    await makeMember(t.db, { handle: 'vi.lead', role: 'lead', unit: 'C06', locale: 'vi' });
    const core = createTestCore(t.db);
    expect((await core.run('vi.lead', 'case show TN-0000')).reply.text).toContain('Không tìm thấy hồ sơ');
    expect((await core.run('lead', 'case show TN-0000')).reply.text).toContain('No case');
  });
});
