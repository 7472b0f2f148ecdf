// The ledger benchmark's pure parts: pgbench's TPS line, its scripts, and the seeded account pickers.
import { makeAccountPicker, rankOf, seededPermutation, zipfCumulative } from './account-picker';
import { parseTps, pgbenchScript, pgbenchThreads } from './pgbench';

describe('parseTps', () => {
  it('reads the PostgreSQL 14+ line', () => {
    const output =
      'latency average = 5.675 ms\ninitial connection time = 109.999 ms\ntps = 1409.730637 (without initial connection time)\n';
    expect(parseTps(output)).toBe(1409.730637);
  });

  it('reads the older excluding-connections line, not the including one', () => {
    const output =
      'tps = 900.5 (including connections establishing)\ntps = 1000.25 (excluding connections establishing)\n';
    expect(parseTps(output)).toBe(1000.25);
  });

  it('is undefined without a tps line', () => {
    expect(parseTps('pgbench: error: connection failed\n')).toBeUndefined();
  });
});

describe('pgbenchScript', () => {
  it('updates row 0, a uniform row or a Zipf row by :id', () => {
    expect(pgbenchScript({ kind: 'hot' })).toBe('UPDATE bench_counters SET n = n + 1 WHERE id = 0;\n');
    expect(pgbenchScript({ kind: 'uniform' })).toBe(
      '\\set id random(0, 999)\nUPDATE bench_counters SET n = n + 1 WHERE id = :id;\n',
    );
    expect(pgbenchScript({ kind: 'zipf', s: 2 })).toBe(
      '\\set id random_zipfian(0, 999, 2.0)\nUPDATE bench_counters SET n = n + 1 WHERE id = :id;\n',
    );
  });

  it('uses one thread per client up to two', () => {
    expect([1, 8, 64].map(pgbenchThreads)).toEqual([1, 2, 2]);
  });
});

describe('zipf sampling', () => {
  it('has cumulative probabilities rising to exactly 1, rank 1 at 1/H(n, s)', () => {
    const table = zipfCumulative(1_000, 2);
    const harmonic = Array.from({ length: 1_000 }, (_, k) => 1 / (k + 1) ** 2).reduce((a, b) => a + b, 0);
    expect(table[0]).toBeCloseTo(1 / harmonic, 12);
    expect(table[999]).toBe(1);
    expect(table.every((value, index) => index === 0 || value >= (table[index - 1] ?? 0))).toBe(true);
  });

  it('inverts the cumulative table', () => {
    const table = Float64Array.from([0.5, 0.75, 1]);
    expect([0, 0.49, 0.5, 0.74, 0.75, 0.999].map((u) => rankOf(table, u))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('draws ranks with their Zipf frequencies, through a fixed permutation', () => {
    const permutation = seededPermutation(1_000, 12);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 1_000 }, (_, index) => index));
    const next = makeAccountPicker({ kind: 'zipf', accounts: 1_000, s: 2 }, 12).forClient(0);
    const counts = new Map<number, number>();
    const draws = 100_000;
    for (let draw = 0; draw < draws; draw++) {
      const account = next();
      counts.set(account, (counts.get(account) ?? 0) + 1);
    }
    const share = (rank: number) => (counts.get(permutation[rank] as number) ?? 0) / draws;
    const table = zipfCumulative(1_000, 2);
    expect(share(0)).toBeCloseTo(table[0] as number, 2);
    expect(share(1)).toBeCloseTo((table[1] as number) - (table[0] as number), 2);
  });

  it('repeats the same accounts for the same seed and client, and differs between clients', () => {
    const picker = makeAccountPicker({ kind: 'uniform', accounts: 1_000 }, 12);
    const draw = (client: number) => {
      const next = picker.forClient(client);
      return Array.from({ length: 20 }, () => next());
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    expect(draw(3).every((account) => account >= 0 && account < 1_000)).toBe(true);
  });
});
