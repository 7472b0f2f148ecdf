import { currencyOf, money, parsePhoneNumber, type ProviderError } from '@airtime/domain';
import { Effect, Either } from 'effect';
import { FAKE_AT_API_KEY, FAKE_AT_USERNAME, type FakeAfricasTalking, startFakeAfricasTalking } from '../../testing';
import { africasTalkingConfigFrom } from '../config/africastalking.config';
import { type AirtimeSendAccepted, type AirtimeSendRequest, makeAirtimeSendClient } from './airtime-send.client';

// One rule reads every answer to a send, 2xx and 4xx alike: an answer that shows the send may have been taken (a
// meaningful requestId on a line, a taken status, numSent, totalAmount or a discount counting something, as numbers
// or as text) is an unknown outcome (UNPROVEN_REFUSAL), never a refusal nor a "not now" (which the platform would
// send again, maybe through another provider: a second delivery). The immediate answer is never final (reference).

const KES = Either.getOrThrow(currencyOf('KES'));
const request: AirtimeSendRequest = {
  providerExternalId: 'topup-1-a1b2c3d4-1',
  destination: Either.getOrThrow(parsePhoneNumber('+254711000111')),
  amount: money(10_000n, KES),
};

let fake: FakeAfricasTalking;
beforeAll(async () => {
  fake = await startFakeAfricasTalking();
});
afterAll(() => fake.close());

const send = async (status: number, body: string): Promise<Either.Either<AirtimeSendAccepted, ProviderError>> => {
  fake.enqueue({ kind: 'reply', status, body });
  const config = Either.getOrThrow(
    africasTalkingConfigFrom({
      AFRICASTALKING_USERNAME: FAKE_AT_USERNAME,
      AFRICASTALKING_API_KEY: FAKE_AT_API_KEY,
      AFRICASTALKING_BASE_URL: fake.baseUrl,
      AFRICASTALKING_TIMEOUT_MS: '5000',
      AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000',
    }),
  );
  return Effect.runPromise(Effect.either(makeAirtimeSendClient(config).send(request)));
};

const line = (fields: Record<string, unknown>) => ({
  phoneNumber: '+254711000111',
  errorMessage: 'None',
  amount: 'KES 100.0000',
  ...fields,
});
const DUPLICATE = 'A duplicate request was received within the last 5 minutes';

const UNPROVEN = { _tag: 'ProviderOutcomeUnknown', kind: 'UNPROVEN_REFUSAL', retryable: false };

describe("Africa's Talking send: an answer showing the send may have been taken is an unknown outcome (2xx and 4xx)", () => {
  it.each<[string, number, unknown]>([
    [
      '2xx: a Failed line with a real requestId, no totals',
      201,
      { errorMessage: 'None', responses: [line({ status: 'Failed', requestId: 'ATQid_abc' })] },
    ],
    [
      '2xx: a Failed line with a real requestId, numSent 0 and totalAmount KES 0.0000',
      201,
      {
        errorMessage: 'None',
        numSent: 0,
        totalAmount: 'KES 0.0000',
        responses: [line({ status: 'Failed', requestId: 'ATQid_abc' })],
      },
    ],
    [
      '2xx: a Failed line whose discount and totalDiscount are not zero',
      201,
      {
        errorMessage: 'None',
        numSent: 0,
        totalAmount: 'KES 0.0000',
        totalDiscount: 'KES 4.0000',
        responses: [line({ status: 'Failed', requestId: 'None', discount: 'KES 4.0000' })],
      },
    ],
    [
      '2xx: an InsufficientBalance line with a real requestId',
      201,
      { responses: [line({ status: 'InsufficientBalance', requestId: 'ATQid_abc' })] },
    ],
    [
      '2xx: a Failed "duplicate" line with a real requestId (never "not now")',
      201,
      { responses: [line({ status: 'Failed', requestId: 'ATQid_abc', errorMessage: DUPLICATE })] },
    ],
    [
      'HTTP 200: a Failed line with a real requestId, numSent 0',
      200,
      {
        errorMessage: 'None',
        numSent: 0,
        totalAmount: 'KES 0.0000',
        responses: [line({ status: 'Failed', requestId: 'ATQid_abc' })],
      },
    ],
    [
      'HTTP 200: a Failed "duplicate" line with a real requestId (never "not now")',
      200,
      {
        errorMessage: 'None',
        responses: [line({ status: 'Failed', requestId: 'ATQid_abc', errorMessage: DUPLICATE })],
      },
    ],
    [
      '2xx: a whole-request "try later" whose numSent is the text "1"',
      200,
      { errorMessage: 'Please try again later', numSent: '1', responses: [] },
    ],
    [
      '2xx: a Failed line whose totalAmount is written "100.0000 KES"',
      201,
      { numSent: 0, totalAmount: '100.0000 KES', responses: [line({ status: 'Failed' })] },
    ],
    [
      '2xx: a whole-request refusal whose totalAmount is KES 100.0000',
      201,
      { errorMessage: 'Invalid', numSent: 0, totalAmount: 'KES 100.0000', responses: [] },
    ],
    [
      'HTTP 400: a Failed line with a real requestId',
      400,
      {
        errorMessage: 'None',
        numSent: 0,
        totalAmount: 'KES 0.0000',
        responses: [line({ status: 'Failed', requestId: 'ATQid_abc' })],
      },
    ],
    ['HTTP 400: numSent the text "1"', 400, { errorMessage: 'x', numSent: '1', responses: [] }],
    ['HTTP 400: totalAmount the number 100', 400, { errorMessage: 'x', totalAmount: 100, responses: [] }],
    ['HTTP 400: a Sent line without a requestId', 400, { responses: [line({ status: 'Sent', requestId: 'None' })] }],
    ['HTTP 400: a Queued line without a requestId', 400, { responses: [line({ status: 'Queued' })] }],
    ['HTTP 400: a " success " line (any case, padded)', 400, { responses: [line({ status: ' success ' })] }],
    [
      'HTTP 400: a line whose requestId is a number',
      400,
      { responses: [line({ status: 'Failed', requestId: 12345 })] },
    ],
    [
      'HTTP 400: the answer nested under data',
      400,
      { data: { numSent: 1, responses: [line({ status: 'Sent', requestId: 'ATQid_abc' })] } },
    ],
    [
      'HTTP 400: the answer inside an array',
      400,
      [{ numSent: 1, responses: [line({ status: 'Sent', requestId: 'ATQid_abc' })] }],
    ],
    ['HTTP 401: a Sent line with a requestId', 401, { responses: [line({ status: 'Sent', requestId: 'ATQid_abc' })] }],
  ])('%s', async (_case, status, body) => {
    const result = await send(status, JSON.stringify(body));
    expect(Either.isLeft(result) && result.left).toMatchObject(UNPROVEN);
    // the reason names fields, never AT's values
    if (Either.isLeft(result)) expect(result.left.message).not.toMatch(/ATQid|254711000111|duplicate|12345/i);
  });

  it.each<[string, unknown]>([
    ['"sent" (lower case)', { responses: [line({ status: 'sent', requestId: 'ATQid_abc' })] }],
    ['"failed" (lower case)', { responses: [line({ status: 'failed', requestId: 'None' })] }],
    ['" Failed" (padded)', { responses: [line({ status: ' Failed', requestId: 'None' })] }],
    ['a numSent "1" beside a whole-request refusal', { errorMessage: 'Something', numSent: '1', responses: [] }],
    ['responses: null', { errorMessage: 'Invalid', responses: null }],
  ])('2xx: an answer of a shape AT does not write (%s) is an unknown outcome, never a refusal', async (_case, body) => {
    const result = await send(201, JSON.stringify(body));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderOutcomeUnknown', retryable: false });
  });

  it.each<[string, unknown]>([
    ['grouped "+254 711 000 111"', '+254 711 000 111'],
    ['national "0711000111"', '0711000111'],
  ])('2xx: a Failed line naming our number %s, nothing counted, is still a refusal', async (_case, phoneNumber) => {
    const result = await send(201, JSON.stringify({ responses: [line({ status: 'Failed', phoneNumber })] }));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'Failed',
      retryable: false,
    });
  });

  it('2xx: a Failed line naming a masked number is a mismatch, never a refusal', async () => {
    const result = await send(
      201,
      JSON.stringify({ responses: [line({ status: 'Failed', phoneNumber: '+254711XXX111' })] }),
    );
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'ProviderAnswerMismatch',
      field: 'responses.phoneNumber',
    });
  });

  it.each<[string, unknown]>([
    [
      'with a top-level errorMessage "Insufficient Balance"',
      {
        errorMessage: 'Insufficient Balance',
        numSent: 1,
        responses: [line({ status: 'Sent', requestId: 'ATQid_abc' })],
      },
    ],
    [
      'whose amount is "KES 100" (no decimals)',
      { numSent: 1, responses: [line({ status: 'Sent', requestId: 'ATQid_abc', amount: 'KES 100' })] },
    ],
    [
      'with the reference totals',
      { numSent: 1, totalAmount: 'KES 100.0000', responses: [line({ status: 'Sent', requestId: 'ATQid_abc' })] },
    ],
  ])('2xx: a Sent line with a requestId %s is an acceptance (SUBMITTED)', async (_case, body) => {
    const accepted = Either.getOrThrow(await send(201, JSON.stringify(body)));
    expect(accepted).toMatchObject({ requestId: 'ATQid_abc', transaction: { status: { status: 'SUBMITTED' } } });
  });

  it.each<[string, number, string]>([
    ['HTTP 400 in plain text', 400, 'Request is invalid'],
    [
      'HTTP 400: a Failed line, requestId None, nothing counted',
      400,
      JSON.stringify({
        numSent: '0',
        totalAmount: 'KES 0.0000',
        responses: [line({ status: 'Failed', requestId: 'None' })],
      }),
    ],
  ])('still reads %s as a refusal (it proves nothing was taken)', async (_case, status, body) => {
    const result = await send(status, body);
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderRejected', providerCode: 'HTTP_400' });
  });

  it.each<[string, unknown]>([
    ['a whole-request duplicate', { errorMessage: DUPLICATE, numSent: 0, totalAmount: '0', responses: [] }],
    [
      'a duplicate line, requestId None, numSent "0"',
      { numSent: '0', responses: [line({ status: 'Failed', requestId: 'None', errorMessage: DUPLICATE })] },
    ],
  ])('2xx: still reads %s, nothing taken, as "not now"', async (_case, body) => {
    const result = await send(200, JSON.stringify(body));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'ProviderRetryLater', retryable: true });
  });
});
