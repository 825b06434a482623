import { Client, Events, GatewayIntentBits, MessageFlags, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Invocation, Reply, ReplyMessage } from '../../core/invocation.ts';
import type { Logger } from '../../logger.ts';
import type { DiscordConnection } from './deploy.ts';
import { renderDiscord } from './render.ts';

export interface DiscordAdapterOptions {
  dispatcher: Dispatcher;
  connection: DiscordConnection;
  logger: Logger;
}

/**
 * The Discord front end: a discord.js gateway client (the `Guilds` intent only) that turns slash
 * commands into invocations for the core and renders its replies. Nothing it sends can ping:
 * `allowedMentions` is empty on the client, and the renderer escapes mentions too.
 *
 * Several instances may run at once: each interaction's id is claimed in the database before it
 * is acknowledged, and only the instance that claimed it answers.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions) {
  const log = options.logger.child({ adapter: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.connection.apiUrl },
    allowedMentions: { parse: [] },
  });

  client.on(Events.InteractionCreate, (interaction) => {
    handle(interaction).catch((error) => log.error({ err: error, interaction: interaction.id }, 'interaction failed'));
  });

  async function handle(interaction: Interaction): Promise<void> {
    if (!interaction.isChatInputCommand()) return;
    const id = `discord:${interaction.id}`;
    // A quick INSERT, then the acknowledgement, well within Discord's three seconds.
    if (!(await options.dispatcher.claim(id))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await options.dispatcher.dispatch(toInvocation(interaction, id), replyTo(interaction), { claimed: true });
  }

  return {
    client,
    /** Logs in and resolves when the gateway session is ready. A refused token rejects. */
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.connection.token);
      await ready;
      log.info({ user: client.user?.tag }, 'discord ready');
    },
    async stop(): Promise<void> {
      await client.destroy();
    },
  };
}

/** The core's view of a slash command: `/case find text:…` → `case find` with `{ text }`. */
export function toInvocation(interaction: ChatInputCommandInteraction, id: string): Invocation {
  const subcommand = interaction.options.getSubcommand(false);
  const data = subcommand ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
  const values: Record<string, string | number | boolean | undefined> = {};
  for (const option of data) {
    if (option.value !== undefined && option.value !== null) values[option.name] = option.value;
  }
  return {
    id,
    actor: { platform: 'discord', workspaceId: interaction.guildId ?? 'direct', userId: interaction.user.id },
    channel: { id: interaction.channelId, isPrivate: false },
    input: { kind: 'options', command: subcommand ? `${interaction.commandName} ${subcommand}` : interaction.commandName, options: values },
    localeHint: interaction.locale?.startsWith('vi') ? 'vi' : 'en',
  };
}

/**
 * Answers by editing the deferred (ephemeral) reply: only the invoker sees it, so it may hold
 * personal data. Pages after the first follow as ephemeral messages.
 */
function replyTo(interaction: ChatInputCommandInteraction): Reply {
  return {
    canBePrivate: true,
    async send(message: ReplyMessage) {
      const [first, ...rest] = renderDiscord(message);
      await interaction.editReply({ embeds: first!.embeds, components: first!.components, allowedMentions: { parse: [] } });
      for (const page of rest) {
        await interaction.followUp({ embeds: page.embeds, components: page.components, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      }
    },
  };
}
