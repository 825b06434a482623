// Apart from the adapter, so that explaining a start error (src/adapters/slack/platform.ts) does not load Bolt.

/**
 * Slack refused a token when the adapter started: `variable` names which one, since Socket Mode
 * checks the bot token (auth.test) and then the app-level token (apps.connections.open), and both
 * answer `invalid_auth`. `data.error` is Slack's code, as on the Web API client's errors.
 */
export class SlackTokenRefused extends Error {
  readonly code = 'SlackTokenRefused';
  readonly data: { error: string };
  constructor(
    readonly variable: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
    slackError: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack refused ${variable} (${slackError})`, options);
    this.data = { error: slackError };
  }
}
