import { fc, test } from '@fast-check/jest';
import { backoffDelayMs } from './backoff.policy';

const bounds = fc
  .tuple(fc.integer({ min: 1, max: 60_000 }), fc.integer({ min: 0, max: 600_000 }))
  .map(([minDelayMs, extra]) => ({ minDelayMs, maxDelayMs: minDelayMs + extra }));

describe('reconnect backoff', () => {
  test.prop([fc.integer({ min: -5, max: 10_000 }), bounds, fc.double({ min: 0, max: 1, noNaN: true })])(
    'stays within its bounds for every attempt',
    (attempt, b, r) => {
      const delay = backoffDelayMs(attempt, b, () => r);
      expect(delay).toBeGreaterThanOrEqual(b.minDelayMs);
      expect(delay).toBeLessThanOrEqual(b.maxDelayMs);
      expect(Number.isInteger(delay)).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 1, max: 40 }), bounds])(
    'never shrinks its upper envelope from one attempt to the next',
    (attempt, b) => {
      expect(backoffDelayMs(attempt + 1, b, () => 1)).toBeGreaterThanOrEqual(backoffDelayMs(attempt, b, () => 1));
    },
  );

  it('doubles from the lower bound up to the upper bound', () => {
    const b = { minDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelayMs(n, b, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelayMs(3, b, () => 0)).toBe(200);
  });
});
