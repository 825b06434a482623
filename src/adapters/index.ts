import type { ChatPlatform, PlatformDescriptor } from '../core/platform.ts';
import { discordPlatform } from './discord/platform.ts';
import { slackPlatform } from './slack/platform.ts';

/**
 * The chat platforms casedesk can run on, in the order it names them. `casedesk start` runs each
 * one configured; `digest schedule add --target` and `digest run-schedules` read the digest
 * targets here. A new platform is a folder beside these, its descriptor, and one line here.
 */
export const PLATFORM_ADAPTERS: readonly PlatformDescriptor[] = [discordPlatform, slackPlatform];

/** The descriptor of `name`. */
export function platformNamed(name: ChatPlatform): PlatformDescriptor {
  const found = PLATFORM_ADAPTERS.find((p) => p.name === name);
  if (!found) throw new Error(`No adapter for the platform "${name}".`);
  return found;
}

/** The platforms digests can be scheduled to. */
export const DIGEST_TARGETS: readonly PlatformDescriptor[] = PLATFORM_ADAPTERS.filter((p) => p.digestTarget);
