import { Effect, Either } from 'effect';
import {
  DEFAULT_RETRY_AFTER_MS,
  MAX_RETRY_AFTER_MS,
  makeRateLimitGate,
  quotaResetMsOf,
  retryAfterMsOf,
} from './rate-limit.gate';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('rate-limit headers', () => {
  it.each([
    ['7', 7_000],
    ['0', 0],
    ['Mon, 23 Nov 2026 10:01:00 GMT', 60_000],
    ['Mon, 23 Nov 2026 09:00:00 GMT', 0],
    ['999999999', MAX_RETRY_AFTER_MS],
  ])('reads Retry-After %s as %d ms', (value, expected) => {
    expect(retryAfterMsOf(new Headers({ 'Retry-After': value }), NOW)).toBe(expected);
  });

  it('ignores a missing or unreadable Retry-After', () => {
    expect(retryAfterMsOf(new Headers(), NOW)).toBeUndefined();
    expect(retryAfterMsOf(new Headers({ 'Retry-After': 'later' }), NOW)).toBeUndefined();
  });

  it('reads an exhausted quota and its reset (seconds from now or epoch seconds)', () => {
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '10' }), NOW),
    ).toBeUndefined();
    expect(quotaResetMsOf(new Headers({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '10' }), NOW)).toBe(10_000);
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 30) }), NOW),
    ).toBe(30_000);
    expect(quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0' }), NOW)).toBe(DEFAULT_RETRY_AFTER_MS);
  });
});

describe('the rate-limit gate', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers(headers),
    bodyText: '',
  });

  it('stays open while the provider does not throttle', async () => {
    const gate = makeRateLimitGate('p');
    await Effect.runPromise(gate.observe(answer(200, { 'X-RateLimit-Remaining': '5' })));
    expect(Either.isRight(await Effect.runPromise(Effect.either(gate.admit)))).toBe(true);
  });

  it('fails a 429 with its Retry-After and closes until then', async () => {
    const gate = makeRateLimitGate('p');
    const throttled = await Effect.runPromise(Effect.either(gate.observe(answer(429, { 'Retry-After': '5' }))));
    expect(throttled).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderRateLimited', retryAfterMs: 5_000 })),
    );
    const admitted = await Effect.runPromise(Effect.either(gate.admit));
    expect(Either.isLeft(admitted) && admitted.left.retryAfterMs).toBeGreaterThan(4_000);
  });

  it('closes on an exhausted quota without failing that answer', async () => {
    const gate = makeRateLimitGate('p');
    expect(
      Either.isRight(
        await Effect.runPromise(
          Effect.either(gate.observe(answer(200, { 'RateLimit-Remaining': '0', 'RateLimit-Reset': '2' }))),
        ),
      ),
    ).toBe(true);
    expect(Either.isLeft(await Effect.runPromise(Effect.either(gate.admit)))).toBe(true);
  });
});
