// The cells of the ledger benchmark (issue 12): which accounts, how many
// clients, the matching pgbench script, and the target each cell is held to.
import type { AccountDistribution } from './account-picker';
import type { PgbenchRows } from './pgbench';

/** Accounts of the many-accounts cells (and rows of bench_counters). */
export const ACCOUNTS = 1_000;
/** The Zipf exponent of the skewed cells. */
export const ZIPF_S = 2;

/**
 * A cell's target: store pairs/s ÷ pgbench TPS at least `atLeast`
 * (`pgbench`), or store pairs/s ÷ the uniform 1,000-accounts cell's pairs/s
 * at the same clients at least `atLeast` (`uniform`).
 */
export type Target =
  { readonly of: 'pgbench'; readonly atLeast: number } | { readonly of: 'uniform'; readonly atLeast: number };

export interface Cell {
  readonly label: string;
  readonly accounts: AccountDistribution;
  readonly pgbench: PgbenchRows;
  readonly clients: number;
  readonly target?: Target;
}

const hot = (clients: number, atLeast: number): Cell => ({
  label: 'hot (1 account)',
  accounts: { kind: 'hot' },
  pgbench: { kind: 'hot' },
  clients,
  target: { of: 'pgbench', atLeast },
});

const uniform = (clients: number, target?: Target): Cell => ({
  label: `uniform ${ACCOUNTS.toLocaleString('en')}`,
  accounts: { kind: 'uniform', accounts: ACCOUNTS },
  pgbench: { kind: 'uniform' },
  clients,
  ...(target ? { target } : {}),
});

const zipf = (clients: number): Cell => ({
  label: `zipf s=${ZIPF_S} ${ACCOUNTS.toLocaleString('en')}`,
  accounts: { kind: 'zipf', accounts: ACCOUNTS, s: ZIPF_S },
  pgbench: { kind: 'zipf', s: ZIPF_S },
  clients,
  target: { of: 'uniform', atLeast: 0.9 },
});

/** In run order: each Zipf cell after the uniform cell of its clients (its target's reference). */
export const CELLS: readonly Cell[] = [
  hot(1, 0.2),
  hot(8, 0.75),
  hot(64, 2.5),
  uniform(1),
  uniform(8),
  uniform(64, { of: 'pgbench', atLeast: 2.0 }),
  zipf(8),
  zipf(64),
];

/** How a target reads in the table, e.g. `≥ 2.50× pgbench`, `≥ 90% of uniform`. */
export const targetText = (target: Target | undefined): string =>
  target === undefined
    ? '-'
    : target.of === 'pgbench'
      ? `≥ ${target.atLeast.toFixed(2)}× pgbench`
      : `≥ ${(target.atLeast * 100).toFixed(0)}% of uniform`;
