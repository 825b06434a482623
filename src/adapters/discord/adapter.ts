import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Attachment, Invocation, Reply, ReplyMessage } from '../../core/invocation.ts';
import type { Logger } from '../../logger.ts';
import type { DiscordConnection } from './deploy.ts';
import { ACTION_COMMAND } from '../../core/dispatcher.ts';
import { discordPoster, postToDiscord } from './post.ts';
import { decodeAction, decodePageButton, encodePageButton, renderDiscord, withPageButtons } from './render.ts';

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
    if (interaction.isAutocomplete()) return suggest(interaction);
    if (interaction.isChatInputCommand()) {
      const invocation = toInvocation(interaction, `discord:${interaction.id}`);
      // A quick INSERT, then the acknowledgement, well within Discord's three seconds.
      if (!(await options.dispatcher.claim(invocation.id))) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await run(invocation, replyTo(interaction, rerunnable(invocation, 0)));
      return;
    }
    if (!interaction.isButton()) return;
    const paged = decodePageButton(interaction.customId);
    if (paged) {
      // ◀ or ▶: the read runs again for whoever pressed, and its message shows the page asked for.
      const invocation = buttonInvocation(interaction, paged);
      if (!(await options.dispatcher.claim(invocation.id))) return;
      await interaction.deferUpdate();
      await run(invocation, replyTo(interaction, rerunnable(invocation, paged.page)));
      return;
    }
    const action = decodeAction(interaction.customId);
    if (!action) return;
    const invocation = buttonInvocation(interaction, action);
    if (!(await options.dispatcher.claim(invocation.id))) return;
    // Confirm and cancel answer in place of the question, so their buttons cannot be pressed
    // again; other buttons ("done") answer in a message of their own under the list.
    if (action.command === ACTION_COMMAND) await interaction.deferUpdate();
    else await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    await run(invocation, replyTo(interaction));
  }

  async function run(invocation: Invocation, reply: Reply): Promise<void> {
    await options.dispatcher.dispatch(invocation, reply, { claimed: true });
  }

  /** Page buttons for an answer to a read, which can safely run again; not for a change. */
  function rerunnable(invocation: Invocation, page: number): Paging | undefined {
    const input = invocation.input;
    if (input.kind !== 'options' || !options.dispatcher.isReadOnly(input)) return undefined;
    return { page, button: (n) => encodePageButton(n, input.command, input.options) };
  }

  /** At most 25 cases the member may see, answered within Discord's three seconds. */
  async function suggest(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const subcommand = interaction.options.getSubcommand(false);
    const choices = await options.dispatcher.suggest({
      actor: { platform: 'discord', workspaceId: interaction.guildId ?? 'direct', userId: interaction.user.id },
      command: subcommand ? `${interaction.commandName} ${subcommand}` : interaction.commandName,
      option: focused.name,
      partial: String(focused.value),
      channelId: interaction.channelId ?? 'unknown',
    });
    await interaction.respond(choices.slice(0, 25).map((c) => ({ name: c.label, value: c.value })));
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
    /**
     * Posts to a channel, for scheduled digests: the whole channel sees it, so it must hold no
     * personal data. The first attachment that is an image is shown in the first embed. Goes
     * through discord.js's REST queue, which waits out a 429 and sends again: delivered once,
     * never dropped.
     */
    async post(channelId: string, message: ReplyMessage, attachments: Attachment[] = []): Promise<void> {
      await postToDiscord(client.rest, channelId, message, attachments);
    },
    /** Channel posts and direct messages for the scheduler, through this client's REST queue. */
    poster: discordPoster(client.rest),
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
 * A button press as the command it stands for, run as the member who pressed it: a button is
 * checked like a typed command, whoever's message it is on.
 */
export function buttonInvocation(interaction: ButtonInteraction, action: { command: string; options: Record<string, string> }): Invocation {
  return {
    id: `discord:${interaction.id}`,
    actor: { platform: 'discord', workspaceId: interaction.guildId ?? 'direct', userId: interaction.user.id },
    channel: { id: interaction.channelId, isPrivate: false },
    input: { kind: 'options', command: action.command, options: action.options },
    localeHint: interaction.locale?.startsWith('vi') ? 'vi' : 'en',
  };
}

interface Paging {
  /** The page to show, from 0. */
  page: number;
  /** The custom id of a button showing page `n`, if the command fits one. */
  button(n: number): string | undefined;
}

/**
 * Answers by editing the deferred (ephemeral) reply, or the message a button is on: only the
 * invoker sees it, so it may hold personal data. An answer longer than one message shows one page
 * with ◀ ▶ buttons when it can be asked again; otherwise its pages follow as ephemeral messages.
 */
function replyTo(interaction: RepliableInteraction, paging?: Paging): Reply {
  return {
    canBePrivate: true,
    interactive: true,
    async send(message: ReplyMessage) {
      // Meant for the whole channel (a meeting's agenda or minutes): posted there, and the
      // private acknowledgement says so.
      if (message.toChannel && !message.personal && interaction.channelId) {
        await postToDiscord(interaction.client.rest, interaction.channelId, message);
        const posted = interaction.locale?.startsWith('vi') ? 'Đã đăng vào kênh.' : 'Posted to the channel.';
        await interaction.editReply({ content: posted, embeds: [], components: [], allowedMentions: { parse: [] } });
        return;
      }
      const pages = renderDiscord(message);
      const ids = paging && pages.length > 1 ? pages.map((_, n) => paging.button(n)) : [];
      if (paging && ids.length > 0 && ids.every((id) => id !== undefined)) {
        const index = Math.min(paging.page, pages.length - 1);
        const page = withPageButtons(pages[index]!, index, pages.length, (n) => ids[n]!);
        await interaction.editReply({ embeds: page.embeds, components: page.components, allowedMentions: { parse: [] } });
        return;
      }
      const [first, ...rest] = pages;
      await interaction.editReply({ embeds: first!.embeds, components: first!.components, allowedMentions: { parse: [] } });
      for (const page of rest) {
        await interaction.followUp({ embeds: page.embeds, components: page.components, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
      }
    },
  };
}
