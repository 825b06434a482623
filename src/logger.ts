import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** How the lines are written: JSON for a log collector, or short lines for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * Structured logs on standard error, so that standard output stays free for what a command prints
 * (the CLI's tables, `exec`'s reply, the console's answers). JSON lines by default; `pretty` turns
 * each into one line for a person ({@link prettyLogStream}). Errors are logged by
 * {@link serializeError}: the SQL text and the server's code, never the values a query carried.
 */
export function createLogger(level: string, destination: number | DestinationStream = 2, format: LogFormat = 'json'): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino(
    { level, base: { app: 'casedesk' }, serializers: { err: serializeError } },
    format === 'pretty' ? prettyLogStream(stream) : stream,
  );
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, said by the line's head rather than as fields. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'app', 'err']);

/**
 * A destination that turns pino's JSON lines into lines for a person: the time, the level, the
 * message, then the bound fields as `name=value`; a logged error's message follows, and its stack
 * indented under it. It formats what pino wrote, after the serializers, so nothing that a JSON line
 * leaves out (a query's parameters) can appear here.
 *
 * @example
 *   12:04:31 WARN  could not stop platform=discord
 */
export function prettyLogStream(out: { write(text: string): unknown }): DestinationStream {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '--:--:--';
      const level = (LEVEL_NAMES[Number(entry.level)] ?? String(entry.level)).padEnd(5);
      const fields = Object.entries(entry)
        .filter(([name]) => !HEAD_FIELDS.has(name))
        .map(([name, value]) => `${name}=${fieldText(value)}`);
      let text = [time, level, typeof entry.msg === 'string' ? entry.msg : '', ...fields].join(' ').trimEnd();
      const err = entry.err as { type?: unknown; message?: unknown; stack?: unknown } | undefined;
      if (err && typeof err === 'object') {
        const heading = `${typeof err.type === 'string' ? err.type : 'Error'}: ${typeof err.message === 'string' ? err.message : ''}`;
        const stack = typeof err.stack === 'string' ? err.stack : heading;
        text += `\n${stack
          .split('\n')
          .map((l) => `    ${l.trim()}`)
          .join('\n')}`;
      }
      out.write(`${text}\n`);
    },
  };
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** A logged error: what it is and where it came from, and nothing of the data it was handling. */
export interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  /** The SQL text of a failed query, with its `$1` placeholders: never the values. */
  query?: string;
  cause?: LoggedError | string;
  errors?: Array<LoggedError | string>;
  [field: string]: unknown;
}

/**
 * The fields of an error kept in the log, by the name logged: the server's SQLSTATE and where it
 * arose (the names of a table, column or constraint, as PGlite names them; postgres.js's names are
 * read too), a socket's address. Everything else is left out, because drivers and SDKs attach the
 * data they were handling: drizzle's `params`, postgres.js's `parameters` and `args`, PGlite's
 * `params`, the server's `detail` ("Failing row contains (…)", "Key (national_id)=(…) already
 * exists"), `where` and `internal_query`, an SDK's request body.
 */
const KEPT_FIELDS: Record<string, readonly string[]> = {
  code: ['code'],
  errno: ['errno'],
  severity: ['severity'],
  routine: ['routine'],
  schema: ['schema', 'schema_name'],
  table: ['table', 'table_name'],
  column: ['column', 'column_name'],
  dataType: ['dataType', 'data type_name'],
  constraint: ['constraint', 'constraint_name'],
  position: ['position'],
  syscall: ['syscall'],
  address: ['address'],
  port: ['port'],
  status: ['status'],
  method: ['method'],
};

const MAX_DEPTH = 5;

/**
 * pino's `err` serializer for casedesk. A failed query is logged with its SQL text, its message and
 * the server's code, and its causes likewise; its parameters (note texts, names, national IDs)
 * never are, neither as fields nor inside a message or stack: drizzle's `DrizzleQueryError` writes
 * them into its message (`Failed query: …\nparams: …`), and errors that wrap it copy that message.
 *
 * @example
 *   serializeError(new DrizzleQueryError('insert into notes (text) values ($1)', ['CCCD 001085012345'], cause))
 *   // { type: 'DrizzleQueryError', message: 'Failed query: insert into notes (text) values ($1)', query: '…', cause: { code: '23514', … } }
 */
export function serializeError(error: unknown): unknown {
  if (!isObject(error)) return error;
  // Every message in the chain is cleaned of the parameters any failed query of the chain wrote into it.
  const failedQueries = chainOf(error).flatMap((e) => {
    const message = messageOf(e);
    const query = typeof e.query === 'string' ? e.query : undefined;
    return query !== undefined && 'params' in e && message.startsWith('Failed query: ')
      ? [{ original: message, cleaned: `Failed query: ${query}` }]
      : [];
  });
  return serializeOne(error, failedQueries, 0);
}

function serializeOne(
  error: Record<string, unknown>,
  failedQueries: Array<{ original: string; cleaned: string }>,
  depth: number,
): LoggedError {
  const original = messageOf(error);
  let message = original;
  for (const q of failedQueries) message = message.split(q.original).join(q.cleaned);
  const code = typeof error.code === 'string' ? error.code : undefined;
  // Data exceptions (class 22) quote the value that did not fit: `invalid input syntax for type
  // integer: "…"`, `value "…" is out of range`.
  if (code?.startsWith('22')) message = message.replace(/"[^"]*"/g, '"…"');
  const logged: LoggedError = { type: typeName(error), message };
  const stack = typeof error.stack === 'string' ? cleanStack(error, error.stack, original, message) : undefined;
  if (stack !== undefined) logged.stack = stack;
  if (typeof error.query === 'string') logged.query = error.query;
  for (const [field, sources] of Object.entries(KEPT_FIELDS)) {
    const value = sources.map((source) => error[source]).find((v) => v !== undefined);
    if (typeof value === 'string' || typeof value === 'number' || (Array.isArray(value) && value.every((v) => typeof v !== 'object'))) {
      logged[field] = value;
    }
  }
  const cause = error.cause;
  if (cause !== undefined && cause !== null) {
    logged.cause = isObject(cause) && depth < MAX_DEPTH ? serializeOne(cause, failedQueries, depth + 1) : '[cause left out]';
  }
  if (Array.isArray(error.errors)) {
    logged.errors = error.errors
      .slice(0, MAX_DEPTH)
      .map((e: unknown) => (isObject(e) && depth < MAX_DEPTH ? serializeOne(e, failedQueries, depth + 1) : '[error left out]'));
  }
  return logged;
}

/**
 * The stack's frames under a heading with the cleaned message. The heading as it was (`Error:
 * Failed query: …\nparams: …`) is dropped whole, however many lines the parameters took.
 */
function cleanStack(error: Record<string, unknown>, stack: string, original: string, message: string): string {
  const heading = `${typeof error.name === 'string' ? error.name : 'Error'}: ${original}`;
  const frames = stack.startsWith(heading) ? stack.slice(heading.length) : framesOf(stack);
  return `${typeName(error)}: ${message}${frames.startsWith('\n') ? frames : ''}`;
}

/** The frames of a stack whose heading is not known: from the first `at` line on, or none. */
function framesOf(stack: string): string {
  const at = stack.indexOf('\n    at ');
  return at < 0 ? '' : stack.slice(at);
}

/** The error and its causes, outermost first. */
function chainOf(error: Record<string, unknown>): Array<Record<string, unknown>> {
  const chain: Array<Record<string, unknown>> = [];
  const pending: unknown[] = [error];
  while (pending.length && chain.length < 4 * MAX_DEPTH) {
    const next = pending.shift();
    if (!isObject(next) || chain.includes(next)) continue;
    chain.push(next);
    pending.push(next.cause);
    if (Array.isArray(next.errors)) pending.push(...(next.errors as unknown[]).slice(0, MAX_DEPTH));
  }
  return chain;
}

function messageOf(error: Record<string, unknown>): string {
  return typeof error.message === 'string' ? error.message : '';
}

function typeName(error: Record<string, unknown>): string {
  const constructorName = (error.constructor as { name?: unknown } | undefined)?.name;
  if (typeof constructorName === 'string' && constructorName !== 'Object') return constructorName;
  return typeof error.name === 'string' ? error.name : 'Object';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
