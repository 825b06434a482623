import {
  ApplicationCommandOptionType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, CommandGroup, CommandRegistry } from '../../core/command.ts';
import { integerRange, type OptionSpec } from '../../core/options.ts';
import type { Text } from '../../i18n/text.ts';

/** Discord's limits on application commands. */
const DESCRIPTION_MAX = 100;
const CHOICE_NAME_MAX = 100;
const CHOICES_MAX = 25;
const STRING_MAX = 6000;

/** Members are known by (guild, user): the commands exist in servers only, not in direct messages. */
const GUILD_ONLY = [InteractionContextType.Guild];

const fit = (value: string, max: number) => ([...value].length <= max ? value : `${[...value].slice(0, max - 1).join('')}…`);

/**
 * An English name (Discord's default, and what interactions carry) with its Vietnamese localisation,
 * declared beside the command or option. The types require one; this is the net under a definition
 * that reached here around them (plain JavaScript, a cast).
 */
function named(word: string, nameVi: string | undefined) {
  if (!nameVi) throw new Error(`No Vietnamese name for the command word "${word}": declare its nameVi beside it.`);
  return { name: word, name_localizations: { vi: nameVi } };
}

/** An English description (Discord's default) with its Vietnamese localisation. */
function describe(t: Text) {
  return { description: fit(t('en'), DESCRIPTION_MAX), description_localizations: { vi: fit(t('vi'), DESCRIPTION_MAX) } };
}

const rangeOf = (r: { min: number; max: number }) => ({ min_value: r.min, max_value: r.max });

function option(spec: OptionSpec): APIApplicationCommandBasicOption {
  const base = {
    ...named(spec.name, spec.nameVi),
    ...describe(spec.type === 'date' ? (l) => `${spec.description(l)} (YYYY-MM-DD)` : spec.description),
    required: Boolean(spec.required),
  };
  switch (spec.type) {
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        // The range the core accepts: Discord's form refuses the rest before it is sent.
        ...rangeOf(integerRange(spec)),
      };
    case 'file':
      return { ...base, type: ApplicationCommandOptionType.Attachment };
    case 'choice':
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        choices: (spec.choices ?? []).slice(0, CHOICES_MAX).map((c) => ({
          name: fit(c.label('en'), CHOICE_NAME_MAX),
          name_localizations: { vi: fit(c.label('vi'), CHOICE_NAME_MAX) },
          value: c.value,
        })),
      };
    default:
      return {
        ...base,
        type: ApplicationCommandOptionType.String,
        max_length: Math.min(spec.maxLength ?? (spec.type === 'text' ? 2000 : 200), STRING_MAX),
        ...(spec.suggest ? { autocomplete: true } : {}),
      };
  }
}

/** Discord wants required options first; the core's order is kept otherwise. */
function options(command: CommandDefinition): APIApplicationCommandBasicOption[] {
  const all = command.options.map(option);
  return [...all.filter((o) => o.required), ...all.filter((o) => !o.required)];
}

/**
 * The slash commands to register, built from the core's option specs: `/case find`, `/case show`,
 * … as subcommands of `/case`; one-word commands (`/help`, `/whoami`) at the top level. Typed
 * options, choices, limits and autocomplete come from the specs; Vietnamese descriptions from their
 * texts, Vietnamese names from each command's, option's and group's `nameVi`.
 */
export function buildDiscordCommands(
  registry: CommandRegistry,
  groups: Record<string, CommandGroup>,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const out: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const group of registry.groups()) {
    const members = registry.all().filter((c) => c.name.split(' ')[0] === group);
    const single = members.find((c) => c.name === group);
    if (single) {
      out.push({ ...named(group, single.nameVi), ...describe(single.description), options: options(single), contexts: GUILD_ONLY });
      continue;
    }
    const subcommands = members.map((c): APIApplicationCommandSubcommandOption => ({
      type: ApplicationCommandOptionType.Subcommand,
      ...named(c.name.split(' ')[1]!, c.nameVi),
      ...describe(c.description),
      options: options(c),
    }));
    const description: Text = groups[group]?.description ?? (() => members.map((c) => c.name).join(', '));
    out.push({ ...named(group, groups[group]?.nameVi), ...describe(description), contexts: GUILD_ONLY, options: subcommands });
  }
  return out;
}
