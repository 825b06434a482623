import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Status,
  type AttachmentBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Invocation, Progress, Reply } from '../../core/invocation.ts';
import type { Attachment, ReplyMessage } from '../../domain/reply.ts';
import type { Logger } from '../../logger.ts';
import { newErrorReference } from '../../domain/reference.ts';
import { text, type Locale, type Text } from '../../i18n/text.ts';
import type { DiscordConnection } from './deploy.ts';
import { isConfirmation } from '../../core/confirmations.ts';
import { planDelivery, type Paging } from '../../core/delivery.ts';
import type { AdapterStatus, ChatAdapter, OnAcknowledged } from '../../core/platform.ts';
import { createInFlight } from '../../core/in-flight.ts';
import { cutText, interactionHandle, MAX_FOLLOW_UPS } from './answer.ts';
import { attachmentFile, DISCORD_FILE_LIMITS, fitFiles, type DiscordAttachmentRef } from './files.ts';
import { discordPoster, postToDiscord } from './post.ts';
import { DISCORD_BUTTONS, renderDiscord, withPageButtons, type DiscordPage } from './render.ts';

export interface DiscordAdapterOptions {
  dispatcher: Dispatcher;
  connection: DiscordConnection;
  logger: Logger;
  /** Told how long each acknowledgement took from the interaction's arrival (the operator's metrics). */
  onAcknowledged?: OnAcknowledged;
}

/**
 * The Discord front end: a discord.js gateway client (the `Guilds` intent only) that turns slash
 * commands into invocations for the core and renders its replies. Nothing it sends can ping:
 * `allowedMentions` is empty on the client, and the renderer escapes mentions too.
 *
 * Several instances may run at once: each interaction's id (commands, buttons and autocomplete
 * alike) is accepted by the core before it is acknowledged, and only the instance that accepted
 * it answers.
 */
export function createDiscordAdapter(options: DiscordAdapterOptions) {
  const log = options.logger.child({ adapter: 'discord' });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.connection.apiUrl },
    allowedMentions: { parse: [] },
  });

  const inFlight = createInFlight();
  let draining = false;

  client.on(Events.InteractionCreate, (interaction) => {
    // Draining: every instance receives every interaction, and one that is not stopping accepts it.
    // Left alone, it is never accepted here, so nothing is acknowledged and then dropped.
    if (draining) return;
    const arrived = performance.now();
    inFlight
      .track(() => handle(interaction, arrived))
      .catch((error) => log.error({ err: error, interaction: interaction.id }, 'interaction failed'));
  });

  /** The platform's acknowledgement, reported to the metrics with the time since the interaction arrived. */
  const timed =
    (arrived: number, acknowledge: () => Promise<unknown>): (() => Promise<unknown>) =>
    async () => {
      const done = await acknowledge();
      options.onAcknowledged?.({ platform: 'discord', seconds: (performance.now() - arrived) / 1000 });
      return done;
    };

  async function handle(interaction: Interaction, arrived: number): Promise<void> {
    // Every instance receives every interaction: the core accepts each for one of them (a quick
    // INSERT outside the commands' pool), which alone acknowledges it, within Discord's three seconds.
    if (interaction.isAutocomplete()) return suggest(interaction);
    if (interaction.isChatInputCommand()) {
      const invocation = toInvocation(interaction, `discord:${interaction.id}`, log.child({ invocation: `discord:${interaction.id}` }));
      await answer(interaction, invocation, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }), {
        paging: rerunnable(invocation, 0),
        arrived,
      });
      return;
    }
    if (!interaction.isButton()) return;
    const pressed = DISCORD_BUTTONS.decode(interaction.customId);
    if (!pressed || pressed.input.kind !== 'options') return;
    const action = { command: pressed.input.command, options: pressed.input.options as Record<string, string> };
    if (pressed.page !== undefined) {
      // ◀ or ▶: the read runs again for whoever pressed, and its message shows the page asked for.
      const invocation = buttonInvocation(interaction, action);
      await answer(interaction, invocation, () => interaction.deferUpdate(), { paging: rerunnable(invocation, pressed.page), arrived });
      return;
    }
    const invocation = buttonInvocation(interaction, action);
    if (isConfirmation(pressed.input)) {
      // Confirm and cancel answer in place of the question, so that its buttons cannot be pressed
      // again; a refusal (expired, or a role too low) is told apart and leaves the question as it was.
      await answer(interaction, invocation, () => interaction.deferUpdate(), { refusalsApart: true, arrived });
      return;
    }
    // Other buttons ("done") answer in a message of their own under the list.
    await answer(interaction, invocation, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }), { arrived });
  }

  /**
   * Runs the invocation, then delivers its one answer as the outcome calls for. A long command's
   * progress is shown by editing the acknowledged message, which the answer then replaces; not
   * where a refusal is answered apart, since the message must then stay as it was.
   */
  async function answer(
    interaction: RepliableInteraction,
    invocation: Invocation,
    acknowledge: () => Promise<unknown>,
    how: { paging?: Paging | undefined; refusalsApart?: boolean; arrived: number },
  ): Promise<void> {
    const iLog = log.child({ invocation: invocation.id });
    const live: Reply = {
      canBePrivate: true,
      interactive: true,
      async send(message, context) {
        // A refusal answered apart leaves the message a button is on as it was.
        const apart = Boolean(how.refusalsApart) && context !== undefined && context.outcome !== 'ok';
        await deliver(interaction, message, { paging: apart ? undefined : how.paging, apart }, iLog);
      },
      ...(how.refusalsApart ? {} : { progress: (update: Progress) => showProgress(interaction, update) }),
    };
    await options.dispatcher.dispatch(invocation, live, { acknowledge: timed(how.arrived, acknowledge) });
  }

  /** Page buttons for an answer to a read, which can safely run again; not for a change. */
  function rerunnable(invocation: Invocation, page: number): Paging | undefined {
    const input = invocation.input;
    if (input.kind !== 'options' || !options.dispatcher.isReadOnly(input)) return undefined;
    return { page, button: (n) => DISCORD_BUTTONS.encode({ input, page: n }) };
  }

  /** At most 25 cases the member may see, answered within Discord's three seconds. */
  async function suggest(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const subcommand = interaction.options.getSubcommand(false);
    const choices = await options.dispatcher.suggest({
      id: `discord:${interaction.id}`,
      actor: { platform: 'discord', workspaceId: interaction.guildId ?? 'direct', userId: interaction.user.id },
      command: subcommand ? `${interaction.commandName} ${subcommand}` : interaction.commandName,
      option: focused.name,
      partial: String(focused.value),
      channelId: interaction.channelId ?? 'unknown',
    });
    // Another instance accepted it and answers.
    if (!choices) return;
    await interaction.respond(choices.slice(0, 25).map((c) => ({ name: c.label, value: c.value })));
  }

  const adapter = {
    platform: 'discord' as const,
    client,
    /** Logs in and resolves when the gateway session is ready. A refused token rejects. */
    async start(): Promise<void> {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(options.connection.token);
      await ready;
      log.info({ user: client.user?.tag }, 'discord ready');
    },
    /**
     * Takes no new interactions (another instance accepts them; with none, Discord tells the user
     * the application did not respond) and resolves once those in flight are answered. The gateway
     * stays open meanwhile: answers go through REST, and {@link stop} closes it.
     */
    async drain(): Promise<void> {
      draining = true;
      await inFlight.idle();
    },
    async stop(): Promise<void> {
      await client.destroy();
    },
    status(): AdapterStatus {
      // The client stays "ready" while a shard reconnects: each shard's own status says whether it is.
      const connected = client.isReady() && client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready);
      return { connected, draining, inFlight: inFlight.count() };
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
  return adapter satisfies ChatAdapter;
}

/**
 * The core's view of a slash command: `/case find text:…` → `case find` with `{ text }`. An
 * attachment option's value is the attachment's id, which `openFile` opens from the interaction's
 * resolved data (its name, declared size and CDN address); it is downloaded only when read.
 */
export function toInvocation(interaction: ChatInputCommandInteraction, id: string, log?: Logger): Invocation {
  const subcommand = interaction.options.getSubcommand(false);
  const data = subcommand ? (interaction.options.data[0]?.options ?? []) : interaction.options.data;
  const values: Record<string, string | number | boolean | undefined> = {};
  const attachments = new Map<string, DiscordAttachmentRef>();
  for (const option of data) {
    if (option.value !== undefined && option.value !== null) values[option.name] = option.value;
    if (option.attachment) {
      attachments.set(option.attachment.id, { name: option.attachment.name, size: option.attachment.size, url: option.attachment.url });
    }
  }
  return {
    id,
    actor: { platform: 'discord', workspaceId: interaction.guildId ?? 'direct', userId: interaction.user.id },
    channel: { id: interaction.channelId, isPrivate: false },
    input: { kind: 'options', command: subcommand ? `${interaction.commandName} ${subcommand}` : interaction.commandName, options: values },
    localeHint: interaction.locale?.startsWith('vi') ? 'vi' : 'en',
    answerHandle: interactionHandle(interaction),
    openFile: (reference) => {
      const attachment = attachments.get(reference);
      return attachment && attachmentFile(attachment, log ? { log } : {});
    },
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
    answerHandle: interactionHandle(interaction),
  };
}

export { MAX_FOLLOW_UPS } from './answer.ts';

type Body = { content?: string; embeds: DiscordPage['embeds']; components: DiscordPage['components'] };

const localeOf = (interaction: RepliableInteraction): Locale => (interaction.locale?.startsWith('vi') ? 'vi' : 'en');

/** A long command's progress, in place of "thinking…" or of the progress shown before. */
async function showProgress(interaction: RepliableInteraction, update: Progress): Promise<void> {
  const [page] = renderDiscord(update.message);
  await interaction.editReply({ content: '', embeds: page!.embeds, components: [], allowedMentions: { parse: [] } });
}

/**
 * Answers by editing the deferred (ephemeral) reply, or the message a button is on: only the
 * invoker sees it, so it may hold personal data. An answer longer than one message shows one page
 * with ◀ ▶ buttons when it can be asked again; otherwise its pages follow as ephemeral messages, at
 * most {@link MAX_FOLLOW_UPS}. With `apart`, the answer goes in an ephemeral follow-up and the
 * message is left as it was. The answer's files (a check's result) go with its first private
 * message, never to the channel; those Discord would refuse (over the server's size limit, more
 * than 10) are left out and the answer says so. If Discord refuses the answer, the user is told so
 * with a reference, under which the log holds the details, rather than being left with "thinking…".
 */
async function deliver(
  interaction: RepliableInteraction,
  message: ReplyMessage,
  how: { paging?: Paging | undefined; apart: boolean },
  log: Logger,
): Promise<void> {
  const locale = localeOf(interaction);
  let edited = false;
  const edit = async (body: Body, files: AttachmentBuilder[] = []) => {
    await interaction.editReply({
      content: body.content ?? '',
      embeds: body.embeds,
      components: body.components,
      allowedMentions: { parse: [] },
      ...(files.length ? { files } : {}),
    });
    edited = true;
  };
  const followUp = (body: Body, files: AttachmentBuilder[] = []) =>
    interaction.followUp({
      ...(body.content ? { content: body.content } : {}),
      embeds: body.embeds,
      components: body.components,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
      ...(files.length ? { files } : {}),
    });
  try {
    const fitted = fitFiles(message, interaction.attachmentSizeLimit || DISCORD_FILE_LIMITS.defaultBytes, locale);
    if (fitted.leftOut.length) {
      log.warn({ files: fitted.leftOut.map((f) => ({ name: f.name, bytes: f.data.byteLength })) }, 'files left out of a Discord answer');
    }
    const files = fitted.files;
    const plan = planDelivery(fitted.message, renderDiscord(fitted.message), {
      paging: how.paging,
      maxMessages: 1 + MAX_FOLLOW_UPS,
      cutNote: 'after',
      channel: Boolean(interaction.channelId),
    });
    if (plan.kind === 'channel') {
      // Meant for the whole channel (a meeting's agenda or minutes): posted there, and the
      // private acknowledgement says so. Files are for the invoker alone: they go with it.
      await postToDiscord(interaction.client.rest, interaction.channelId!, message);
      await edit({ content: postedText(locale), embeds: [], components: [] }, files);
      return;
    }
    if (plan.kind === 'paged') {
      await edit(
        withPageButtons(plan.page, plan.index, plan.count, (n) => plan.buttons[n]!),
        files,
      );
      return;
    }
    const [first, ...rest] = plan.kind === 'single' ? [plan.page] : plan.pages;
    if (how.apart) await followUp(first!, files);
    else await edit(first!, files);
    for (const page of rest) await followUp(page);
    // The note takes the last page's buttons, which would otherwise be lost.
    const cut = plan.kind === 'sequence' ? plan.cut : undefined;
    if (cut) await followUp({ content: cutText(cut.shown, cut.total)(locale), embeds: [], components: cut.last.components });
  } catch (error) {
    const reference = newErrorReference();
    log.error({ err: error, reference }, 'Discord refused the answer');
    const notice: Body = { content: undeliveredText(reference)(locale), embeds: [], components: [] };
    try {
      if (how.apart || edited) await followUp(notice);
      else await edit(notice);
    } catch (again) {
      log.error({ err: again, reference }, 'could not tell the user that the answer was refused either');
    }
  }
}

const postedText = text('Đã đăng vào kênh.', 'Posted to the channel.');

function undeliveredText(reference: string): Text {
  return text(
    `Không hiển thị được câu trả lời trên Discord (lệnh có thể đã được thực hiện). Khi báo lỗi, hãy gửi mã ${reference}.`,
    `casedesk could not show its answer on Discord (the command itself may have run). Quote ${reference} when you report it.`,
  );
}
