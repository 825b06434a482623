import { startConsoleHarness } from './contract/console.ts';
import { deliveryContract } from './contract/delivery.ts';
import { startDiscordHarness } from './contract/discord.ts';
import { startSlackHarness } from './contract/slack.ts';

// Every delivery behaviour, once, on every platform.
deliveryContract([
  { name: 'discord', start: startDiscordHarness },
  { name: 'slack', start: startSlackHarness },
  { name: 'console', start: startConsoleHarness },
]);
