import { REST } from 'discord.js';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/adapter.ts';
import { postToDiscord } from '../../../src/adapters/discord/post.ts';
import { CommandRegistry, defineCommand } from '../../../src/core/command.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { ok } from '../../../src/domain/result.ts';
import type { ReplyMessage } from '../../../src/domain/reply.ts';
import { startFakeDiscordApi, slashCommand, type FakeDiscordApi, type ResolvedAttachment } from '../../fakes/discord-api.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';

/**
 * `/case check` on Discord, through the real discord.js client and the real dispatcher and
 * commands: the list comes as an attachment downloaded from the (fake) CDN, the result goes back
 * as a file of the ephemeral answer, and a long list shows its progress on the way.
 */
const APP = '1234567890123456789';
const GUILD = '900000000000000001';
const OFFICER = '800000000000000001';
const MiB = 1024 * 1024;

let t: TestDb;
let api: FakeDiscordApi;
let caseCode: string;
const adapters: Array<ReturnType<typeof createDiscordAdapter>> = [];

async function startAdapter(registry: CommandRegistry = commands) {
  const logger = pino({ level: 'silent' });
  const dispatcher = createDispatcher({ db: t.db, commands: registry, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
  const adapter = createDiscordAdapter({ dispatcher, connection: { token: api.token, applicationId: APP, apiUrl: api.apiUrl }, logger });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

/** `/case check file:<attachment>` as Discord sends it: the option's value is the attachment's id. */
function checkCommand(attachment: ResolvedAttachment, attachmentSizeLimit = 10 * MiB) {
  return slashCommand({
    applicationId: APP,
    guildId: GUILD,
    userId: OFFICER,
    command: 'case',
    subcommand: 'check',
    options: [{ name: 'file', type: 11, value: attachment.id }],
    attachments: [attachment],
    attachmentSizeLimit,
  });
}

const json = (value: unknown) => JSON.stringify(value);
const answerTo = (token: string) => api.webhookMessages.filter((m) => m.token === token);

beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeDiscordApi({ applicationId: APP, heartbeatIntervalMs: 200 });
});
beforeEach(async () => {
  await t.reset();
  api.callbacks.length = 0;
  api.webhookMessages.length = 0;
  api.channelMessages.length = 0;
  api.cdnRequests.length = 0;
  api.refused.length = 0;
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', discord: { guild: GUILD, user: OFFICER } });
  caseCode = (await makeCase(t.db, { fullName: 'Nguyễn Văn Đức', birthYear: 1985, unit: 'CAQ-HK' })).code;
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  // Nothing the adapter sent broke Discord's protocol or limits.
  expect(api.refused).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('/case check on Discord', () => {
  it('reads the attached list from the CDN and answers privately with the result as a file', async () => {
    await startAdapter();
    const list = api.addAttachment({ filename: 'tạm-giữ.csv', data: 'Họ tên;Năm sinh\nNguyễn Văn Đức;1985\nTrần Văn Bình;1990\n' });
    const interaction = checkCommand(list);
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).some((m) => m.files.length > 0));

    // Acknowledged as an ephemeral deferral, then answered in that message only.
    expect(api.callbacks).toEqual([{ interactionId: interaction.id, type: 5, data: { flags: 64 } }]);
    expect(api.cdnRequests).toEqual([{ path: `/attachments/3000000000000000001/${list.id}/tạm-giữ.csv`, status: 200 }]);
    expect(api.channelMessages).toEqual([]);
    const answer = answerTo(interaction.token).at(-1)!;
    expect(answer.kind).toBe('original');
    expect(answer.files).toHaveLength(1);
    const [file] = answer.files;
    expect(file!.field).toBe('files[0]');
    expect(file!.name).toMatch(/\.csv$/);
    const csv = file!.bytes.toString('utf8');
    expect(csv).toContain(caseCode);
    expect(csv).toContain('Trần Văn Bình');
    // The upload's metadata names the part it describes.
    expect(answer.body.attachments).toEqual([expect.objectContaining({ id: '0' })]);

    const rows = await queryRows<{ file_name: string; rows: number }>(t.db, sql`select file_name, rows from checks`);
    expect(rows).toEqual([{ file_name: 'tạm-giữ.csv', rows: 2 }]);
    expect(await queryRows(t.db, sql`select command, outcome::text from audit_log`)).toEqual([{ command: 'case check', outcome: 'ok' }]);
  });

  it('shows how far a long list has got by editing the private reply, then replaces it with the answer', async () => {
    await startAdapter();
    const rows = ['Họ tên;Năm sinh', ...Array.from({ length: 1200 }, (_, i) => `Người Thứ ${i};1980`)].join('\n');
    const interaction = checkCommand(api.addAttachment({ filename: 'many.csv', data: rows }));
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).some((m) => m.files.length > 0));

    const edits = answerTo(interaction.token);
    expect(edits.every((m) => m.kind === 'original')).toBe(true);
    const progress = edits.filter((m) => json(m.body).includes('Checking…'));
    // The first update always shows; the last (1,200 of 1,200) too.
    expect(json(progress[0]!.body)).toContain('Checking… 500 / 1,200');
    expect(json(progress.at(-1)!.body)).toContain('Checking… 1,200 / 1,200');
    expect(progress.every((m) => m.files.length === 0 && !json(m.body).includes('Người Thứ'))).toBe(true);
    // The answer comes after every progress update, in place of it.
    const answer = edits.at(-1)!;
    expect(edits.indexOf(progress.at(-1)!)).toBeLessThan(edits.indexOf(answer));
    expect(json(answer.body)).not.toContain('Checking…');
    expect(answer.files[0]!.bytes.toString('utf8')).toContain('Người Thứ 1199');
  });

  it('refuses a file larger than the limit by its declared size, without downloading it', async () => {
    await startAdapter();
    const big = api.addAttachment({ filename: 'big.csv', data: 'Họ tên\nA\n', size: 20 * MiB + 1 });
    const interaction = checkCommand(big);
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1);
    expect(json(answerTo(interaction.token)[0]!.body)).toContain(
      'big.csv is larger than 20 MB. Split the list into smaller files and check each.',
    );
    expect(api.cdnRequests).toEqual([]);
    expect(await queryRows(t.db, sql`select id from checks`)).toEqual([]);
    expect(await queryRows(t.db, sql`select command, outcome::text from audit_log`)).toEqual([
      { command: 'case check', outcome: 'invalid' },
    ]);
  });

  it('says the file could not be read when the CDN does not serve it', async () => {
    await startAdapter();
    const gone = api.addAttachment({ filename: 'gone.csv', data: 'Họ tên\nA\n', expired: true });
    const interaction = checkCommand(gone);
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1);
    expect(api.cdnRequests).toEqual([{ path: expect.stringContaining('/gone.csv'), status: 404 }]);
    expect(json(answerTo(interaction.token)[0]!.body)).toContain('Could not read gone.csv');
    expect(await queryRows(t.db, sql`select id from checks`)).toEqual([]);
  });

  it('tells that no file came when the attachment is missing from the resolved data', async () => {
    await startAdapter();
    const list = api.addAttachment({ filename: 'a.csv', data: 'Họ tên\nA\n' });
    const interaction = checkCommand(list);
    // An option naming an attachment Discord did not describe.
    (interaction.data as { resolved?: unknown }).resolved = { attachments: {} };
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1);
    expect(json(answerTo(interaction.token)[0]!.body)).toContain('No file came with the command');
    expect(api.cdnRequests).toEqual([]);
  });
});

/** A command answering with a file, to see where the adapter sends files whatever the command. */
function fileCommand(message: Omit<ReplyMessage, 'blocks'>) {
  return new CommandRegistry([
    defineCommand({
      name: 'export',
      nameVi: 'xuất',
      description: () => 'export',
      minRole: 'viewer',
      writes: false,
      options: [],
      run: async () => ok({ ...message, blocks: [{ kind: 'text', text: 'Kết quả' }] }),
    }),
  ]);
}

const exportCommand = (attachmentSizeLimit?: number) =>
  slashCommand({
    applicationId: APP,
    guildId: GUILD,
    userId: OFFICER,
    command: 'export',
    options: [],
    ...(attachmentSizeLimit ? { attachmentSizeLimit } : {}),
  });

const csv = (bytes: number) => ({ name: 'result.csv', data: new Uint8Array(bytes).fill(65), contentType: 'text/csv' });

describe('files of an answer on Discord', () => {
  it('never posts a personal message with files to the channel, even when it asks for the channel', async () => {
    await startAdapter(fileCommand({ personal: true, toChannel: true, files: [csv(100)] }));
    const interaction = exportCommand();
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1);
    expect(api.channelMessages).toEqual([]);
    const [answer] = answerTo(interaction.token);
    expect(answer).toMatchObject({ kind: 'original', files: [{ name: 'result.csv', bytes: Buffer.from(csv(100).data) }] });
    expect(json(answer!.body)).toContain('Kết quả');
  });

  it('refuses to post a personal message with files to a channel, sending nothing', async () => {
    const rest = new REST({ api: api.apiUrl }).setToken(api.token);
    const message: ReplyMessage = { personal: true, blocks: [{ kind: 'text', text: 'Kết quả' }], files: [csv(100)] };
    await expect(postToDiscord(rest, '3000000000000000001', message, message.files)).rejects.toThrow(/must not hold personal data/);
    expect(api.channelMessages).toEqual([]);
  });

  it('keeps the files of a message meant for the channel with the private acknowledgement', async () => {
    await startAdapter(fileCommand({ personal: false, toChannel: true, files: [csv(100)] }));
    const interaction = exportCommand();
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1 && api.channelMessages.length === 1);
    expect(api.channelMessages[0]!.files).toEqual([]);
    expect(answerTo(interaction.token)[0]).toMatchObject({ kind: 'original', files: [{ name: 'result.csv' }] });
  });

  it('leaves out a file over the server’s limit and says so, rather than losing the answer', async () => {
    await startAdapter(fileCommand({ personal: true, files: [csv(2048)] }));
    const interaction = exportCommand(1024);
    api.dispatchInteraction(interaction);
    await api.until(() => answerTo(interaction.token).length === 1);
    const [answer] = answerTo(interaction.token);
    expect(answer!.files).toEqual([]);
    expect(json(answer!.body)).toContain('Kết quả');
    expect(json(answer!.body)).toContain('result.csv could not be attached');
  });
});
