import type { PlatformDescriptor } from '../../core/platform.ts';
import { text } from '../../i18n/text.ts';

/** Discord: runs when DISCORD_TOKEN and DISCORD_APPLICATION_ID are set. */
export const discordPlatform: PlatformDescriptor = {
  name: 'discord',
  label: 'Discord',
  digestTarget: true,
  configure(config) {
    const connection = config.discord;
    if (!connection) return undefined;
    return {
      listensOnPort: false,
      // discord.js loads when an adapter or a poster is made, not to read the configuration.
      createAdapter: async ({ dispatcher, logger, onAcknowledged }) =>
        (await import('./adapter.ts')).createDiscordAdapter({
          dispatcher,
          connection,
          logger,
          ...(onAcknowledged ? { onAcknowledged } : {}),
        }),
      createPoster: async () => (await import('./post.ts')).createDiscordPoster(connection),
    };
  },
  explainStartError(error) {
    // discord.js's DiscordjsError with the code DiscordjsErrorCodes.TokenInvalid, told by its code: the
    // class would load discord.js to explain an error only an adapter that loaded it can raise.
    if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'TokenInvalid') return undefined;
    return text(
      'Discord từ chối DISCORD_TOKEN. Hãy lấy mã mới trong Developer Portal → ứng dụng → Bot → Reset Token.',
      'Discord refused DISCORD_TOKEN. Get a new one in the Developer Portal → your application → Bot → Reset Token.',
    );
  },
};
