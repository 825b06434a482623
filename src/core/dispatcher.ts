import { randomUUID } from 'node:crypto';
import type { Database, Executor } from '../../db/client.ts';
import type { Locale } from '../../db/schema/index.ts';
import { dayIn } from '../domain/dates.ts';
import { newErrorReference } from '../domain/reference.ts';
import { DEFAULT_VALIDATION_POLICY, type ValidationPolicy } from '../domain/validation.ts';
import type { ReplyMessage } from '../domain/reply.ts';
import type { Text } from '../i18n/text.ts';
import type { Logger } from '../logger.ts';
import { insertAudit, type AuditEntry } from '../repositories/audit.ts';
import { resolveActor } from '../repositories/invocations.ts';
import { createClaims, LostClaim } from './claims.ts';
import { fitSuggestions, suggestionInput, type Suggestion } from './autocomplete.ts';
import { createServices } from '../services/index.ts';
import {
  mayRun,
  PROGRESS_INTERVAL_MS,
  type CommandContext,
  type CommandDefinition,
  type CommandMiss,
  type CommandRegistry,
} from './command.ts';
import { isConfirmation, offerConfirmation, takeConfirmation } from './confirmations.ts';
import * as say from './dispatcher-texts.ts';
import type { Actor, Invocation, InvocationInput, Reply } from './invocation.ts';
import { parseTextOptions, refuseControlCharacters, validateOptions } from './options.ts';
import type { Failure, FailureCode } from '../domain/result.ts';

export interface DispatcherDeps {
  db: Database;
  commands: CommandRegistry;
  /** Reply language for members without their own (CASEDESK_LOCALE). */
  locale: Locale;
  timeZone: string;
  /** How often wanted records are reviewed (CASEDESK_VALIDATION_*); {@link DEFAULT_VALIDATION_POLICY} if unset. */
  validation?: ValidationPolicy;
  logger: Logger;
  clock?: () => Date;
  /** Names this process in claims of invocation ids, for operators reading the table. */
  instanceId?: string;
  /** Runs each command's database work in its turn: the database handle's `turn`. Unlimited if unset. */
  turn?: <T>(work: () => Promise<T>) => Promise<T>;
  /** Where invocations are accepted: the handle's `acceptDb`, outside the commands' pool. `db` if unset. */
  acceptDb?: Database;
  /** How long a claim is held without renewal while its command runs (default a minute, renewed). */
  claimLeaseMs?: number;
  /** How long the stored answer is held while it is sent live (default a minute, renewed). */
  answerLeaseMs?: number;
}

export type DispatchOutcome = 'ok' | 'denied' | 'invalid' | 'error' | 'duplicate';

export interface DispatchResult {
  outcome: DispatchOutcome;
  /** The stable code of an expected failure, or `internal` with `reference` for a bug. */
  code?: FailureCode | 'unknown_command' | 'internal';
  reference?: string;
  command?: string;
  /** A duplicate that delivered the answer an instance committed but did not send (it died). */
  redelivered?: true;
}

/** `detail` is what the audit row says, when more specific than the code (`member_disabled`). */
type Refusal = (Failure | { code: 'unknown_command'; text: Text }) & { detail?: string };

const AUDIT_OUTCOME: Record<Refusal['code'], 'denied' | 'invalid'> = {
  denied: 'denied',
  unknown_user: 'denied',
  invalid: 'invalid',
  not_found: 'invalid',
  conflict: 'invalid',
  unknown_command: 'invalid',
};

/** The audit detail of a refusal to a disabled member. */
const MEMBER_DISABLED = 'member_disabled';

/** Thrown inside the command's transaction to roll back its writes when it answers a refusal. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

/** What became of one invocation, before it is audited and answered. */
type Outcome =
  { kind: 'ok'; message: ReplyMessage; detail: string | null } | { kind: 'refused'; refusal: Refusal } | { kind: 'error'; error: unknown };

/**
 * The one path every request takes, whatever the platform:
 *
 *   accept (claim the invocation id, leased; a second delivery stops here) → acknowledge the
 *   platform → resolve the actor to a member (unknown → refused) → find the command (a confirm
 *   button stands for its stored one) → check the role → parse and validate the options → run it in
 *   a transaction → one audit row (refusals and bugs included; a success's in the same transaction
 *   as its writes), the answer stored in the outbox and the claim finished, in that transaction →
 *   answer live, and mark the stored answer delivered.
 *
 * An instance that dies after the commit leaves the stored answer to the outbox worker of another
 * (or to a duplicate of the request, which then delivers it); one that dies before leaves a claim
 * whose lease runs out, and a duplicate then takes it over and runs the command.
 *
 * @example
 *   const dispatcher = createDispatcher({ db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
 *   await dispatcher.dispatch(invocation, reply, { acknowledge: () => interaction.deferReply() });
 */
export function createDispatcher(deps: DispatcherDeps) {
  const clock = deps.clock ?? (() => new Date());
  const instanceId = deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`;
  const turn = deps.turn ?? ((work) => work());
  const acceptDb = deps.acceptDb ?? deps.db;

  const claims = createClaims({
    db: acceptDb,
    instanceId,
    clock,
    ...(deps.claimLeaseMs !== undefined ? { claimLeaseMs: deps.claimLeaseMs } : {}),
    ...(deps.answerLeaseMs !== undefined ? { answerLeaseMs: deps.answerLeaseMs } : {}),
  });
  const accept = claims.accept;

  /**
   * Accepts, acknowledges and runs one invocation, answering it through `reply`. `acknowledge` is the
   * platform's "received, working on it" (Discord's deferral); it is called only by the instance that
   * accepted (or that delivers a stored answer to a duplicate), before any other database work.
   */
  async function dispatch(
    invocation: Invocation,
    reply: Reply,
    how: { acknowledge?: () => Promise<unknown> } = {},
  ): Promise<DispatchResult> {
    const log = deps.logger.child({
      invocation: invocation.id,
      platform: invocation.actor.platform,
      user: `${invocation.actor.workspaceId}/${invocation.actor.userId}`,
    });
    if (!(await accept(invocation.id))) return duplicate(invocation, reply, how, log);
    await how.acknowledge?.();
    const claim = claims.hold(invocation.id, log);
    try {
      return await runAndAnswer(invocation, reply, log);
    } finally {
      claim.stop();
    }
  }

  /**
   * A delivery of a request already claimed: silent, unless the answer was committed and never
   * delivered and nobody is delivering it (its instance died), in which case this one delivers it.
   */
  async function duplicate(
    invocation: Invocation,
    reply: Reply,
    how: { acknowledge?: () => Promise<unknown> },
    log: Logger,
  ): Promise<DispatchResult> {
    const stored = await claims.unanswered(invocation.id);
    if (!stored) return { outcome: 'duplicate' };
    await how.acknowledge?.();
    log.info('delivering the stored answer of an earlier delivery of this request');
    await claims.deliver(reply, stored.message, stored.id, undefined, log);
    return { outcome: 'duplicate', redelivered: true };
  }

  async function runAndAnswer(invocation: Invocation, reply: Reply, log: Logger): Promise<DispatchResult> {
    const now = invocation.receivedAt ?? clock();
    const { actor, input } = invocation;
    const seen = {
      command: commandNameOf(input),
      locale: invocation.localeHint ?? deps.locale,
      memberId: null as number | null,
      args: rawArgs(input),
      caseCodes: new Set<string>(),
    };
    /** The single audit step: one row for every invocation, whatever became of it. */
    const audit = (db: Executor, outcome: AuditEntry['outcome'], detail: string | null) =>
      insertAudit(db, {
        command: seen.command,
        platform: actor.platform,
        workspaceId: actor.workspaceId,
        userId: actor.userId,
        channelId: invocation.channel.id,
        invocationId: invocation.id,
        memberId: seen.memberId,
        args: seen.args,
        caseCodes: [...seen.caseCodes],
        outcome,
        detail,
        osUser: invocation.operator?.user ?? null,
        osHost: invocation.operator?.host ?? null,
      });

    let outcome: Outcome;
    let answerId: number | undefined;
    try {
      outcome = await turn(() =>
        deps.db.transaction(async (tx) => {
          const done = await run(tx, invocation, reply, now, seen);
          await audit(tx, 'ok', done.detail);
          const message = withheldIfShared(done.message, reply, seen.locale);
          answerId = await claims.settle(tx, invocation, message);
          return { ...done, message };
        }),
      );
    } catch (error) {
      if (error instanceof LostClaim) return lostClaim(log);
      outcome = error instanceof Refused ? { kind: 'refused', refusal: error.refusal } : { kind: 'error', error };
    }

    if (outcome.kind === 'ok') {
      await claims.deliver(reply, outcome.message, answerId, { outcome: 'ok' }, log);
      log.info({ command: seen.command, outcome: 'ok' }, 'command answered');
      return { outcome: 'ok', command: seen.command };
    }
    // The command's transaction was rolled back: the refusal or the bug is audited on its own, and
    // its answer stored with the audit row.
    let reference = outcome.kind === 'error' ? newErrorReference() : undefined;
    if (outcome.kind === 'error') log.error({ err: outcome.error, reference, command: seen.command }, 'command failed');
    const audited = outcome.kind === 'error' ? 'error' : AUDIT_OUTCOME[outcome.refusal.code];
    const detail = outcome.kind === 'error' ? reference! : (outcome.refusal.detail ?? outcome.refusal.code);
    const refusal = outcome.kind === 'refused' ? outcome.refusal : undefined;
    const answer = (ref: string | undefined) =>
      errorMessage(ref !== undefined || !refusal ? say.internalErrorText(ref!)(seen.locale) : refusal.text(seen.locale));
    try {
      await turn(() =>
        deps.db.transaction(async (tx) => {
          await audit(tx, audited, detail);
          answerId = await claims.settle(tx, invocation, answer(reference));
        }),
      );
    } catch (auditError) {
      if (auditError instanceof LostClaim) return lostClaim(log);
      // What cannot be audited is answered as a failure, with a reference to quote (live only: the
      // claim stays unfinished, so a duplicate after its lease runs the command again).
      reference ??= newErrorReference();
      answerId = undefined;
      log.error({ err: auditError, reference, command: seen.command }, 'could not write the audit row of a refused or failed command');
    }
    if (reference !== undefined || !refusal) {
      await claims.deliver(reply, answer(reference), answerId, { outcome: 'error' }, log);
      return { outcome: 'error', code: 'internal', reference: reference!, command: seen.command };
    }
    log.info({ command: seen.command, outcome: audited, code: refusal.code }, 'command refused');
    await claims.deliver(reply, answer(undefined), answerId, { outcome: 'refused' }, log);
    return { outcome: audited, code: refusal.code, command: seen.command };
  }

  /** Another instance took the claim over while this one ran the command: it answers, this one is silent. */
  function lostClaim(log: Logger): DispatchResult {
    log.warn('the claim of this request was taken over by another instance; its work here was rolled back');
    return { outcome: 'duplicate' };
  }

  /** Resolves, checks and runs one invocation in `tx`; a refusal throws {@link Refused} to roll it back. */
  async function run(
    tx: Executor,
    invocation: Invocation,
    reply: Reply,
    now: Date,
    seen: { command: string; locale: Locale; memberId: number | null; args: Record<string, unknown>; caseCodes: Set<string> },
  ): Promise<Extract<Outcome, { kind: 'ok' }>> {
    const refuse = (refusal: Refusal): never => {
      throw new Refused(refusal);
    };
    const { member, unitIds } = await resolveActor(tx, invocation.actor);
    if (!member) return refuse({ code: 'unknown_user', text: say.unknownUserText(invocation.actor) });
    seen.memberId = member.id;
    seen.locale = member.locale ?? deps.locale;
    // Read afresh on every command: disabling a member takes effect on every instance at once.
    if (member.disabledAt) return refuse({ code: 'denied', text: say.disabledText, detail: MEMBER_DISABLED });

    let input = invocation.input;
    let confirmed = false;
    if (isConfirmation(input)) {
      // A confirm or cancel button: it stands for the command stored behind its key.
      const pending = await takeConfirmation(tx, { options: input.options, now });
      if (!pending) return refuse({ code: 'invalid', text: say.expiredActionText });
      seen.command = pending.command.slice(0, 64);
      seen.args = pending.options;
      input = { kind: 'options', command: pending.command, options: pending.options };
      confirmed = pending.confirmed;
      const command = deps.commands.get(pending.command);
      if (command && mayRun(member.role, command) && !confirmed) {
        return {
          kind: 'ok',
          message: { personal: false, blocks: [{ kind: 'text', text: say.cancelledText(seen.locale) }] },
          detail: 'cancelled',
        };
      }
    }
    const typed = refuseControlCharacters(input);
    if (!typed.ok) return refuse(typed.failure);
    const found = resolveCommand(input);
    if (!('command' in found)) return refuse({ code: 'unknown_command', text: say.unknownCommandText(found) });
    const command = found.command;
    if (!mayRun(member.role, command)) return refuse({ code: 'denied', text: say.deniedText(command.name, command.minRole, member.role) });
    const raw =
      input.kind === 'text' ? parseTextOptions(command.name, found.rest, command.options) : { ok: true as const, value: input.options };
    if (!raw.ok) return refuse(raw.failure);
    const parsed = validateOptions(command.name, raw.value, command.options);
    if (!parsed.ok) return refuse(parsed.failure);
    seen.args = Object.fromEntries(Object.entries(parsed.value).filter(([, v]) => v !== undefined));

    const result = await command.run({
      services: createServices(tx),
      member,
      scope: { unitId: member.unitId, unitIds },
      locale: seen.locale,
      options: parsed.value,
      now,
      today: dayIn(deps.timeZone, now),
      timeZone: deps.timeZone,
      validation: deps.validation ?? DEFAULT_VALIDATION_POLICY,
      canReplyPrivately: reply.canBePrivate,
      interactive: reply.interactive ?? false,
      confirmed,
      askToConfirm: (action) => offerConfirmation(tx, { action, memberId: member.id, now, locale: seen.locale }),
      invocation: {
        id: invocation.id,
        platform: invocation.actor.platform,
        workspaceId: invocation.actor.workspaceId,
        channelId: invocation.channel.id,
        userId: invocation.actor.userId,
      },
      openFile: (reference) => invocation.openFile?.(reference),
      progress: progressOf(reply, seen.locale, deps.logger),
      touch: (...codes) => codes.forEach((c) => seen.caseCodes.add(c)),
      noteAudit: (args) => Object.assign(seen.args, args),
      commands: deps.commands,
      logger: deps.logger.child({ invocation: invocation.id, command: command.name }),
    });
    if (!result.ok) return refuse(result.failure);
    return { kind: 'ok', message: result.value, detail: null };
  }

  function resolveCommand(input: InvocationInput): { command: CommandDefinition; rest: string } | CommandMiss {
    if (input.kind === 'text') return deps.commands.resolveText(input.line);
    const command = deps.commands.get(input.command);
    return command ? { command, rest: '' } : { group: undefined };
  }

  function commandNameOf(input: InvocationInput): string {
    const found = resolveCommand(input);
    if ('command' in found) return found.command.name;
    return input.kind === 'text' ? firstWords(input.line) : input.command.slice(0, 64);
  }

  /**
   * Suggestions for an option as the user types it (Discord autocomplete), from the option's own
   * `suggest`. Accepted like a command, so that of several instances one answers; refused to a
   * stranger or a role too low, and audited like a command, since names are shown.
   */
  async function suggest(input: {
    id: string;
    actor: Actor;
    command: string;
    option: string;
    partial: string;
    channelId: string;
  }): Promise<Suggestion[] | undefined> {
    if (!(await accept(input.id))) return undefined;
    const definition = deps.commands.get(input.command);
    const spec = definition?.options.find((o) => o.name === input.option);
    const partial = suggestionInput(input.partial);
    if (!definition || !spec?.suggest || partial === undefined) return [];
    const audit = (memberId: number | null, caseCodes: string[], outcome: 'ok' | 'denied', detail: string | null) =>
      insertAudit(deps.db, {
        platform: input.actor.platform,
        workspaceId: input.actor.workspaceId,
        userId: input.actor.userId,
        channelId: input.channelId,
        invocationId: input.id,
        command: `${definition.name} (autocomplete)`,
        args: { [input.option]: partial },
        memberId,
        caseCodes,
        outcome,
        detail,
      });
    return turn(async () => {
      const { member, unitIds } = await resolveActor(deps.db, input.actor);
      if (!member) return audit(null, [], 'denied', 'unknown_user').then(() => []);
      if (member.disabledAt) return audit(member.id, [], 'denied', MEMBER_DISABLED).then(() => []);
      if (!mayRun(member.role, definition)) return audit(member.id, [], 'denied', 'denied').then(() => []);
      const suggestions = fitSuggestions(
        await spec.suggest!({
          db: deps.db,
          member,
          scope: { unitId: member.unitId, unitIds },
          locale: member.locale ?? deps.locale,
          partial,
        }),
      );
      await audit(
        member.id,
        suggestions.map((s) => s.value),
        'ok',
        null,
      );
      return suggestions;
    }).then(async (suggestions) => {
      // Answered: the claim is finished, so that no later delivery takes it over.
      await claims.finish(input.id);
      return suggestions;
    });
  }

  /** Whether a request only reads, so that running it again (to show another page) is harmless. */
  function isReadOnly(input: InvocationInput): boolean {
    const found = resolveCommand(input);
    return 'command' in found && !found.command.writes;
  }

  return { accept, dispatch, suggest, isReadOnly };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/**
 * The command's `progress`: the first update and the last (`done` = `total`) always, the others at
 * most every {@link PROGRESS_INTERVAL_MS}. A platform that fails to show one does not stop the command.
 */
function progressOf(reply: Reply, locale: Locale, log: Logger): CommandContext['progress'] {
  let last = -Infinity;
  return async (done, total, line) => {
    if (!reply.progress) return;
    // Time as it passes, not the command's clock (which a test may hold still).
    const at = performance.now();
    if (done < total && at - last < PROGRESS_INTERVAL_MS) return;
    last = at;
    await reply
      .progress({ done, total, message: { personal: false, blocks: [{ kind: 'text', text: line(locale), tone: 'muted' }] } })
      .catch((error: unknown) => log.warn({ err: error }, 'could not show the progress of a command'));
  };
}

/**
 * Commands already answer with a summary when they cannot reply privately; this is the net under
 * them, so that no personal data ever reaches a channel. Files (a photo, a check's result) are for
 * the invoker alone: adapters deliver them privately (with the acknowledgement of an answer meant
 * for the channel), and where no reply is private an answer carries none.
 */
function withheldIfShared(message: ReplyMessage, reply: Reply, locale: Locale): ReplyMessage {
  if (!message.personal) {
    if (!message.files || reply.canBePrivate) return message;
    const { files: _withheld, ...shared } = message;
    return shared;
  }
  if (!reply.canBePrivate) return errorMessage(say.personalWithheldText(locale));
  return { ...message, toChannel: false };
}

function errorMessage(line: string): ReplyMessage {
  return { personal: false, blocks: [{ kind: 'text', text: line, tone: 'error' }] };
}

function firstWords(line: string): string {
  return line.trim().replace(/^\/+/, '').split(/\s+/).slice(0, 2).join(' ').slice(0, 64) || '(empty)';
}

function rawArgs(input: InvocationInput): Record<string, unknown> {
  const cut = (value: string) => (value.length > 2000 ? `${value.slice(0, 2000)}…` : value);
  if (input.kind === 'text') return { line: cut(input.line) };
  return Object.fromEntries(Object.entries(input.options).map(([k, v]) => [k, typeof v === 'string' ? cut(v) : v]));
}
