import { ApplicationCommandOptionType, type APIApplicationCommandOption } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commandGroups, commands } from '../../../commands/index.ts';
import { CommandRegistry } from '../../../src/core/command.ts';
import { ok } from '../../../src/domain/result.ts';
import { buildDiscordCommands } from '../../../src/adapters/discord/registration.ts';

const built = buildDiscordCommands(commands, commandGroups);
// https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function* walk(options: APIApplicationCommandOption[] = []): Generator<APIApplicationCommandOption> {
  for (const o of options) {
    yield o;
    if ('options' in o) yield* walk(o.options);
  }
}

describe('Discord command registration', () => {
  it('registers /case and /followup with subcommands, and the one-word commands at the top', () => {
    expect(built.map((c) => c.name).sort()).toEqual([
      'audit',
      'case',
      'digest',
      'followup',
      'help',
      'hit',
      'inspection',
      'meeting',
      'member',
      'validation',
      'whoami',
    ]);
    const sub = (name: string) => (built.find((c) => c.name === name)!.options ?? []).map((o) => o.name).sort();
    expect(sub('case')).toEqual(['check', 'decision', 'find', 'history', 'info', 'note', 'photo-retire', 'show', 'status', 'validate']);
    expect(sub('followup')).toEqual(['add', 'cancel', 'done', 'list']);
    expect(sub('hit')).toEqual(['confirm', 'list', 'reject', 'wait']);
    expect(sub('validation')).toEqual(['due']);
    expect(sub('inspection')).toEqual(['close', 'list', 'mark', 'show', 'start']);
  });

  it('follows Discord rules: names, description lengths, required options first, at most 25 options and choices', () => {
    for (const command of built) {
      expect(command.name).toMatch(NAME);
      expect(command.name).toBe(command.name.toLowerCase());
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.description.length).toBeLessThanOrEqual(100);
      expect(command.description_localizations?.vi?.length).toBeGreaterThan(0);
      for (const o of walk(command.options)) {
        expect(o.name).toMatch(NAME);
        expect(o.description.length).toBeLessThanOrEqual(100);
        expect(o.description_localizations?.vi).toBeTruthy();
        if ('choices' in o && o.choices) expect(o.choices.length).toBeLessThanOrEqual(25);
      }
      const leaves = command.options?.every((o) => o.type === ApplicationCommandOptionType.Subcommand)
        ? command.options.map((o) => ('options' in o ? (o.options as APIApplicationCommandOption[]) : []))
        : [command.options ?? []];
      for (const options of leaves) {
        expect(options.length).toBeLessThanOrEqual(25);
        const required = options.map((o) => Boolean('required' in o && o.required));
        expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
      }
    }
  });

  it('keeps typed options: choices with Vietnamese names, integers with bounds, limits, autocomplete', () => {
    const status = built.find((c) => c.name === 'case')!.options!.find((o) => o.name === 'status')!;
    const options = ('options' in status ? status.options : []) as APIApplicationCommandOption[];
    const outcome = options.find((o) => o.name === 'outcome')!;
    expect(outcome).toMatchObject({ type: ApplicationCommandOptionType.String, required: true });
    expect('choices' in outcome && outcome.choices).toContainEqual({
      name: 'arrested',
      name_localizations: { vi: 'đã bắt' },
      value: 'arrested',
    });
    expect(options.find((o) => o.name === 'version')).toMatchObject({
      type: ApplicationCommandOptionType.Integer,
      min_value: 1,
      max_value: 2147483647,
    });
    expect(options.find((o) => o.name === 'code')).toMatchObject({ autocomplete: true, max_length: 40 });
    expect(options.find((o) => o.name === 'on')!.description).toContain('YYYY-MM-DD');
  });

  it('registers a file option as a required attachment, before the optional ones', () => {
    const check = built.find((c) => c.name === 'case')!.options!.find((o) => o.name === 'check')!;
    const options = ('options' in check ? check.options : []) as APIApplicationCommandOption[];
    expect(options.map((o) => [o.name, o.type, Boolean('required' in o && o.required)])).toEqual([
      ['file', ApplicationCommandOptionType.Attachment, true],
      ['priority', ApplicationCommandOptionType.String, false],
      ['unit', ApplicationCommandOptionType.String, false],
    ]);
    expect(options[0]).toMatchObject({ name_localizations: { vi: 'tệp' } });
    expect(options[0]).not.toHaveProperty('max_length');
  });

  it('gives every command, subcommand and option a Vietnamese name that Discord accepts, unique among its siblings', () => {
    const checked: string[] = [];
    /** One level: the top-level commands, a command's subcommands, or a subcommand's options. */
    const level = (where: string, siblings: Array<{ name: string; name_localizations?: Record<string, string | null> | null }>) => {
      const vi = siblings.map((o) => o.name_localizations?.vi);
      for (const [i, name] of vi.entries()) {
        expect(name, `${where} ${siblings[i]!.name}`).toMatch(NAME);
        expect(name).toBe(name!.toLowerCase());
        // Precomposed letters: a combining accent is not a letter, and Discord refuses it.
        expect(name).toBe(name!.normalize('NFC'));
        checked.push(`${where} ${siblings[i]!.name}`.trim());
      }
      expect(new Set(vi).size, `Vietnamese names under "${where}": ${vi.join(', ')}`).toBe(vi.length);
    };
    level('', built);
    for (const command of built) {
      const options = command.options ?? [];
      level(command.name, options);
      for (const sub of options) {
        if (sub.type === ApplicationCommandOptionType.Subcommand) level(`${command.name} ${sub.name}`, sub.options ?? []);
      }
    }
    // Every command of the registry, and every option of it, was among those checked.
    for (const command of commands.all()) {
      expect(checked).toContain(command.name);
      for (const option of command.options) expect(checked).toContain(`${command.name} ${option.name}`);
    }
    expect(built.find((c) => c.name === 'followup')!.name_localizations).toEqual({ vi: 'việc' });
  });

  it('declares a valid Vietnamese name beside every command, option and group, and fails loudly for one without', () => {
    /** Every English word with the Vietnamese name declared beside it. */
    const declared: Array<[string, string]> = [
      ...Object.entries(commandGroups).map(([word, group]): [string, string] => [word, group.nameVi]),
      ...commands
        .all()
        .flatMap((c) => [
          [c.name.split(' ').at(-1)!, c.nameVi] as [string, string],
          ...c.options.map((o): [string, string] => [o.name, o.nameVi]),
        ]),
    ];
    for (const [word, name] of declared) {
      expect(word).toMatch(NAME);
      expect(name).toMatch(NAME);
    }
    const unnamed = new CommandRegistry([
      // @ts-expect-error A command without its Vietnamese name does not compile.
      {
        name: 'case lookup',
        description: () => 'x',
        minRole: 'viewer',
        writes: false,
        options: [],
        run: async () => ok({ personal: false, blocks: [] }),
      },
    ]);
    expect(() => buildDiscordCommands(unnamed, {})).toThrow(/No Vietnamese name for the command word "lookup"/);
  });
});
