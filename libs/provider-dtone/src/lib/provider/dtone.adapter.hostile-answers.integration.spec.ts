import { parsePhoneNumber, type Product, type SendRequest } from '@airtime/domain';
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
  type RecordedRequest,
  secretArbitrary,
  startFakeHttpServer,
} from '@airtime/provider-http-kit/testing';
import { Effect, Either } from 'effect';
import fc from 'fast-check';
import { sampleDvsFixedProduct, sampleDvsTransaction } from '../../testing/dvs.fixture';
import { type DvsConfig, dvsConfigFrom } from '../config/dvs.config';
import { makeDtOneProvider } from './dtone.adapter';

// §3 of issue 7: nothing from outside in a reason or a log. DVS error bodies once echoed our key and secret into
// ProviderRejected.reason and ProviderOutcomeUnknown (`{"errors":[{"code":1005003,"message":"bad key <key> /
// <secret>"}]}`, on 400 and on 500), and numbers without "+" stayed unmasked. Here the key, the secret and the
// destination number are planted, in all their forms (see `PLANTED`: escaped, encoded and base64 secrets, a
// Basic auth value, the number grouped with spaces, dashes, dots or parentheses), in every field of hostile
// answers to a send (and to the status query a 1007001 leads to); no error and no transfer-log record may carry
// them, and no error may quote the answer at all (the canary).

const PHONES = ['+639171234567', '+639181112233', '+639285556677', '+639991234100'].map((text) =>
  Either.getOrThrow(parsePhoneNumber(text)),
);

/** Realistic DVS answers (reference shapes), which the hostile answers are made from. */
/** Our external id of the case, put in when the answer is served. */
const REF = '@@REF@@';

const TEMPLATES: readonly unknown[] = (() => {
  const transaction = sampleDvsTransaction({
    external_id: REF,
    credit_party_identifier: { mobile_number: PLANTED.e164 },
  });
  return [
    transaction,
    [transaction],
    { errors: [{ code: 1005003, message: `bad key ${PLANTED.secret} / ${PLANTED.otherSecret}` }] },
    { errors: [{ code: 1007001, message: 'Transaction external ID has already been used' }] },
    { errors: [{ code: 1003001, message: 'Product is not available in your account' }] },
    { errors: [{ code: 1009001, message: `Unexpected error for ${PLANTED.national}` }] },
    { errors: [{ code: 1000429, message: 'Too many requests' }] },
  ];
})();

let fake: FakeHttpServer<never>;
/** The answers of the current case: to the create, then to any other call (the status query of a 1007001). */
let replies: { create: FakeReply; other: FakeReply } = {
  create: { status: 500, body: '' },
  other: { status: 500, body: '' },
};

const route = (request: RecordedRequest): FakeReply => {
  if (request.method === 'GET' && request.path.startsWith('/v1/products'))
    return {
      status: 200,
      body: JSON.stringify(request.path === '/v1/products/11001' ? sampleDvsFixedProduct() : [sampleDvsFixedProduct()]),
    };
  return request.method === 'POST' && request.path === '/v1/async/transactions' ? replies.create : replies.other;
};

let product: Product;

beforeAll(async () => {
  fake = await startFakeHttpServer<never>(route);
  const provider = makeDtOneProvider(configFor('catalogue-key-123456', 'catalogue-secret-123456'));
  [product] = (await Effect.runPromise(provider.listProducts({ countryIso: 'PH' }))) as [Product];
});
afterAll(() => fake.close());

function configFor(apiKey: string, apiSecret: string): DvsConfig {
  return Either.getOrThrow(
    dvsConfigFrom({
      DTONE_API_KEY: apiKey,
      DTONE_API_SECRET: apiSecret,
      DTONE_BASE_URL: `${fake.baseUrl}/v1`,
      DTONE_TIMEOUT_MS: '5000',
      DTONE_MAX_RETRIES_ON_429: '0',
    }),
  );
}

const plantedArbitrary: fc.Arbitrary<PlantedValues> = fc.record({
  secrets: fc.tuple(secretArbitrary, secretArbitrary),
  phone: fc.constantFrom(...PHONES),
  canary: fc.constant(CANARY),
});

describe('DT One, against hostile answers', () => {
  it('never lets the key, the secret or the number out in an error or a transfer-log record (1,000 answers)', async () => {
    let counter = 0;
    await fc.assert(
      fc.asyncProperty(
        plantedArbitrary,
        hostileReplyArbitrary(TEMPLATES),
        hostileReplyArbitrary(TEMPLATES),
        async (planted, create, other) => {
          const externalId = `leak-${++counter}-1`;
          const serve = (reply: FakeReply): FakeReply => {
            const planting = plantReply(reply, planted);
            return { ...planting, body: planting.body.split(REF).join(externalId) };
          };
          replies = { create: serve(create), other: serve(other) };
          const records: TransferLogRecord[] = [];
          const [apiKey = '', apiSecret = ''] = planted.secrets;
          const provider = makeDtOneProvider(configFor(apiKey, apiSecret), {
            onExchange: (record) => Effect.sync(() => void records.push(record)),
            maxRateLimitWaitMs: 0,
          });
          const request: SendRequest = {
            providerExternalId: externalId,
            product,
            destination: planted.phone,
            receive: product._tag === 'FixedProduct' ? product.destination : product.destinationMin,
          };
          const result = await Effect.runPromise(Effect.either(provider.send(request)));
          expect(records.length).toBeGreaterThanOrEqual(1);
          expect(leaksOf(planted, Either.isLeft(result) ? [result.left] : [], records)).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});
