import { money, preciseOf } from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import { Either, Option, Schema } from 'effect';
import { sampleDvsTransaction } from '../../testing/dvs.samples';
import { DvsTransaction } from '../schemas/dvs-transaction.schema';
import { callbackOfDvs, mapDvsTransaction, receivedValueOf, statusOfDvs } from './dvs-transaction.mapper';

const decode = (json: unknown) => Schema.decodeUnknownSync(DvsTransaction)(json);
const status = (message: string, classMessage: string) =>
  statusOfDvs({ id: 1, message, class: { id: 1, message: classMessage } });

describe('DVS transaction -> port transaction', () => {
  it('maps id, external id, status, received value and operator reference', () => {
    expect(Either.getOrThrow(mapDvsTransaction(decode(sampleDvsTransaction())))).toEqual({
      providerTransactionId: '3209183',
      providerExternalId: 'topup-1-abc-1',
      status: { class: 'COMPLETED', status: 'COMPLETED' },
      receive: preciseOf(money(10000n, testCurrency('PHP'))),
      operatorReference: 'GLB-778812',
    });
  });

  it('keeps the detailed status of every class', () => {
    expect(Either.getOrThrow(status('DECLINED-BARRED-CREDIT-PARTY', 'DECLINED'))).toEqual({
      class: 'DECLINED',
      status: 'DECLINED-BARRED-CREDIT-PARTY',
    });
    expect(Either.getOrThrow(status('REJECTED-INSUFFICIENT-BALANCE', 'REJECTED'))).toEqual({
      class: 'REJECTED',
      status: 'REJECTED-INSUFFICIENT-BALANCE',
    });
    expect(Either.getOrThrow(status('confirmed', 'CONFIRMED'))).toEqual({ class: 'CONFIRMED', status: 'CONFIRMED' });
    expect(Either.getOrThrow(status('Declined - Credit party is invalid', 'DECLINED'))).toEqual({
      class: 'DECLINED',
      status: 'DECLINED-INVALID-CREDIT-PARTY',
    });
  });

  it('falls back to the class for a detailed status DVS adds later, and trusts the class on disagreement', () => {
    expect(Either.getOrThrow(status('DECLINED-SOMETHING-NEW', 'DECLINED'))).toEqual({
      class: 'DECLINED',
      status: 'DECLINED',
    });
    expect(Either.getOrThrow(status('COMPLETED', 'DECLINED'))).toEqual({ class: 'DECLINED', status: 'DECLINED' });
    expect(Either.getOrThrow(status('SUBMITTED', 'SOMETHING'))).toEqual({ class: 'SUBMITTED', status: 'SUBMITTED' });
    expect(Either.isLeft(status('WHATEVER', 'UNHEARD-OF'))).toBe(true);
  });

  it('reads the received value from adjusted values, else requested ones, and leaves it out when not a currency', () => {
    const requestedOnly = decode(sampleDvsTransaction({ adjusted_values: null }));
    expect(receivedValueOf(requestedOnly)).toEqual(Option.some(money(10000n, testCurrency('PHP'))));
    const adjusted = decode(
      sampleDvsTransaction({ adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 99.5 } } }),
    );
    expect(receivedValueOf(adjusted)).toEqual(Option.some(money(9950n, testCurrency('PHP'))));
    const data = decode(
      sampleDvsTransaction({
        adjusted_values: null,
        requested_values: { destination: { unit_type: 'DATA', unit: 'GB', amount: 1 } },
      }),
    );
    expect(Either.getOrThrow(mapDvsTransaction(data))).not.toHaveProperty('receive');
  });

  it('leaves out an empty operator reference', () => {
    expect(
      Either.getOrThrow(mapDvsTransaction(decode(sampleDvsTransaction({ operator_reference: null })))),
    ).not.toHaveProperty('operatorReference');
  });

  it('turns a callback body into a status event', () => {
    const body = sampleDvsTransaction({
      status: { id: 90102, message: 'DECLINED-INVALID-CREDIT-PARTY', class: { id: 9, message: 'DECLINED' } },
    });
    expect(Either.getOrThrow(callbackOfDvs(decode(body)))).toEqual({
      providerTransactionId: '3209183',
      providerExternalId: 'topup-1-abc-1',
      status: { class: 'DECLINED', status: 'DECLINED-INVALID-CREDIT-PARTY' },
      receive: preciseOf(money(10000n, testCurrency('PHP'))),
    });
  });
});
