import { currencyOf, formatMoney, type Money, parseMoney } from '@airtime/domain';
import { Either } from 'effect';
import {
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
  startFakeHttpServer,
} from '@airtime/provider-http-kit/testing';

export const FAKE_ES_ORG_ID = '4242';
export const FAKE_ES_TOKEN = 'es_pat_fake_0123456789abcdef';

/** What the fake sends to numbers of one calling code: denominations (major units) and their price. */
export interface FakeCatalogue {
  readonly currency: string;
  readonly denominations: readonly { readonly amount: string; readonly price: string }[];
}

/** By calling-code prefix of the number: Philippines in PHP, Indonesia in IDR. */
export const FAKE_ES_CATALOGUE: Readonly<Record<string, FakeCatalogue>> = {
  '63': {
    currency: 'PHP',
    denominations: ['10', '15', '20', '25', '30', '50', '100'].map((amount) => ({
      amount,
      price: `0.${amount.padStart(3, '0')}`,
    })),
  },
  '62': {
    currency: 'IDR',
    denominations: [
      { amount: '5000', price: '0.55' },
      { amount: '10000', price: '0.95' },
      { amount: '25000', price: '2.1' },
    ],
  },
};

export interface FakeEngageSparkOptions {
  readonly orgId?: string | undefined;
  readonly token?: string | undefined;
  readonly catalogue?: Readonly<Record<string, FakeCatalogue>> | undefined;
}

/** engageSPARK behaviours for the next request (besides the common ones). */
export type FakeEngageSparkScript =
  /** An error body `{"error": ...}` with this status (400 by default). */
  { readonly kind: 'error'; readonly error: string; readonly status?: number };

export type FakeEngageSpark = FakeHttpServer<FakeEngageSparkScript>;

const json = (status: number, body: unknown): FakeReply => ({ status, body: JSON.stringify(body) });
const errorReply = (error: string, status = 400): FakeReply => json(status, { error });

/** Exact amounts in the catalogue currency, or undefined. */
const amountOf = (value: unknown, currency: string): Money | undefined => {
  if (typeof value !== 'string') return undefined;
  return Either.getOrUndefined(Either.flatMap(currencyOf(currency), (known) => parseMoney(value, known)));
};

/** engageSPARK's rule: with desired, the smallest amount >= desired and <= max, else the largest <= max. */
const choose = (candidates: readonly Money[], max: Money, desired: Money | undefined): Money | undefined => {
  const affordable = [...candidates]
    .filter((amount) => amount.amountMinor <= max.amountMinor)
    .sort((a, b) => (a.amountMinor < b.amountMinor ? -1 : 1));
  const atLeastDesired =
    desired === undefined ? undefined : affordable.find((amount) => amount.amountMinor >= desired.amountMinor);
  return atLeastDesired ?? affordable[affordable.length - 1];
};

/** A JSON number literal of an exact amount (no float on the way): "25", "5000", "12.5". */
const numberLiteral = (amount: Money): string => {
  const text = formatMoney(amount);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
};

/**
 * A fake of POST /v1/organizations/{orgId}/topup/: checks the
 * `Authorization: Token ...` header (401 `{"detail": ...}` otherwise), reads
 * `phoneNumber` (or `fullPhoneNumber`) without "+" ("invalid phone number"
 * otherwise), picks a denomination by maxAmount/desiredAmount ("no matching
 * product found" when none fits) and answers the reference's success body,
 * amounts as JSON numbers.
 */
export const startFakeEngageSpark = (options: FakeEngageSparkOptions = {}): Promise<FakeEngageSpark> => {
  const orgId = options.orgId ?? FAKE_ES_ORG_ID;
  const token = options.token ?? FAKE_ES_TOKEN;
  const catalogue = options.catalogue ?? FAKE_ES_CATALOGUE;
  let nextId = 12_345;

  const topup = (request: RecordedRequest): FakeReply => {
    const body = (typeof request.json === 'object' && request.json !== null ? request.json : {}) as Record<
      string,
      unknown
    >;
    const phone = body['phoneNumber'] ?? body['fullPhoneNumber'];
    if (typeof phone !== 'string' || !/^\d{8,15}$/.test(phone)) return errorReply('invalid phone number');
    const prefix = Object.keys(catalogue).find((code) => phone.startsWith(code));
    const products = prefix === undefined ? undefined : catalogue[prefix];
    if (products === undefined) return errorReply('invalid phone number');
    const max = amountOf(body['maxAmount'], products.currency);
    if (max === undefined) return json(400, { maxAmount: ['A valid number is required.'] });
    const desired =
      body['desiredAmount'] === undefined ? undefined : amountOf(body['desiredAmount'], products.currency);
    if (body['desiredAmount'] !== undefined && desired === undefined)
      return json(400, { desiredAmount: ['A valid number is required.'] });
    const candidates = products.denominations.map((denomination) => ({
      denomination,
      amount: amountOf(denomination.amount, products.currency),
    }));
    const sent = choose(
      candidates.flatMap((candidate) => (candidate.amount ? [candidate.amount] : [])),
      max,
      desired,
    );
    if (sent === undefined) return errorReply('no matching product found');
    const price =
      candidates.find((candidate) => candidate.amount?.amountMinor === sent.amountMinor)?.denomination.price ?? '0';
    const clientRef = typeof body['clientRef'] === 'string' ? JSON.stringify(body['clientRef']) : 'null';
    // written by hand so that amounts are JSON number literals built from exact values
    return {
      status: 200,
      body:
        `{"id":"${nextId++}","maxAmount":${numberLiteral(max)},` +
        (desired === undefined ? '' : `"desiredAmount":${numberLiteral(desired)},`) +
        `"fullPhoneNumber":"${phone}","contactId":1234567890,"clientRef":${clientRef},"currency":"${products.currency}",` +
        `"amountSent":${numberLiteral(sent)},"price":${price},"createdDate":"2021-04-16T18:53:44.979304527Z","error":""}`,
    };
  };

  return startFakeHttpServer<FakeEngageSparkScript>((request, script) => {
    if (request.method !== 'POST' || request.path !== `/v1/organizations/${orgId}/topup/`)
      return json(404, { detail: 'Not found.' });
    if (request.headers['authorization'] !== `Token ${token}`) return json(401, { detail: 'Invalid token.' });
    if (script?.kind === 'error') return errorReply(script.error, script.status);
    return topup(request);
  });
};
