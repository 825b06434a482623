import type { Executor } from '../../db/client.ts';
import { addAttendee, linkFollowUp, meetingsInUnits } from '../repositories/meetings.ts';
import { countUnits, findUnitsByIds } from '../repositories/units.ts';
import { addCaseNote, addPhotoReference, changeCaseStatus, findCases, getCaseCard, getCaseHistory, recordDecision } from './cases.ts';
import { auditOfCase, auditOfMember } from './audit.ts';
import { addCaseDetail } from './case-details.ts';
import { answerHit, listHits, runCheck } from './checks.ts';
import { addUnit, changeRole, disableMember, enableMember, moveMember, unlinkAccount } from './directory.ts';
import { buildDigest } from './digest/digest.ts';
import { resolveDigestRequest } from './digest/request.ts';
import { addSchedule, listSchedules, removeSchedule } from './digest/schedules.ts';
import { addFollowUp, closeFollowUpAs, listFollowUps } from './follow-ups.ts';
import { dueValidations, validateCase } from './validations.ts';
import { addCasePhoto, getCasePhotos, retireCasePhoto } from './photos.ts';
import { closeInspection, listInspections, markInspection, showInspection, startInspection } from './inspections.ts';
import { currentMeeting, endMeeting, findMeetingInScope, minutesOf, recordItem, startMeeting } from './meetings.ts';

/** A use case that takes the database (or transaction) first, as every service function does. */
type UseCase = (db: Executor, ...args: never) => unknown;

/** The use case with its database already given. */
export type Bound<F> = F extends (db: Executor, ...args: infer A) => infer R ? (...args: A) => R : never;

function bindAll<T extends Record<string, UseCase>>(db: Executor, useCases: T): { [K in keyof T]: Bound<T[K]> } {
  return Object.fromEntries(Object.entries(useCases).map(([name, useCase]) => [name, (...args: never) => useCase(db, ...args)])) as {
    [K in keyof T]: Bound<T[K]>;
  };
}

/**
 * The use cases a command may call, bound to `db`: the transaction the command runs in, so that
 * whatever they write commits or rolls back with the command and its audit row. Commands reach data
 * only through these; the SQL stays in src/repositories/. A few repository functions with no rule
 * of their own to add (a meeting's attendees, the units of a scope) are offered as they are.
 *
 * @example
 *   const services = createServices(tx);
 *   const card = await services.getCaseCard(scope, 'TN-2020-000123');
 */
export function createServices(db: Executor) {
  return bindAll(db, {
    // Cases.
    findCases,
    getCaseCard,
    getCaseHistory,
    changeCaseStatus,
    recordDecision,
    addCaseNote,
    addPhotoReference,
    addCaseDetail,
    // Validation of wanted records by their owning units.
    validateCase,
    dueValidations,
    // Photos of a case.
    addCasePhoto,
    retireCasePhoto,
    getCasePhotos,
    // The audit log's review.
    auditOfCase,
    auditOfMember,
    // List checks and their hits.
    runCheck,
    answerHit,
    listHits,
    // Follow-ups.
    addFollowUp,
    listFollowUps,
    closeFollowUpAs,
    // Meetings.
    currentMeeting,
    startMeeting,
    recordItem,
    endMeeting,
    findMeetingInScope,
    minutesOf,
    addAttendee,
    linkFollowUp,
    meetingsInUnits,
    // Records inspections.
    startInspection,
    markInspection,
    closeInspection,
    showInspection,
    listInspections,
    // Digests and their schedules.
    resolveDigestRequest,
    buildDigest,
    addSchedule,
    listSchedules,
    removeSchedule,
    // Units.
    findUnitsByIds,
    countUnits,
    addUnit,
    // Members' lifecycle.
    changeRole,
    moveMember,
    disableMember,
    enableMember,
    unlinkAccount,
  });
}

export type Services = ReturnType<typeof createServices>;
