import type { Executor } from '../../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import {
  caseFiguresByUnit,
  changesSince,
  countLookups,
  checkFigures,
  type CheckFigures,
  followUpFigures,
  lastJournalEntry,
  outcomesByMonth,
  type OverdueFollowUp,
  recordAdditions,
  type RecordAdditions,
  type UnitFigures,
} from '../../repositories/digest.ts';
import { inspectionsHeldByUnit, type InspectionsHeld } from '../../repositories/inspections.ts';
import { unitTree, type UnitTreeRow } from '../../repositories/units.ts';
import { monthsOf, sameTimeLastYear, type Period } from './period.ts';
import { auditChainHead } from '../../repositories/audit.ts';
import { keptHeadOf } from '../audit.ts';
import { reviseEarlierReport, type EarlierReport, type Revision } from './revision.ts';
import { DEFAULT_VALIDATION_POLICY, type ValidationPolicy } from '../../domain/validation.ts';
import { validationFigures, type ValidationFigures } from '../validations.ts';

export interface Outcomes {
  arrested: number;
  surrendered: number;
  cleared: number;
  total: number;
  /** Dangerous or especially dangerous. */
  dangerous: number;
  especiallyDangerous: number;
}

/** The figures the report gives for the scope, and for each of its units. */
export interface Figures {
  /** Resolved in the period, by the outcome's day, even if the case was wanted again later. */
  resolved: Outcomes;
  /** Wanted and cancellation decisions dated in the period. */
  decisions: { wanted: number; cancelled: number };
  /** Wanted on the last day of the period. */
  outstanding: { total: number; dangerous: number; especiallyDangerous: number };
  /** Cases recorded in the period. */
  newCases: number;
}

export interface UnitRow extends Figures {
  code: string;
  /** The scope unit's own cases, apart from its sub-units'. */
  own?: boolean;
  name: string;
}

/**
 * The steering committee's progress report for a period and a scope: aggregates and case codes
 * only, never a name or an ID, so that it may be posted to a channel.
 */
export interface Digest extends Figures {
  period: Period;
  lastYear: Period;
  scope: { code: string; name: string } | null;
  generatedOn: IsoDate;
  resolvedLastYear: Outcomes;
  /** The scope's child units, most resolved first; beyond `unitLimit`, the rest summed as `others`. */
  units: UnitRow[];
  others: (UnitRow & { count: number }) | null;
  followUps: { opened: number; completed: number; overdue: number; oldestOverdue: OverdueFollowUp[] };
  /** Lookups answered: single lookups (`case find`, `case show`) and the rows of lists checked. */
  lookups: number;
  /** List checks (`case check`) and the confirmation of their hits. */
  checks: CheckFigures;
  /** Records inspections closed in the period, by inspected unit, most first. */
  inspections: InspectionsHeld[];
  /** What the records of the cases wanted today lack. */
  completeness: { missingPhoto: number; missingMarks: number; missingHistory: number };
  /** Photos and identifying-detail entries added to the records in the period, from their dates. */
  added: RecordAdditions;
  /** Records reviewed by their owning units in the period, and reviews due and overdue on the digest's day. */
  validations: ValidationFigures;
  /** How the period of the schedule's previous digest has changed since it was sent. */
  revision: Revision | null;
  /** The last entry of the figures' journal when the figures were read: a later report's revision starts after it. */
  journalMark: number;
  /**
   * The audit log's chain head when the digest was built (`1234:5b9c143d976b`): a copy of the
   * digest kept outside the database later proves the log up to that row was not rewritten.
   */
  auditHead: string;
  sinceLast: { since: string; statusChanges: number; newCases: number } | null;
  /** Resolved per month of the period, by outcome, against the same month a year earlier. */
  monthly: Array<{
    month: string;
    arrested: number;
    surrendered: number;
    cleared: number;
    lastYear: { arrested: number; surrendered: number; cleared: number };
  }>;
}

const emptyOutcomes = (): Outcomes => ({ arrested: 0, surrendered: 0, cleared: 0, total: 0, dangerous: 0, especiallyDangerous: 0 });

function outcomesOf(rows: Array<{ status: 'arrested' | 'surrendered' | 'cleared'; danger: string; n: number }>): Outcomes {
  const o = emptyOutcomes();
  for (const r of rows) {
    o[r.status] += r.n;
    o.total += r.n;
    if (r.danger !== 'normal') o.dangerous += r.n;
    if (r.danger === 'especially_dangerous') o.especiallyDangerous += r.n;
  }
  return o;
}

type Counts = Omit<UnitFigures, 'unitId'>;

function figuresOf(c: Counts): Figures {
  return {
    resolved: {
      arrested: c.arrested,
      surrendered: c.surrendered,
      cleared: c.cleared,
      total: c.arrested + c.surrendered + c.cleared,
      dangerous: c.resolvedDangerous,
      especiallyDangerous: c.resolvedEspeciallyDangerous,
    },
    decisions: { wanted: c.wantedDecisions, cancelled: c.cancellations },
    outstanding: { total: c.outstanding, dangerous: c.outstandingDangerous, especiallyDangerous: c.outstandingEspeciallyDangerous },
    newCases: c.newCases,
  };
}

/** Adds counts up key by key; nothing when there are none. */
function sumCounts(all: Counts[]): Counts {
  const total: Counts = {
    arrested: 0,
    surrendered: 0,
    cleared: 0,
    resolvedDangerous: 0,
    resolvedEspeciallyDangerous: 0,
    wantedDecisions: 0,
    cancellations: 0,
    outstanding: 0,
    outstandingDangerous: 0,
    outstandingEspeciallyDangerous: 0,
    missingPhoto: 0,
    missingMarks: 0,
    missingHistory: 0,
    newCases: 0,
  };
  for (const c of all) for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += c[key];
  return total;
}

/**
 * The rows of the per-unit table: each unit in scope mapped to the sub-unit of the scope it belongs
 * to (or to the scope unit itself, for its own cases), and the unit ids to count (null: all).
 * With no scope and a single top unit (the ministry's department), its children are the rows.
 */
function scopeOf(
  units: UnitTreeRow[],
  scopeUnitId: number | null,
): { unitIds: number[] | null; bucketOf: Map<number, number>; bucketRoot: number | null } {
  const byId = new Map(units.map((u) => [u.id, u]));
  const roots = units.filter((u) => u.parentId === null);
  const bucketRoot = scopeUnitId ?? (roots.length === 1 ? roots[0]!.id : null);
  const bucketOf = new Map<number, number>();
  for (const unit of units) {
    // Walk up until the parent is the bucket root (or there is no parent).
    let current = unit;
    let inScope = bucketRoot === null || unit.id === bucketRoot;
    while (!inScope && current.parentId !== null) {
      if (current.parentId === bucketRoot) {
        inScope = true;
        break;
      }
      current = byId.get(current.parentId)!;
    }
    if (bucketRoot === null) {
      while (current.parentId !== null) current = byId.get(current.parentId)!;
      bucketOf.set(unit.id, current.id);
    } else if (inScope) {
      bucketOf.set(unit.id, unit.id === bucketRoot ? bucketRoot : current.id);
    }
  }
  return { unitIds: scopeUnitId === null ? null : [...bucketOf.keys()], bucketOf, bucketRoot };
}

/**
 * Builds the digest. `since` (the previous digest of the same schedule) adds the changes recorded
 * from then until `asOf` (when the digest is made; default now); `earlier` (what that digest
 * reported) adds how its period has been revised since.
 *
 * Every figure of the per-unit table and the scope's totals of the same figures come from one
 * statement (`caseFiguresByUnit`, over the figures' journal and the cases), the totals summed from
 * the rows, so they add up even while cases change on a server. The other reads (the chart's
 * months, last year, follow-ups, lookups) are separate statements run in parallel and may see a
 * moment later.
 */
export async function buildDigest(
  db: Executor,
  input: {
    scopeUnitId: number | null;
    period: Period;
    today: IsoDate;
    timeZone: string;
    since?: Date | undefined;
    asOf?: Date;
    earlier?: EarlierReport | undefined;
    unitLimit?: number;
    overdueLimit?: number;
    /** How often records are reviewed (CASEDESK_VALIDATION_*); the default policy if unset. */
    validation?: ValidationPolicy;
  },
): Promise<Digest> {
  const { period, timeZone } = input;
  const lastYear = sameTimeLastYear(period);
  const tree = await unitTree(db);
  const { unitIds, bucketOf, bucketRoot } = scopeOf(tree, input.scopeUnitId);
  // Read first: what is journalled after it may or may not be in the figures, and is not lost.
  const journalMark = await lastJournalEntry(db);
  const auditHead = keptHeadOf(await auditChainHead(db));
  const [perUnit, current, previous, followUps, lookups, checks, sinceLast, revision] = await Promise.all([
    caseFiguresByUnit(db, { unitIds, from: period.from, to: period.to, timeZone }),
    outcomesByMonth(db, { unitIds, ...period }),
    outcomesByMonth(db, { unitIds, from: lastYear.from, to: lastYear.to }),
    followUpFigures(db, { unitIds, ...period, today: input.today, timeZone, overdueLimit: input.overdueLimit ?? 10 }),
    countLookups(db, { unitIds, ...period, timeZone }),
    checkFigures(db, { unitIds, ...period, timeZone }),
    input.since ? changesSince(db, { unitIds, since: input.since, until: input.asOf ?? new Date() }) : Promise.resolve(undefined),
    input.earlier ? reviseEarlierReport(db, { unitIds, earlier: input.earlier, timeZone }) : Promise.resolve(null),
  ]);
  const { byUnit: _byUnit, ...validations } = await validationFigures(db, {
    unitIds,
    ...period,
    today: input.today,
    timeZone,
    policy: input.validation ?? DEFAULT_VALIDATION_POLICY,
  });
  const inspections = await inspectionsHeldByUnit(db, { unitIds, ...period, timeZone });
  const added = await recordAdditions(db, { unitIds, ...period, timeZone });

  // Units summed into the rows of the report.
  const buckets = new Map<number, Counts[]>();
  for (const { unitId, ...counts } of perUnit) {
    const bucket = bucketOf.get(unitId);
    if (bucket === undefined) continue;
    const into = buckets.get(bucket);
    if (into) into.push(counts);
    else buckets.set(bucket, [counts]);
  }
  const byBucket = new Map([...buckets].map(([unitId, all]) => [unitId, sumCounts(all)]));
  const total = sumCounts([...byBucket.values()]);
  const names = new Map(tree.map((u) => [u.id, u]));
  const ranked = [...byBucket.entries()]
    .map(([unitId, counts]) => ({
      counts,
      row: {
        code: names.get(unitId)?.code ?? String(unitId),
        ...(unitId === bucketRoot ? { own: true } : {}),
        name: names.get(unitId)?.name ?? '',
        ...figuresOf(counts),
      },
    }))
    .filter(
      ({ row: r }) =>
        r.resolved.total > 0 || r.outstanding.total > 0 || r.decisions.wanted > 0 || r.decisions.cancelled > 0 || r.newCases > 0,
    )
    .sort(
      ({ row: a }, { row: b }) =>
        b.resolved.total - a.resolved.total || b.outstanding.total - a.outstanding.total || a.code.localeCompare(b.code),
    );
  const scopeUnit = input.scopeUnitId === null ? undefined : names.get(input.scopeUnitId);
  const limit = input.unitLimit ?? 10;
  const rest = ranked.slice(limit);

  const byMonth = (rowsOf: typeof current, month: string, status: 'arrested' | 'surrendered' | 'cleared') =>
    rowsOf.filter((r) => r.month === month && r.status === status).reduce((n, r) => n + r.n, 0);
  const lastYearMonth = (month: string) => `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;

  return {
    period,
    lastYear,
    scope: scopeUnit ? { code: scopeUnit.code, name: scopeUnit.name } : null,
    generatedOn: input.today,
    ...figuresOf(total),
    resolvedLastYear: outcomesOf(previous),
    units: ranked.slice(0, limit).map((r) => r.row),
    others: rest.length ? { code: '', name: '', count: rest.length, ...figuresOf(sumCounts(rest.map((r) => r.counts))) } : null,
    followUps,
    lookups: lookups + checks.rowsChecked,
    checks,
    inspections,
    completeness: { missingPhoto: total.missingPhoto, missingMarks: total.missingMarks, missingHistory: total.missingHistory },
    added,
    validations,
    revision,
    journalMark,
    auditHead,
    sinceLast: input.since && sinceLast ? { since: input.since.toISOString(), ...sinceLast } : null,
    monthly: monthsOf(period).map((month) => ({
      month,
      arrested: byMonth(current, month, 'arrested'),
      surrendered: byMonth(current, month, 'surrendered'),
      cleared: byMonth(current, month, 'cleared'),
      lastYear: {
        arrested: byMonth(previous, lastYearMonth(month), 'arrested'),
        surrendered: byMonth(previous, lastYearMonth(month), 'surrendered'),
        cleared: byMonth(previous, lastYearMonth(month), 'cleared'),
      },
    })),
  };
}

/**
 * The change on last year as a signed ratio, or `null` when last year had none to compare with.
 */
export function changeOnLastYear(current: number, lastYear: number): number | null {
  return lastYear === 0 ? null : (current - lastYear) / lastYear;
}
