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

export class DiscordDeployError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
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
): Promise<Array<{ target: string; commands: number }>> {
  const rest = createDiscordRest(connection);
  const body = buildDiscordCommands(input.registry, input.groups);
  const routes = input.guildIds.length
    ? input.guildIds.map((guild) => ({ target: `guild ${guild}`, route: Routes.applicationGuildCommands(connection.applicationId, guild) }))
    : [{ target: 'global', route: Routes.applicationCommands(connection.applicationId) }];
  const done: Array<{ target: string; commands: number }> = [];
  for (const { target, route } of routes) {
    try {
      const registered = (await rest.put(route, { body })) as unknown[];
      done.push({ target, commands: registered.length });
    } catch (error) {
      if (error instanceof DiscordAPIError) throw new DiscordDeployError(`${target}: ${error.message}`, error.status);
      throw error;
    }
  }
  return done;
}
