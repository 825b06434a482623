import { randomBytes } from 'node:crypto';

/**
 * A short reference for an unexpected failure, shown to the user and logged with the details, so
 * that a report can be matched to the log without showing the user anything internal.
 *
 * @example
 *   newErrorReference() // 'E-3F9A0C1B'
 */
export const newErrorReference = (): string => `E-${randomBytes(4).toString('hex').toUpperCase()}`;
