import type { PlatformDescriptor } from '../../core/platform.ts';
import { text } from '../../i18n/text.ts';
import { SlackTokenRefused } from './errors.ts';

/** Slack: runs when SLACK_BOT_TOKEN is set (HTTP with SLACK_SIGNING_SECRET, Socket Mode with SLACK_APP_TOKEN). */
export const slackPlatform: PlatformDescriptor = {
  name: 'slack',
  label: 'Slack',
  digestTarget: true,
  configure(config) {
    const connection = config.slack;
    if (!connection) return undefined;
    return {
      // Over HTTP, Bolt listens on PORT; in Socket Mode nothing does.
      listensOnPort: !connection.appToken,
      // Bolt loads when an adapter or a poster is made, not to read the configuration.
      createAdapter: async ({ dispatcher, logger, routes, onAcknowledged }) =>
        (await import('./adapter.ts')).createSlackAdapter({
          dispatcher,
          connection,
          logger,
          locale: config.locale,
          ...(routes ? { routes } : {}),
          ...(onAcknowledged ? { onAcknowledged } : {}),
        }),
      createPoster: async () => (await import('./post.ts')).createSlackPosterFor(connection, config.locale),
    };
  },
  explainStartError(error) {
    if (!(error instanceof SlackTokenRefused)) return undefined;
    const slackError = error.data.error;
    if (error.variable === 'SLACK_APP_TOKEN') {
      return text(
        `Slack từ chối SLACK_APP_TOKEN (${slackError}). Tạo mã cấp ứng dụng (App-Level Token, bắt đầu bằng xapp-) có quyền connections:write trong api.slack.com/apps → ứng dụng → Basic Information → App-Level Tokens.`,
        `Slack refused SLACK_APP_TOKEN (${slackError}). Generate an App-Level Token (starting xapp-) with the connections:write scope in api.slack.com/apps → your app → Basic Information → App-Level Tokens.`,
      );
    }
    return text(
      `Slack từ chối SLACK_BOT_TOKEN (${slackError}). Lấy Bot User OAuth Token trong api.slack.com/apps → ứng dụng → OAuth & Permissions.`,
      `Slack refused SLACK_BOT_TOKEN (${slackError}). Get the Bot User OAuth Token from api.slack.com/apps → your app → OAuth & Permissions.`,
    );
  },
};
