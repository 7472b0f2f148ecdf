import { fc, test } from '@fast-check/jest';
import { Either, Schema } from 'effect';
import { InvalidRequest } from './http.errors';
import { decodePart, refuseBody, requirePart } from './request-input.check';

const Body = Schema.Struct({ phone_number: Schema.String, amount: Schema.optional(Schema.NumberFromString) });

describe('decoding a part of a request', () => {
  it('names the first field that failed and the part, never the value', () => {
    const result = decodePart(Body, 'body')({ phone_number: '+639171234567', amount: 'twelve-secret' });
    const error = Either.isLeft(result) ? result.left : undefined;
    expect(error).toBeInstanceOf(InvalidRequest);
    expect(error).toMatchObject({ part: 'body', field: 'amount' });
    expect(error?.message).not.toContain('twelve-secret');
  });

  it('refuses unknown fields of a body and a query string, ignores them in headers and the path', () => {
    expect(Either.isLeft(decodePart(Body, 'body')({ phone_number: 'x', extra: 1 }))).toBe(true);
    expect(Either.isLeft(decodePart(Body, 'query')({ phone_number: 'x', extra: '1' }))).toBe(true);
    expect(Either.isRight(decodePart(Body, 'headers')({ phone_number: 'x', extra: '1' }))).toBe(true);
    expect(Either.isRight(decodePart(Body, 'body', { excess: 'ignore' })({ phone_number: 'x', extra: 1 }))).toBe(true);
  });

  it('names the whole part when it is not an object at all', () => {
    expect(() => requirePart(Body, 'body')(undefined)).toThrow(
      expect.objectContaining({ _tag: 'InvalidRequest', field: 'the body' }),
    );
    expect(requirePart(Body, 'body')({ phone_number: 'x', amount: '2' })).toEqual({ phone_number: 'x', amount: 2 });
  });

  it('names the field or the part when the value is too deeply nested to be described (no RangeError)', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    const result = decodePart(Body, 'body')({ phone_number: deep });
    const error = Either.isLeft(result) ? result.left : undefined;
    expect(error).toBeInstanceOf(InvalidRequest);
    expect(error?.part).toBe('body');
    expect(error?.reason).toEqual(expect.any(String));
  });

  test.prop([fc.anything()])('never throws anything but InvalidRequest, and never quotes the input', (input) => {
    try {
      requirePart(Body, 'body')(input);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequest);
      const text = (error as InvalidRequest).message;
      if (typeof input === 'object' && input !== null && 'phone_number' in input) {
        const value = (input as { phone_number: unknown }).phone_number;
        if (typeof value === 'string' && value.length > 3) expect(text).not.toContain(value);
      }
    }
  });
});

describe('the body of a route that takes none (refuseBody)', () => {
  const refusalOf = (body: unknown) => {
    try {
      refuseBody(body);
      return undefined;
    } catch (error) {
      return error;
    }
  };

  it('passes no body, an empty one and an empty JSON object', () => {
    for (const body of [undefined, '', {}]) expect(refusalOf(body)).toBeUndefined();
  });

  it('refuses any other body, naming its first field (never a value) or the body', () => {
    expect(refusalOf({ reason: 'secret-words' })).toMatchObject({
      _tag: 'InvalidRequest',
      part: 'body',
      field: 'reason',
    });
    expect(refusalOf({ 'two words': 1 })).toMatchObject({ field: '[key]' });
    expect(String((refusalOf({ reason: 'secret-words' }) as Error).message)).not.toContain('secret-words');
    for (const body of [null, [], [1], 'text', 0, false, Buffer.from('x')]) {
      expect(refusalOf(body)).toMatchObject({ _tag: 'InvalidRequest', code: 'INVALID_REQUEST', field: 'the body' });
    }
  });
});
