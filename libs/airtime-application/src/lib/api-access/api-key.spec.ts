import fc from 'fast-check';
import { formatApiKey, hashSecret, parseApiKey, prefixOf, secretMatches } from './api-key';

describe('API key text', () => {
  it('formats and parses back a prefix and a base64url secret (which may hold "_" and "-")', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{12}$/), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (prefix, secret) => {
        expect(parseApiKey(formatApiKey({ prefix, secret }))).toEqual({ prefix, secret });
      }),
    );
  });

  it('reads nothing else as a key', () => {
    for (const text of [
      '',
      'atk_',
      'atk_0123456789ab_',
      'atk_0123456789AB_secret',
      'atk_0123456789a_secret',
      'xtk_0123456789ab_secret',
      'atk_0123456789ab_sec ret',
      ` atk_0123456789ab_secret`,
      `atk_0123456789ab_${'s'.repeat(190)}`,
      42,
      undefined,
    ])
      expect(parseApiKey(text)).toBeUndefined();
  });

  it('hashes with SHA-256 (hex) and compares a secret with a stored hash', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(prefixOf('abc')).toBe('ba7816bf8f01');
    expect(secretMatches('abc', hashSecret('abc'))).toBe(true);
    expect(secretMatches('abd', hashSecret('abc'))).toBe(false);
    expect(secretMatches('abc', 'not a hash')).toBe(false);
    expect(secretMatches('abc', '')).toBe(false);
  });
});
