import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Locale } from '../../i18n/text.ts';
import type { Digest } from './digest.ts';

/** DejaVu Sans, from the dejavu-fonts-ttf package: it has every Vietnamese glyph. */
const FONT_FILE = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_FAMILY = 'DejaVu Sans';

export const CHART_SIZE = { width: 800, height: 420 } as const;

/**
 * The digest's chart as a PNG: resolved per month of the period, stacked by outcome, beside the
 * same month a year earlier. vega-lite → SVG → resvg, with the font shipped in node_modules, so
 * nothing is downloaded or built natively at run time.
 */
export async function renderDigestChart(d: Digest, locale: Locale): Promise<Buffer> {
  const vi = locale === 'vi';
  const thisYear = vi ? 'Năm nay' : 'This year';
  const lastYear = vi ? 'Cùng kỳ năm trước' : 'Same period last year';
  const outcome = { arrested: vi ? 'Bắt' : 'Arrested', surrendered: vi ? 'Đầu thú' : 'Surrendered', cleared: vi ? 'Thanh loại' : 'Cleared', last: vi ? 'Tổng cùng kỳ' : 'Total last year' };
  const monthLabel = (month: string) => (vi ? `T${Number(month.slice(5))}/${month.slice(0, 4)}` : month);
  const values = d.monthly.flatMap((m) => [
    { month: monthLabel(m.month), series: thisYear, outcome: outcome.arrested, n: m.arrested, order: 1 },
    { month: monthLabel(m.month), series: thisYear, outcome: outcome.surrendered, n: m.surrendered, order: 2 },
    { month: monthLabel(m.month), series: thisYear, outcome: outcome.cleared, n: m.cleared, order: 3 },
    { month: monthLabel(m.month), series: lastYear, outcome: outcome.last, n: m.lastYear, order: 4 },
  ]);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: vi ? 'Bắt, vận động đầu thú, thanh loại theo tháng' : 'Arrested, surrendered and cleared by month',
    width: { step: Math.max(12, Math.floor(560 / Math.max(1, d.monthly.length * 2))) },
    height: CHART_SIZE.height - 140,
    background: 'white',
    config: { font: FONT_FAMILY, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 12 } },
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'month', type: 'ordinal', title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', sort: [thisYear, lastYear] },
      y: { field: 'n', type: 'quantitative', stack: 'zero', title: vi ? 'Số đối tượng' : 'Subjects' },
      color: {
        field: 'outcome',
        type: 'nominal',
        title: null,
        sort: [outcome.arrested, outcome.surrendered, outcome.cleared, outcome.last],
        scale: { domain: [outcome.arrested, outcome.surrendered, outcome.cleared, outcome.last], range: ['#1f5fa8', '#4fa35a', '#e0a030', '#b9b9b9'] },
      },
      order: { field: 'order' },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    fitTo: { mode: 'width', value: CHART_SIZE.width },
    background: 'white',
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  }).render();
  return png.asPng();
}
