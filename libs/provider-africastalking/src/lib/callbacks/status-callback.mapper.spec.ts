import { currencyOf, formatPrecise, money, parsePhoneNumber, preciseOf, transactionStatus } from '@airtime/domain';
import { Either } from 'effect';
import { AT_STATUSES, callbackStatusOf } from '../status/status.mapper';
import { statusCallbackNumber, parseAfricasTalkingStatusCallback, toProviderCallback } from './status-callback.mapper';

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

describe("the number of AT's status callback, read in the country of the top-up's recipient", () => {
  const kenyan = Either.getOrThrow(parsePhoneNumber('+254711000111'));
  const american = Either.getOrThrow(parsePhoneNumber('+12125550123'));

  /** The E.164 number the text names for `recipient`, or the problem's tag. */
  const read = (phoneNumber: string, recipient = kenyan): string =>
    Either.match(statusCallbackNumber(phoneNumber, recipient), {
      onLeft: (error) => error._tag,
      onRight: (phone) => phone.e164,
    });

  it.each([
    ['E.164', '+254711000111'],
    ['E.164 without "+"', '254711000111'],
    ['national, with the trunk 0', '0711000111'],
    ['national, spaced', '0711 000 111'],
    ['national, around spaces', ' 0711000111 '],
  ])("is the recipient when it is the same number read in the recipient's country: %s", (_form, phoneNumber) => {
    // before: "+" was put before anything but E.164, so a national '0711000111' was no number (a 400)
    expect(read(phoneNumber)).toBe(kenyan.e164);
  });

  it("reads a national number in the recipient's own country (a US recipient: 10 digits, no trunk 0)", () => {
    expect(read('(212) 555-0123', american)).toBe(american.e164);
    expect(read('12125550123', american)).toBe(american.e164);
    expect(read('0711000111', american)).not.toBe(american.e164);
  });

  it.each([
    ['another national number', '0711000112', '+254711000112'],
    ['another E.164 number', '+254711000112', '+254711000112'],
    ['the same digits in another country', '+255711000111', '+255711000111'],
    ['another country without "+"', '255711000111', '+255711000111'],
  ])('is another subscriber for %s, never the recipient', (_case, phoneNumber, e164) => {
    expect(read(phoneNumber)).toBe(e164);
  });

  it.each([
    ['the subscriber digits without their country', '+711000111'],
    ['a number too short', '0711'],
    ['letters', 'not-a-number'],
    ['an extension', '0711000111 x12'],
    ['nothing', ''],
  ])('is no number for %s', (_case, phoneNumber) => {
    expect(read(phoneNumber)).toBe('InvalidPhoneNumber');
  });

  it('without a known recipient reads E.164, with or without "+", as before', () => {
    expect(Either.map(statusCallbackNumber('254711000111', undefined), (phone) => phone.e164)).toEqual(
      Either.right('+254711000111'),
    );
    expect(statusCallbackNumber('0711000111', undefined)).toMatchObject({ left: { _tag: 'InvalidPhoneNumber' } });
  });
});
