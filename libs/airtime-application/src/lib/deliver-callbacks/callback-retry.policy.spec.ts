import fc from 'fast-check';
import { CALLBACK_RETRY_DELAYS_MS, MAX_CALLBACK_TRIES, nextCallbackTryAt } from './callback-retry.policy';

const at = new Date('2026-12-01T10:00:00Z');
const later = (ms: number): string => new Date(at.getTime() + ms).toISOString();

describe('callback retry policy', () => {
  it('waits 10 s, 1 min, 5 min, 30 min, 2 h, 6 h after the 1st to 6th failed try, then abandons', () => {
    expect([1, 2, 3, 4, 5, 6].map((tries) => nextCallbackTryAt(tries, at)?.toISOString())).toEqual([
      later(10_000),
      later(60_000),
      later(300_000),
      later(1_800_000),
      later(7_200_000),
      later(21_600_000),
    ]);
    expect(nextCallbackTryAt(7, at)).toBeUndefined();
    expect(MAX_CALLBACK_TRIES).toBe(7);
  });

  it('never schedules for a count that is not a try number, and always waits longer after more failures', () => {
    for (const tries of [0, -1, 1.5, Number.NaN, 8, 1_000]) expect(nextCallbackTryAt(tries, at)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CALLBACK_RETRY_DELAYS_MS.length - 1 }), (tries) => {
        const next = nextCallbackTryAt(tries, at)?.getTime() ?? 0;
        const after = nextCallbackTryAt(tries + 1, at)?.getTime() ?? 0;
        expect(next).toBeGreaterThan(at.getTime());
        expect(after).toBeGreaterThan(next);
      }),
    );
  });
});
