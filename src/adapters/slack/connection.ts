/** What `loadConfig` gives for Slack: HTTP when `signingSecret` is set, Socket Mode when `appToken` is. */
export interface SlackConnection {
  botToken: string;
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  /** HTTP transport only. 0 picks a free port (tests). */
  port: number;
  /** The Web API base, ending in `/`: `https://slack.com/api/`. */
  apiUrl: string;
}
