// The last 24 hours as an SVG bar chart drawn on the server (no script, no
// inline style: the Content-Security-Policy allows neither): one bar per
// hour, stacked by final status class, with a title and a description for
// screen readers. The page puts the same figures in a table beside it.

/** One hour of top-ups: its start (UTC) and how many top-ups created in it ended in each group. */
export interface HourBar {
  readonly start: Date;
  /** By group (see CHART_GROUPS), counts >= 0. */
  readonly counts: Readonly<Partial<Record<ChartGroup, number>>>;
}

/** The stacks of a bar, bottom first, each with its CSS class (console.css colours them). */
export const CHART_GROUPS = ['COMPLETED', 'REVERSED', 'DECLINED', 'REJECTED', 'CANCELLED', 'PENDING'] as const;
export type ChartGroup = (typeof CHART_GROUPS)[number];

const WIDTH = 720;
const HEIGHT = 180;
const AXIS = 24;
const TOP = 12;

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const totalOf = (bar: HourBar): number => CHART_GROUPS.reduce((sum, group) => sum + (bar.counts[group] ?? 0), 0);

const hourLabel = (start: Date): string => `${String(start.getUTCHours()).padStart(2, '0')}:00`;

/**
 * The chart's SVG markup (an `<svg role="img">` with `<title>` and
 * `<desc>`): bars scaled to the busiest hour, every sixth hour and the
 * last labelled on the axis (UTC). Escapes every text it writes.
 */
export const dayChartSvg = (bars: readonly HourBar[], title: string): string => {
  const most = Math.max(1, ...bars.map(totalOf));
  const total = bars.reduce((sum, bar) => sum + totalOf(bar), 0);
  const slot = bars.length === 0 ? WIDTH : WIDTH / bars.length;
  const plotHeight = HEIGHT - AXIS - TOP;
  const parts: string[] = [];
  bars.forEach((bar, index) => {
    const x = index * slot + slot * 0.1;
    let y = HEIGHT - AXIS;
    for (const group of CHART_GROUPS) {
      const count = bar.counts[group] ?? 0;
      if (count === 0) continue;
      const height = (count / most) * plotHeight;
      y -= height;
      parts.push(
        `<rect class="bar bar-${group}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${height.toFixed(1)}"><title>${escapeXml(`${hourLabel(bar.start)} UTC: ${count} ${group}`)}</title></rect>`,
      );
    }
    const last = index === bars.length - 1;
    // the last label ends at the plot's right edge (it would be cut off there otherwise)
    if (index % 6 === 0 || last)
      parts.push(
        `<text class="axis" x="${(last ? WIDTH : x).toFixed(1)}" y="${HEIGHT - 6}"${last ? ' text-anchor="end"' : ''}>${escapeXml(hourLabel(bar.start))}</text>`,
      );
  });
  const description = `${total} top-up(s) in the last 24 hours; the busiest hour had ${total === 0 ? 0 : most}.`;
  return (
    `<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="chart-title">${escapeXml(title)}</title><desc id="chart-desc">${escapeXml(description)}</desc>` +
    `<line class="baseline" x1="0" y1="${HEIGHT - AXIS}" x2="${WIDTH}" y2="${HEIGHT - AXIS}"/>` +
    parts.join('') +
    '</svg>'
  );
};
