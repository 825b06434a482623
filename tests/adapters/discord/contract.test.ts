import { ButtonInteraction, ChatInputCommandInteraction, Client } from 'discord.js';
import { afterAll } from 'vitest';
import { buttonInvocation, toInvocation } from '../../../src/adapters/discord/adapter.ts';
import { decodeAction } from '../../../src/adapters/discord/render.ts';
import { invocationContract, type RequestName } from '../contract.ts';

const GUILD = '900000000000000001';
const USER = '800000000000000001';

/** The parts of an INTERACTION_CREATE payload every recording shares. */
const envelope = (type: number, data: Record<string, unknown>) => ({
  id: '1300000000000000042',
  application_id: '1234567890123456789',
  type,
  token: 'interaction-token',
  version: 1,
  guild_id: GUILD,
  channel_id: '3000000000000000001',
  channel: { id: '3000000000000000001', type: 0 },
  member: {
    user: { id: USER, username: 'duc', discriminator: '0', avatar: null, global_name: null },
    roles: [],
    permissions: '0',
    joined_at: '2026-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
  },
  locale: 'vi',
  guild_locale: 'vi',
  app_permissions: '0',
  entitlements: [],
  authorizing_integration_owners: { '0': GUILD },
  context: 0,
  data,
});

/** How Discord sends each request: typed options of a subcommand (3 string, 4 integer), or a button's custom id. */
const RECORDED: Record<RequestName, Record<string, unknown>> = {
  find: envelope(2, {
    id: '1',
    name: 'case',
    type: 1,
    options: [{ type: 1, name: 'find', options: [{ type: 3, name: 'text', value: 'nguyen van duc' }] }],
  }),
  assign: envelope(2, {
    id: '2',
    name: 'followup',
    type: 1,
    options: [
      {
        type: 1,
        name: 'add',
        options: [
          { type: 3, name: 'code', value: 'TN-2021-000001' },
          { type: 3, name: 'assignee', value: 'duc.nv' },
          { type: 3, name: 'task', value: 'Xác minh nơi ở cũ' },
          { type: 3, name: 'due', value: '2026-12-01' },
        ],
      },
    ],
  }),
  status: envelope(2, {
    id: '1',
    name: 'case',
    type: 1,
    options: [
      {
        type: 1,
        name: 'status',
        options: [
          { type: 3, name: 'code', value: 'TN-2021-000001' },
          { type: 3, name: 'outcome', value: 'arrested' },
          { type: 3, name: 'on', value: '2026-11-20' },
          { type: 3, name: 'reason', value: 'bắt tại nhà' },
        ],
      },
    ],
  }),
  done: {
    ...envelope(3, { custom_id: 'cd|followup done|id=7', component_type: 2 }),
    // The ephemeral message the button is on.
    message: {
      id: '1500000000000000001',
      type: 0,
      channel_id: '3000000000000000001',
      content: '',
      timestamp: '2026-11-20T00:00:00.000Z',
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
      author: { id: '1200000000000000001', username: 'casedesk', discriminator: '0', avatar: null, global_name: null, bot: true },
    },
  },
};

// The real discord.js classes, built from the recorded payloads as its gateway handler builds
// them (their constructors are internal in the typings); the client never logs in.
type Construct<T> = new (client: Client, data: unknown) => T;
const Button = ButtonInteraction as unknown as Construct<ButtonInteraction>;
const ChatInput = ChatInputCommandInteraction as unknown as Construct<ChatInputCommandInteraction>;
const client = new Client({ intents: [] });
afterAll(() => client.destroy());

invocationContract({
  name: 'discord',
  actor: { platform: 'discord', workspaceId: GUILD, userId: USER },
  // Every recording is from a server channel, by a user whose Discord is in Vietnamese.
  channel: { id: '3000000000000000001', isPrivate: false },
  localeHint: 'vi',
  map(request) {
    const raw = RECORDED[request];
    if (raw.type === 3) {
      const press = new Button(client, raw);
      return buttonInvocation(press, decodeAction(press.customId)!);
    }
    const interaction = new ChatInput(client, raw);
    return toInvocation(interaction, `discord:${interaction.id}`);
  },
});
