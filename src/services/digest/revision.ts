import type { Executor } from '../../../db/client.ts';
import type { LedgerMeasure } from '../../../db/schema/index.ts';
import { caseFiguresByUnit, correctionsSince } from '../../repositories/digest.ts';
import type { Period } from './period.ts';

/** The figures a report gave that later entries can revise. */
export const REVISED_FIGURES = ['arrested', 'surrendered', 'cleared', 'wantedDecisions', 'cancellations', 'outstanding'] as const;
export type RevisedFigure = (typeof REVISED_FIGURES)[number];
export type ReportedFigures = Record<RevisedFigure, number>;

const MEASURE: Record<RevisedFigure, LedgerMeasure> = {
  arrested: 'arrested',
  surrendered: 'surrendered',
  cleared: 'cleared',
  wantedDecisions: 'wanted_decision',
  cancellations: 'cancellation_decision',
  outstanding: 'wanted',
};

/**
 * How a period already reported has changed since: per figure, the change, split into late entries
 * (outcomes and decisions recorded after the report for days it covered) and corrections.
 */
export interface Revision {
  period: Period;
  changes: Array<{ figure: RevisedFigure; delta: number; late: number; corrected: number }>;
}

/** What a report built earlier reported: its period, its figures, and the last journal entry it saw. */
export interface EarlierReport {
  period: Period;
  figures: ReportedFigures;
  journalMark: number;
}

/**
 * The revision of an earlier report of the same scope: its period's figures today against what it
 * said, the corrections among the difference from the journal, the rest late entries. Null when
 * nothing changed.
 */
export async function reviseEarlierReport(
  db: Executor,
  input: { unitIds: number[] | null; earlier: EarlierReport; timeZone: string },
): Promise<Revision | null> {
  const { period, figures, journalMark } = input.earlier;
  const [now, corrections] = await Promise.all([
    caseFiguresByUnit(db, { unitIds: input.unitIds, from: period.from, to: period.to, timeZone: input.timeZone }),
    correctionsSince(db, { unitIds: input.unitIds, from: period.from, to: period.to, after: journalMark }),
  ]);
  const changes: Revision['changes'] = [];
  for (const figure of REVISED_FIGURES) {
    const today = now.reduce((n, unit) => n + unit[figure], 0);
    const delta = today - figures[figure];
    if (delta === 0) continue;
    const corrected = corrections.filter((c) => c.measure === MEASURE[figure]).reduce((n, c) => n + c.delta, 0);
    changes.push({ figure, delta, late: delta - corrected, corrected });
  }
  return changes.length ? { period: { from: period.from, to: period.to }, changes } : null;
}

/**
 * What a report stored with its run (a `Digest`) said, for {@link reviseEarlierReport}; undefined
 * when it kept no figures (built before reports kept them).
 */
export function earlierReportOf(stored: unknown): EarlierReport | undefined {
  const d = stored as
    | {
        period?: { from?: unknown; to?: unknown };
        journalMark?: unknown;
        resolved?: { arrested?: unknown; surrendered?: unknown; cleared?: unknown };
        decisions?: { wanted?: unknown; cancelled?: unknown };
        outstanding?: { total?: unknown };
      }
    | null
    | undefined;
  const figures = {
    arrested: d?.resolved?.arrested,
    surrendered: d?.resolved?.surrendered,
    cleared: d?.resolved?.cleared,
    wantedDecisions: d?.decisions?.wanted,
    cancellations: d?.decisions?.cancelled,
    outstanding: d?.outstanding?.total,
  };
  const from = d?.period?.from;
  const to = d?.period?.to;
  const mark = d?.journalMark;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof mark !== 'number') return undefined;
  if (!Object.values(figures).every((v) => typeof v === 'number')) return undefined;
  return { period: { from, to }, figures: figures as ReportedFigures, journalMark: mark };
}
