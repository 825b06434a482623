import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { text, type Locale } from '../i18n/text.ts';
import type { Digest } from '../services/digest/digest.ts';

/** DejaVu Sans, from the dejavu-fonts-ttf package: it has every Vietnamese glyph. */
const FONT_FILE = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_FAMILY = 'DejaVu Sans';

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
 * The digest's chart as a PNG of {@link CHART_SIZE}: resolved per month of the period, stacked by
 * outcome, beside the same month a year earlier, stacked the same way in lighter shades.
 * vega-lite → SVG → resvg, with the font shipped in node_modules, so nothing is downloaded or
 * built natively at run time.
 */
export async function renderDigestChart(d: Digest, locale: Locale): Promise<Buffer> {
  const t = (vi: string, en: string) => text(vi, en)(locale);
  const thisYear = t('Kỳ này', 'This period');
  const lastYear = t('Cùng kỳ năm trước', 'Same period last year');
  const outcome = {
    arrested: t('Bắt', 'Arrested'),
    surrendered: t('Đầu thú', 'Surrendered'),
    cleared: t('Thanh loại', 'Cleared'),
  };
  const outcomes = [outcome.arrested, outcome.surrendered, outcome.cleared];
  const values = d.monthly.flatMap((m) => {
    const month = monthLabel(locale, m.month);
    return [
      { month, series: thisYear, outcome: outcome.arrested, n: m.arrested, order: 1 },
      { month, series: thisYear, outcome: outcome.surrendered, n: m.surrendered, order: 2 },
      { month, series: thisYear, outcome: outcome.cleared, n: m.cleared, order: 3 },
      { month, series: lastYear, outcome: outcome.arrested, n: m.lastYear.arrested, order: 1 },
      { month, series: lastYear, outcome: outcome.surrendered, n: m.lastYear.surrendered, order: 2 },
      { month, series: lastYear, outcome: outcome.cleared, n: m.lastYear.cleared, order: 3 },
    ];
  });
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: t('Bắt, vận động đầu thú, thanh loại theo tháng', 'Arrested, surrendered and cleared by month'),
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
    mark: 'bar',
    encoding: {
      x: {
        field: 'month',
        type: 'ordinal',
        title: null,
        sort: null,
        axis: { labelAngle: d.monthly.length > 8 ? -40 : 0, labelOverlap: d.monthly.length > 16 ? 'greedy' : false },
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
      order: { field: 'order' },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'original' },
    background: 'white',
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return png.asPng();
}
