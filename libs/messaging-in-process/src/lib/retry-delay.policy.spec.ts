import { test } from '@fast-check/jest';
import fc from 'fast-check';
import { retryDelayMs } from './retry-delay.policy';

const bounds = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }))
  .map(([a, b]) => ({ minDelayMs: Math.min(a, b), maxDelayMs: Math.max(a, b) }));
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('retry delay', () => {
  test.prop([fc.integer({ min: -5, max: 100 }), bounds, unit])(
    'is a whole number of milliseconds within the bounds',
    (retry, b, r) => {
      const delay = retryDelayMs(retry, b, () => r);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(b.minDelayMs);
      expect(delay).toBeLessThanOrEqual(b.maxDelayMs);
    },
  );

  test.prop([fc.integer({ min: 1, max: 40 }), bounds, unit])(
    'never shrinks from one retry to the next for the same draw',
    (retry, b, r) => {
      expect(retryDelayMs(retry + 1, b, () => r)).toBeGreaterThanOrEqual(retryDelayMs(retry, b, () => r));
    },
  );

  it('doubles from the lower bound up to the upper one', () => {
    const b = { minDelayMs: 1_000, maxDelayMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, b, () => 0.9999999))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });
});
