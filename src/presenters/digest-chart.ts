import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { daysInMonth } from '../domain/dates.ts';
import { formatDate, text, type Locale } from '../i18n/text.ts';
import type { Digest } from '../services/digest/digest.ts';
import { describePeriod } from '../services/digest/period.ts';

/** DejaVu Sans, from the dejavu-fonts-ttf package: it has every Vietnamese glyph. */
const FONT_FILE = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_FAMILY = 'DejaVu Sans';

/**
 * vega-lite gives every Set a `toJSON` as it loads (its spec hashing needs it). Left in place, it
 * breaks whatever inspects built-in prototypes afterwards: discord.js's event emitter, loaded after
 * a chart was drawn, throws as it loads (`string "Set()" is not iterable`). So it is taken away at
 * once and put back only while a spec compiles, which is synchronous: nothing else runs meanwhile.
 */
const SET_TO_JSON = Object.getOwnPropertyDescriptor(Set.prototype, 'toJSON');
if (SET_TO_JSON) Reflect.deleteProperty(Set.prototype, 'toJSON');

function compileSpec(spec: TopLevelSpec): ReturnType<typeof compile> {
  if (!SET_TO_JSON) return compile(spec);
  Object.defineProperty(Set.prototype, 'toJSON', SET_TO_JSON);
  try {
    return compile(spec);
  } finally {
    Reflect.deleteProperty(Set.prototype, 'toJSON');
  }
}

/** The PNG's size in pixels, exactly: the spec fits title, axes and legends inside it. */
export const CHART_SIZE = { width: 800, height: 420 } as const;

/** "T1/2026" in vi, "Jan 2026" in en, from `2026-01`. */
export function monthLabel(locale: Locale, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const short = new Intl.DateTimeFormat('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
  return text(`T${m}/${y}`, short)(locale);
}

/**
 * The months of the chart the period covers only in part: the month it ends in, when it ends before
 * that month does (the month in progress, for a digest up to yesterday), and the month it starts
 * in, when it starts after the 1st. Their bars are outlined with a dashed line and their labels say
 * to or from which day, so that a month just begun is not read as a collapse.
 */
export function partialMonths(d: Pick<Digest, 'period'>): Map<string, { from?: string; to?: string }> {
  const partial = new Map<string, { from?: string; to?: string }>();
  const { from, to } = d.period;
  if (!from.endsWith('-01')) partial.set(from.slice(0, 7), { from });
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  if (td < daysInMonth(ty, tm)) partial.set(to.slice(0, 7), { ...partial.get(to.slice(0, 7)), to });
  return partial;
}

/**
 * The chart's vega-lite spec: resolved per month of the period, stacked by outcome, beside the
 * same month a year earlier, stacked the same way in lighter shades; titled with the unit and the
 * period, "as of" its last day; a month the period covers in part is marked (see {@link partialMonths}).
 */
export function digestChartSpec(d: Digest, locale: Locale): TopLevelSpec {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const thisYear = t('Kỳ này', 'This period');
  const lastYear = t('Cùng kỳ năm trước', 'Same period last year');
  const outcome = {
    arrested: t('Bắt', 'Arrested'),
    surrendered: t('Đầu thú', 'Surrendered'),
    cleared: t('Thanh loại', 'Cleared'),
  };
  const outcomes = [outcome.arrested, outcome.surrendered, outcome.cleared];
  const partial = partialMonths(d);
  const dayMonth = (day: string) => formatDate(locale, day).slice(0, 5);
  const label = (m: string) => {
    const cut = partial.get(m);
    if (!cut) return monthLabel(locale, m);
    const part = [
      cut.from && t(`từ ${dayMonth(cut.from)}`, `from ${dayMonth(cut.from)}`),
      cut.to && t(`đến ${dayMonth(cut.to)}`, `to ${dayMonth(cut.to)}`),
    ];
    return `${monthLabel(locale, m)} (${part.filter(Boolean).join(', ')})`;
  };
  const values = d.monthly.flatMap((m) => {
    const month = label(m.month);
    const partOnly = partial.has(m.month);
    return [
      { month, series: thisYear, outcome: outcome.arrested, n: m.arrested, order: 1, partOnly },
      { month, series: thisYear, outcome: outcome.surrendered, n: m.surrendered, order: 2, partOnly },
      { month, series: thisYear, outcome: outcome.cleared, n: m.cleared, order: 3, partOnly },
      { month, series: lastYear, outcome: outcome.arrested, n: m.lastYear.arrested, order: 1, partOnly },
      { month, series: lastYear, outcome: outcome.surrendered, n: m.lastYear.surrendered, order: 2, partOnly },
      { month, series: lastYear, outcome: outcome.cleared, n: m.lastYear.cleared, order: 3, partOnly },
    ];
  });
  const unit = d.scope ? `${d.scope.code} (${d.scope.name})` : t('tất cả đơn vị', 'all units');
  const inProgress = [...partial.entries()].find(([, cut]) => cut.to !== undefined);
  const subtitle = [
    t(
      `${unit}: ${describePeriod('vi', d.period)}, tính đến ngày ${formatDate('vi', d.period.to)}`,
      `${unit}: ${describePeriod('en', d.period)}, as of ${formatDate('en', d.period.to)}`,
    ),
    ...(inProgress
      ? [
          t(
            `${monthLabel('vi', inProgress[0])} chưa hết tháng: số liệu mới đến ngày ${formatDate('vi', d.period.to)} (cột có viền nét đứt)`,
            `${monthLabel('en', inProgress[0])} is still in progress: figures to ${formatDate('en', d.period.to)} only (dashed outline)`,
          ),
        ]
      : []),
  ];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: t('Bắt, vận động đầu thú, thanh loại theo tháng', 'Arrested, surrendered and cleared by month'),
      subtitle,
      subtitleFontSize: 12,
    },
    // The whole picture (title, axes, legends and padding) is fitted into the declared size.
    width: CHART_SIZE.width,
    height: CHART_SIZE.height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    config: {
      font: FONT_FAMILY,
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
    },
    data: { values },
    mark: { type: 'bar', strokeWidth: 1.5 },
    encoding: {
      x: {
        field: 'month',
        type: 'ordinal',
        title: null,
        sort: null,
        axis: { labelAngle: d.monthly.length > 8 ? -40 : 0, labelOverlap: d.monthly.length > 16 ? 'greedy' : false, labelLimit: 240 },
      },
      xOffset: { field: 'series', sort: [thisYear, lastYear] },
      y: { field: 'n', type: 'quantitative', stack: 'zero', title: t('Số đối tượng', 'Subjects'), axis: { tickMinStep: 1 } },
      color: {
        field: 'outcome',
        type: 'nominal',
        title: null,
        sort: outcomes,
        scale: { domain: outcomes, range: ['#1f5fa8', '#4fa35a', '#e0a030'] },
      },
      opacity: {
        field: 'series',
        type: 'nominal',
        title: null,
        sort: [thisYear, lastYear],
        scale: { domain: [thisYear, lastYear], range: [1, 0.4] },
      },
      stroke: { condition: { test: 'datum.partOnly', value: '#333333' }, value: null },
      strokeDash: { condition: { test: 'datum.partOnly', value: [4, 3] }, value: [1, 0] },
      order: { field: 'order' },
    },
  };
}

/**
 * The digest's chart (see {@link digestChartSpec}) as a PNG of {@link CHART_SIZE}.
 * vega-lite → SVG → resvg, with the font shipped in node_modules, so nothing is downloaded or
 * built natively at run time.
 */
export async function renderDigestChart(d: Digest, locale: Locale): Promise<Buffer> {
  const spec = digestChartSpec(d, locale);
  const view = new vega.View(vega.parse(compileSpec(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'original' },
    background: 'white',
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return png.asPng();
}
