import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { expect } from 'vitest';
// The adapter, reached only through its factory, and the one constant of its delivery the contract
// needs: the imports to re-point when the adapter's insides move.
import { createDiscordAdapter, MAX_FOLLOW_UPS } from '../../../src/adapters/discord/adapter.ts';
import { createDispatcher } from '../../../src/core/dispatcher.ts';
import { messageProblems, startFakeDiscordApi } from '../../fakes/discord-api.ts';
import { makeMember } from '../../factories/index.ts';
import {
  CONTRACT_COMMANDS,
  lines,
  settled,
  type Harness,
  type HarnessOptions,
  type Seen,
  type SeenButton,
  type Settle,
} from './harness.ts';

const APP = '1234567890123456789';
const GUILD = '900000000000000001';
const CHANNEL = '3000000000000000001';

type Body = Record<string, unknown>;
type SentButton = { custom_id: string; label: string; disabled?: boolean };
type Embed = { title?: string; description?: string; fields?: Array<{ name: string; value: string }>; image?: { url: string } };
const buttonsOf = (body: Body) => ((body.components ?? []) as Array<{ components: SentButton[] }>).flatMap((row) => row.components);
const embedsOf = (body: Body) => (body.embeds ?? []) as Embed[];

/** Discord through discord.js, over the fake gateway and REST API. */
export async function startDiscordHarness({ db }: HarnessOptions): Promise<Harness> {
  const api = await startFakeDiscordApi({ applicationId: APP });
  const dispatcher = createDispatcher({
    db,
    commands: CONTRACT_COMMANDS,
    locale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    logger: pino({ level: 'silent' }),
  });
  const adapter = createDiscordAdapter({
    dispatcher,
    connection: { token: api.token, applicationId: APP, apiUrl: api.apiUrl },
    logger: pino({ level: 'silent' }),
  });
  await adapter.start();
  let users = 0;

  /** The parts of an interaction Discord sends from a server channel. */
  const interaction = (userId: string, rest: Body) => ({
    id: String(1_300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9))),
    application_id: APP,
    token: `interaction-${randomUUID()}`,
    version: 1,
    guild_id: GUILD,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0 },
    member: {
      user: { id: userId, username: 'user', discriminator: '0', avatar: null, global_name: null },
      roles: [],
      permissions: '0',
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    locale: 'en-US',
    guild_locale: 'vi',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: { '0': GUILD },
    context: 0,
    ...rest,
  });

  /** A webhook message (the answer, or a follow-up) as its reader saw it. */
  const reply = (m: (typeof api.webhookMessages)[number], interactionId: string): Seen => {
    const callback = api.callbacks.find((c) => c.interactionId === interactionId);
    // Deferred as an ephemeral reply (5, flag 64), or as an update of the ephemeral message the button is on (6).
    const deferredPrivately = callback?.type === 5 && (callback.data as { flags?: number } | undefined)?.flags === 64;
    const updated = callback !== undefined && callback.type === 6 && callback.data === undefined;
    const isPrivate = m.kind === 'original' ? deferredPrivately || updated : m.body.flags === 64;
    const s = seen(m.body, isPrivate ? 'private' : 'channel', m.kind === 'original' && updated, isPrivate ? undefined : CHANNEL);
    kinds.set(s, m.kind);
    interactions.set(s, interactionId);
    return s;
  };
  /** Whether each reply edited the original response or was a follow-up. */
  const kinds = new WeakMap<Seen, 'original' | 'followup'>();
  const interactions = new WeakMap<Seen, string>();
  const posted = (m: (typeof api.channelMessages)[number]): Seen => {
    const dmOf = [...api.dmChannels].find(([, channel]) => channel === m.channelId)?.[0];
    return seen(m.body, dmOf ? 'direct' : 'channel', false, dmOf ?? m.channelId);
  };
  const seen = (body: Body, where: Seen['where'], replaces: boolean, to: string | undefined): Seen => {
    // Nothing the bot sends may ping, whatever the message.
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const buttons: SeenButton[] = buttonsOf(body).map((b) => ({ label: b.label, disabled: b.disabled ?? false, raw: b }));
    const position = buttons.map((b) => (b.disabled ? /^(\d+)\/(\d+)$/.exec(b.label) : null)).find(Boolean);
    return {
      where,
      to,
      replaces,
      text: lines(
        typeof body.content === 'string' ? body.content : undefined,
        ...embedsOf(body).flatMap((e) => [e.title, e.description, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])]),
      ),
      buttons,
      page: position ? { index: Number(position[1]) - 1, count: Number(position[2]) } : undefined,
      raw: body,
    };
  };

  /** Dispatches an interaction and gives its answer and what it posted, once settled. */
  const run = async (payload: ReturnType<typeof interaction>, settle: Settle = {}): Promise<Seen[]> => {
    const before = api.channelMessages.length;
    api.dispatchInteraction(payload);
    const mine = () => [
      ...api.webhookMessages.filter((m) => m.token === payload.token).map((m) => reply(m, payload.id)),
      ...api.channelMessages.slice(before).map(posted),
    ];
    return settled(mine, settle);
  };

  return {
    platform: 'discord',
    can: {
      buttons: true,
      channelAnswers: 'post',
      directMessages: true,
      fileUpload: true,
      rateLimits: { seconds: 0.3, minGapMs: 250 },
      refusalsApart: true,
      firstPageBack: 'disabled',
    },
    channel: CHANNEL,
    messagesPerAnswer: 1 + MAX_FOLLOW_UPS,
    cutNote: /^The answer was cut: 5 of (\d+) pages shown\. Narrow the request/,
    bullet: '•',
    mention: '@everyone',
    stranger: { handle: 'stranger', userId: '800000000000000002' },
    accessHint: (user) => `--platform discord --workspace ${GUILD} --user ${user.userId}`,
    async join(member) {
      const userId = String(800_000_000_000_000_100n + BigInt((users += 1)));
      await makeMember(db, { ...member, locale: 'en', discord: { guild: GUILD, user: userId } });
      return { handle: member.handle, userId };
    },
    send(user, request, settle) {
      const [name, subcommand] = request.command.split(' ');
      const options = Object.entries(request.options ?? {}).map(([key, value]) => ({
        name: key,
        type: typeof value === 'number' ? 4 : 3,
        value,
      }));
      return run(
        interaction(user.userId, {
          type: 2,
          data: {
            id: '1400000000000000001',
            name,
            type: 1,
            options: subcommand ? [{ type: 1, name: subcommand, options }] : options,
          },
        }),
        settle,
      );
    },
    press(user, button, settle) {
      // A component interaction (type 3) on the bot's ephemeral message.
      return run(
        interaction(user.userId, {
          type: 3,
          data: { custom_id: (button.raw as SentButton).custom_id, component_type: 2 },
          message: {
            id: '1500000000000000001',
            type: 0,
            channel_id: CHANNEL,
            content: '',
            timestamp: new Date().toISOString(),
            edited_timestamp: null,
            tts: false,
            mention_everyone: false,
            mentions: [],
            mention_roles: [],
            attachments: [],
            embeds: [],
            components: [],
            pinned: false,
            flags: 64,
            author: { id: api.bot.id, username: 'casedesk', discriminator: '0', avatar: null, global_name: null, bot: true },
          },
        }),
        settle,
      );
    },
    posts: () => api.channelMessages.map(posted),
    poster: {
      post: (channel, message, attachments) => adapter.post(channel, message, attachments),
      direct: (userId, message) => adapter.poster.direct(userId, message),
    },
    postAttempts: (channel) =>
      api.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${channel}/messages`).map((r) => r.at),
    uploads: (channel) =>
      api.channelMessages
        .filter((m) => m.channelId === channel)
        .flatMap((m) => {
          const described = (m.body.attachments ?? []) as Array<{ id: number; description?: string }>;
          return m.files.map((f, id) => ({ bytes: f.bytes, title: described.find((a) => a.id === id)?.description ?? f.name }));
        }),
    rateLimitNext: () => api.rateLimitNext(1, 0.3),
    live: (s) => [...JSON.stringify(s.raw).matchAll(/@(everyone|here)|<@[!&]?\d+>/g)].map((m) => m[0]),
    withinLimits(s) {
      const body = s.raw as Body;
      expect(messageProblems(body)).toEqual([]);
      const size = embedsOf(body).reduce(
        (n, e) =>
          n +
          (e.title?.length ?? 0) +
          (e.description?.length ?? 0) +
          (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
        0,
      );
      expect(size).toBeLessThanOrEqual(6000);
      for (const embed of embedsOf(body)) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    },
    specific: {
      answered(answer) {
        // Acknowledged first, as a deferred ephemeral reply (type 5, flag 64), then edited.
        expect(api.callbacks).toEqual([{ interactionId: interactions.get(answer[0]!), type: 5, data: { flags: 64 } }]);
        expect(kinds.get(answer[0]!)).toBe('original');
        expect(JSON.stringify(answer[0]!.raw)).not.toContain('<@123>');
      },
      doneButton(done) {
        expect((done.raw as SentButton).custom_id).toBe('cd|followup done|id=1');
      },
      changeAnswer(answer) {
        // More than one Discord message: the first is the answer, the rest private follow-ups.
        expect(answer.length).toBeGreaterThan(1);
        expect(answer.map((m) => kinds.get(m))).toEqual(['original', ...answer.slice(1).map(() => 'followup')]);
      },
      refusal(refused) {
        // In a private message of its own: the question stays as it was, buttons and all.
        expect(kinds.get(refused)).toBe('followup');
        expect(refused.raw).toMatchObject({ flags: 64 });
      },
      postedNote(note) {
        expect(note.raw).toMatchObject({ content: 'Posted to the channel.', embeds: [] });
      },
      digestPosted(message, png) {
        const [sent] = api.channelMessages;
        expect(sent!.files).toEqual([{ field: 'files[0]', name: 'digest.png', type: 'image/png', bytes: png }]);
        expect(sent!.body.attachments).toEqual([{ id: 0, filename: 'digest.png', description: 'Biểu đồ' }]);
        expect(embedsOf(message.raw as Body)[0]!.image).toEqual({ url: 'attachment://digest.png' });
        expect(JSON.stringify(message.raw)).not.toContain('@everyone');
      },
    },
    async stop() {
      await adapter.stop();
      try {
        // Nothing the adapter sent broke Discord's protocol or limits.
        expect(api.refused).toEqual([]);
      } finally {
        await api.close();
      }
    },
  };
}
