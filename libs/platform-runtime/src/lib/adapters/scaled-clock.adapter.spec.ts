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

  it('runs from the given origin, so that processes made at different times agree on now', () => {
    const originMs = Date.UTC(2026, 0, 1);
    let real = originMs + 10_000;
    const first = makeScaledClock({ scale: 60, originMs, realNowMs: () => real });
    real += 5_000; // a second process, or the first restarted, 5 real seconds later
    const second = makeScaledClock({ scale: 60, originMs, realNowMs: () => real });
    expect(first.nowMs()).toBe(originMs + 15_000 * 60);
    expect(second.nowMs()).toBe(first.nowMs());
    real += 1_000;
    expect(second.nowMs()).toBe(Date.UTC(2026, 0, 1, 0, 16));
    expect(first.nowMs()).toBe(second.nowMs());
  });

  it('ignores the origin at scale 1: real time', () => {
    let real = Date.UTC(2026, 0, 1, 12);
    const clock = makeScaledClock({ scale: 1, originMs: Date.UTC(2026, 0, 1), realNowMs: () => real });
    real += 1_000;
    expect(clock.nowMs()).toBe(Date.UTC(2026, 0, 1, 12, 0, 1));
  });
});
