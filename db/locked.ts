/**
 * The embedded database's folder is held by another process. A module of its own, without the
 * drivers, so that the command line can tell this failure apart without loading them.
 */
export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another casedesk process (pid ${pid}). ` +
        'Stop that process first, or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.name = 'DatabaseLockedError';
  }
}
