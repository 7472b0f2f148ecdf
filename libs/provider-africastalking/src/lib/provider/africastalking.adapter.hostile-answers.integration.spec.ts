import { currencyOf, money, parsePhoneNumber, type Product, type SendRequest } from '@airtime/domain';
import type { TransferLogRecord } from '@airtime/provider-http-kit';
import {
  CANARY,
  type FakeHttpServer,
  type FakeReply,
  hostileReplyArbitrary,
  leaksOf,
  PLANTED,
  plantReply,
  type PlantedValues,
  secretArbitrary,
  startFakeHttpServer,
} from '@airtime/provider-http-kit/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { type AfricasTalkingConfig, africasTalkingConfigFrom } from '../config/africastalking.config';
import { makeAfricasTalkingProvider } from './africastalking.adapter';

// §3 of issue 7: nothing from outside in a reason or a log. The API key (as it is, JSON-escaped, URL- and
// form-encoded, in base64) and the destination number (E.164, digits only, national, grouped with spaces, dashes,
// dots or parentheses) are planted in every field of hostile answers; no error and no transfer-log record may
// carry them in any of those forms, and no error may quote the answer at all (the canary).

const KES = Either.getOrThrow(currencyOf('KES'));
const PHONES = ['+254711000111', '+254722123456', '+254733987654', '+254701234567'].map((text) =>
  Either.getOrThrow(parsePhoneNumber(text)),
);

/** Realistic answers of AT to a send (reference shapes), which the hostile answers are made from. */
const TEMPLATES: readonly unknown[] = [
  {
    errorMessage: 'None',
    numSent: 1,
    totalAmount: 'KES 100.0000',
    totalDiscount: 'KES 4.0000',
    responses: [
      {
        phoneNumber: PLANTED.e164,
        errorMessage: 'None',
        amount: 'KES 100.0000',
        status: 'Sent',
        requestId: 'ATQid_1be914ac47845eef1a1dab5d89ec50ff',
        discount: 'KES 4.0000',
      },
    ],
  },
  {
    errorMessage: 'None',
    responses: [{ phoneNumber: PLANTED.e164, status: 'Failed', errorMessage: 'Insufficient balance' }],
  },
  { errorMessage: 'A duplicate request was received within the last 5 minutes', numSent: 0, responses: [] },
  { errorMessage: 'Invalid currency code' },
];

let fake: FakeHttpServer<never>;
let reply: FakeReply = { status: 500, body: '' };

beforeAll(async () => {
  fake = await startFakeHttpServer<never>(() => reply);
});
afterAll(() => fake.close());

const configFor = (apiKey: string): AfricasTalkingConfig =>
  Either.getOrThrow(
    africasTalkingConfigFrom({
      AFRICASTALKING_USERNAME: 'leak-test',
      AFRICASTALKING_API_KEY: apiKey,
      AFRICASTALKING_BASE_URL: fake.baseUrl,
      AFRICASTALKING_TIMEOUT_MS: '5000',
      AFRICASTALKING_AMOUNT_RANGES: 'KE:KES:10:10000',
    }),
  );

const plantedArbitrary: fc.Arbitrary<PlantedValues> = fc.record({
  secrets: fc.tuple(secretArbitrary),
  phone: fc.constantFrom(...PHONES),
  canary: fc.constant(CANARY),
});

describe("Africa's Talking, against hostile answers", () => {
  it('never lets the API key or the number out in an error or a transfer-log record (1,000 answers)', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(plantedArbitrary, hostileReplyArbitrary(TEMPLATES), async (planted, hostile) => {
        reply = plantReply(hostile, planted);
        const records: TransferLogRecord[] = [];
        const [apiKey = ''] = planted.secrets;
        const config = configFor(apiKey);
        const provider = makeAfricasTalkingProvider(config, {
          onExchange: (record) => Effect.sync(() => void records.push(record)),
        });
        const [product] = await Effect.runPromise(provider.listProducts({ countryIso: 'KE' }));
        const request: SendRequest = {
          providerExternalId: `leak-${++counter}-1`,
          product: product as Product,
          destination: planted.phone,
          receive: money(10_000n, KES),
        };
        const result = await Effect.runPromise(Effect.either(provider.send(request)));
        expect(records).toHaveLength(1);
        expect(leaksOf(planted, Either.isLeft(result) ? [result.left] : [], records)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
