import { dayChartSvg, type HourBar } from './day-chart.format';

const hour = (index: number, counts: HourBar['counts']): HourBar => ({
  start: new Date(Date.UTC(2026, 11, 1, index)),
  counts,
});

describe('dayChartSvg', () => {
  it('draws one rect per non-empty stack, scaled to the busiest hour', () => {
    const svg = dayChartSvg(
      [hour(0, { COMPLETED: 2, DECLINED: 2 }), hour(1, { COMPLETED: 1 }), hour(2, {})],
      'Top-ups per hour',
    );
    expect(svg.match(/<rect /g)).toHaveLength(3);
    // the busiest hour (4 top-ups) fills the plot height (180 - 24 - 12 = 144): 2 of 4 is 72
    expect(svg).toContain('class="bar bar-COMPLETED" x="24.0" y="84.0" width="192.0" height="72.0"');
    expect(svg).toContain('<title>00:00 UTC: 2 DECLINED</title>');
    expect(svg).toContain('5 top-up(s) in the last 24 hours; the busiest hour had 4.');
  });

  it('escapes its title and has an accessible name', () => {
    const svg = dayChartSvg([], 'a <b> & "c"');
    expect(svg).toContain('<title id="chart-title">a &lt;b&gt; &amp; &quot;c&quot;</title>');
    expect(svg).toContain('role="img" aria-labelledby="chart-title chart-desc"');
    expect(svg).toContain('0 top-up(s) in the last 24 hours; the busiest hour had 0.');
  });
});
