import { startConsoleHarness } from './contract/console.ts';
import { deliveryContract } from './contract/delivery.ts';
import { startDiscordHarness } from './contract/discord.ts';
import { startSlackHarness } from './contract/slack.ts';

// Every delivery behaviour, once, on every platform. A new platform adds its harness
// (tests/adapters/contract/<platform>.ts: its adapter's factory over its fake, implementing
// `Harness`, with what it cannot do declared in `can`) and one line here.
deliveryContract([
  { name: 'discord', start: startDiscordHarness },
  { name: 'slack', start: startSlackHarness },
  { name: 'console', start: startConsoleHarness },
]);
