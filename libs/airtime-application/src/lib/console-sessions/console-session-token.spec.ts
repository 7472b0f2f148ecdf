import fc from 'fast-check';
import { csrfTokenMatches, csrfTokenOf, freshSecret, hashSessionToken, isSessionToken } from './console-session-token';

describe('console session tokens', () => {
  it('are 32 random bytes in base64url (43 characters), fresh each time', () => {
    const tokens = Array.from({ length: 50 }, freshSecret);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isSessionToken(token)).toBe(true);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('are recognised only in that form', () => {
    const token = freshSecret();
    for (const text of [
      undefined,
      null,
      42,
      '',
      token.slice(1),
      `${token}A`,
      `${token.slice(1)}=`,
      ` ${token.slice(1)}`,
    ])
      expect(isSessionToken(text)).toBe(false);
  });

  it('are stored as their SHA-256 in lowercase hex', () => {
    expect(hashSessionToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('csrfTokenMatches', () => {
  it('matches the same token only', () => {
    const csrfToken = csrfTokenOf(freshSecret(), freshSecret());
    expect(csrfTokenMatches(csrfToken, csrfToken)).toBe(true);
    expect(csrfTokenMatches(csrfToken, `${csrfToken}`.slice(0))).toBe(true);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constant(csrfToken.slice(0, -1)), fc.anything()), (given) => {
        fc.pre(given !== csrfToken);
        expect(csrfTokenMatches(csrfToken, given)).toBe(false);
      }),
    );
  });

  it('never matches an empty expectation, nor a text over 200 characters', () => {
    expect(csrfTokenMatches('', '')).toBe(false);
    expect(csrfTokenMatches('', undefined)).toBe(false);
    const long = 'x'.repeat(201);
    expect(csrfTokenMatches(long, long)).toBe(false);
  });

  it('derives a different CSRF token per session token and per secret', () => {
    const secret = freshSecret();
    const token = freshSecret();
    expect(csrfTokenOf(secret, token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenOf(secret, token)).toBe(csrfTokenOf(secret, token));
    expect(csrfTokenOf(secret, freshSecret())).not.toBe(csrfTokenOf(secret, token));
    expect(csrfTokenOf(freshSecret(), token)).not.toBe(csrfTokenOf(secret, token));
  });
});
