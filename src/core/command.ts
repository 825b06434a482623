import { hasRole } from '../domain/roles.ts';
import { editDistance } from '../domain/name-match.ts';
import type { Locale, MemberRole, Platform } from '../../db/schema/index.ts';
import type { IsoDate } from '../domain/dates.ts';
import type { ValidationPolicy } from '../domain/validation.ts';
import type { Text } from '../i18n/text.ts';
import type { Logger } from '../logger.ts';
import type { Member } from '../repositories/members.ts';
import type { ReplyAction, ReplyMessage } from '../domain/reply.ts';
import type { Services } from '../services/index.ts';
import type { OptionSpec, OptionsOf, ParsedOptions } from './options.ts';
import type { Result } from '../domain/result.ts';
import type { Scope } from '../domain/scope.ts';
import type { InputFile } from './invocation.ts';

/** The least time between two progress updates of one command: chat platforms limit edits. */
export const PROGRESS_INTERVAL_MS = 2000;

/**
 * What a command's `run` receives. Everything is injected; nothing is read from globals.
 * `Options` is the type {@link defineCommand} infers from the command's option spec.
 */
export interface CommandContext<Options = ParsedOptions> {
  /**
   * The use cases, bound to the transaction the command runs in; its audit row is written in the
   * same one. Commands reach data only through these.
   */
  services: Services;
  member: Member;
  scope: Scope;
  locale: Locale;
  options: Options;
  now: Date;
  /** Today in the configured time zone. */
  today: IsoDate;
  timeZone: string;
  /** How often wanted records are reviewed by their owning units, and how early a review shows as due. */
  validation: ValidationPolicy;
  /** Whether the answer can be shown to the invoker alone; if not, personal data must stay out. */
  canReplyPrivately: boolean;
  /** Whether the platform shows buttons the user can press (Discord, Slack; not the console). */
  interactive: boolean;
  /** True when the user confirmed this run by pressing the button of {@link askToConfirm}. */
  confirmed: boolean;
  /**
   * Stores `action` to run when confirmed and returns the confirm and cancel buttons for the
   * reply. The press runs it as whoever pressed, checked like a typed command, at most once.
   */
  askToConfirm(action: { command: string; options: Record<string, string | number | boolean> }): Promise<ReplyAction[]>;
  invocation: { id: string; platform: Platform; workspaceId: string; channelId: string; userId: string };
  /** Opens the file a `file` option refers to; undefined when the platform gave none by that reference. */
  openFile(reference: string): InputFile | undefined;
  /**
   * Tells the invoker how far a long command has got ("checking… 12,000 / 35,000"): shown where the
   * platform can show it, at most every {@link PROGRESS_INTERVAL_MS}; never personal data.
   */
  progress(done: number, total: number, line: Text): Promise<void>;
  /** Records the case codes this command read or changed, for the audit row. */
  touch(...caseCodes: string[]): void;
  /**
   * Adds to the audit row's arguments what the options cannot say, such as what a change found
   * and left: `ctx.noteAudit({ before: { role: 'officer' }, after: { role: 'lead' } })`.
   */
  noteAudit(args: Record<string, unknown>): void;
  commands: CommandRegistry;
  logger: Logger;
}

/**
 * A slash command, declared as data. Commands never see a platform: they read typed options and
 * answer with a platform-neutral {@link ReplyMessage}, or an expected failure. `O` is the option
 * spec; the registry and the core see every command with the erased default.
 *
 * @example
 *   export default defineCommand({
 *     name: 'whoami', nameVi: 'tài-khoản', minRole: 'viewer', writes: false, options: [],
 *     description: text('Cho biết bạn là ai', 'Tells you who you are'),
 *     run: async (ctx) => ok({ personal: false, blocks: [{ kind: 'text', text: ctx.member.handle }] }),
 *   });
 */
export interface CommandDefinition<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** One or two words: `case find`, `help`. The first word is the Discord and Slack command. */
  name: string;
  /**
   * The Vietnamese name of the command's own word (the subcommand of a two-word command: `tìm` for
   * `case find`; the command itself for one word: `trợ-giúp` for `help`). Discord shows it to
   * members whose client is in Vietnamese; it follows Discord's naming rule, lowercase.
   */
  nameVi: string;
  /**
   * Other names a typed line may use (the console's `check` for `case check`). Text only: Discord
   * and Slack show the command under its name.
   */
  aliases?: readonly string[];
  description: Text;
  options: O;
  /** The least role that may run it; the core checks it on every invocation (see {@link mayRun}). */
  minRole: MemberRole;
  /** Whether auditors, who stand outside the ranks, may run it too (help, whoami: nothing of the cases). */
  openToAuditors?: boolean;
  /** Whether it changes data (audited either way; shown in help). */
  writes: boolean;
  run(ctx: CommandContext<OptionsOf<O>>): Promise<Result<ReplyMessage>>;
}

/** Whether a member with `role` may run `command`: its least role, or an auditor where it admits auditors. */
export function mayRun(role: MemberRole, command: Pick<CommandDefinition, 'minRole' | 'openToAuditors'>): boolean {
  return hasRole(role, command.minRole) || (role === 'auditor' && command.openToAuditors === true);
}

/**
 * The first word of two-word commands (`case`, `followup`): what it stands for, and its Vietnamese
 * name, under the same rule as a command's `nameVi`.
 */
export interface CommandGroup {
  nameVi: string;
  description: Text;
}

/**
 * Declares a command, typing `ctx.options` from its option spec: `ctx.options.id` is a `number`
 * for a required integer option, a choice option is the union of its values, and a name the spec
 * lacks does not compile. The spec is inferred as written (no `as const` needed).
 */
export function defineCommand<const O extends readonly OptionSpec[]>(definition: CommandDefinition<O>): CommandDefinition {
  // The one place the spec's type is erased: the core validates every command's options against
  // its own spec before `run`, so `run` receives exactly what `OptionsOf<O>` describes.
  return definition as unknown as CommandDefinition;
}

/** The commands, looked up by name. Refuses two commands with one name. */
export class CommandRegistry {
  private readonly byName = new Map<string, CommandDefinition>();
  private readonly byAlias = new Map<string, CommandDefinition>();

  constructor(definitions: readonly CommandDefinition[]) {
    for (const definition of definitions) {
      const name = definition.name.trim().toLowerCase();
      if (!/^[a-z][a-z-]*( [a-z][a-z-]*)?$/.test(name)) throw new Error(`Invalid command name "${definition.name}"`);
      if (this.byName.has(name)) throw new Error(`Duplicate command "${name}"`);
      const positional = definition.options.filter((o) => o.positional);
      positional.slice(0, -1).forEach((o) => {
        if (o.type === 'text') throw new Error(`${name}: only the last positional option may take the rest of the line`);
      });
      const names = new Set<string>();
      for (const o of definition.options) {
        if (names.has(o.name)) throw new Error(`${name}: duplicate option "${o.name}"`);
        names.add(o.name);
      }
      this.byName.set(name, definition);
    }
    for (const definition of definitions) {
      for (const alias of definition.aliases ?? []) {
        const key = alias.trim().toLowerCase();
        if (this.byName.has(key) || this.byAlias.has(key)) throw new Error(`${definition.name}: alias "${key}" is taken`);
        this.byAlias.set(key, definition);
      }
    }
  }

  get(name: string): CommandDefinition | undefined {
    return this.byName.get(name.trim().toLowerCase());
  }

  all(): CommandDefinition[] {
    return [...this.byName.values()];
  }

  /** The top-level words: `case`, `followup`, `help`, … (Discord and Slack commands). */
  groups(): string[] {
    return [...new Set(this.all().map((c) => c.name.split(' ')[0]!))];
  }

  /** The second words of a group's commands, in the registry's order: `find`, `show`, … for `case`. */
  subcommands(group: string): string[] {
    return this.all()
      .map((c) => c.name.split(' '))
      .filter((words) => words.length === 2 && words[0] === group)
      .map((words) => words[1]!);
  }

  /**
   * Finds the command a line of text starts with: two words (`case find …`) before one (`help …`),
   * names before aliases (`check …`).
   * Returns the command and the rest of the line, or what was missed (see {@link CommandMiss}).
   */
  resolveText(line: string): { command: CommandDefinition; rest: string } | CommandMiss {
    const trimmed = line.trim().replace(/^\/+/, '');
    const words = trimmed.split(/\s+/);
    const first = (words[0] ?? '').toLowerCase();
    const second = (words[1] ?? '').toLowerCase();
    const two = this.get(`${first} ${second}`);
    if (two) return { command: two, rest: restAfter(trimmed, 2) };
    const one = this.get(first);
    if (one) return { command: one, rest: restAfter(trimmed, 1) };
    const alias = this.byAlias.get(`${first} ${second}`) ?? this.byAlias.get(first);
    if (alias) return { command: alias, rest: restAfter(trimmed, this.byAlias.has(`${first} ${second}`) ? 2 : 1) };
    return this.miss(first, second);
  }

  /**
   * What a line that names no command missed, and the nearest command: within the group when its
   * first word is a group (`case fnd` → `case find`), else among every name, alias and group
   * (`cse find` → `case find`, `hlep` → `help`).
   */
  private miss(first: string, second: string): CommandMiss {
    if (this.groups().includes(first)) {
      const subcommands = this.subcommands(first);
      if (!second) return { group: first, subcommands };
      const near = nearest(second, subcommands);
      return { group: first, subcommand: second, subcommands, ...(near ? { suggestion: `${first} ${near}` } : {}) };
    }
    // A two-word name within reach before a one-word one: `folowup lst` is `followup list`, not
    // the group `followup` alone.
    const names = [...this.byName.keys(), ...this.byAlias.keys(), ...this.groups()];
    const twoWords = nearest(
      `${first} ${second}`,
      names.filter((n) => n.includes(' ')),
    );
    const suggestion =
      twoWords ??
      nearest(
        first,
        names.filter((n) => !n.includes(' ')),
      );
    return { group: undefined, ...(suggestion ? { suggestion } : {}) };
  }
}

/**
 * A line of text that names no command: `group` when its first word is a group (`case`), with the
 * group's `subcommands`; `subcommand` when a second word was typed that the group does not have;
 * `suggestion` the command (or group) nearest to what was typed, when one is near enough.
 */
export interface CommandMiss {
  group: string | undefined;
  subcommand?: string;
  subcommands?: string[];
  suggestion?: string;
}

/**
 * Edits from `typed` to `name` when they are near enough to suggest: one edit for a name of up to
 * five letters, two from six, and always fewer than a third of its letters, so that a short word
 * (`hi`) is not taken for a short name (`hit`) one letter away. Swapping two neighbouring letters is one
 * edit (`hlep` → `help`).
 */
function withinReach(typed: string, name: string): number | undefined {
  const budget = name.length >= 6 ? 2 : 1;
  const distance = editDistance(typed, name, budget);
  return distance <= budget && distance < name.length / 3 ? distance : undefined;
}

/** The nearest of `names` within reach of `typed` (the first on a tie), if any. */
function nearest(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = withinReach(typed, name);
    if (distance !== undefined && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** The line after its first `n` words, with its own spacing and quotes kept. */
function restAfter(line: string, n: number): string {
  let rest = line;
  for (let i = 0; i < n; i++) rest = rest.replace(/^\S+\s*/, '');
  return rest;
}
