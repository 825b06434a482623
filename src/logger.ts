import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs as JSON lines on standard error, so that standard output stays free for what a
 * command prints (the CLI's tables, `exec`'s reply).
 */
export function createLogger(level: string, destination: number = 2): Logger {
  return pino({ level, base: { app: 'casedesk' } }, pino.destination({ fd: destination, sync: true }));
}
