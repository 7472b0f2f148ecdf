import { Either, ParseResult, Schema } from 'effect';
import fc from 'fast-check';
import { decodeNamingField, describeParseError, MAX_DESCRIBED_ISSUES, ruleViolation } from './parse-error.format';

const Body = Schema.Struct({
  phone: Schema.String,
  amount: Schema.Number,
  items: Schema.Array(Schema.NumberFromString),
});

const failureOf = <A, I>(schema: Schema.Schema<A, I>, input: unknown): ParseResult.ParseError => {
  const result = Schema.decodeUnknownEither(schema, { errors: 'all' })(input);
  if (Either.isRight(result)) throw new Error('expected a decode failure');
  return result.left;
};

describe('describeParseError', () => {
  it('names the fields and the kind of problem', () => {
    const text = describeParseError(failureOf(Body, { phone: 254711000111, items: ['x'] }));
    expect(text).toContain('phone has an unexpected type or value');
    expect(text).toContain('amount is missing');
    expect(text).toContain('items.0 cannot be read');
  });

  it('never quotes a value of the input, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6 }), fc.integer({ min: 100_000 }), (secret, digits) => {
        const text = describeParseError(failureOf(Body, { phone: digits, amount: secret, items: [secret] }));
        expect(text).not.toContain(secret);
        expect(text).not.toContain(String(digits));
      }),
    );
  });

  it('does not quote a key that came from the input', () => {
    const Strict = Schema.Record({ key: Schema.String, value: Schema.Number });
    expect(describeParseError(failureOf(Strict, { '+254 711 000 111': 'x' }))).toBe(
      '[key] has an unexpected type or value',
    );
  });

  it('shows the message of one of our own rules, and names at most a few problems', () => {
    const Positive = Schema.transformOrFail(Schema.Number, Schema.Number, {
      strict: true,
      decode: (n, _, ast) =>
        n > 0 ? ParseResult.succeed(n) : ParseResult.fail(ruleViolation(ast, n, 'must be positive')),
      encode: ParseResult.succeed,
    });
    expect(describeParseError(failureOf(Schema.Struct({ fee: Positive }), { fee: -5 }))).toBe('fee must be positive');
    const Many = Schema.Struct(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`f${i}`, Schema.String])));
    expect(describeParseError(failureOf(Many, {})).split('; ')).toHaveLength(MAX_DESCRIBED_ISSUES);
  });
});

describe('decodeNamingField', () => {
  const decode = decodeNamingField(Body, 'the body', (field, reason) => ({ field, reason }));

  it('answers the decoded value', () => {
    expect(decode({ phone: 'p', amount: 1, items: ['2'] })).toEqual(
      Either.right({ phone: 'p', amount: 1, items: [2] }),
    );
  });

  it('names the first failing field by its path, the whole by the name given, and quotes no value', () => {
    const nested = decode({ phone: 'p', amount: 1, items: ['2', '+639171234567x'] });
    expect(nested).toEqual(Either.left({ field: 'items.1', reason: 'items.1 cannot be read' }));
    expect(JSON.stringify(nested)).not.toContain('639171234567');
    expect(Either.getLeft(decode('not an object')).pipe((left) => left._tag === 'Some' && left.value.field)).toBe(
      'the body',
    );
    const hostileKey = decodeNamingField(
      Schema.Record({ key: Schema.String, value: Schema.Number }),
      'input',
      (field) => field,
    )({ 'drop table;': 'x' });
    expect(hostileKey).toEqual(Either.left('[key]'));
  });
});
