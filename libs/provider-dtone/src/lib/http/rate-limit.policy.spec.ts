import {
  backoffMs,
  MAX_BACKOFF_MS,
  rateLimitSnapshotOf,
  retryAfterMsOf,
  waitBeforeNextCallMs,
} from './rate-limit.policy';

const headers = (record: Record<string, string>) => new Headers(record);
const NOW = Date.parse('2026-11-02T10:00:00Z');

describe('rate-limit headers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMsOf(headers({ 'Retry-After': '2' }), NOW)).toBe(2_000);
    expect(retryAfterMsOf(headers({ 'Retry-After': new Date(NOW + 5_000).toUTCString() }), NOW)).toBe(5_000);
    expect(retryAfterMsOf(headers({ 'Retry-After': new Date(NOW - 5_000).toUTCString() }), NOW)).toBe(0);
  });

  it('falls back to X-Ratelimit-Reset: seconds to wait, or a Unix time in seconds or ms', () => {
    expect(retryAfterMsOf(headers({ 'X-Ratelimit-Reset': '3' }), NOW)).toBe(3_000);
    expect(retryAfterMsOf(headers({ 'X-Ratelimit-Reset': String(NOW / 1000 + 4) }), NOW)).toBe(4_000);
    expect(retryAfterMsOf(headers({ 'X-Ratelimit-Reset': String(NOW + 1_500) }), NOW)).toBe(1_500);
    expect(retryAfterMsOf(headers({}), NOW)).toBeUndefined();
    expect(retryAfterMsOf(headers({ 'Retry-After': 'soon' }), NOW)).toBeUndefined();
  });

  it('keeps the limit, the remaining calls and the reset of an answer', () => {
    expect(
      rateLimitSnapshotOf(
        headers({ 'X-Ratelimit-Limit': '10', 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': '1' }),
        NOW,
      ),
    ).toEqual({
      limit: 10,
      remaining: 0,
      resetAtMs: NOW + 1_000,
    });
    expect(rateLimitSnapshotOf(headers({ 'X-Ratelimit-Remaining': '7' }), NOW)).toEqual({ remaining: 7 });
  });

  it('waits before the next call only when none are left and the reset is known', () => {
    expect(waitBeforeNextCallMs({ remaining: 0, resetAtMs: NOW + 800 }, NOW)).toBe(800);
    expect(waitBeforeNextCallMs({ remaining: 0 }, NOW)).toBe(0);
    expect(waitBeforeNextCallMs({ remaining: 3, resetAtMs: NOW + 800 }, NOW)).toBe(0);
    expect(waitBeforeNextCallMs(undefined, NOW)).toBe(0);
  });

  it('backs off exponentially, capped', () => {
    expect([0, 1, 2, 3].map(backoffMs)).toEqual([250, 500, 1_000, 2_000]);
    expect(backoffMs(20)).toBe(MAX_BACKOFF_MS);
  });
});
