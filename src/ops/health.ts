import type { Executor } from '../../db/client.ts';
import type { AdapterStatus, ChatPlatform } from '../core/platform.ts';
import type { Logger } from '../logger.ts';
import { pingDatabase } from '../repositories/health.ts';

/** How long readiness waits for `select 1` before it calls the database unreachable. */
export const DATABASE_CHECK_MS = 2000;

/** What `/readyz` answers: `ready` and, per check, `ok` or what is wrong (no data, no host names). */
export interface Readiness {
  ready: boolean;
  checks: Record<string, 'ok' | 'unreachable' | 'timeout' | 'not connected' | 'stopping'>;
}

/**
 * Readiness: the database answers `select 1` within {@link DATABASE_CHECK_MS} and every chat
 * platform the process runs is connected; and the process is not stopping, since from the first
 * moment of a graceful stop it takes no new requests.
 *
 * @example
 *   const health = createHealth({ db: handle.acceptDb, adapters: () => running, logger });
 *   health.startDraining();
 *   (await health.readiness()).ready === false
 */
export function createHealth(input: {
  /** Where `select 1` runs: on a server the acceptance connection, outside the commands' pool, so a busy pool does not read as unreachable. */
  db: Pick<Executor, 'execute'>;
  /** The adapters running now, by platform. */
  adapters: () => ReadonlyArray<{ platform: ChatPlatform; status(): AdapterStatus }>;
  logger: Logger;
  timeoutMs?: number;
}) {
  const timeoutMs = input.timeoutMs ?? DATABASE_CHECK_MS;
  const log = input.logger.child({ component: 'readiness' });
  let draining = false;

  async function database(): Promise<Readiness['checks'][string]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([pingDatabase(input.db).then(() => 'ok' as const), late]);
    } catch (error) {
      // The driver's message may name the host; it goes to the log, not to whoever asks.
      log.warn({ err: error }, 'readiness: the database did not answer select 1');
      return 'unreachable';
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** A graceful stop began: readiness fails from now on. */
    startDraining(): void {
      draining = true;
    },
    get draining(): boolean {
      return draining;
    },
    async readiness(): Promise<Readiness> {
      const checks: Readiness['checks'] = { database: await database() };
      for (const adapter of input.adapters()) checks[adapter.platform] = adapter.status().connected ? 'ok' : 'not connected';
      if (draining) checks.shutdown = 'stopping';
      return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
    },
  };
}

export type Health = ReturnType<typeof createHealth>;
