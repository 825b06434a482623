import { DiscordjsError, DiscordjsErrorCodes } from 'discord.js';
import type { PlatformDescriptor } from '../../core/platform.ts';
import { text } from '../../i18n/text.ts';
import { createDiscordAdapter } from './adapter.ts';
import { createDiscordPoster } from './post.ts';

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
      createAdapter: ({ dispatcher, logger, onAcknowledged }) =>
        createDiscordAdapter({ dispatcher, connection, logger, ...(onAcknowledged ? { onAcknowledged } : {}) }),
      createPoster: () => createDiscordPoster(connection),
    };
  },
  explainStartError(error) {
    if (!(error instanceof DiscordjsError) || error.code !== DiscordjsErrorCodes.TokenInvalid) return undefined;
    return text(
      'Discord từ chối DISCORD_TOKEN. Hãy lấy mã mới trong Developer Portal → ứng dụng → Bot → Reset Token.',
      'Discord refused DISCORD_TOKEN. Get a new one in the Developer Portal → your application → Bot → Reset Token.',
    );
  },
};
