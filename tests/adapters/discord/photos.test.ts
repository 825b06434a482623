import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.ts';
import { queryRows } from '../../../db/client.ts';
import { createDiscordAdapter } from '../../../src/adapters/discord/adapter.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { startFakeDiscordApi, slashCommand, type FakeDiscordApi, type ResolvedAttachment } from '../../fakes/discord-api.ts';
import { makeCase, makeMember, makeUnitTree } from '../../factories/index.ts';
import { openTestDb, type TestDb } from '../../support/db.ts';
import { CAMERA, jpegWithGps } from '../../support/images.ts';

/**
 * A photo's round trip on Discord, through the real discord.js client to the fake: attached to
 * `/case info … photo`, downloaded from the CDN and stored without its metadata; shown by `/case
 * show` as a file of the ephemeral answer only, never in the channel; each view audited.
 */
const APP = '1234567890123456789';
const GUILD = '900000000000000001';
const OFFICER = '800000000000000001';

let t: TestDb;
let api: FakeDiscordApi;
let code: string;
const adapters: Array<ReturnType<typeof createDiscordAdapter>> = [];

async function startAdapter() {
  const logger = pino({ level: 'silent' });
  const dispatcher = createDispatcher({ db: t.db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
  const adapter = createDiscordAdapter({ dispatcher, connection: { token: api.token, applicationId: APP, apiUrl: api.apiUrl }, logger });
  await adapter.start();
  adapters.push(adapter);
  return adapter;
}

const caseCommand = (
  subcommand: string,
  options: Array<{ name: string; type: number; value: string }>,
  attachments: ResolvedAttachment[] = [],
) => slashCommand({ applicationId: APP, guildId: GUILD, userId: OFFICER, command: 'case', subcommand, options, attachments });
const photoCommand = (image: ResolvedAttachment) =>
  caseCommand(
    'info',
    [
      { name: 'code', type: 3, value: code },
      { name: 'field', type: 3, value: 'photo' },
      { name: 'file', type: 11, value: image.id },
    ],
    [image],
  );
const answerTo = (token: string) => api.webhookMessages.filter((m) => m.token === token);
const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  t = await openTestDb();
  api = await startFakeDiscordApi({ applicationId: APP, heartbeatIntervalMs: 200 });
});
beforeEach(async () => {
  await t.reset();
  for (const list of [api.callbacks, api.webhookMessages, api.channelMessages, api.cdnRequests, api.refused]) list.length = 0;
  await makeUnitTree(t.db);
  await makeMember(t.db, { handle: 'duc', role: 'officer', unit: 'CA-HN', locale: 'en', discord: { guild: GUILD, user: OFFICER } });
  code = (await makeCase(t.db, { fullName: 'Nguyễn Văn Đức', unit: 'CAQ-HK' })).code;
});
afterEach(async () => {
  await Promise.all(adapters.splice(0).map((a) => a.stop()));
  expect(api.refused).toEqual([]);
  // Nothing of a photo ever reaches the channel.
  expect(api.channelMessages).toEqual([]);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('photos on Discord', () => {
  it('stores an attached photo without its metadata, then shows it in the ephemeral answer to /case show, audited', async () => {
    await startAdapter();
    const upload = api.addAttachment({ filename: 'anh.jpg', data: await jpegWithGps(), contentType: 'image/jpeg' });
    const add = photoCommand(upload);
    api.dispatchInteraction(add);
    await api.until(() => answerTo(add.token).length === 1);
    expect(json(answerTo(add.token)[0]!.body)).toContain(`Stored photo 1 of ${code}`);
    expect(api.cdnRequests).toEqual([expect.objectContaining({ status: 200 })]);

    const show = caseCommand('show', [{ name: 'code', type: 3, value: code }]);
    api.dispatchInteraction(show);
    await api.until(() => answerTo(show.token).some((m) => m.files.length > 0));
    expect(api.callbacks.find((c) => c.interactionId === show.id)).toEqual({ interactionId: show.id, type: 5, data: { flags: 64 } });
    const answer = answerTo(show.token).at(-1)!;
    expect(answer.kind).toBe('original');
    expect(answer.files.map((f) => f.name)).toEqual([`${code}-photo-1.jpg`]);
    const shown = answer.files[0]!.bytes;
    const meta = await sharp(shown).metadata();
    expect([meta.format, meta.exif]).toEqual(['jpeg', undefined]);
    expect(shown.includes(Buffer.from(CAMERA.make))).toBe(false);
    expect(json(answer.body)).toContain('Photos (1)');

    const audit = await queryRows<{ command: string; args: { photos?: number[] } }>(
      t.db,
      sql`select command, args from audit_log order by id`,
    );
    expect(audit.map((a) => [a.command, a.args.photos])).toEqual([
      ['case info', undefined],
      ['case show', [1]],
    ]);
  });

  it('refuses a file that only claims to be an image, in the member’s language, and stores nothing', async () => {
    await startAdapter();
    const add = photoCommand(api.addAttachment({ filename: 'anh.png', data: '<html>not an image</html>', contentType: 'image/png' }));
    api.dispatchInteraction(add);
    await api.until(() => answerTo(add.token).length === 1);
    expect(json(answerTo(add.token)[0]!.body)).toContain('anh.png is named as an image, but its content is no JPEG, PNG or WebP image');
    expect(await queryRows(t.db, sql`select id from case_photos`)).toEqual([]);
    expect(await queryRows(t.db, sql`select command, outcome::text from audit_log`)).toEqual([
      { command: 'case info', outcome: 'invalid' },
    ]);
  });
});
