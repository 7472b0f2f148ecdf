// Provider callback bodies: fields we do not read are ignored, a refusal
// names the first field and never quotes a value; an adapter's reason gives
// its field.
import { Either, Schema } from 'effect';
import { decodeCallbackBody, fieldOfReason, invalidCallbackBody } from './callback-body.check';

const decode = decodeCallbackBody(Schema.Struct({ requestId: Schema.String, amount: Schema.Number }));

describe('decodeCallbackBody', () => {
  it('ignores the fields the schema does not name', () => {
    expect(decode({ requestId: 'ATQid_1', amount: 5, sourceIpAddress: '10.0.0.1' })).toEqual(
      Either.right({ requestId: 'ATQid_1', amount: 5 }),
    );
  });

  it('refuses a body naming the first field, quoting no value', () => {
    const refused = decode({ requestId: '+639171234100', amount: 'five' });
    expect(refused).toMatchObject({ left: { _tag: 'InvalidRequest', part: 'body', field: 'amount' } });
    expect(JSON.stringify(refused)).not.toContain('639171234100');
    expect(decode(null)).toMatchObject({ left: { field: 'the body' } });
  });
});

describe('fieldOfReason', () => {
  it("reads the field an adapter's reason starts with, else the whole body", () => {
    expect(fieldOfReason('phoneNumber is missing; requestId is missing')).toBe('phoneNumber');
    expect(fieldOfReason('value is not an amount such as "KES 100.0000"')).toBe('value');
    expect(fieldOfReason('the body has an unexpected type or value')).toBe('the body');
    expect(fieldOfReason('')).toBe('the body');
    expect(fieldOfReason('{"x": 1} is odd')).toBe('the body');
  });

  it('makes an InvalidRequest of the body', () => {
    expect(invalidCallbackBody('status is missing', 'status')).toMatchObject({
      _tag: 'InvalidRequest',
      part: 'body',
      field: 'status',
    });
    expect(invalidCallbackBody('x')).toMatchObject({ field: 'the body' });
  });
});
