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
import { type EngageSparkConfig, engageSparkConfigFrom } from '../config/engagespark.config';
import { makeEngageSparkProvider } from './engagespark.adapter';

// §3 of issue 7: nothing from outside in a reason or a log. The token (as it is, JSON-escaped, URL- and
// form-encoded, in base64) and the destination number (E.164, digits only, national, grouped with spaces, dashes,
// dots or parentheses) are planted in every field of hostile answers; no error and no transfer-log record may carry
// them in any of those forms, and no error may quote the answer at all (the canary): `"currency":"254711000111"` once gave
// `currency 254711000111 is unknown`.

const PHP = Either.getOrThrow(currencyOf('PHP'));
const PHONES = ['+639171234567', '+639181112233', '+639285556677', '+639991234567'].map((text) =>
  Either.getOrThrow(parsePhoneNumber(text)),
);

/** Our clientRef of the case, put in when the answer is served. */
const REF = '@@REF@@';

/** Realistic answers of engageSPARK to a top-up (reference shapes), which the hostile answers are made from. */
const TEMPLATES: readonly unknown[] = [
  {
    id: 9001,
    error: '',
    amountSent: 25,
    currency: 'PHP',
    price: 0.55,
    clientRef: REF,
    createdDate: '2026-11-02T10:00:00Z',
    phoneNumber: PLANTED.digits,
  },
  { error: 'no matching product found' },
  { error: 'invalid phone number', fullPhoneNumber: PLANTED.digits },
  { id: 9002, error: 'operator timeout', clientRef: REF },
  { detail: 'Invalid token.' },
];

let fake: FakeHttpServer<never>;
let reply: FakeReply = { status: 500, body: '' };

beforeAll(async () => {
  fake = await startFakeHttpServer<never>(() => reply);
});
afterAll(() => fake.close());

const configFor = (token: string): EngageSparkConfig =>
  Either.getOrThrow(
    engageSparkConfigFrom({
      ENGAGESPARK_ORG_ID: '4242',
      ENGAGESPARK_TOKEN: token,
      ENGAGESPARK_BASE_URL: fake.baseUrl,
      ENGAGESPARK_TIMEOUT_MS: '5000',
      ENGAGESPARK_AMOUNT_RANGES: 'PH:PHP:10:100',
    }),
  );

const plantedArbitrary: fc.Arbitrary<PlantedValues> = fc.record({
  secrets: fc.tuple(secretArbitrary),
  phone: fc.constantFrom(...PHONES),
  canary: fc.constant(CANARY),
});

describe('engageSPARK, against hostile answers', () => {
  it('never lets the token or the number out in an error or a transfer-log record (1,000 answers)', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(plantedArbitrary, hostileReplyArbitrary(TEMPLATES), async (planted, hostile) => {
        const clientRef = `leak-${++counter}-1`;
        const planting = plantReply(hostile, planted);
        reply = { ...planting, body: planting.body.split(REF).join(clientRef) };
        const records: TransferLogRecord[] = [];
        const [token = ''] = planted.secrets;
        const provider = makeEngageSparkProvider(configFor(token), {
          onExchange: (record) => Effect.sync(() => void records.push(record)),
        });
        const [product] = await Effect.runPromise(provider.listProducts({ countryIso: 'PH' }));
        const request: SendRequest = {
          providerExternalId: clientRef,
          product: product as Product,
          destination: planted.phone,
          receive: money(2_500n, PHP),
        };
        const result = await Effect.runPromise(Effect.either(provider.send(request)));
        expect(records).toHaveLength(1);
        expect(leaksOf(planted, Either.isLeft(result) ? [result.left] : [], records)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
