import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import {
  callbackSignature,
  callbackSignatureHeader,
  DEFAULT_CALLBACK_TOLERANCE_MS,
  verifyCallbackSignature,
} from './callback-signature';

const secret = 'whsec-acme-0123456789';
const body = '{"type":"topup.completed","topUpId":"topup-1","note":"café €"}';
const at = new Date('2026-12-01T10:00:00.750Z');
const t = Math.floor(at.getTime() / 1000);
const nowMs = at.getTime();

describe('callbackSignatureHeader', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" as UTF-8 bytes>', () => {
    const expected = createHmac('sha256', secret)
      .update(Buffer.from(`${t}.${body}`, 'utf8'))
      .digest('hex');
    expect(callbackSignatureHeader(secret, body, at)).toBe(`t=${t},v1=${expected}`);
    expect(callbackSignature(secret, t, body)).toBe(expected);
    expect(callbackSignature(secret, t, Buffer.from(body, 'utf8'))).toBe(expected);
  });

  it('changes with the secret, any byte of the body, or the time', () => {
    const signature = callbackSignature(secret, t, body);
    expect(callbackSignature(`${secret}x`, t, body)).not.toBe(signature);
    expect(callbackSignature(secret, t, body.replace('é', 'e'))).not.toBe(signature);
    expect(callbackSignature(secret, t + 1, body)).not.toBe(signature);
  });
});

describe('verifyCallbackSignature', () => {
  const header = callbackSignatureHeader(secret, body, at);
  const signatureOf = (h: string): string => h.slice(h.indexOf('v1=') + 3);

  it('accepts a callback as signed, as text or as the raw bytes received', () => {
    expect(verifyCallbackSignature(secret, header, body, nowMs)).toEqual({ valid: true, timestampSeconds: t });
    expect(verifyCallbackSignature(secret, header, new TextEncoder().encode(body), nowMs).valid).toBe(true);
    // a subarray of a larger buffer: only its own bytes count
    const framed = Buffer.from(`xx${body}yy`, 'utf8');
    expect(verifyCallbackSignature(secret, header, framed.subarray(2, framed.length - 2), nowMs).valid).toBe(true);
    // upper-case hex, spaces after commas, and an unknown scheme next to v1
    const relaxed = `t=${t}, v0=abc, v1=${signatureOf(header).toUpperCase()}`;
    expect(verifyCallbackSignature(secret, relaxed, body, nowMs).valid).toBe(true);
  });

  it('accepts any of several v1 signatures (a secret being rotated)', () => {
    const old = signatureOf(callbackSignatureHeader('whsec-old-secret', body, at));
    expect(verifyCallbackSignature(secret, `t=${t},v1=${old},v1=${signatureOf(header)}`, body, nowMs).valid).toBe(true);
    expect(verifyCallbackSignature(secret, `t=${t},v1=${old}`, body, nowMs)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
  });

  it('refuses another body, secret or timestamp', () => {
    expect(verifyCallbackSignature(secret, header, body.replace('topup-1', 'topup-2'), nowMs)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifyCallbackSignature(`${secret}x`, header, body, nowMs)).toEqual({ valid: false, reason: 'mismatch' });
    // the signature of t moved to t + 1: the time is signed too
    const moved = `t=${t + 1},v1=${signatureOf(header)}`;
    expect(verifyCallbackSignature(secret, moved, body, nowMs)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('refuses a timestamp further than the tolerance from the clock, either way', () => {
    const edge = t * 1000 + DEFAULT_CALLBACK_TOLERANCE_MS;
    expect(verifyCallbackSignature(secret, header, body, edge).valid).toBe(true);
    expect(verifyCallbackSignature(secret, header, body, edge + 1)).toEqual({
      valid: false,
      reason: 'outside-tolerance',
    });
    expect(verifyCallbackSignature(secret, header, body, t * 1000 - DEFAULT_CALLBACK_TOLERANCE_MS - 1)).toEqual({
      valid: false,
      reason: 'outside-tolerance',
    });
    // a replay an hour later, with a tolerance of one minute
    expect(verifyCallbackSignature(secret, header, body, nowMs + 3_600_000, 60_000).valid).toBe(false);
    expect(verifyCallbackSignature(secret, header, body, nowMs + 59_000, 60_000).valid).toBe(true);
    expect(verifyCallbackSignature(secret, header, body, nowMs, Number.NaN).valid).toBe(false);
  });

  it('refuses a timestamp outside the tolerance whatever the clock (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.integer({ min: 1, max: 10 * 365 * 86_400_000 }),
        fc.boolean(),
        fc.integer({ min: 1_000, max: 3_600_000 }),
        (seconds, offsetMs, later, toleranceMs) => {
          const signed = callbackSignatureHeader(secret, body, new Date(seconds * 1000));
          const clockMs = seconds * 1000 + (later ? 1 : -1) * offsetMs;
          const check = verifyCallbackSignature(secret, signed, body, clockMs, toleranceMs);
          expect(check.valid).toBe(offsetMs <= toleranceMs);
        },
      ),
    );
  });

  it('refuses malformed headers', () => {
    const signature = signatureOf(header);
    const malformed: readonly (string | readonly string[] | null | undefined)[] = [
      undefined,
      null,
      '',
      [header],
      `v1=${signature}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=${t},v1=${signature.slice(1)}`,
      `t=${t},v1=${signature}0`,
      `t=${t},v1=${signature.replace(/^./, 'g')}`,
      `t=${t},t=${t},v1=${signature}`,
      `t=-${t},v1=${signature}`,
      `t=${t}.5,v1=${signature}`,
      `t=1e9,v1=${signature}`,
      `t=${t},v1=${signature},`,
      `t=${t};v1=${signature}`,
      `sha256=${signature}`,
      `t=${t},v1=${signature},v0=${'x'.repeat(1_100)}`,
    ];
    for (const value of malformed) {
      expect(verifyCallbackSignature(secret, value, body, nowMs)).toEqual({ valid: false, reason: 'malformed' });
    }
  });

  it('never throws and never accepts a forged header (property)', () => {
    const headerArbitrary = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      // well-formed shapes with wrong values
      fc
        .tuple(fc.nat({ max: 9_999_999_999 }), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(([time, hex]) => `t=${time},v1=${hex}`),
      fc
        .array(fc.tuple(fc.constantFrom('t', 'v1', 'v0', ' t', ''), fc.string({ maxLength: 70 })), { maxLength: 5 })
        .map((parts) => parts.map(([key, value]) => `${key}=${value}`).join(',')),
      fc.constantFrom(undefined, null),
      fc.array(fc.string(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(headerArbitrary, fc.string(), fc.double(), (value, text, clockMs) => {
        const check = verifyCallbackSignature(secret, value, text, clockMs);
        expect(check.valid).toBe(false);
      }),
    );
  });

  it('never throws on arguments of the wrong type from an untyped caller', () => {
    const untyped = verifyCallbackSignature as (...args: unknown[]) => unknown;
    expect(untyped(undefined, header, body, nowMs)).toEqual({ valid: false, reason: 'malformed' });
    expect(untyped(secret, header, { body }, nowMs)).toEqual({ valid: false, reason: 'malformed' });
    expect(untyped(secret, header, body, 'now')).toEqual({ valid: false, reason: 'outside-tolerance' });
  });
});
