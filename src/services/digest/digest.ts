import type { Executor } from '../../../db/client.ts';
import type { IsoDate } from '../../domain/dates.ts';
import { caseFiguresByUnit, changesSince, countLookups, followUpFigures, outcomesByMonth, type OverdueFollowUp, type UnitFigures } from '../../repositories/digest.ts';
import { unitTree, type UnitTreeRow } from '../../repositories/units.ts';
import { monthsOf, sameTimeLastYear, type Period } from './period.ts';

export interface Outcomes {
  arrested: number;
  surrendered: number;
  cleared: number;
  total: number;
  /** Dangerous or especially dangerous. */
  dangerous: number;
  especiallyDangerous: number;
}

export interface UnitRow {
  code: string;
  /** The scope unit's own cases, apart from its sub-units'. */
  own?: boolean;
  name: string;
  resolved: number;
  outstanding: number;
}

/**
 * The steering committee's progress report for a period and a scope: aggregates and case codes
 * only, never a name or an ID, so that it may be posted to a channel.
 */
export interface Digest {
  period: Period;
  lastYear: Period;
  scope: { code: string; name: string } | null;
  generatedOn: IsoDate;
  resolved: Outcomes;
  resolvedLastYear: Outcomes;
  decisions: { wanted: number; cancelled: number };
  outstanding: { total: number; dangerous: number; especiallyDangerous: number };
  newCases: number;
  /** The scope's child units, most resolved first; beyond `unitLimit`, the rest summed as `others`. */
  units: UnitRow[];
  others: (UnitRow & { count: number }) | null;
  followUps: { opened: number; completed: number; overdue: number; oldestOverdue: OverdueFollowUp[] };
  lookups: number;
  completeness: { missingPhoto: number; missingMarks: number; missingHistory: number };
  sinceLast: { since: string; statusChanges: number; newCases: number } | null;
  /** Resolved per month of the period, by outcome, against the same month a year earlier. */
  monthly: Array<{ month: string; arrested: number; surrendered: number; cleared: number; lastYear: number }>;
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

/**
 * The rows of the per-unit table: each unit in scope mapped to the sub-unit of the scope it belongs
 * to (or to the scope unit itself, for its own cases), and the unit ids to count (null: all).
 * With no scope and a single top unit (the ministry's department), its children are the rows.
 */
function scopeOf(units: UnitTreeRow[], scopeUnitId: number | null): { unitIds: number[] | null; bucketOf: Map<number, number>; bucketRoot: number | null } {
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
 * from then until `asOf` (when the digest is made; default now). The figures per unit add up to the
 * scope's totals: both come from one pass over the cases.
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
    unitLimit?: number;
    overdueLimit?: number;
  },
): Promise<Digest> {
  const { period, timeZone } = input;
  const lastYear = sameTimeLastYear(period);
  const tree = await unitTree(db);
  const { unitIds, bucketOf, bucketRoot } = scopeOf(tree, input.scopeUnitId);
  const [perUnit, current, previous, followUps, lookups, sinceLast] = await Promise.all([
    caseFiguresByUnit(db, { unitIds, from: period.from, to: period.to, timeZone }),
    outcomesByMonth(db, { unitIds, ...period }),
    outcomesByMonth(db, { unitIds, from: lastYear.from, to: lastYear.to }),
    followUpFigures(db, { unitIds, ...period, today: input.today, timeZone, overdueLimit: input.overdueLimit ?? 10 }),
    countLookups(db, { unitIds, ...period, timeZone }),
    input.since ? changesSince(db, { unitIds, since: input.since, until: input.asOf ?? new Date() }) : Promise.resolve(undefined),
  ]);

  // Units summed into the rows of the report.
  type Figures = Omit<UnitFigures, 'unitId'>;
  const buckets = new Map<number, Figures>();
  for (const { unitId, ...figures } of perUnit) {
    const bucket = bucketOf.get(unitId);
    if (bucket === undefined) continue;
    const into = buckets.get(bucket);
    if (!into) buckets.set(bucket, { ...figures });
    else for (const key of Object.keys(figures) as Array<keyof Figures>) into[key] += figures[key];
  }
  const sum = (key: keyof Figures) => [...buckets.values()].reduce((n, b) => n + b[key], 0);
  const names = new Map(tree.map((u) => [u.id, u]));
  const rows = [...buckets.entries()]
    .map(([unitId, b]) => ({
      code: names.get(unitId)?.code ?? String(unitId),
      ...(unitId === bucketRoot ? { own: true } : {}),
      name: names.get(unitId)?.name ?? '',
      resolved: b.arrested + b.surrendered + b.cleared,
      outstanding: b.outstanding,
    }))
    .filter((r) => r.resolved > 0 || r.outstanding > 0)
    .sort((a, b) => b.resolved - a.resolved || b.outstanding - a.outstanding || a.code.localeCompare(b.code));
  const scopeUnit = input.scopeUnitId === null ? undefined : names.get(input.scopeUnitId);
  const limit = input.unitLimit ?? 10;
  const rest = rows.slice(limit);

  const byMonth = (rowsOf: typeof current, month: string, status?: string) =>
    rowsOf.filter((r) => r.month === month && (!status || r.status === status)).reduce((n, r) => n + r.n, 0);
  const lastYearMonth = (month: string) => `${Number(month.slice(0, 4)) - 1}${month.slice(4)}`;

  return {
    period,
    lastYear,
    scope: scopeUnit ? { code: scopeUnit.code, name: scopeUnit.name } : null,
    generatedOn: input.today,
    resolved: outcomesOf(current),
    resolvedLastYear: outcomesOf(previous),
    decisions: { wanted: sum('wantedDecisions'), cancelled: sum('cancellations') },
    outstanding: { total: sum('outstanding'), dangerous: sum('outstandingDangerous'), especiallyDangerous: sum('outstandingEspeciallyDangerous') },
    newCases: sum('newCases'),
    units: rows.slice(0, limit),
    others: rest.length
      ? { code: '', name: '', count: rest.length, resolved: rest.reduce((n, r) => n + r.resolved, 0), outstanding: rest.reduce((n, r) => n + r.outstanding, 0) }
      : null,
    followUps,
    lookups,
    completeness: { missingPhoto: sum('missingPhoto'), missingMarks: sum('missingMarks'), missingHistory: sum('missingHistory') },
    sinceLast: input.since && sinceLast ? { since: input.since.toISOString(), ...sinceLast } : null,
    monthly: monthsOf(period).map((month) => ({
      month,
      arrested: byMonth(current, month, 'arrested'),
      surrendered: byMonth(current, month, 'surrendered'),
      cleared: byMonth(current, month, 'cleared'),
      lastYear: byMonth(previous, lastYearMonth(month)),
    })),
  };
}

/**
 * The change on last year as a signed ratio, or `null` when last year had none to compare with.
 */
export function changeOnLastYear(current: number, lastYear: number): number | null {
  return lastYear === 0 ? null : (current - lastYear) / lastYear;
}
