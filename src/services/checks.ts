import { createHash } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import type { HitPriority, Locale, Platform } from '../../db/schema/index.ts';
import { reasonCodes, toConfirm, WantedIndex, type CheckCandidate, type WantedCase } from '../domain/check-match.ts';
import { fail, ok, type Result } from '../domain/result.ts';
import type { Scope } from '../domain/scope.ts';
import { text } from '../i18n/text.ts';
import {
  channelsForUnits,
  findHitRequestForUpdate,
  insertCheck,
  insertHitRequests,
  leadAccountsOfUnits,
  setUnitChannel,
  listHitRequests,
  updateHitRequest,
  wantedCasesAfter,
  type CheckRow as CheckRecord,
  type HitRequestRow,
  type HitRequestView,
} from '../repositories/checks.ts';
import type { Member } from '../repositories/members.ts';
import { enqueueMessages, type OutboxMessage } from '../repositories/outbox.ts';
import { findUnitByCode, findUnitsByIds } from '../repositories/units.ts';
import { CHAT_PLATFORMS, type ChatPlatform } from '../domain/platforms.ts';
import { cleanText } from '../domain/text.ts';
import type { CheckRow } from './check-file.ts';
import type { ReplyMessage } from '../domain/reply.ts';

/**
 * List checks (`case check`) and the confirmation of their hits (`hit confirm|reject|wait`): a list
 * of people held against the whole wanted list, and each likely hit sent to the unit that owns the
 * case, which must confirm it within 10 minutes when the person is held, an hour otherwise.
 */

/** How long the owning unit has to answer, by priority (NCIC's hit confirmation). */
export const ANSWER_WITHIN_MS: Record<HitPriority, number> = { urgent: 10 * 60_000, routine: 60 * 60_000 };
/** The longest extension `hit wait` grants at once. */
export const MAX_WAIT_MINUTES = 24 * 60;
/** Rows matched between two progress reports. */
const PROGRESS_STEP = 500;
/** Cases read from the database a page. */
const PAGE = 20_000;

/** A person of the list, as the file reader gives them. */
export type ListedPerson = CheckRow;

/** A hit request as the messages about it need it: the request with its case and owning unit. */
export type HitForMessage = Pick<
  HitRequestView,
  | 'id'
  | 'unitId'
  | 'unitCode'
  | 'caseCode'
  | 'caseName'
  | 'caseBirthYear'
  | 'danger'
  | 'person'
  | 'line'
  | 'score'
  | 'certain'
  | 'reasons'
  | 'priority'
  | 'dueAt'
>;

/**
 * The messages about hits, as src/presenters/checks.ts words them, given by the caller (a command,
 * the ladder's job) so that this layer stays below the presenters.
 */
export interface HitMessages {
  /** To the owning unit's channel: numbers and codes only. */
  channel(hits: readonly HitForMessage[], how: { stage: 0 | 1 | 2; locale: Locale; timeZone: string }): ReplyMessage;
  /** To each of its leads directly: the person as listed beside the case. */
  lead(hits: readonly HitForMessage[], how: { stage: 0 | 1 | 2; locale: Locale; timeZone: string }): ReplyMessage;
  /** To the checker: the unit's answer. */
  answer(request: HitRequestView, answer: HitAnswer, how: { locale: Locale; timeZone: string }): ReplyMessage;
}

export interface CheckedRow {
  person: ListedPerson;
  candidates: Array<CheckCandidate & { unitCode: string; requestId: number | null }>;
}

export interface CheckOutcome {
  check: CheckRecord;
  rows: CheckedRow[];
  /** The requests made, by owning unit code. */
  requestsByUnit: Map<string, number>;
  /** Owning units with requests but no channel to ask in on any platform. */
  unitsWithoutChannel: string[];
}

/** Every wanted case, indexed for a check. */
export async function loadWantedIndex(db: Executor): Promise<WantedIndex> {
  const all: WantedCase[] = [];
  for (let after = 0; ;) {
    const page = await wantedCasesAfter(db, { afterId: after, limit: PAGE });
    all.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return new WantedIndex(all);
}

export const sha256Hex = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * Checks a list and records it: the check, a confirmation request to the owning unit for each
 * candidate {@link toConfirm} picks, and the messages that ask (in the transaction
 * `db` is, so that an interrupted check leaves nothing half made).
 */
export async function runCheck(
  db: Executor,
  input: {
    member: Member;
    scope: Scope;
    /** The unit that checks the list, within the scope; the member's own by default. */
    unitCode?: string | undefined;
    people: readonly ListedPerson[];
    skipped: number;
    fileName: string;
    fileSha256: string;
    priority: HitPriority;
    now: Date;
    invocation: { id: string; platform: Platform; workspaceId: string; userId: string };
    locale: Locale;
    timeZone: string;
    messages: HitMessages;
    progress?: (done: number, total: number) => Promise<void>;
  },
): Promise<Result<CheckOutcome>> {
  let unitId = input.scope.unitId;
  if (input.unitCode) {
    const code = input.unitCode.toUpperCase();
    const unit = await findUnitByCode(db, code);
    if (!unit || !input.scope.unitIds.includes(unit.id)) {
      return fail('not_found', text(`Không có đơn vị ${code} trong phạm vi của bạn.`, `No unit ${code} within your units.`));
    }
    unitId = unit.id;
  }
  const index = await loadWantedIndex(db);
  const found: Array<{ person: ListedPerson; candidates: CheckCandidate[] }> = [];
  const total = input.people.length;
  for (let i = 0; i < total; i++) {
    const person = input.people[i]!;
    found.push({ person, candidates: index.candidates(person) });
    if (input.progress && (i + 1) % PROGRESS_STEP === 0) await input.progress(i + 1, total);
  }
  // The last step shown only after others: a short list is answered before any progress would be read.
  if (total >= PROGRESS_STEP) await input.progress?.(total, total);

  const candidates = found.flatMap((f) => f.candidates);
  const toAsk = found.flatMap((f) => toConfirm(f.candidates).map((c) => ({ person: f.person, candidate: c })));
  const check = await insertCheck(db, {
    invocationId: input.invocation.id,
    memberId: input.member.id,
    unitId,
    platform: input.invocation.platform,
    workspaceId: input.invocation.workspaceId,
    userId: input.invocation.userId,
    locale: input.locale,
    fileName: input.fileName.slice(0, 255),
    fileSha256: input.fileSha256,
    priority: input.priority,
    rows: total,
    skipped: input.skipped,
    rowsWithCandidates: found.filter((f) => f.candidates.length > 0).length,
    candidates: candidates.length,
    certain: candidates.filter((c) => c.certain).length,
    requests: toAsk.length,
    createdAt: input.now,
  });
  const dueAt = new Date(input.now.getTime() + ANSWER_WITHIN_MS[input.priority]);
  const requests = await insertHitRequests(
    db,
    toAsk.map(({ person, candidate }) => ({
      checkId: check.id,
      line: person.line,
      caseId: candidate.case.id,
      unitId: candidate.case.unitId,
      person: {
        fullName: person.fullName,
        birthYear: person.birthYear,
        birthDate: person.birthDate,
        nationalId: person.nationalId,
        hometown: person.hometown,
      },
      score: candidate.score,
      certain: candidate.certain,
      reasons: reasonCodes(candidate),
      priority: input.priority,
      dueAt,
      createdAt: input.now,
    })),
  );
  const requestOf = new Map(requests.map((r) => [`${r.line}|${r.caseId}`, r.id]));
  const unitIds = [...new Set(candidates.map((c) => c.case.unitId))];
  const unitCode = new Map((await findUnitsByIds(db, { ids: unitIds })).map((u) => [u.id, u.code]));
  const caseOf = new Map(toAsk.map(({ candidate }) => [candidate.case.id, candidate.case]));
  const views: HitForMessage[] = requests.map((r) => {
    const wanted = caseOf.get(r.caseId)!;
    return {
      ...r,
      unitCode: unitCode.get(r.unitId) ?? '?',
      caseCode: wanted.code,
      caseName: wanted.fullName,
      caseBirthYear: wanted.birthYear,
      danger: wanted.danger,
    };
  });
  const asked = await askOwningUnits(db, {
    hits: views,
    stage: 0,
    now: input.now,
    timeZone: input.timeZone,
    key: `check:${check.id}`,
    messages: input.messages,
  });

  const requestsByUnit = new Map<string, number>();
  for (const v of views) requestsByUnit.set(v.unitCode, (requestsByUnit.get(v.unitCode) ?? 0) + 1);
  return ok({
    check,
    rows: found.map((f) => ({
      person: f.person,
      candidates: f.candidates.map((c) => ({
        ...c,
        unitCode: unitCode.get(c.case.unitId) ?? '?',
        requestId: requestOf.get(`${f.person.line}|${c.case.id}`) ?? null,
      })),
    })),
    requestsByUnit,
    unitsWithoutChannel: asked.unitsWithoutChannel.map((id) => unitCode.get(id) ?? '?'),
  });
}

/**
 * Queues the messages asking the owning units to confirm `hits` at a ladder `stage` (0 asked,
 * 1 asked again, 2 the leads told): to each unit's channel on every platform it has one (codes
 * only), and at stages 0 and 2 to each of its leads directly (the details). Returns the units
 * asked nowhere in a channel.
 */
export async function askOwningUnits(
  db: Executor,
  input: { hits: HitForMessage[]; stage: 0 | 1 | 2; now: Date; timeZone: string; key: string; messages: HitMessages },
): Promise<{ unitsWithoutChannel: number[] }> {
  const unitIds = [...new Set(input.hits.map((h) => h.unitId))];
  const channels = await channelsForUnits(db, { unitIds });
  const leads = input.stage === 1 ? [] : await leadAccountsOfUnits(db, { unitIds });
  const messages: OutboxMessage[] = [];
  const unitsWithoutChannel: number[] = [];
  for (const unitId of unitIds) {
    const hits = input.hits.filter((h) => h.unitId === unitId);
    const own = channels.filter((c) => c.unitId === unitId);
    if (own.length === 0) unitsWithoutChannel.push(unitId);
    for (const c of own) {
      messages.push({
        key: `${input.key}:hits:${unitId}:${c.platform}:stage${input.stage}`,
        platform: c.platform,
        target: { channelId: c.channelId },
        message: input.messages.channel(hits, { stage: input.stage, locale: c.locale, timeZone: input.timeZone }),
      });
    }
    for (const lead of leads.filter((l) => l.unitId === unitId)) {
      messages.push({
        key: `${input.key}:hits:${unitId}:lead:${lead.memberId}:${lead.platform}:stage${input.stage}`,
        platform: lead.platform,
        target: { userId: lead.userId },
        message: input.messages.lead(hits, { stage: input.stage, locale: lead.locale ?? 'vi', timeZone: input.timeZone }),
      });
    }
  }
  await enqueueMessages(db, { messages, now: input.now });
  return { unitsWithoutChannel };
}

export type HitAnswer = { kind: 'confirm' } | { kind: 'reject'; reason: string } | { kind: 'wait'; minutes: number };

/**
 * The owning unit's answer to a hit request: confirmed, rejected with a reason, or more time. Only
 * members whose scope holds the owning unit may answer; an answered request cannot be answered
 * again. The checker is told, directly where the check was made on a chat platform.
 */
export async function answerHit(
  db: Executor,
  input: { scope: Scope; member: Member; id: number; answer: HitAnswer; now: Date; timeZone: string; messages: HitMessages },
): Promise<Result<HitRequestView>> {
  const request = await findHitRequestForUpdate(db, { id: input.id });
  if (!request || !input.scope.unitIds.includes(request.unitId)) {
    return fail(
      'not_found',
      text(
        `Không có yêu cầu xác nhận số ${input.id} gửi đơn vị của bạn. Xem các yêu cầu bằng: hit list`,
        `No confirmation request ${input.id} was sent to your units. See the requests with: hit list`,
      ),
    );
  }
  if (request.status !== 'open') {
    const was = request.status === 'confirmed' ? text('đã được xác nhận', 'was confirmed') : text('đã bị bác bỏ', 'was rejected');
    return fail('conflict', (l) => (l === 'vi' ? `Yêu cầu số ${input.id} ${was(l)} rồi.` : `Request ${input.id} ${was(l)} already.`));
  }
  const { answer } = input;
  if (answer.kind === 'confirm' && request.caseStatus !== 'wanted') {
    return fail(
      'conflict',
      text(
        `Hồ sơ ${request.caseCode} không còn truy nã: không thể xác nhận. Bác bỏ với lý do: hit reject ${input.id} <lý do>`,
        `Case ${request.caseCode} is no longer wanted, so the hit cannot be confirmed. Reject it with a reason: hit reject ${input.id} <reason>`,
      ),
    );
  }
  const set: Parameters<typeof updateHitRequest>[1]['set'] =
    answer.kind === 'wait'
      ? { dueAt: new Date(input.now.getTime() + answer.minutes * 60_000), waits: request.waits + 1, stage: Math.min(request.stage, 2) }
      : {
          status: answer.kind === 'confirm' ? 'confirmed' : 'rejected',
          answeredAt: input.now,
          answeredByMemberId: input.member.id,
          answerNote: answer.kind === 'reject' ? answer.reason : null,
        };
  await updateHitRequest(db, { id: request.id, set });
  const updated = { ...request, ...set };
  if (request.check.platform !== 'console') {
    await enqueueMessages(db, {
      now: input.now,
      messages: [
        {
          key: `hit:${request.id}:answer:${answer.kind}:${updated.waits}`,
          platform: request.check.platform,
          target: { userId: request.check.userId },
          message: input.messages.answer(updated, answer, { locale: request.check.locale, timeZone: input.timeZone }),
        },
      ],
    });
  }
  return ok(updated);
}

/** The requests sent to one's units or made by one's own checks, newest first. */
export async function listHits(
  db: Executor,
  input: { scope: Scope; member: Member; status?: HitRequestRow['status'] | undefined; limit: number },
): Promise<HitRequestView[]> {
  return listHitRequests(db, { unitIds: input.scope.unitIds, checkerMemberId: input.member.id, status: input.status, limit: input.limit });
}

/**
 * Sets the channel where a unit is asked to confirm hits on its cases, on one platform (its
 * sub-units without one of their own are asked there too). `casedesk units channel`.
 */
export async function setHitChannel(
  db: Executor,
  input: { unitCode: string; platform: string; channelId: string; locale: Locale },
): Promise<Result<{ unitCode: string; platform: ChatPlatform; channelId: string }>> {
  const unitCode = cleanText(input.unitCode).toUpperCase();
  const unit = await findUnitByCode(db, unitCode);
  if (!unit)
    return fail(
      'not_found',
      text(
        `Không có đơn vị "${unitCode}". Xem danh sách: casedesk units list`,
        `No unit "${unitCode}". See them with: casedesk units list`,
      ),
    );
  const platform = CHAT_PLATFORMS.find((p) => p === input.platform.trim().toLowerCase());
  if (!platform) {
    return fail(
      'invalid',
      text(
        `Nền tảng "${input.platform}" không hợp lệ; chọn một trong: ${CHAT_PLATFORMS.join(', ')}.`,
        `Platform "${input.platform}" is not valid; choose one of: ${CHAT_PLATFORMS.join(', ')}.`,
      ),
    );
  }
  const channelId = cleanText(input.channelId);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(channelId)) {
    return fail(
      'invalid',
      text(
        `Mã kênh "${channelId}" không hợp lệ: dùng mã kênh của nền tảng (Discord: dãy số; Slack: dạng C0123ABCD), không phải tên kênh.`,
        `Channel id "${channelId}" is not valid: give the platform's channel id (Discord: digits; Slack: like C0123ABCD), not its name.`,
      ),
    );
  }
  await setUnitChannel(db, { unitId: unit.id, platform, channelId, locale: input.locale });
  return ok({ unitCode, platform, channelId });
}
