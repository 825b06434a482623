import { DiscordAPIError, REST, Routes } from 'discord.js';
import type { CommandGroup, CommandRegistry } from '../../core/command.ts';
import { buildDiscordCommands } from './registration.ts';

export interface DiscordConnection {
  token: string;
  applicationId: string;
  apiUrl: string;
}

/** A REST client for Discord (or a proxy or local fake at `apiUrl`); it waits out 429s itself. */
export function createDiscordRest(connection: DiscordConnection): REST {
  return new REST({ api: connection.apiUrl, version: '10' }).setToken(connection.token);
}

/** Discord's refusal of a registration: `message` names where (`guild 123: …`), `reason` is Discord's own words. */
export class DiscordDeployError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The server the commands were for; undefined for the global registration. */
    readonly guildId?: string,
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'DiscordDeployError';
  }
}

/**
 * Registers the slash commands, replacing whatever was registered before (Discord's bulk
 * overwrite), so running it again is safe. In the given servers, where changes show at once, or
 * globally when none is given.
 */
export async function deployDiscordCommands(
  connection: DiscordConnection,
  input: { registry: CommandRegistry; groups: Record<string, CommandGroup>; guildIds: string[] },
): Promise<Array<{ target: string; guildId?: string; commands: number }>> {
  const rest = createDiscordRest(connection);
  const body = buildDiscordCommands(input.registry, input.groups);
  const routes: Array<{ target: string; guildId: string | undefined; route: `/${string}` }> = input.guildIds.length
    ? input.guildIds.map((guild) => ({
        target: `guild ${guild}`,
        guildId: guild,
        route: Routes.applicationGuildCommands(connection.applicationId, guild),
      }))
    : [{ target: 'global', guildId: undefined, route: Routes.applicationCommands(connection.applicationId) }];
  const done: Array<{ target: string; guildId?: string; commands: number }> = [];
  for (const { target, guildId, route } of routes) {
    try {
      const registered = (await rest.put(route, { body })) as unknown[];
      done.push({ target, ...(guildId === undefined ? {} : { guildId }), commands: registered.length });
    } catch (error) {
      if (error instanceof DiscordAPIError)
        throw new DiscordDeployError(`${target}: ${error.message}`, error.status, guildId, error.message);
      throw error;
    }
  }
  return done;
}
