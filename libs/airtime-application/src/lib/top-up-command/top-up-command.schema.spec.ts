import { Either } from 'effect';
import fc from 'fast-check';
import {
  decodeTopUpCommand,
  encodeTopUpCommand,
  MAX_TOP_UP_COMMAND_BYTES,
  type TopUpCommandV1Json,
} from './top-up-command.schema';
import { EXACT_JSON_REASONS } from '../request-top-up/exact-json.check';
import { MalformedCommand } from './top-up-command.errors';

const valid: TopUpCommandV1Json = {
  version: 1,
  external_id: 'order-42',
  account_id: 'acme',
  phone_number: '+639171234567',
  currency: 'PHP',
  max_amount: '100',
  desired_amount: '50',
  callback_url: 'https://acme.example/topups',
  metadata: { order: 42 },
};

const reasonOf = (body: Uint8Array | string): string => {
  const result = decodeTopUpCommand(body);
  if (Either.isRight(result)) throw new Error('expected a malformed command');
  expect(result.left).toBeInstanceOf(MalformedCommand);
  expect(result.left).toMatchObject({ _tag: 'MalformedCommand', code: 'MALFORMED_COMMAND', retryable: false });
  return result.left.reason;
};

describe('decodeTopUpCommand (schema v1)', () => {
  it('reads a v1 command as the request input, without its version, exact_amount defaulting to false', () => {
    const result = decodeTopUpCommand(Buffer.from(JSON.stringify(valid), 'utf8'));
    const { version: _version, ...input } = valid;
    expect(result).toEqual(Either.right({ ...input, exact_amount: false }));
  });

  it('reads the same command from its text', () => {
    const result = decodeTopUpCommand(JSON.stringify({ ...valid, exact_amount: true, max_amount: 100 }));
    expect(Either.isRight(result) && result.right).toMatchObject({ exact_amount: true, max_amount: 100 });
  });

  it('refuses bytes that are not UTF-8, text that is not JSON, and JSON that is not an object', () => {
    expect(reasonOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toBe('the body is not UTF-8 text');
    expect(reasonOf('{"version": 1,')).toBe('the body is not JSON');
    expect(reasonOf('')).toBe('the body is not JSON');
    for (const body of ['[]', 'null', '1', '"text"', 'true']) {
      expect(reasonOf(body)).toBe('the body is not a JSON object');
    }
  });

  it('refuses what JSON.parse would read silently otherwise: a field named twice, a number a double does not keep', () => {
    const text = JSON.stringify(valid);
    // the last max_amount would win: a reader taking the first sees another cap
    expect(reasonOf(text.replace('"max_amount":"100"', '"max_amount":"100","max_amount":"10000"'))).toBe(
      EXACT_JSON_REASONS.duplicateName,
    );
    // 29.999999999999999 is the double 30: the amount is refused, never rounded up to the cap
    expect(reasonOf(text.replace('"max_amount":"100"', '"max_amount":29.999999999999999'))).toBe(
      EXACT_JSON_REASONS.inexactNumber,
    );
    expect(reasonOf(text.replace('"order":42', '"order":12345678901234567890123'))).toBe(
      EXACT_JSON_REASONS.inexactNumber,
    );
    // a number a double keeps is read as before
    expect(Either.isRight(decodeTopUpCommand(text.replace('"max_amount":"100"', '"max_amount":29.99')))).toBe(true);
  });

  it('refuses a missing or unsupported version without quoting it', () => {
    const { version: _version, ...unversioned } = valid;
    expect(reasonOf(JSON.stringify(unversioned))).toBe('version is missing');
    for (const version of [2, 0, '1', 1.5, null, 'v1-secret-canary']) {
      const reason = reasonOf(JSON.stringify({ ...valid, version }));
      expect(reason).toBe('version is not supported (this consumer reads version 1)');
    }
  });

  it('names the fields of a schema failure, never their values', () => {
    const reason = reasonOf(
      JSON.stringify({ ...valid, phone_number: 639171234567, max_amount: '1O0', account_id: undefined }),
    );
    expect(reason).toContain('phone_number has an unexpected type or value');
    expect(reason).toContain('max_amount');
    expect(reason).toContain('account_id is missing');
    expect(reason).not.toContain('639171234567');
    expect(reason).not.toContain('1O0');
  });

  it('refuses a field the schema does not know (a misspelt desired amount must not pass as "no desired amount")', () => {
    const { desired_amount: _desired, ...rest } = valid;
    expect(reasonOf(JSON.stringify({ ...rest, desired_ammount: '50' }))).toBe('desired_ammount is not expected');
  });

  it('refuses a body over 64 KiB before reading it, bytes or text', () => {
    const big = JSON.stringify({ ...valid, metadata: { pad: 'x'.repeat(MAX_TOP_UP_COMMAND_BYTES) } });
    expect(reasonOf(big)).toBe(`the body is larger than ${MAX_TOP_UP_COMMAND_BYTES} bytes`);
    expect(reasonOf(Buffer.from(big))).toBe(`the body is larger than ${MAX_TOP_UP_COMMAND_BYTES} bytes`);
    // measured in UTF-8 bytes, not characters: 30,000 three-byte characters are 90,000 bytes
    expect(reasonOf(JSON.stringify({ ...valid, metadata: { pad: '€'.repeat(30_000) } }))).toMatch(/larger than/);
  });

  it('any byte string decodes to a request input or a MalformedCommand, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const result = decodeTopUpCommand(bytes);
        if (Either.isLeft(result)) expect(result.left).toBeInstanceOf(MalformedCommand);
        else expect(typeof result.right.external_id).toBe('string');
      }),
      { numRuns: 2_000 },
    );
  });

  it('any JSON value, and any v1-shaped object with fields of any shape, decodes or is refused, never a throw', () => {
    const fieldValue = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    const shaped = fc.record(
      {
        version: fc.oneof(fc.constant(1), fc.jsonValue()),
        external_id: fieldValue,
        account_id: fieldValue,
        phone_number: fieldValue,
        currency: fieldValue,
        max_amount: fc.oneof(fieldValue, fc.double(), fc.stringMatching(/^[0-9]{1,16}(\.[0-9]{0,13})?$/)),
        desired_amount: fieldValue,
        exact_amount: fieldValue,
        metadata: fieldValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => {
        const text = JSON.stringify(value) ?? '';
        const result = decodeTopUpCommand(text);
        if (Either.isLeft(result)) expect(result.left).toBeInstanceOf(MalformedCommand);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never quotes a value in its reason, whatever field it is planted in', () => {
    const fields = ['external_id', 'account_id', 'phone_number', 'currency', 'max_amount', 'desired_amount'];
    fc.assert(
      fc.property(
        fc.constantFrom(...fields),
        fc.string({ minLength: 6 }).map((s) => `canary-${s}`),
        fc.boolean(),
        (field, canary, asKey) => {
          // the canary as a value of the wrong shape, or as an unknown key
          const command = asKey ? { ...valid, [canary]: 1 } : { ...valid, [field]: { nested: canary } };
          const reason = reasonOf(JSON.stringify(command));
          expect(reason).not.toContain(canary);
          expect(reason).not.toContain('639171234567');
        },
      ),
    );
  });
});

describe('decodeTopUpCommand: null for an optional field', () => {
  const OPTIONAL_FIELDS = ['desired_amount', 'product_id', 'exact_amount', 'callback_url', 'metadata'] as const;

  it('reads null for each optional field as the field left out (as a serializer writing absent optionals as null does)', () => {
    const { version: _version, ...input } = valid;
    const nulls = Object.fromEntries(OPTIONAL_FIELDS.map((field) => [field, null]));
    const result = decodeTopUpCommand(JSON.stringify({ ...valid, ...nulls }));
    const required = Object.fromEntries(
      Object.entries(input).filter(([field]) => !(OPTIONAL_FIELDS as readonly string[]).includes(field)),
    );
    expect(result).toEqual(Either.right({ ...required, exact_amount: false }));
    // left out, not kept as undefined: the canonical request (and so a repeat's comparison) never sees them
    expect(Either.isRight(result) && Object.keys(result.right).sort()).toEqual(
      [...Object.keys(required), 'exact_amount'].sort(),
    );
  });

  it('refuses null for a required field, naming it', () => {
    for (const field of ['external_id', 'account_id', 'phone_number', 'currency', 'max_amount']) {
      expect(reasonOf(JSON.stringify({ ...valid, [field]: null }))).toMatch(new RegExp(`^${field}`));
    }
  });

  it("keeps null inside metadata as it is (a value of the caller's own object)", () => {
    const result = decodeTopUpCommand(JSON.stringify({ ...valid, metadata: { note: null } }));
    expect(Either.isRight(result) && result.right.metadata).toEqual({ note: null });
  });

  it('encodes a command given nulls for its optional fields without them', () => {
    const { version: _version, ...input } = valid;
    const text = encodeTopUpCommand({ ...input, desired_amount: null, callback_url: null, metadata: null });
    expect(Either.isRight(text) && JSON.parse(text.right)).toEqual({
      version: 1,
      external_id: 'order-42',
      account_id: 'acme',
      phone_number: '+639171234567',
      currency: 'PHP',
      max_amount: '100',
      exact_amount: false,
    });
  });
});

describe('decodeTopUpCommand: metadata keys', () => {
  it.each([
    ['{"__proto__":{"tier":"gold"},"order":1}'],
    ['{"order":{"constructor":1}}'],
    ['{"order":[1,[{"prototype":{}}]]}'],
  ])('refuses metadata %s (a key JavaScript would drop or misread), naming metadata only', (metadata) => {
    const { metadata: _metadata, ...rest } = valid;
    const body = JSON.stringify(rest).replace(/\}$/, `,"metadata":${metadata}}`);
    const reason = reasonOf(body);
    expect(reason).toMatch(
      /^metadata has a key named __proto__, constructor or prototype \(at any depth\), or a value that is not plain JSON data/,
    );
    expect(reason).not.toContain('gold');
  });

  it('keeps metadata as it came (not copied key by key)', () => {
    const result = decodeTopUpCommand(JSON.stringify({ ...valid, metadata: { a: { b: ['__proto__'] } } }));
    expect(Either.isRight(result) && result.right.metadata).toEqual({ a: { b: ['__proto__'] } });
  });
});

describe('encodeTopUpCommand', () => {
  it('writes a v1 command that decodes to the same input', () => {
    const { version: _version, ...input } = valid;
    const text = encodeTopUpCommand(input);
    expect(Either.isRight(text) && JSON.parse(text.right)).toMatchObject({ version: 1, external_id: 'order-42' });
    expect(Either.flatMap(text, decodeTopUpCommand)).toEqual(Either.right({ ...input, exact_amount: false }));
  });

  it('refuses what a consumer would refuse, before anything is published', () => {
    const { version: _version, max_amount: _max, ...input } = valid;
    const missing = encodeTopUpCommand(input);
    expect(Either.isLeft(missing) && missing.left.reason).toBe('max_amount is missing');
    const versioned = encodeTopUpCommand({ ...input, max_amount: '1', version: 2 });
    expect(Either.isLeft(versioned) && versioned.left.reason).toMatch(/version is not supported/);
    expect(Either.isLeft(encodeTopUpCommand('text'))).toBe(true);
    const bigint = encodeTopUpCommand({ ...input, max_amount: '1', metadata: { n: 1n } });
    expect(Either.isLeft(bigint) && bigint.left.reason).toBe('metadata has no JSON form');
  });

  it('refuses a command that fits the schema but breaks a field rule the consumer applies, naming the field only', () => {
    const { version: _version, ...input } = valid;
    const reasonFor = (fields: Record<string, unknown>): string | undefined => {
      const result = encodeTopUpCommand({ ...input, ...fields });
      return Either.isLeft(result) ? result.left.reason : undefined;
    };
    expect(reasonFor({ max_amount: '10.555' })).toMatch(/^max_amount: PHP has 2 decimal places/);
    expect(reasonFor({ desired_amount: '0.001' })).toMatch(/^desired_amount: /);
    expect(reasonFor({ phone_number: '+1' })).toMatch(/^phone_number: /);
    expect(reasonFor({ external_id: 'order 42' })).toMatch(/^external_id: /);
    expect(reasonFor({ external_id: 'x'.repeat(41) })).toMatch(/^external_id: /);
    expect(reasonFor({ callback_url: 'http://acme.example/topups' })).toBe('callback_url: expected an https URL');
    expect(reasonFor({ metadata: { note: 'x'.repeat(5_000) } })).toMatch(/^metadata: more than 4096 bytes/);
    // the decoder alone lets these through: the consumer refuses them when it checks the request
    expect(Either.isRight(decodeTopUpCommand(JSON.stringify({ ...valid, max_amount: '10.555' })))).toBe(true);
    expect(reasonFor({ phone_number: '639171234567', max_amount: 100.5 })).toBeUndefined();
  });

  it('refuses metadata with a __proto__ key, an id that is not NFC and a callback URL inside the platform', () => {
    const { version: _version, ...input } = valid;
    const reasonFor = (fields: Record<string, unknown>): string | undefined => {
      const result = encodeTopUpCommand({ ...input, ...fields });
      return Either.isLeft(result) ? result.left.reason : undefined;
    };
    expect(reasonFor({ metadata: JSON.parse('{"__proto__":{"tier":"gold"}}') as unknown })).toMatch(
      /^metadata has a key named __proto__/,
    );
    expect(reasonFor({ metadata: { a: JSON.parse('[{"constructor":1}]') as unknown } })).toMatch(/^metadata has a key/);
    expect(reasonFor({ external_id: 'cafe\u0301-1' })).toBe('external_id: not in Unicode normalisation form C (NFC)');
    expect(reasonFor({ callback_url: 'https://169.254.169.254/latest' })).toBe(
      "callback_url: the host's address is not public (link-local)",
    );
    expect(reasonFor({ callback_url: 'http://localhost:9464/metrics' })).toMatch(
      /^callback_url: the host is not public/,
    );
  });

  it("takes the consumer's rules: a local set-up that allows private callback hosts", () => {
    const { version: _version, ...input } = valid;
    const local = encodeTopUpCommand(
      { ...input, callback_url: 'http://127.0.0.1:8080/cb' },
      { allowPrivateCallbackHosts: true },
    );
    expect(Either.isRight(local) && JSON.parse(local.right)).toMatchObject({
      callback_url: 'http://127.0.0.1:8080/cb',
    });
    expect(Either.isLeft(encodeTopUpCommand({ ...input, callback_url: 'http://127.0.0.1:8080/cb' }))).toBe(true);
  });

  it('never quotes a string value that breaks a field rule, whatever field it is planted in', () => {
    const { version: _version, ...input } = valid;
    const fields = ['external_id', 'account_id', 'phone_number', 'currency', 'max_amount', 'callback_url'];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ minLength: 6 }), (field, text) => {
        // a control character breaks every identifier rule; no number, currency, amount or URL reads this
        const canary = `canary\u0007${text}`;
        const result = encodeTopUpCommand({ ...input, [field]: canary });
        expect(Either.isLeft(result)).toBe(true);
        if (Either.isLeft(result)) expect(result.left.reason).not.toContain(canary);
      }),
    );
  });
});
