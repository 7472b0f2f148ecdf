import { formatPrecise, money, preciseMoney, preciseOf } from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import { Either, Schema } from 'effect';
import { sampleDvsTransaction } from '../../testing/dvs.fixture';
import { DvsTransaction } from '../schemas/dvs-transaction.schema';
import {
  callbackOfDvs,
  chargedOfDvs,
  createdAtOfDvs,
  mapDvsTransaction,
  receivedValueOf,
  statusOfDvs,
} from './dvs-transaction.mapper';

const decode = (json: unknown) => Schema.decodeUnknownSync(DvsTransaction)(json);
const status = (message: string, classMessage: string) =>
  statusOfDvs({ id: 1, message, class: { id: 1, message: classMessage } });

describe('DVS transaction -> port transaction', () => {
  it('maps id, external id, status, received value, operator reference, creation date and charge', () => {
    expect(Either.getOrThrow(mapDvsTransaction(decode(sampleDvsTransaction())))).toEqual({
      providerTransactionId: '3209183',
      providerExternalId: 'topup-1-abc-1',
      status: { class: 'COMPLETED', status: 'COMPLETED' },
      receive: preciseOf(money(10000n, testCurrency('PHP'))),
      operatorReference: 'GLB-778812',
      createdAt: new Date('2026-11-02T10:00:00Z'),
      // wholesale 1.85 + fee 0.05
      charged: preciseOf(money(190n, testCurrency('USD'))),
    });
  });

  it('reads what DVS charged exactly: wholesale amount plus fee, in the wholesale unit', () => {
    const charged = (wholesale: unknown) =>
      chargedOfDvs(decode(sampleDvsTransaction({ prices: wholesale === undefined ? null : { wholesale } })));
    expect(Either.getOrThrow(charged({ unit_type: 'CURRENCY', unit: 'USD', amount: 2.105, fee: 0.0001 }))).toEqual(
      preciseMoney(21051n, 4, testCurrency('USD')),
    );
    expect(Either.getOrThrow(charged({ unit_type: 'CURRENCY', unit: 'EUR', amount: 3, fee: null }))).toEqual(
      preciseOf(money(300n, testCurrency('EUR'))),
    );
    expect(Either.getOrThrow(charged(undefined))).toBeUndefined();
    expect(Either.getOrThrow(charged({ unit_type: 'CURRENCY', unit: 'USD', amount: null, fee: 0.1 }))).toBeUndefined();
    const refused = (wholesale: unknown) => Either.flip(charged(wholesale)).pipe(Either.getOrThrow);
    expect(refused({ unit_type: 'CURRENCY', unit: 'XYZ', amount: 1, fee: 0 }).field).toBe('prices.wholesale.unit');
    expect(refused({ unit_type: 'CURRENCY', unit: 'USD', amount: { min: 1, max: 2 }, fee: 0 }).field).toBe(
      'prices.wholesale.amount',
    );
    expect(refused({ unit_type: 'CURRENCY', unit: 'USD', amount: 1, fee: 1e300 }).field).toBe('prices.wholesale.fee');
  });

  it('reads the creation date as an instant, whatever its offset and decimals, flooring past the millisecond', () => {
    const createdAt = (creation_date: string | null) => createdAtOfDvs(decode(sampleDvsTransaction({ creation_date })));
    expect(Either.getOrThrow(createdAt('2020-02-02T14:00:00.022220+08:00'))).toEqual(
      new Date('2020-02-02T06:00:00.022Z'),
    );
    expect(Either.getOrThrow(createdAt('2025-12-31T23:59:59.999999Z'))).toEqual(new Date('2025-12-31T23:59:59.999Z'));
    expect(Either.getOrThrow(createdAt('2025-01-01T00:00:00Z'))).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(Either.getOrThrow(createdAt(null))).toBeUndefined();
    for (const text of ['2025-01-01', '2025-01-01T00:00:00', 'yesterday', '2025-13-01T00:00:00Z'])
      expect(Either.flip(createdAt(text)).pipe(Either.getOrThrow).field).toBe('creation_date');
  });

  it('leaves out a creation date or charge that cannot be read, never refusing the answer for it', () => {
    const mapped = Either.getOrThrow(
      mapDvsTransaction(
        decode(
          sampleDvsTransaction({
            creation_date: 'soon',
            prices: { wholesale: { unit_type: 'CURRENCY', unit: 'XYZ', amount: 1, fee: 0 } },
          }),
        ),
      ),
    );
    expect(mapped.createdAt).toBeUndefined();
    expect(mapped.charged).toBeUndefined();
    expect(mapped.status.class).toBe('COMPLETED');
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
    expect(receivedValueOf(requestedOnly)).toEqual(Either.right(preciseOf(money(10000n, testCurrency('PHP')))));
    const adjusted = decode(
      sampleDvsTransaction({ adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 99.5 } } }),
    );
    expect(receivedValueOf(adjusted)).toEqual(Either.right(preciseOf(money(9950n, testCurrency('PHP')))));
    const data = decode(
      sampleDvsTransaction({
        adjusted_values: null,
        requested_values: { destination: { unit_type: 'DATA', unit: 'GB', amount: 1 } },
      }),
    );
    expect(Either.getOrThrow(mapDvsTransaction(data))).not.toHaveProperty('receive');
  });

  it.each([
    ['unit_type "currency" (lower case)', 'currency', 'PHP', 'adjusted_values.destination.unit_type'],
    ['unit_type "DATA"', 'DATA', 'PHP', 'adjusted_values.destination.unit_type'],
    ['another currency (USD) than requested (PHP)', 'CURRENCY', 'USD', 'adjusted_values.destination.unit'],
  ])(
    'a COMPLETED transaction or callback asked in PHP and adjusted to %s is a mismatch naming the field',
    (_case, unitType, unit, field) => {
      const transaction = decode(
        sampleDvsTransaction({ adjusted_values: { destination: { unit_type: unitType, unit, amount: 999999 } } }),
      );
      const mismatch = Either.left(expect.objectContaining({ _tag: 'ProviderAnswerMismatch', field }));
      expect(mapDvsTransaction(transaction)).toEqual(mismatch);
      expect(callbackOfDvs(transaction)).toEqual(mismatch);
      expect(mapDvsTransaction(transaction, 'PHP')).toEqual(mismatch);
    },
  );

  it('keeps a destination amount with sub-unit precision exactly (PHP 99.995, not 100.00)', () => {
    const transaction = decode(
      sampleDvsTransaction({
        adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: 99.995 } },
      }),
    );
    const mapped = Either.getOrThrow(mapDvsTransaction(transaction));
    expect(mapped.receive && formatPrecise(mapped.receive)).toBe('99.995');
    expect(mapped.receive?.currency.code).toBe('PHP');
  });

  it.each([
    ['an amount a JSON number cannot carry exactly (1e15)', 1e15, 'PHP', 'adjusted_values.destination.amount'],
    ['a negative amount (-100)', -100, 'PHP', 'adjusted_values.destination.amount'],
    ['a zero amount', 0, 'PHP', 'adjusted_values.destination.amount'],
    ['an unknown currency', 100, 'XYZ', 'adjusted_values.destination.unit'],
  ])(
    'refuses %s as a mismatch naming the field, never falling back to the requested value',
    (_case, amount, unit, field) => {
      const transaction = decode(
        sampleDvsTransaction({ adjusted_values: { destination: { unit_type: 'CURRENCY', unit, amount } } }),
      );
      const result = mapDvsTransaction(transaction);
      expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'ProviderAnswerMismatch', field })));
      if (Either.isLeft(result)) expect(result.left.message).not.toContain(String(amount));
      expect(Either.isLeft(callbackOfDvs(transaction))).toBe(true);
    },
  );

  it('carries no amount for a failed transaction (nothing was delivered), whatever DVS wrote there', () => {
    const transaction = decode(
      sampleDvsTransaction({
        status: { id: 90000, message: 'DECLINED', class: { id: 9, message: 'DECLINED' } },
        adjusted_values: { destination: { unit_type: 'CURRENCY', unit: 'PHP', amount: -1 } },
      }),
    );
    expect(Either.getOrThrow(mapDvsTransaction(transaction))).not.toHaveProperty('receive');
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
    });
  });
});
