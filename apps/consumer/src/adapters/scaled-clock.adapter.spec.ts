import { Effect } from 'effect';
import { makeScaledClock } from './scaled-clock.adapter';

describe('the scaled clock', () => {
  it('is the real clock at scale 1', async () => {
    let real = 1_000_000;
    const clock = makeScaledClock({ scale: 1, realNowMs: () => real });
    real += 5_000;
    expect((await Effect.runPromise(clock.now())).getTime()).toBe(1_005_000);
  });

  it('runs `scale` times faster from the moment it is made', async () => {
    let real = Date.UTC(2026, 0, 1);
    const clock = makeScaledClock({ scale: 60, realNowMs: () => real });
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1));
    real += 1_000; // one real second is a simulated minute
    expect((await Effect.runPromise(clock.now())).toISOString()).toBe('2026-01-01T00:01:00.000Z');
    real += 500;
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1, 0, 1, 30));
  });
});
