// Seeded account pickers of the ledger benchmark: one hot account, uniform
// over n accounts, or Zipf (rank k of 1..n with probability ∝ 1/k^s, by
// inverse CDF on a precomputed cumulative table) mapped to account indexes
// through a fixed seeded permutation, so the hottest account is not acct-0.
// The PRNG is the simulator's seeded mulberry32.
import { seededRandom } from '@airtime/provider-simulator';

/** Which accounts a cell's pairs go to. */
export type AccountDistribution =
  | { readonly kind: 'hot' }
  | { readonly kind: 'uniform'; readonly accounts: number }
  | { readonly kind: 'zipf'; readonly accounts: number; readonly s: number };

/** Cumulative Zipf(s) probabilities of ranks 1..n: entry k-1 is P(rank ≤ k); the last entry is exactly 1. */
export const zipfCumulative = (n: number, s: number): Float64Array => {
  const table = new Float64Array(n);
  let sum = 0;
  for (let rank = 1; rank <= n; rank++) {
    sum += 1 / rank ** s;
    table[rank - 1] = sum;
  }
  for (let index = 0; index < n; index++) table[index] = (table[index] ?? 0) / sum;
  table[n - 1] = 1;
  return table;
};

/** The 0-based rank drawn by `u` in [0, 1): the first entry of `cumulative` above u (binary search). */
export const rankOf = (cumulative: Float64Array, u: number): number => {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cumulative[middle] ?? 1) > u) high = middle;
    else low = middle + 1;
  }
  return low;
};

/** 0..n-1 shuffled by a seeded Fisher–Yates: rank r (0-based) is account permutation[r]. */
export const seededPermutation = (n: number, seed: number): readonly number[] => {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, index) => index);
  for (let index = n - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  return order;
};

/**
 * A source of account indexes per client: `forClient(c)` returns a picker
 * whose successive calls give that client's accounts (0 for `hot`; 0..n-1
 * otherwise), from its own PRNG stream derived from `seed` and c.
 */
export const makeAccountPicker = (
  distribution: AccountDistribution,
  seed: number,
): { readonly forClient: (client: number) => () => number } => {
  const streamOf = (client: number) => seededRandom(seed ^ Math.imul(client + 1, 0x9e3779b1));
  switch (distribution.kind) {
    case 'hot':
      return { forClient: () => () => 0 };
    case 'uniform': {
      const { accounts } = distribution;
      return {
        forClient: (client) => {
          const random = streamOf(client);
          return () => Math.floor(random() * accounts);
        },
      };
    }
    case 'zipf': {
      const cumulative = zipfCumulative(distribution.accounts, distribution.s);
      const permutation = seededPermutation(distribution.accounts, seed);
      return {
        forClient: (client) => {
          const random = streamOf(client);
          return () => permutation[rankOf(cumulative, random())] as number;
        },
      };
    }
  }
};
