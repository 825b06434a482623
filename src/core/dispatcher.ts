import { randomBytes, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Database, Executor } from '../../db/client.ts';
import { processedInvocations, type Locale } from '../../db/schema/index.ts';
import { dayIn } from '../domain/dates.ts';
import { text, type Text } from '../i18n/text.ts';
import { ROLE_LABEL } from '../i18n/labels.ts';
import type { Logger } from '../logger.ts';
import { cleanText } from '../domain/text.ts';
import { insertAudit, type AuditEntry } from '../repositories/audit.ts';
import { searchCases } from '../repositories/case-search.ts';
import type { Member } from '../repositories/members.ts';
import { claimAndResolve } from '../repositories/invocations.ts';
import { consumePendingAction, insertPendingAction } from '../repositories/pending-actions.ts';
import { createServices } from '../services/index.ts';
import type { CommandDefinition, CommandRegistry } from './command.ts';
import type { Actor, Invocation, InvocationInput, Reply } from './invocation.ts';
import type { ReplyAction, ReplyMessage } from '../domain/reply.ts';
import { parseTextOptions, validateOptions, type ParsedOptions } from './options.ts';
import type { Failure, FailureCode } from './result.ts';
import { hasRole } from './roles.ts';

export interface DispatcherDeps {
  db: Database;
  commands: CommandRegistry;
  /** Reply language for members without their own (CASEDESK_LOCALE). */
  locale: Locale;
  timeZone: string;
  logger: Logger;
  clock?: () => Date;
  /** Names this process in claims of invocation ids, for operators reading the table. */
  instanceId?: string;
  /**
   * The most commands whose database work runs at once; the rest wait their turn. The embedded
   * database runs each query on the main thread, one at a time, so there 1 keeps the event loop
   * free between commands for acknowledgements; on a server, the pool's size. Unlimited if unset.
   */
  maxConcurrent?: number;
}

export type DispatchOutcome = 'ok' | 'denied' | 'invalid' | 'error' | 'duplicate';

export interface DispatchResult {
  outcome: DispatchOutcome;
  /** The stable code of an expected failure, or `internal` with `reference` for a bug. */
  code?: FailureCode | 'unknown_command' | 'internal';
  reference?: string;
  command?: string;
}

const AUDIT_OUTCOME: Record<FailureCode | 'unknown_command', 'denied' | 'invalid'> = {
  denied: 'denied',
  unknown_user: 'denied',
  invalid: 'invalid',
  not_found: 'invalid',
  conflict: 'invalid',
  unknown_command: 'invalid',
};

/**
 * The command a confirm or cancel button runs: `action` with the `key` of a pending action (and
 * `cancel` to drop it). The dispatcher swaps in the stored command, then checks and runs it as
 * if the presser had typed it.
 */
export const ACTION_COMMAND = 'action';

/** How long a confirm button stays good. */
const PENDING_ACTION_TTL_MS = 60 * 60 * 1000;

/** Thrown inside the command's transaction to roll back its writes when it answers a failure. */
class FailedCommand extends Error {
  constructor(readonly failure: Failure | { code: 'unknown_command'; text: Text }) {
    super(failure.code);
  }
}

/**
 * The one path every command takes, whatever the platform:
 * claim the invocation id → resolve the actor to a member (unknown → denied) → find the command →
 * parse and validate its options → check the role → run it in a transaction → one audit row
 * (denials, invalid input and errors included) → reply.
 *
 * @example
 *   const dispatcher = createDispatcher({ db, commands, locale: 'vi', timeZone: 'Asia/Ho_Chi_Minh', logger });
 *   await dispatcher.dispatch(invocation, reply);
 */
export function createDispatcher(deps: DispatcherDeps) {
  const clock = deps.clock ?? (() => new Date());
  const instanceId = deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`;
  const limit = pLimit(deps.maxConcurrent ?? Number.POSITIVE_INFINITY);
  /**
   * Runs database work in its turn. Each turn starts after a pass of the event loop: the embedded
   * database resolves its queries without yielding to I/O, so queued commands would otherwise run
   * back to back while requests waiting to be acknowledged sit unread.
   */
  const turn = <T>(work: () => Promise<T>): Promise<T> =>
    limit(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return work();
    });

  /** Takes the invocation id for this process. False when another process or an earlier try has it. */
  async function claim(invocationId: string, db: Executor = deps.db): Promise<boolean> {
    const rows = await db
      .insert(processedInvocations)
      .values({ key: invocationId, claimedBy: instanceId })
      .onConflictDoNothing()
      .returning({ key: processedInvocations.key });
    return rows.length === 1;
  }

  /**
   * Runs one invocation and answers it through `reply`. The claim of its id, the command's writes
   * and its audit row commit together, in one transaction: a second instance handed the same
   * request waits on the claim and then finds it taken. A refusal rolls that transaction back and
   * is claimed and audited in a second one.
   */
  async function dispatch(invocation: Invocation, reply: Reply, options: { claimed?: boolean } = {}): Promise<DispatchResult> {
    const now = invocation.receivedAt ?? clock();
    const log = deps.logger.child({
      invocation: invocation.id,
      platform: invocation.actor.platform,
      user: `${invocation.actor.workspaceId}/${invocation.actor.userId}`,
    });
    const input = invocation.input;
    const isAction = input.kind === 'options' && input.command === ACTION_COMMAND;
    let found: { command: CommandDefinition; rest: string } | { group: string | undefined } =
      input.kind === 'text'
        ? deps.commands.resolveText(input.line)
        : (() => {
            const command = deps.commands.get(input.command);
            return command ? { command, rest: '' } : { group: undefined };
          })();
    let commandName = 'command' in found ? found.command.name : input.kind === 'text' ? firstWords(input.line) : input.command.slice(0, 64);
    const rawArgs = input.kind === 'text' ? { line: truncate(input.line, 2000) } : truncateValues(input.options);
    const auditEntry = (entry: Pick<AuditEntry, 'memberId' | 'args' | 'caseCodes' | 'outcome' | 'detail'>): AuditEntry => ({
      ...entry,
      command: commandName,
      platform: invocation.actor.platform,
      workspaceId: invocation.actor.workspaceId,
      userId: invocation.actor.userId,
      channelId: invocation.channel.id,
      invocationId: invocation.id,
    });

    let locale: Locale = invocation.localeHint ?? deps.locale;
    let memberId: number | null = null;
    let parsedArgs: Record<string, unknown> | undefined;
    const touched = new Set<string>();

    let outcome: { message: ReplyMessage } | { failure: Failure | { code: 'unknown_command'; text: Text } } | 'duplicate';
    try {
      outcome = await turn(() =>
        deps.db.transaction(async (tx) => {
          const actor = await claimAndResolve(tx, {
            invocationId: invocation.id,
            claimedBy: instanceId,
            claim: !options.claimed,
            ...invocation.actor,
          });
          if (!actor.claimed) return 'duplicate' as const;
          const refuse = (failure: Failure | { code: 'unknown_command'; text: Text }): never => {
            throw new FailedCommand(failure);
          };
          const member = actor.member;
          if (!member) return refuse({ code: 'unknown_user', text: unknownUserText(invocation.actor) });
          memberId = member.id;
          locale = member.locale ?? deps.locale;
          let values = input.kind === 'options' ? input.options : {};
          let confirmed = false;
          if (isAction) {
            // A confirm or cancel button: it stands for the command stored behind its key.
            const pending = await consumePendingAction(tx, { key: String(values.key ?? ''), now });
            if (!pending) return refuse({ code: 'invalid', text: expiredActionText });
            const stored = deps.commands.get(pending.command);
            found = stored ? { command: stored, rest: '' } : { group: undefined };
            commandName = pending.command.slice(0, 64);
            confirmed = values.cancel === undefined;
            values = pending.options;
          }
          if (!('command' in found)) return refuse({ code: 'unknown_command', text: unknownCommandText(found.group) });
          const command = found.command;
          if (!hasRole(member.role, command.minRole)) return refuse({ code: 'denied', text: deniedText(command, member) });
          if (isAction && !confirmed) {
            await insertAudit(tx, auditEntry({ memberId, args: values, caseCodes: [], outcome: 'ok', detail: 'cancelled' }));
            return { message: { personal: false, blocks: [{ kind: 'text' as const, text: cancelledText(locale) }] } };
          }
          const raw =
            input.kind === 'text' ? parseTextOptions(command.name, found.rest, command.options) : { ok: true as const, value: values };
          if (!raw.ok) return refuse(raw.failure);
          const parsed = validateOptions(command.name, raw.value, command.options);
          if (!parsed.ok) return refuse(parsed.failure);
          parsedArgs = auditArgs(parsed.value);
          const result = await command.run({
            services: createServices(tx),
            member,
            scope: { unitId: member.unitId, unitIds: actor.unitIds },
            locale,
            options: parsed.value,
            now,
            today: dayIn(deps.timeZone, now),
            timeZone: deps.timeZone,
            canReplyPrivately: reply.canBePrivate,
            interactive: reply.interactive ?? false,
            confirmed,
            async askToConfirm(action) {
              const key = await insertPendingAction(tx, { ...action, memberId: member.id, now, ttlMs: PENDING_ACTION_TTL_MS });
              return confirmActions(key, locale);
            },
            invocation: {
              id: invocation.id,
              platform: invocation.actor.platform,
              workspaceId: invocation.actor.workspaceId,
              channelId: invocation.channel.id,
            },
            touch: (...codes) => codes.forEach((c) => touched.add(c)),
            commands: deps.commands,
            logger: log,
          });
          if (!result.ok) return refuse(result.failure);
          await insertAudit(tx, auditEntry({ memberId, args: parsedArgs, caseCodes: [...touched], outcome: 'ok', detail: null }));
          return { message: result.value };
        }),
      );
    } catch (error) {
      if (error instanceof FailedCommand) {
        outcome = { failure: error.failure };
      } else {
        return answerError(error);
      }
    }

    if (outcome === 'duplicate') return { outcome: 'duplicate' };
    if ('failure' in outcome) {
      const failure = outcome.failure;
      const audited = AUDIT_OUTCOME[failure.code];
      try {
        const claimed = await turn(() =>
          deps.db.transaction(async (tx) => {
            if (!options.claimed && !(await claim(invocation.id, tx))) return false;
            await insertAudit(
              tx,
              auditEntry({ memberId, args: parsedArgs ?? rawArgs, caseCodes: [...touched], outcome: audited, detail: failure.code }),
            );
            return true;
          }),
        );
        // Another instance took the request while this one rolled back: it answers, not this one.
        if (!claimed) return { outcome: 'duplicate' };
      } catch (error) {
        return answerError(error);
      }
      await send(reply, errorMessage(failure.text(locale)), log);
      log.info({ command: commandName, outcome: audited, code: failure.code }, 'command refused');
      return { outcome: audited, code: failure.code, command: commandName };
    }

    let message = outcome.message;
    // Commands already answer with a summary when they cannot reply privately; this is the net
    // under them, so that no personal data ever reaches a channel.
    if (message.personal && !reply.canBePrivate) message = errorMessage(personalWithheldText(locale));
    if (message.personal) message = { ...message, toChannel: false };
    await send(reply, message, log);
    log.info({ command: commandName, outcome: 'ok' }, 'command answered');
    return { outcome: 'ok', command: commandName };

    async function answerError(error: unknown): Promise<DispatchResult> {
      const reference = `E-${randomBytes(4).toString('hex').toUpperCase()}`;
      log.error({ err: error, reference, command: commandName }, 'command failed');
      try {
        await deps.db.transaction(async (tx) => {
          // Claimed here too, so that a retry of a request that hit a bug is not run again.
          if (!options.claimed) await claim(invocation.id, tx);
          await insertAudit(tx, auditEntry({ memberId, args: parsedArgs ?? rawArgs, caseCodes: [], outcome: 'error', detail: reference }));
        });
      } catch (auditError) {
        log.error({ err: auditError, reference }, 'could not write the audit row of a failed command');
      }
      await send(reply, errorMessage(internalErrorText(reference)(locale)), log);
      return { outcome: 'error', code: 'internal', reference, command: commandName };
    }
  }

  /**
   * Suggestions for an option as the user types it (Discord autocomplete): cases within the
   * member's scope, by code or name. Nothing for an unknown user. Audited as a read, like a
   * command, since names are shown.
   */
  async function suggest(input: {
    actor: Actor;
    command: string;
    option: string;
    partial: string;
    channelId: string;
  }): Promise<Array<{ label: string; value: string }>> {
    const definition = deps.commands.get(input.command);
    const spec = definition?.options.find((o) => o.name === input.option);
    if (!definition || spec?.autocomplete !== 'case') return [];
    const text = cleanText(input.partial).slice(0, 100);
    if (text.length < 2) return [];
    const actor = await claimAndResolve(deps.db, { invocationId: '', claimedBy: instanceId, claim: false, ...input.actor });
    const audit = (entry: Pick<AuditEntry, 'memberId' | 'caseCodes' | 'outcome' | 'detail'>) =>
      insertAudit(deps.db, {
        platform: input.actor.platform,
        workspaceId: input.actor.workspaceId,
        userId: input.actor.userId,
        channelId: input.channelId,
        invocationId: null,
        command: `${definition.name} (autocomplete)`,
        args: { [input.option]: text },
        ...entry,
      });
    // Refused like a command, and audited like one: nothing is suggested to a stranger or a role too low.
    if (!actor.member) {
      await audit({ memberId: null, caseCodes: [], outcome: 'denied', detail: 'unknown_user' });
      return [];
    }
    if (!hasRole(actor.member.role, definition.minRole)) {
      await audit({ memberId: actor.member.id, caseCodes: [], outcome: 'denied', detail: 'denied' });
      return [];
    }
    const hits = await searchCases(deps.db, { text, unitIds: actor.unitIds, limit: 25 });
    await audit({ memberId: actor.member.id, caseCodes: hits.map((h) => h.code), outcome: 'ok', detail: null });
    return hits.map((h) => ({ label: `${h.code} · ${h.fullName}${h.birthYear ? ` · ${h.birthYear}` : ''}`.slice(0, 100), value: h.code }));
  }

  /** Whether a request only reads, so that running it again (to show another page) is harmless. */
  function isReadOnly(input: InvocationInput): boolean {
    const found = input.kind === 'text' ? deps.commands.resolveText(input.line) : { command: deps.commands.get(input.command) };
    return 'command' in found && found.command !== undefined && !found.command.writes;
  }

  return { claim, dispatch, suggest, isReadOnly, instanceId };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

async function send(reply: Reply, message: ReplyMessage, log: Logger): Promise<void> {
  try {
    await reply.send(message);
  } catch (error) {
    log.error({ err: error }, 'could not deliver the reply');
  }
}

/** The confirm and cancel buttons of a pending action. */
function confirmActions(key: string, locale: Locale): ReplyAction[] {
  return [
    { label: locale === 'vi' ? 'Xác nhận' : 'Confirm', style: 'danger', command: ACTION_COMMAND, options: { key } },
    { label: locale === 'vi' ? 'Huỷ' : 'Cancel', style: 'secondary', command: ACTION_COMMAND, options: { key, cancel: 'yes' } },
  ];
}

const expiredActionText = text(
  'Nút này đã hết hạn hoặc đã được dùng; không có gì thay đổi. Hãy chạy lại lệnh.',
  'This button has expired or was already used; nothing changed. Run the command again.',
);

const cancelledText = text('Đã huỷ; không có gì thay đổi.', 'Cancelled; nothing changed.');

function errorMessage(line: string): ReplyMessage {
  return { personal: false, blocks: [{ kind: 'text', text: line, tone: 'error' }] };
}

const personalWithheldText = text(
  'Câu trả lời có thông tin cá nhân nên chỉ được hiển thị riêng cho bạn; nơi này không hiển thị riêng được. Hãy hỏi lại trong tin nhắn riêng với casedesk.',
  'This answer holds personal data and can only be shown to you alone, which is not possible here. Ask again in a direct message to casedesk.',
);

function firstWords(line: string): string {
  return line.trim().replace(/^\/+/, '').split(/\s+/).slice(0, 2).join(' ').slice(0, 64) || '(empty)';
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function truncateValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? truncate(v, 2000) : v]));
}

function auditArgs(options: ParsedOptions): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function unknownUserText(actor: Actor): Text {
  const account = `${actor.platform} ${actor.workspaceId}/${actor.userId}`;
  if (actor.platform === 'console') {
    return text(
      `Không có thành viên "${actor.userId}". Quản trị viên thêm thành viên bằng: casedesk members add <tên> --role <vai trò> --unit <đơn vị>.`,
      `There is no member "${actor.userId}". An administrator adds members with: casedesk members add <handle> --role <role> --unit <unit>.`,
    );
  }
  return text(
    `Bạn chưa được cấp quyền dùng casedesk. Hãy gửi mã tài khoản sau cho quản trị viên của đơn vị: ${account}. ` +
      `Quản trị viên cấp quyền bằng: casedesk members link <tên> --platform ${actor.platform} --workspace ${actor.workspaceId} --user ${actor.userId}`,
    `You do not have access to casedesk yet. Send this account id to your unit's administrator: ${account}. ` +
      `They grant access with: casedesk members link <handle> --platform ${actor.platform} --workspace ${actor.workspaceId} --user ${actor.userId}`,
  );
}

function unknownCommandText(group: string | undefined): Text {
  if (group) {
    return text(`Lệnh "${group}" cần thêm một lệnh con. Gõ: help ${group}`, `"${group}" needs a subcommand. Type: help ${group}`);
  }
  return text('Không có lệnh này. Gõ help để xem các lệnh.', 'There is no such command. Type help for the list of commands.');
}

function deniedText(command: CommandDefinition, member: Member): Text {
  return (l) =>
    l === 'vi'
      ? `Lệnh "${command.name}" cần vai trò ${ROLE_LABEL[command.minRole](l)} trở lên; vai trò của bạn là ${ROLE_LABEL[member.role](l)}.`
      : `"${command.name}" needs the ${ROLE_LABEL[command.minRole](l)} role or above; yours is ${ROLE_LABEL[member.role](l)}.`;
}

function internalErrorText(reference: string): Text {
  return text(
    `Đã có lỗi nội bộ; không có gì bị thay đổi. Khi báo lỗi, hãy gửi mã ${reference}.`,
    `Something went wrong inside casedesk; nothing was changed. Quote ${reference} when you report it.`,
  );
}
