import { Either, Schema } from 'effect';
import fc from 'fast-check';
import { SAMPLE_PH_NUMBER, sampleRequestInput } from '../../testing';
import {
  checkCallbackUrl,
  checkMetadata,
  checkQuotedTopUpRequest,
  checkTopUpRequest,
  MAX_CALLBACK_URL_LENGTH,
  MAX_METADATA_DEPTH,
} from './request-top-up.check';
import { decodeRequest } from '../quote-top-up/top-up-request.check';
import { RequestTopUpInput } from './request-top-up.input';
import { hasForbiddenMetadataKey } from './top-up-metadata';

/** The sample request input as decoded (its optional fields left out, exact_amount false). */
const sampleInput = (): RequestTopUpInput => Schema.decodeUnknownSync(RequestTopUpInput)(sampleRequestInput());

const refusalOf = <A>(result: Either.Either<A, { readonly field: string; readonly reason: string }>) =>
  Either.isLeft(result) ? { field: result.left.field, reason: result.left.reason } : undefined;

describe('checkCallbackUrl', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://10.0.0.1/internal', 'private'],
    ['http://localhost:9464/metrics', 'localhost'],
    ['http://127.0.0.1:15672/api/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://[::ffff:7f00:1]/', 'loopback'],
    ['https://[::ffff:169.254.169.254]/', 'link-local'],
    ['https://[fd12:3456::1]/', 'unique-local'],
    ['https://rabbitmq:15672/api/', 'single-label'],
    ['https://metrics.localhost/', 'localhost'],
  ])('refuses %s (a host inside the platform), naming the kind, never the URL', (url, kind) => {
    const refusal = refusalOf(checkCallbackUrl(url));
    expect(refusal).toEqual({ field: 'callback_url', reason: expect.stringContaining(kind) });
    expect(refusal?.reason).not.toMatch(/169\.254|10\.0|9464|15672|0x7f|2130706433|metrics|rabbitmq/);
  });

  it('accepts https to a public host, refuses plain http to one, other schemes and credentials', () => {
    expect(checkCallbackUrl('https://caller.example/hooks?x=1')).toEqual(
      Either.right('https://caller.example/hooks?x=1'),
    );
    expect(checkCallbackUrl('https://93.184.215.14/hooks')).toEqual(Either.right('https://93.184.215.14/hooks'));
    expect(refusalOf(checkCallbackUrl('http://caller.example/hooks'))?.reason).toBe('expected an https URL');
    expect(refusalOf(checkCallbackUrl('ftp://caller.example/hooks'))?.reason).toBe('expected an https URL');
    expect(refusalOf(checkCallbackUrl('https://u:p@caller.example/'))?.reason).toBe(
      'credentials are not allowed in it',
    );
  });

  it('with allowPrivateCallbackHosts (local set-ups), accepts hosts that are not public over http or https; public hosts still need https', () => {
    const local = { allowPrivateCallbackHosts: true };
    for (const url of [
      'http://localhost:9464/x',
      'http://127.0.0.1:8080/cb',
      'https://10.0.0.1/',
      'http://[::1]:3000/',
    ]) {
      expect(checkCallbackUrl(url, local)).toEqual(Either.right(new URL(url).toString()));
      expect(Either.isLeft(checkCallbackUrl(url))).toBe(true);
    }
    expect(refusalOf(checkCallbackUrl('http://caller.example/hooks', local))?.reason).toBe('expected an https URL');
    expect(refusalOf(checkCallbackUrl('file:///etc/passwd', local))?.reason).toBe('expected an https URL');
  });

  it('holds the URL as kept (percent-encoded, as stored) to 2048 bytes: é × 1000 is 1,020 characters sent, 6,020 bytes kept (before: accepted, then a 503 from the store)', () => {
    const base = 'https://caller.example/';
    const bytes = (text: string) => new TextEncoder().encode(text).length;
    const tooLong = [`${base}${'é'.repeat(1000)}`, `${base}${' x'.repeat(1000)}`, `${base}#${'€'.repeat(300)}`];
    for (const url of tooLong) {
      expect(url.length).toBeLessThanOrEqual(MAX_CALLBACK_URL_LENGTH);
      expect(refusalOf(checkCallbackUrl(url))).toEqual({
        field: 'callback_url',
        reason: 'longer than 2048 bytes once percent-encoded',
      });
    }
    // the last one that fits: 23 + 6 × 337 = 2045 bytes, plus "abc"
    const fits = `${base}${'é'.repeat(337)}abc`;
    const kept = Either.getOrThrow(checkCallbackUrl(fits));
    expect(bytes(kept)).toBe(MAX_CALLBACK_URL_LENGTH);
    expect(Either.isLeft(checkCallbackUrl(`${fits}d`))).toBe(true);
  });

  it('anything it accepts is at most 2048 bytes as kept, whatever the text sent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 700 }), (path) => {
        const checked = checkCallbackUrl(`https://caller.example/${path}`);
        if (Either.isRight(checked)) expect(new TextEncoder().encode(checked.right).length).toBeLessThanOrEqual(2048);
      }),
    );
  });
});

describe('checkTopUpRequest: ids in Unicode NFC', () => {
  it.each([
    ['external_id', { external_id: 'cafe\u0301-1' }],
    ['account_id', { account_id: 'acme-cafe\u0301' }],
    ['external_id', { external_id: 'A\u030a' }],
    ['external_id', { external_id: '\u212b' }],
  ])('refuses a %s that is not NFC, naming the field only', (field, overrides) => {
    const refusal = refusalOf(checkTopUpRequest({ ...sampleInput(), ...overrides }));
    expect(refusal).toEqual({ field, reason: 'not in Unicode normalisation form C (NFC)' });
  });

  it('accepts composed ids: one spelling per key', () => {
    const result = checkTopUpRequest({ ...sampleInput(), external_id: 'caf\u00e9-1' });
    expect(Either.isRight(result) && result.right.externalId).toBe('caf\u00e9-1');
  });

  it('accepts an id exactly when it is its own NFC form', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', 'e', 'A', '\u0301', '\u030a', '\u00e9', '\u212b', '\u00c5', '-'),
          minLength: 1,
          maxLength: 12,
        }),
        (id) => {
          const result = checkTopUpRequest({ ...sampleInput(), external_id: id });
          // an NFC id may still break another rule of ids (e.g. start with a combining mark), never this one
          if (id.normalize('NFC') === id) expect(refusalOf(result)?.reason ?? '').not.toContain('NFC');
          else expect(refusalOf(result)).toEqual({ field: 'external_id', reason: expect.stringContaining('NFC') });
        },
      ),
    );
  });
});

describe('checkTopUpRequest: amounts above zero', () => {
  it.each([
    ['max_amount', { max_amount: '0' }],
    ['max_amount', { max_amount: '0.00' }],
    ['max_amount', { max_amount: 0 }],
    ['max_amount', { max_amount: -0 }],
    ['desired_amount', { desired_amount: '0' }],
    ['desired_amount', { desired_amount: 0 }],
  ])(
    'refuses a zero %s naming the field, as any bad amount (before: the selector named maxAmount)',
    (field, overrides) => {
      const result = checkTopUpRequest({ ...sampleInput(), ...overrides });
      expect(refusalOf(result)).toEqual({ field, reason: 'must be greater than zero' });
      // the consumer's dead-letter reason is `<code>: <message>`, as for any other invalid request
      expect(Either.isLeft(result) && `${result.left.code}: ${result.left.message}`).toBe(
        `INVALID_TOP_UP_REQUEST: invalid top-up request (${field}): must be greater than zero`,
      );
    },
  );

  it('accepts the smallest amount the currency writes', () => {
    const result = checkTopUpRequest({ ...sampleInput(), max_amount: '0.01' });
    expect(Either.isRight(result) && result.right.quote.maxAmount.amountMinor).toBe(1n);
  });
});

describe('checkQuotedTopUpRequest: the fields a quote does not use, checked as a request checks them', () => {
  const quoted = { phone_number: SAMPLE_PH_NUMBER, currency: 'PHP', max_amount: '100', exact_amount: false };

  it('takes a body without ids, and answers the quote fields', () => {
    expect(checkQuotedTopUpRequest(quoted)).toEqual(
      Either.right(expect.objectContaining({ maxAmount: expect.objectContaining({ amountMinor: 10_000n }) })),
    );
  });

  it.each([
    ['external_id', { external_id: 'a\u0000b' }],
    ['external_id', { external_id: 'has spaces' }],
    ['external_id', { external_id: 'cafe\u0301' }],
    ['account_id', { account_id: 'a'.repeat(200) }],
    ['account_id', { account_id: 'acme\u0000' }],
    ['account_id', { account_id: '\u202Eacme' }],
    ['account_id', { account_id: '' }],
    ['callback_url', { callback_url: 'http://127.0.0.1/' }],
    ['callback_url', { callback_url: 'https://u:p@caller.example/' }],
    ['metadata', { metadata: { blob: 'x'.repeat(5000) } }],
    ['max_amount', { max_amount: '0' }],
  ])('refuses a bad %s with the refusal of checkTopUpRequest', (field, overrides) => {
    const refusal = refusalOf(checkQuotedTopUpRequest({ ...quoted, ...overrides }));
    expect(refusal).toEqual({ field, reason: expect.any(String) });
    const request = { ...sampleInput(), ...quoted, ...overrides };
    expect(refusal).toEqual(refusalOf(checkTopUpRequest(request)));
  });

  it("holds callback URLs to the deployment's rules, as a request", () => {
    const local = { ...quoted, callback_url: 'http://127.0.0.1:8080/cb' };
    expect(Either.isRight(checkQuotedTopUpRequest(local, { allowPrivateCallbackHosts: true }))).toBe(true);
    expect(refusalOf(checkQuotedTopUpRequest(local))?.field).toBe('callback_url');
  });
});

describe('checkMetadata: no __proto__, constructor or prototype key at any depth', () => {
  it.each([
    '{"__proto__":{"tier":"gold"},"order":1}',
    '{"constructor":{"prototype":1}}',
    '{"prototype":1}',
    '{"a":{"b":[1,{"__proto__":null}]}}',
    '{"a":[[[{"constructor":"x"}]]]}',
  ])('refuses %s', (json) => {
    const metadata = JSON.parse(json) as Record<string, unknown>;
    expect(refusalOf(checkMetadata(metadata))).toEqual({
      field: 'metadata',
      reason: expect.stringContaining('__proto__'),
    });
  });

  it('refuses an object whose prototype was set (a JavaScript literal with __proto__), at any depth', () => {
    expect(Either.isLeft(checkMetadata({ nested: { __proto__: { tier: 'gold' } } }))).toBe(true);
    expect(Either.isLeft(checkMetadata({ when: new Date(0) }))).toBe(true);
  });

  it('accepts those words as values and inside longer keys, and walks deep or cyclic values without failing', () => {
    expect(checkMetadata({ note: '__proto__', my_constructor: 'x', prototypes: ['constructor'] })).toEqual(
      Either.right({ note: '__proto__', my_constructor: 'x', prototypes: ['constructor'] }),
    );
    let deep: unknown = { leaf: true };
    for (let depth = 0; depth < 100_000; depth += 1) deep = [deep];
    expect(hasForbiddenMetadataKey(deep)).toBe(false);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(hasForbiddenMetadataKey(cyclic)).toBe(false);
  });

  it('refuses metadata nested too deeply or too large without failing, and accepts it 32 levels deep', () => {
    // `levels` objects and arrays, one inside the other
    const nest = (levels: number): Record<string, unknown> => {
      let value: unknown = { leaf: true };
      for (let level = 2; level < levels; level += 1) value = level % 2 === 0 ? [value] : { a: value };
      return { top: value };
    };
    const tooDeep = { field: 'metadata', reason: 'nested too deeply (more than 32 levels) or too large' };
    expect(Either.isRight(checkMetadata(nest(MAX_METADATA_DEPTH)))).toBe(true);
    expect(refusalOf(checkMetadata(nest(MAX_METADATA_DEPTH + 1)))).toEqual(tooDeep);
    expect(refusalOf(checkMetadata(nest(5_000)))).toEqual(tooDeep);
    expect(refusalOf(checkMetadata(nest(100_000)))).toEqual(tooDeep);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(refusalOf(checkMetadata(cyclic))).toEqual(tooDeep);
    // each level holds the one below twice: 2^30 places once encoded, refused without walking them all
    let shared: unknown = [1, 2];
    for (let level = 0; level < 30; level += 1) shared = [shared, shared];
    expect(refusalOf(checkMetadata({ shared }))).toEqual(tooDeep);
  });

  it('finds a forbidden key planted anywhere in any JSON object', () => {
    const keys = fc.constantFrom('__proto__', 'constructor', 'prototype');
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => k !== 'planted'),
          fc.jsonValue(),
        ),
        keys,
        fc.array(fc.nat()),
        (base, key, path) => {
          // plant `key` at a depth chosen by `path`, in the text, so that JSON.parse keeps it as an own key
          let planted = `{${JSON.stringify(key)}:1}`;
          for (const step of path.slice(0, 5)) planted = step % 2 === 0 ? `[${planted}]` : `{"k${step}":${planted}}`;
          const text = JSON.stringify(base).replace(
            /^\{/,
            `{"planted":${planted}${Object.keys(base).length > 0 ? ',' : ''}`,
          );
          const metadata = JSON.parse(text) as Record<string, unknown>;
          expect(hasForbiddenMetadataKey(metadata)).toBe(true);
          expect(refusalOf(checkMetadata(metadata))?.field).toBe('metadata');
        },
      ),
    );
  });
});

describe('metadata and callback_url text that cannot be stored: refused as the request is decoded', () => {
  const decode = decodeRequest(RequestTopUpInput);
  const bodyWith = (fields: Record<string, unknown>) => ({ ...sampleRequestInput(), ...fields });

  it.each([
    ['a NUL in a value', '{"k":"\\u0000"}'],
    ['a NUL in a key', '{"a\\u0000b":1}'],
    ['an unpaired high surrogate as a key', '{"\\ud800":1}'],
    ['an unpaired low surrogate deep in an array', '{"a":[{"b":["x\\udc00"]}]}'],
  ])('refuses metadata with %s: 400 on metadata, no value quoted', (_case, json) => {
    const metadata = JSON.parse(json) as Record<string, unknown>;
    for (const refusal of [refusalOf(decode(bodyWith({ metadata }))), refusalOf(checkMetadata(metadata))]) {
      expect(refusal).toEqual({ field: 'metadata', reason: expect.stringContaining('NUL') });
      expect(refusal?.reason.includes('\u0000')).toBe(false);
      expect(refusal?.reason).not.toMatch(/[\uD800-\uDFFF]/);
    }
  });

  it('accepts any well-formed text (paired surrogates included) and refuses it once a NUL or a lone surrogate is in', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 8 });
    fc.assert(
      fc.property(text, text, fc.constantFrom('\u0000', '\uD83D', '\uDE00'), fc.boolean(), (key, value, bad, inKey) => {
        expect(Either.isRight(decode(bodyWith({ metadata: { [key]: value, emoji: '😀' } })))).toBe(true);
        const spoiled = inKey ? { [`${key}${bad}`]: value } : { [key]: `${value}${bad}` };
        expect(refusalOf(decode(bodyWith({ metadata: spoiled })))?.field).toBe('metadata');
        expect(refusalOf(checkMetadata(spoiled))?.field).toBe('metadata');
      }),
    );
  });

  it.each(['https://caller.example/ho\u0000ok', 'https://caller.example/hook\n', '\thttps://caller.example/hook'])(
    'refuses a callback_url with a control character (%j), never echoed or kept without it',
    (url) => {
      for (const refusal of [refusalOf(decode(bodyWith({ callback_url: url }))), refusalOf(checkCallbackUrl(url))]) {
        expect(refusal).toEqual({
          field: 'callback_url',
          reason: expect.stringContaining('contains a control character'),
        });
      }
    },
  );
});
