import type { Text } from './text.ts';

/**
 * The stable codes of expected failures. Adapters and scripts may rely on them; the wording
 * (`text`) is for people and may change.
 */
export type FailureCode = 'invalid' | 'not_found' | 'denied' | 'unknown_user' | 'conflict';

/** An expected failure: a value, not an exception. */
export interface Failure {
  code: FailureCode;
  text: Text;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: FailureCode, text: Text): Result<T> => ({ ok: false, failure: { code, text } });
