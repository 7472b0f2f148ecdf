import { Effect, Either } from 'effect';
import fc from 'fast-check';
import {
  DEFAULT_QUOTA_RESET_MS,
  DEFAULT_RETRY_AFTER_MS,
  MAX_RETRY_AFTER_MS,
  makeRateLimitGate,
  quotaResetMsOf,
  retryAfterMsOf,
  throttledWaitMsOf,
} from './rate-limit.policy';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('rate-limit headers', () => {
  it.each([
    ['7', 7_000],
    ['0', 0],
    ['Mon, 23 Nov 2026 10:01:00 GMT', 60_000],
    ['Mon, 23 Nov 2026 09:00:00 GMT', 0],
    ['Sunday, 23-Nov-26 10:01:00 GMT', 60_000],
    ['999999999', MAX_RETRY_AFTER_MS],
    ['99999999999', MAX_RETRY_AFTER_MS],
    ['9'.repeat(40), MAX_RETRY_AFTER_MS],
    ['Fri, 31 Dec 9999 23:59:59 GMT', MAX_RETRY_AFTER_MS],
  ])('reads Retry-After %s as %d ms, never more than an hour', (value, expected) => {
    expect(retryAfterMsOf(new Headers({ 'Retry-After': value }), NOW)).toBe(expected);
  });

  it.each(['later', '-5', '1.5', '1e9', 'Infinity', '0x10', '+639171234567'])(
    'ignores an unreadable Retry-After (%s)',
    (value) => {
      expect(retryAfterMsOf(new Headers({ 'Retry-After': value }), NOW)).toBeUndefined();
    },
  );

  it('ignores a missing Retry-After', () => {
    expect(retryAfterMsOf(new Headers(), NOW)).toBeUndefined();
  });

  it('bounds every wait a header asks for, whatever the header says (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          'Retry-After': fc.oneof(
            fc.string(),
            fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String),
            fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
          ),
          'X-RateLimit-Remaining': fc.constantFrom('0', '00', '5', 'x'),
          'X-RateLimit-Reset': fc.oneof(fc.string(), fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String)),
        }),
        (values) => {
          let headers: Headers;
          try {
            headers = new Headers(values);
          } catch {
            return; // not a header value at all
          }
          for (const wait of [throttledWaitMsOf(headers, NOW), quotaResetMsOf(headers, NOW) ?? 0]) {
            expect(Number.isInteger(wait) && wait >= 0 && wait <= MAX_RETRY_AFTER_MS).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on a 429 without Retry-After, waits until the quota resets, else a default time', () => {
    expect(throttledWaitMsOf(new Headers({ 'X-RateLimit-Reset': '12' }), NOW)).toBe(12_000);
    expect(throttledWaitMsOf(new Headers(), NOW)).toBe(DEFAULT_RETRY_AFTER_MS);
  });

  it('reads an exhausted quota and its reset (seconds from now or epoch seconds)', () => {
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '3', 'X-RateLimit-Reset': '10' }), NOW),
    ).toBeUndefined();
    expect(quotaResetMsOf(new Headers({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '10' }), NOW)).toBe(10_000);
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW / 1000 + 30) }), NOW),
    ).toBe(30_000);
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW + 5_000) }), NOW),
    ).toBe(5_000);
    expect(
      quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '99999999999999999' }), NOW),
    ).toBe(MAX_RETRY_AFTER_MS);
    // DVS announces no reset (its windows are seconds): a short hold, never the 429 default
    expect(quotaResetMsOf(new Headers({ 'X-RateLimit-Remaining': '0' }), NOW)).toBe(DEFAULT_QUOTA_RESET_MS);
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

  it('caps a 429 with Retry-After 99999999999 at one hour, and follows a clock of its own when given', async () => {
    let now = NOW;
    const gate = makeRateLimitGate('p', () => now);
    const throttled = await Effect.runPromise(
      Effect.either(gate.observe(answer(429, { 'Retry-After': '99999999999' }))),
    );
    expect(throttled).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ProviderRateLimited', retryAfterMs: MAX_RETRY_AFTER_MS })),
    );
    now += MAX_RETRY_AFTER_MS - 1;
    expect(await Effect.runPromise(Effect.either(gate.admit))).toEqual(
      Either.left(expect.objectContaining({ retryAfterMs: 1 })),
    );
    now += 1;
    expect(Either.isRight(await Effect.runPromise(Effect.either(gate.admit)))).toBe(true);
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
