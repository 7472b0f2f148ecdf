import { currencyOf, formatPrecise, money, preciseOf, transactionStatus } from '@airtime/domain';
import { Either } from 'effect';
import { AT_STATUSES, callbackStatusOf } from '../status/status.mapper';
import { parseAfricasTalkingStatusCallback, toProviderCallback } from './status-callback.mapper';

const KES = Either.getOrThrow(currencyOf('KES'));

const body = (status: string) => ({
  phoneNumber: '+254711000111',
  description: 'Airtime Delivered Successfully',
  status,
  requestId: 'ATQid_SampleTxnId123',
  discount: 'KES 0.6000',
  value: 'KES 100.0000',
});

describe("Africa's Talking status callback", () => {
  it('reads the reference sample', () => {
    const notice = Either.getOrThrow(parseAfricasTalkingStatusCallback(body('Success')));
    expect(notice).toEqual({
      requestId: 'ATQid_SampleTxnId123',
      atStatus: 'Success',
      status: transactionStatus('COMPLETED'),
      phoneNumber: '+254711000111',
      description: 'Airtime Delivered Successfully',
      value: preciseOf(money(10_000n, KES)),
      discount: money(60n, KES),
    });
    expect(toProviderCallback(notice)).toEqual({
      providerTransactionId: 'ATQid_SampleTxnId123',
      status: transactionStatus('COMPLETED'),
      receive: preciseOf(money(10_000n, KES)),
    });
  });

  it.each([...AT_STATUSES])('maps %s', (atStatus) => {
    const callback = toProviderCallback(Either.getOrThrow(parseAfricasTalkingStatusCallback(body(atStatus))));
    expect(callback.status).toEqual(callbackStatusOf(atStatus));
    expect(callback.providerTransactionId).toBe('ATQid_SampleTxnId123');
    // only a delivery says what was received
    expect(callback.receive).toEqual(atStatus === 'Success' ? preciseOf(money(10_000n, KES)) : undefined);
  });

  it('keeps a delivered value with sub-unit precision exactly (KES 99.995, not 100.00)', () => {
    const callback = toProviderCallback(
      Either.getOrThrow(parseAfricasTalkingStatusCallback({ ...body('Success'), value: 'KES 99.9950' })),
    );
    expect(callback.receive && formatPrecise(callback.receive)).toBe('99.995');
  });

  it('needs only phoneNumber, status and requestId, and ignores unknown fields', () => {
    const notice = parseAfricasTalkingStatusCallback({
      phoneNumber: '+254711000111',
      status: 'Failed',
      requestId: 'ATQid_1',
      extra: 1,
    });
    expect(Either.map(notice, toProviderCallback)).toEqual(
      Either.right({ providerTransactionId: 'ATQid_1', status: transactionStatus('DECLINED') }),
    );
  });

  it.each([
    ['an unknown status', { ...body('Delivered') }, /status has an unexpected type or value/],
    ['no requestId', { phoneNumber: '+254711000111', status: 'Success' }, /requestId is missing/],
    ['an empty requestId', { ...body('Success'), requestId: ' ' }, /requestId/],
    ['a value that is not an amount', { ...body('Success'), value: 'KES 1,001' }, /value is not an amount/],
    ['an unknown currency', { ...body('Success'), value: 'ABC 1.00' }, /value is not a known currency/],
    [
      'a delivery of a negative value',
      { ...body('Success'), value: 'KES -100.0000' },
      /value is not a positive amount/,
    ],
    ['a delivery of nothing', { ...body('Success'), value: 'KES 0.0000' }, /value is not a positive amount/],
    ['not an object', 'status=Success', /the body has an unexpected type or value/],
  ])('refuses %s with InvalidProviderCallback, without echoing the phone number', (_case, input, reason) => {
    const result = parseAfricasTalkingStatusCallback(input);
    expect(result).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidProviderCallback', reason: expect.stringMatching(reason) })),
    );
    if (Either.isLeft(result)) expect(result.left.message).not.toContain('254711000111');
  });
});
