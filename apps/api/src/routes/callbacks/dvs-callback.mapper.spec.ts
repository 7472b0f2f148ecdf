// A DVS callback body read into a ProviderCallback: the DVS adapter's schema
// and mapper, extra fields ignored, and every unreadable body an
// InvalidRequest naming the field, never quoting a value.
import { Either } from 'effect';
import { dvsCallbackOf } from './dvs-callback.mapper';

/** A transaction object as DVS POSTs it (reference: the transaction object). */
const completed = {
  id: 2_237_104_539,
  external_id: 'order-42-a1',
  creation_date: '2024-05-01T10:00:00.000Z',
  status: { id: 70000, message: 'COMPLETED', class: { id: 7, message: 'COMPLETED' } },
  operator_reference: 'OP-77',
  product: { id: 1234, name: 'Smart 100 PHP', type: 'FIXED_VALUE_RECHARGE' },
  requested_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 100 } },
  adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 99.995 } },
  credit_party_identifier: { mobile_number: '+639171234100' },
  callback_url: 'https://api.example/callbacks/dtone/secret-token',
  a_field_dvs_adds_later: { anything: true },
};

const refusal = (body: unknown) => {
  const read = dvsCallbackOf(body);
  if (Either.isRight(read)) throw new Error('expected a refusal');
  return read.left;
};

describe('dvsCallbackOf', () => {
  it("reads the status, DVS's id, our external id and the delivered amount exactly, ignoring fields it does not read", () => {
    const read = Either.getOrThrow(dvsCallbackOf(completed));
    expect(read).toMatchObject({
      providerTransactionId: '2237104539',
      providerExternalId: 'order-42-a1',
      status: { status: 'COMPLETED', class: 'COMPLETED' },
      receive: { units: 99_995n, scale: 3, currency: { code: 'PHP' } },
    });
  });

  it('reads a decline with its detailed status and no delivered amount', () => {
    const declined = {
      ...completed,
      status: {
        id: 90001,
        message: 'DECLINED-BARRED-CREDIT-PARTY',
        class: { id: 9, message: 'DECLINED' },
      },
    };
    const read = Either.getOrThrow(dvsCallbackOf(declined));
    expect(read.status).toMatchObject({ status: 'DECLINED-BARRED-CREDIT-PARTY', class: 'DECLINED' });
    expect(read.receive).toBeUndefined();
  });

  it('refuses a body that is no transaction object, naming the first field', () => {
    expect(refusal(null)).toMatchObject({ _tag: 'InvalidRequest', part: 'body', field: 'the body' });
    expect(refusal('COMPLETED')).toMatchObject({ _tag: 'InvalidRequest', field: 'the body' });
    const { id: _id, ...withoutId } = completed;
    expect(refusal(withoutId)).toMatchObject({ field: 'id', reason: expect.stringContaining('id is missing') });
    expect(refusal({ ...completed, id: 'abc' })).toMatchObject({ field: 'id' });
    expect(refusal({ ...completed, status: { message: 'COMPLETED' } })).toMatchObject({ field: 'status.class' });
  });

  it('refuses a status of no class and an amount that cannot be read, quoting nothing of the body', () => {
    const unknownStatus = refusal({
      ...completed,
      status: { id: 1, message: 'PAID-TWICE', class: { id: 99, message: 'PAID' } },
    });
    expect(unknownStatus).toMatchObject({ _tag: 'InvalidRequest', field: 'status' });
    expect(unknownStatus.message).not.toContain('PAID');
    const badAmount = refusal({
      ...completed,
      adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: -5 } },
    });
    expect(badAmount).toMatchObject({ _tag: 'InvalidRequest', field: 'adjusted_values.destination.amount' });
    expect(badAmount.message).not.toContain('-5');
    const otherCurrency = refusal({
      ...completed,
      adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'USD', amount: 2 } },
    });
    expect(otherCurrency).toMatchObject({ field: 'adjusted_values.destination.unit' });
    expect(JSON.stringify([unknownStatus, badAmount, otherCurrency])).not.toContain('639171234100');
  });
});
