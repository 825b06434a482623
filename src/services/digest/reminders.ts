import type { Executor } from '../../../db/client.ts';
import type { Platform } from '../../../db/schema/index.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { chatAccountOf, overdueForReminders, unitLeads, type OverdueForReminder } from '../../repositories/digest.ts';
import { unitSubtreeIds } from '../../repositories/units.ts';

export type { OverdueForReminder } from '../../repositories/digest.ts';

/** One direct reminder: an assignee's own overdue follow-ups, or a unit's long-overdue ones for one of its leads. */
export type OverdueReminder =
  { kind: 'assignee'; items: OverdueForReminder[] } | { kind: 'escalation'; unitCode: string; items: OverdueForReminder[] };

export interface ReminderPlan {
  today: IsoDate;
  escalateDays: number;
  /** Direct messages, by chat user id. */
  direct: Array<{ userId: string; reminder: OverdueReminder }>;
  /** What goes to the schedule's channel: whoever could not be reached directly. Null when nobody is left. */
  channel: {
    /** Each assignee without a reachable account (a member's handle, or a unit's code), with their overdue follow-ups. */
    assignees: Array<{ who: string; items: OverdueForReminder[] }>;
    /** Each unit whose leads cannot be reached directly, with its follow-ups `escalateDays` or more late. */
    escalations: Array<{ unitCode: string; items: OverdueForReminder[] }>;
  } | null;
  overdue: number;
  escalated: number;
}

/**
 * The overdue ladder for one day: each assignee with overdue follow-ups is reminded (directly when
 * they have an account on the platform and it can message them, otherwise in the channel); those
 * `escalateDays` or more late are summed up for the leads of the unit that answers for them. A
 * disabled member is messaged nothing (see `chatAccountOf` and `unitLeads`). The
 * plan holds follow-up numbers, case codes and dates only (see `src/presenters/overdue-reminders.ts`):
 * never the task's text, which may name people.
 */
export async function planOverdueReminders(
  db: Executor,
  input: {
    scopeUnitId: number | null;
    today: IsoDate;
    platform: Platform;
    canMessageDirectly: boolean;
    escalateDays: number;
  },
): Promise<ReminderPlan> {
  const rows = await overdueForReminders(db, {
    unitIds: input.scopeUnitId === null ? null : await unitSubtreeIds(db, input.scopeUnitId),
    today: input.today,
  });
  const direct: ReminderPlan['direct'] = [];
  const assignees: NonNullable<ReminderPlan['channel']>['assignees'] = [];
  const account = async (memberId: number) => (input.canMessageDirectly ? chatAccountOf(db, { memberId, platform: input.platform }) : null);

  const byAssignee = new Map<string, OverdueForReminder[]>();
  for (const row of rows) {
    const key = row.memberId !== null ? `m${row.memberId}` : `u${row.unitId}`;
    byAssignee.set(key, [...(byAssignee.get(key) ?? []), row]);
  }
  for (const items of byAssignee.values()) {
    const first = items[0]!;
    const userId = first.memberId !== null ? await account(first.memberId) : null;
    if (userId) direct.push({ userId, reminder: { kind: 'assignee', items } });
    else assignees.push({ who: first.memberHandle ?? first.unitCode, items });
  }

  const late = rows.filter((r) => r.daysOverdue >= input.escalateDays);
  const byUnit = new Map<number, OverdueForReminder[]>();
  for (const row of late) byUnit.set(row.unitId, [...(byUnit.get(row.unitId) ?? []), row]);
  const escalations: NonNullable<ReminderPlan['channel']>['escalations'] = [];
  for (const [unitId, items] of byUnit) {
    const unitCode = items[0]!.unitCode;
    const leads = input.canMessageDirectly ? (await unitLeads(db, { unitId, platform: input.platform })).filter((x) => x.userId) : [];
    if (leads.length === 0) escalations.push({ unitCode, items });
    for (const lead of leads) direct.push({ userId: lead.userId!, reminder: { kind: 'escalation', unitCode, items } });
  }

  return {
    today: input.today,
    escalateDays: input.escalateDays,
    direct,
    channel: assignees.length || escalations.length ? { assignees, escalations } : null,
    overdue: rows.length,
    escalated: late.length,
  };
}
