import { test } from '@fast-check/jest';
import { Either } from 'effect';
import fc from 'fast-check';
import { arbitraryExternalId } from '../../testing/transaction.arbitraries';
import { accountTag, type ExternalId, fnv1a64Base36, parseExternalId, providerExternalIdFor } from './external-id';
import { MAX_ATTEMPTS } from './retry.policy';

const id = (text: string): ExternalId => Either.getOrThrow(parseExternalId(text));
const isValid = (text: string) => Either.isRight(parseExternalId(text));
const attemptArb = fc.integer({ min: 1, max: MAX_ATTEMPTS });

describe('external id', () => {
  it('accepts 1..40 non-whitespace characters', () => {
    expect(parseExternalId('a')).toEqual(Either.right('a'));
    expect(isValid('x'.repeat(40))).toBe(true);
    expect(isValid('order/42:ü字')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['41 characters', 'x'.repeat(41)],
    ['a space', 'order 42'],
    ['a tab', 'order\t42'],
    ['a no-break space', 'order\u00a042'],
    ['a line separator', 'order\u202842'],
    ['a control character', 'order\u000042'],
    ['half a surrogate pair', 'order\ud83d'],
    ['a right-to-left override', 'order\u202e42'],
    ['a left-to-right mark', 'order\u200e42'],
    ['a right-to-left mark', 'order\u200f42'],
    ['a first-strong isolate', 'order\u206842'],
    ['an Arabic letter mark', 'order\u061c42'],
    ['a zero-width space', 'order\u200b42'],
    ['a byte order mark', '\ufefforder'],
  ])('refuses %s, naming the kind and the problem, never the value', (_, text) => {
    const result = parseExternalId(text);
    expect(Either.isLeft(result)).toBe(true);
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe('InvalidIdentifier');
      expect(result.left.code).toBe('INVALID_IDENTIFIER');
      expect(result.left.kind).toBe('EXTERNAL_ID');
      expect(Object.values(result.left)).not.toContain(text);
      if (text.length > 0) expect(result.left.message).not.toContain(text);
    }
  });

  it('hashes with FNV-1a 64 (known vectors)', () => {
    expect(fnv1a64Base36('')).toBe(BigInt('0xcbf29ce484222325').toString(36).padStart(13, '0'));
    expect(fnv1a64Base36('a')).toBe(BigInt('0xaf63dc4c8601ec8c').toString(36).padStart(13, '0'));
    expect(fnv1a64Base36('foobar')).toBe(BigInt('0x85944171f73967e8').toString(36).padStart(13, '0'));
  });
});

describe('provider external id', () => {
  const tag = accountTag('team-growth');

  it('is the external id, a tag of the account and the attempt number', () => {
    expect(tag).toBe(fnv1a64Base36('team-growth').slice(-8));
    expect(providerExternalIdFor('team-growth', id('order-42'), 1)).toBe(`order-42-${tag}-1`);
    expect(providerExternalIdFor('team-growth', id('order-42'), 7)).toBe(`order-42-${tag}-7`);
  });

  it('differs between accounts that use the same external id (one provider account serves them all)', () => {
    expect(providerExternalIdFor('team-a', id('order-42'), 1)).not.toBe(
      providerExternalIdFor('team-b', id('order-42'), 1),
    );
  });

  it('stays plain while it fits in 40 characters', () => {
    const longest = 'x'.repeat(29);
    expect(providerExternalIdFor('team-growth', id(longest), 1)).toBe(`${longest}-${tag}-1`);
  });

  it('keeps a prefix and adds a hash of the account and the whole id when too long', () => {
    const external = 'y'.repeat(39);
    const derived = providerExternalIdFor('team-growth', id(external), 3);
    expect(derived).toBe(`${'y'.repeat(40 - 16)}-${fnv1a64Base36(`team-growth\u0000${external}`)}-3`);
    expect(derived).toHaveLength(40);
  });

  it('tells apart long ids that share their prefix', () => {
    const prefix = 'merchant-2025-01-01-batch-0000';
    expect(providerExternalIdFor('a', id(`${prefix}-000001`), 1)).not.toBe(
      providerExternalIdFor('a', id(`${prefix}-000002`), 1),
    );
  });

  it('never cuts a surrogate pair in half', () => {
    const external = `${'z'.repeat(23)}😀${'z'.repeat(15)}`;
    const derived = providerExternalIdFor('a', id(external), 1);
    expect(isValid(derived)).toBe(true);
    expect(derived.startsWith('z'.repeat(23))).toBe(true);
    expect(derived).toHaveLength(39);
  });

  const accountArb = fc.constantFrom('team-a', 'team-b', 'growth', 'ops-ke');

  test.prop([accountArb, arbitraryExternalId(), attemptArb])(
    'is always 1..40 non-whitespace characters and deterministic',
    (account, external, attempt) => {
      const derived = providerExternalIdFor(account, external, attempt);
      expect(isValid(derived)).toBe(true);
      expect(providerExternalIdFor(account, external, attempt)).toBe(derived);
    },
  );

  test.prop([accountArb, arbitraryExternalId()])('differs across the attempts of one id', (account, external) => {
    const ids = Array.from({ length: MAX_ATTEMPTS }, (_, index) => providerExternalIdFor(account, external, index + 1));
    expect(new Set(ids).size).toBe(MAX_ATTEMPTS);
  });

  test.prop([accountArb, accountArb, arbitraryExternalId(), arbitraryExternalId(), attemptArb, attemptArb])(
    'differs across accounts, ids and attempts',
    (accountA, accountB, a, b, attemptA, attemptB) => {
      fc.pre(accountA !== accountB || a !== b || attemptA !== attemptB);
      expect(providerExternalIdFor(accountA, a, attemptA)).not.toBe(providerExternalIdFor(accountB, b, attemptB));
    },
  );

  const hexArb = (minLength: number, maxLength: number) =>
    fc.string({ minLength, maxLength, unit: fc.constantFrom(...'0123456789abcdef') });

  test.prop([hexArb(30, 30), hexArb(1, 10), hexArb(1, 10), attemptArb])(
    'differs across long ids sharing a prefix',
    (prefix, tailA, tailB, attempt) => {
      fc.pre(tailA !== tailB);
      expect(providerExternalIdFor('a', id(`${prefix}${tailA}`), attempt)).not.toBe(
        providerExternalIdFor('a', id(`${prefix}${tailB}`), attempt),
      );
    },
  );
});
