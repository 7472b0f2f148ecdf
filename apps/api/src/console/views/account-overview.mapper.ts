// The list page's account part, from the overview use case: the balances of
// every account of the key, and the last 24 hours (per hour by status,
// success rate per provider and per operator) as the overview fragment
// (chart, legend, tables).
import type { AccountOverview, OverviewStatus } from '@airtime/application';
import { formatMoney, money } from '@airtime/domain';
import { renderFragment } from '../templates/page-renderer';
import { CHART_GROUPS, type ChartGroup, dayChartSvg, type HourBar } from './day-chart.format';

/** The chart's group of an overview status (non-final ones are `PENDING`). */
const groupOf = (status: OverviewStatus): ChartGroup => (status === 'pending' ? 'PENDING' : status);

/** One row per account and currency: available, held and credit limit, exact. */
export const balanceRows = (overview: AccountOverview) =>
  overview.accounts.flatMap((account) =>
    account.balances.map((balance) => ({
      accountId: account.accountId,
      currency: balance.currency.code,
      available: formatMoney(money(balance.availableMinor, balance.currency)),
      holding: formatMoney(money(balance.holdingMinor, balance.currency)),
      creditLimit: formatMoney(money(balance.creditLimitMinor, balance.currency)),
    })),
  );

/** The overview's hours as chart bars. */
export const hourBars = (overview: AccountOverview): readonly HourBar[] =>
  overview.hours.map((hour) => {
    const counts: Partial<Record<ChartGroup, number>> = {};
    for (const [status, count] of Object.entries(hour.counts) as [OverviewStatus, number][])
      counts[groupOf(status)] = (counts[groupOf(status)] ?? 0) + count;
    return { start: hour.hourStart, counts };
  });

const rateText = (rate: number | undefined): string => (rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);

/** The overview fragment's markup. */
export const dayOverviewHtml = (overview: AccountOverview): string => {
  const bars = hourBars(overview);
  return renderFragment('overview', {
    chartSvg: dayChartSvg(bars, 'Top-ups per hour over the last 24 hours (UTC), by status'),
    groups: CHART_GROUPS,
    hours: bars.map((bar) => ({
      label: `${bar.start.toISOString().slice(0, 13).replace('T', ' ')}:00`,
      counts: CHART_GROUPS.map((group) => bar.counts[group] ?? 0),
    })),
    providers: overview.providers.map((row) => ({
      name: row.providerId,
      completed: row.completed,
      final: row.final,
      rate: rateText(row.successRate),
    })),
    operators: overview.operators.map((row) => ({
      name: row.operatorName === '' ? `operator ${row.operatorId}` : row.operatorName,
      completed: row.completed,
      final: row.final,
      rate: rateText(row.successRate),
    })),
  });
};
