// The DT One adapter over real HTTP against the DVS simulator
// (libs/provider-simulator): sandbox suffixes, faults, rate limits,
// callbacks. The simulator runs at 1/1000 of real time.
import {
  money,
  parsePhoneNumber,
  preciseOf,
  type Product,
  type ProviderCallback,
  type ProviderTransaction,
  type SendRequest,
} from '@airtime/domain';
import { testCurrency } from '@airtime/domain/testing';
import {
  type CallbackReceiver,
  type DvsSimulatorTestServer,
  startCallbackReceiver,
  startDvsSimulatorServer,
} from '@airtime/provider-simulator/testing';
import { Effect, Either, Option } from 'effect';
import type { DvsConfig } from '../config/dvs.config';
import type { TransferLogRecord } from '@airtime/provider-http-kit';
import { type DtOneProviderOptions, makeDtOneProvider } from './dtone.adapter';

let sim: DvsSimulatorTestServer;
let receiver: CallbackReceiver;
let exchanges: TransferLogRecord[];

beforeAll(async () => {
  sim = await startDvsSimulatorServer();
  receiver = await startCallbackReceiver();
});
afterAll(async () => {
  await receiver.close();
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  exchanges = [];
});

const config = (overrides: Partial<DvsConfig> = {}): DvsConfig => ({
  apiKey: sim.apiKey,
  apiSecret: sim.apiSecret,
  baseUrl: sim.baseUrl,
  // a timeout a loaded CI machine's local answers stay well within; the test that waits for no answer passes its own
  timeoutMs: 5_000,
  productCacheTtlMs: 60_000,
  maxRetriesOn429: 3,
  ...overrides,
});

const providerWith = (overrides: Partial<DvsConfig> = {}, options: DtOneProviderOptions = {}) =>
  makeDtOneProvider(config(overrides), {
    onExchange: (record) => Effect.sync(() => void exchanges.push(record)),
    ...options,
  });

const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const attempt = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(Effect.either(effect));
const phone = (e164: string) => Either.getOrThrow(parsePhoneNumber(e164));
const calls = (method: string, pathPrefix: string) =>
  exchanges.filter((record) => record.method === method && new URL(record.url).pathname.startsWith(`/v1${pathPrefix}`));

const PHP = testCurrency('PHP');
const KES = testCurrency('KES');
const NGN = testCurrency('NGN');
const USD = testCurrency('USD');

let externalIds = 0;
const nextExternalId = () => `dtone-it-${Date.now().toString(36)}-${++externalIds}`;

const productNamed = async (
  provider: ReturnType<typeof makeDtOneProvider>,
  countryIso: string,
  id: string,
): Promise<Product> => {
  const found = (await run(provider.listProducts({ countryIso }))).find((product) => product.id === id);
  if (!found) throw new Error(`no product ${id} in ${countryIso}`);
  return found;
};

const sendTo = (product: Product, destination: string, overrides: Partial<SendRequest> = {}): SendRequest => ({
  providerExternalId: nextExternalId(),
  product,
  destination: phone(destination),
  receive: product._tag === 'FixedProduct' ? product.destination : product.destinationMin,
  callbackUrl: `${receiver.url}/${externalIds}`,
  ...overrides,
});

/** Polls the status by external id until it is final (the way the reconciler settles a top-up), for up to 20 s. */
const settle = async (
  provider: ReturnType<typeof makeDtOneProvider>,
  externalId: string,
): Promise<ProviderTransaction> => {
  for (const deadline = Date.now() + 20_000; Date.now() <= deadline;) {
    const found = await run(provider.statusByExternalId(externalId));
    if (Option.isSome(found) && !['CREATED', 'CONFIRMED', 'SUBMITTED'].includes(found.value.status.class))
      return found.value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${externalId} did not settle`);
};

describe('DT One provider against the DVS simulator', () => {
  describe('discovery', () => {
    it('lists every product, following the pagination headers to the last page', async () => {
      const provider = providerWith({}, { perPage: 5 });
      const products = await run(provider.client.products());
      expect(products.map((product) => product.id).sort((a, b) => a - b)).toEqual(
        sim.engine
          .products()
          .map((product) => product.id)
          .sort((a, b) => a - b),
      );
      expect(calls('GET', '/products')).toHaveLength(Math.ceil(products.length / 5));
    });

    it('filters products by type, service, subservice, country, operator, benefit types and tags', async () => {
      const { client } = providerWith();
      const ids = async (query: Parameters<typeof client.products>[0]) =>
        (await run(client.products(query))).map((product) => product.id).sort();
      expect(await ids({ countryIsoCode: 'KEN', type: 'RANGED_VALUE_RECHARGE' })).toEqual([303, 401]);
      expect(await ids({ operatorId: 2, subserviceId: 12 })).toEqual([205]);
      expect(await ids({ serviceId: 4 })).toEqual([901]);
      expect(await ids({ countryIsoCode: 'PHL', benefitTypes: ['DATA'] })).toEqual([105, 205]);
      expect(await ids({ tags: ['OPEN_RANGE'], countryIsoCode: 'NGA' })).toEqual([505, 601]);
    });

    it('maps the catalogue to domain products: fixed with wholesale and fee, ranged with grid and rate', async () => {
      const provider = providerWith();
      const kenya = await run(provider.listProducts({ countryIso: 'KE' }));
      const fixed = kenya.find((product) => product.id === '301');
      const ranged = kenya.find((product) => product.id === '303');
      expect(fixed).toMatchObject({
        _tag: 'FixedProduct',
        destination: money(5000n, KES),
        wholesale: preciseOf(money(40n, USD)),
        fee: preciseOf(money(0n, USD)),
      });
      expect(ranged).toMatchObject({
        _tag: 'RangedProduct',
        destinationMin: money(1000n, KES),
        destinationMax: money(1000000n, KES),
        stepMinor: 100n,
        fee: preciseOf(money(5n, USD)),
        rate: { numerator: 641n, denominator: 5n },
        operator: { id: '3', name: 'Safaricom', countryIso: 'KE' },
      });
      // the Steam card (a PIN purchase of another service) is not a phone recharge
      expect(await run(provider.listProducts({ countryIso: 'SG' }))).not.toContainEqual(
        expect.objectContaining({ id: '901' }),
      );
    });

    it('lists services, countries and operators', async () => {
      const { client } = providerWith();
      expect((await run(client.services())).map((service) => service.id)).toEqual([1, 4]);
      expect((await run(client.service(1))).subservices?.map((subservice) => subservice.id)).toEqual([11, 12, 13]);
      expect((await run(client.countries({ serviceId: 1 }))).map((country) => country.iso_code)).toEqual([
        'KEN',
        'NGA',
        'PHL',
        'SGP',
      ]);
      expect((await run(client.country('PHL'))).name).toBe('Philippines');
      expect((await run(client.operators({ countryIsoCode: 'PHL' }))).map((operator) => operator.name)).toEqual([
        'Globe Telecom',
        'Smart',
      ]);
      expect((await run(client.operator(3))).name).toBe('Safaricom');
    });

    it('caches product lists: a second listProducts and a send make no catalogue call', async () => {
      const provider = providerWith();
      const first = await run(provider.listProducts({ countryIso: 'PH' }));
      const second = await run(provider.listProducts({ countryIso: 'PH' }));
      expect(second).toEqual(first);
      const globe10 = first.find((product) => product.id === '101') as Product;
      await run(provider.send(sendTo(globe10, '+639171234100')));
      expect(calls('GET', '/products')).toHaveLength(1);
    });

    it('re-downloads after the lifetime, on the injected clock', async () => {
      let now = Date.now();
      const provider = providerWith({ productCacheTtlMs: 1_000 }, { nowMs: () => now });
      await run(provider.listProducts({ countryIso: 'PH' }));
      now += 999;
      await run(provider.listProducts({ countryIso: 'PH' }));
      now += 1;
      await run(provider.listProducts({ countryIso: 'PH' }));
      expect(calls('GET', '/products')).toHaveLength(2);
    });
  });

  it('looks a number up to its operator, with the identified flag', async () => {
    const matches = await run(providerWith().lookupOperators(phone('+639171234567')));
    expect(matches[0]).toEqual({
      operator: { id: '1', name: 'Globe Telecom', countryIso: 'PH' },
      identified: expect.any(Boolean),
    });
  });

  describe('sending', () => {
    it('async with auto_confirm: a ...100 number completes, reported by callback and by status', async () => {
      const provider = providerWith();
      const product = await productNamed(provider, 'PH', '101');
      const request = sendTo(product, '+639171234100');
      const before = receiver.received().length;
      const sent = await run(provider.send(request));
      expect(sent).toMatchObject({ providerExternalId: request.providerExternalId, status: { class: 'CONFIRMED' } });

      // every status change is POSTed; wait for the final one on this top-up's URL (for up to 20 s)
      const path = new URL(request.callbackUrl as string).pathname;
      let events: ProviderCallback[] = [];
      for (
        const deadline = Date.now() + 20_000;
        Date.now() <= deadline && !events.some((event) => event.status.class === 'COMPLETED');
      ) {
        await receiver.waitFor(before + 1);
        const mine = receiver.received().filter((callback) => callback.path === path);
        events = await Promise.all(mine.map((callback) => run(provider.parseCallback(callback.body))));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(events.map((event) => event.status.class)).toContain('CONFIRMED');
      expect(events.at(-1)).toEqual({
        providerTransactionId: sent.providerTransactionId,
        providerExternalId: request.providerExternalId,
        status: { class: 'COMPLETED', status: 'COMPLETED' },
        receive: preciseOf(money(1000n, PHP)),
      });
      expect(await settle(provider, request.providerExternalId)).toMatchObject({
        status: { class: 'COMPLETED' },
        receive: preciseOf(money(1000n, PHP)),
      });
    });

    it.each([
      ['+639171234102', 'DECLINED-INVALID-CREDIT-PARTY'],
      ['+639171234103', 'DECLINED-BARRED-CREDIT-PARTY'],
      ['+639171234104', 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'],
      ['+639171234105', 'DECLINED-DUPLICATED-TRANSACTION'],
      ['+639171234106', 'DECLINED'],
      ['+639171234107', 'DECLINED-EXCEPTION'],
    ])('a number ending like %s ends %s', async (destination, status) => {
      const provider = providerWith();
      const request = sendTo(await productNamed(provider, 'PH', '101'), destination);
      await run(provider.send(request));
      expect((await settle(provider, request.providerExternalId)).status).toEqual({ class: 'DECLINED', status });
    });

    it('a ranged product by destination amount: KES 123 arrive exactly', async () => {
      const provider = providerWith();
      const ranged = await productNamed(provider, 'KE', '303');
      const request = sendTo(ranged, '+254711000100', { receive: money(12300n, KES) });
      await run(provider.send(request));
      expect(await settle(provider, request.providerExternalId)).toMatchObject({
        status: { class: 'COMPLETED' },
        receive: preciseOf(money(12300n, KES)),
      });
    });

    it('a product that requires sender fields: refused unsent without them, delivered with them', async () => {
      const product = await productNamed(providerWith(), 'NG', '601');
      const refused = await attempt(
        providerWith().send(sendTo(product, '+2348021234100', { receive: money(10000n, NGN) })),
      );
      expect(Either.isLeft(refused) && refused.left).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode: 'MISSING_REQUIRED_FIELDS',
      });
      expect(calls('POST', '/async/transactions')).toHaveLength(0);

      const provider = providerWith({}, { sender: { firstName: 'Acme', lastName: 'Airtime' } });
      const request = sendTo(product, '+2348021234100', { receive: money(10000n, NGN) });
      await run(provider.send(request));
      expect((await settle(provider, request.providerExternalId)).status.class).toBe('COMPLETED');
      expect(sim.transactionByExternalId(request.providerExternalId)?.sender).toEqual({
        first_name: 'Acme',
        last_name: 'Airtime',
      });
    });

    it('a duplicate external id answers with the existing transaction, not a failure', async () => {
      const provider = providerWith();
      const request = sendTo(await productNamed(provider, 'PH', '101'), '+639171234100');
      const first = await run(provider.send(request));
      const again = await run(provider.send(request));
      expect(again.providerTransactionId).toBe(first.providerTransactionId);
      expect(again.providerExternalId).toBe(request.providerExternalId);
      expect(sim.engine.transactions({ externalId: request.providerExternalId })).toHaveLength(1);
    });

    it('a timeout after the simulator accepted: unknown outcome, then statusByExternalId settles it', async () => {
      const provider = providerWith();
      // only the send waits for no answer: the short timeout is its provider's alone (the catalogue and the
      // status polls below are answered, within the default timeout)
      const impatient = providerWith({ timeoutMs: 300 });
      const request = sendTo(await productNamed(provider, 'PH', '101'), '+639171234100');
      sim.setFaults({ timeoutAfterAccept: true });
      const result = await attempt(impatient.send(request));
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'TIMEOUT',
        retryable: false,
      });
      sim.clearFaults();
      expect(await settle(provider, request.providerExternalId)).toMatchObject({
        providerExternalId: request.providerExternalId,
        status: { class: 'COMPLETED' },
      });
    });

    it('5xx: a read is retryable unavailability; a send is an unknown outcome, settled as "never received"', async () => {
      const provider = providerWith();
      const request = sendTo(await productNamed(provider, 'PH', '101'), '+639171234100');
      sim.setFaults({ errorRate: 1, errorStatus: 503 });
      const read = await attempt(provider.balances());
      expect(Either.isLeft(read) && read.left).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
      const sent = await attempt(provider.send(request));
      expect(Either.isLeft(sent) && sent.left).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'SERVER_ERROR' });
      sim.setFaults({ errorStatus: 500 });
      const unexpected = await attempt(provider.send({ ...request, providerExternalId: nextExternalId() }));
      expect(Either.isLeft(unexpected) && unexpected.left).toMatchObject({
        _tag: 'ProviderOutcomeUnknown',
        kind: 'SERVER_ERROR',
      });
      sim.clearFaults();
      expect(await run(provider.statusByExternalId(request.providerExternalId))).toEqual(Option.none());
    });

    it('429: reads wait (Retry-After) and succeed; a send fails ProviderRateLimited and is not resent', async () => {
      const provider = providerWith();
      const request = sendTo(await productNamed(provider, 'PH', '101'), '+639171234100');
      sim.reset();
      sim.setFaults({ rateLimitPerSecond: 1 });
      const [first, second] = await Promise.all([run(provider.balances()), run(provider.balances())]);
      expect(first).toEqual(second);
      // the quota is kept either way: a 429 read and waited out (Retry-After), or the gate held the second
      // read back after the first answer's X-RateLimit-Remaining: 0 (which happens first depends on timing)
      const reads = calls('GET', '/balances');
      expect(reads.filter((record) => record.status === 200)).toHaveLength(2);
      expect(reads.every((record) => record.status === 200 || record.status === 429)).toBe(true);

      await run(provider.balances()); // spend this second's allowance (after any wait above)
      const sent = await attempt(provider.send(request));
      if (Either.isLeft(sent)) {
        expect(sent.left).toMatchObject({ _tag: 'ProviderRateLimited', retryable: true });
        expect(sent.left._tag === 'ProviderRateLimited' && sent.left.retryAfterMs).toBeGreaterThan(0);
        expect(sim.transactionByExternalId(request.providerExternalId)).toBeUndefined();
      } else {
        // the window turned between the two calls: then it simply went through, once
        expect(sim.engine.transactions({ externalId: request.providerExternalId })).toHaveLength(1);
      }
      // held back unsent by the exhausted quota (X-Ratelimit-Remaining: 0), or sent once: never resent
      expect(calls('POST', '/async/transactions').length).toBeLessThanOrEqual(1);
    });

    it('a wrong secret: a typed, final refusal (1000401)', async () => {
      const result = await attempt(providerWith({ apiSecret: 'wrong' }).balances());
      expect(Either.isLeft(result) && result.left).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode: '1000401',
        retryable: false,
      });
    });
  });

  describe('the rest of the transaction API', () => {
    it('sync create without auto_confirm, then sync confirm returns the final status', async () => {
      const { client } = providerWith();
      const externalId = nextExternalId();
      const created = await run(
        client.createTransaction('sync', {
          externalId,
          productId: 101,
          creditPartyIdentifier: { mobileNumber: '+639171234100' },
        }),
      );
      expect(created.status.class.message).toBe('CREATED');
      const confirmed = await run(client.confirmTransaction('sync', created.id));
      expect(confirmed.status.message).toBe('COMPLETED');
      const again = await attempt(client.confirmTransaction('async', created.id));
      expect(Either.isLeft(again) && again.left).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1007002' });
    });

    it('sync create with auto_confirm answers the final status; a ranged product by source amount', async () => {
      const { client } = providerWith();
      const declined = await run(
        client.createTransaction('sync', {
          externalId: nextExternalId(),
          productId: 101,
          autoConfirm: true,
          creditPartyIdentifier: { mobileNumber: '+639171234203' },
        }),
      );
      expect(declined.status.message).toBe('DECLINED-BARRED-CREDIT-PARTY');
      const bySource = await run(
        client.createTransaction('sync', {
          externalId: nextExternalId(),
          productId: 303,
          autoConfirm: true,
          calculation: { calculationMode: 'SOURCE_AMOUNT', source: money(100n, USD) },
          creditPartyIdentifier: { mobileNumber: '+254711000100' },
        }),
      );
      expect(bySource.status.message).toBe('COMPLETED');
      expect(bySource.requested_values?.source).toEqual({ unit_type: 'CURRENCY', unit: 'USD', amount: 1 });
    });

    it('async create, confirm, cancel and get by id', async () => {
      const provider = providerWith();
      const { client } = provider;
      const toConfirm = await run(
        client.createTransaction('async', {
          externalId: nextExternalId(),
          productId: 101,
          creditPartyIdentifier: { mobileNumber: '+639171234100' },
        }),
      );
      expect((await run(client.confirmTransaction('async', toConfirm.id))).status.class.message).toBe('CONFIRMED');
      const toCancel = await run(
        client.createTransaction('async', {
          externalId: nextExternalId(),
          productId: 101,
          creditPartyIdentifier: { mobileNumber: '+639171234100' },
        }),
      );
      expect((await run(provider.cancel(String(toCancel.id)))).status).toEqual({
        class: 'CANCELLED',
        status: 'CANCELLED',
      });
      expect((await run(client.transaction(toCancel.id))).status.message).toBe('CANCELLED');
      const late = await attempt(client.cancelTransaction(toConfirm.id));
      expect(Either.isLeft(late) && late.left).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1007007' });
      const missing = await attempt(client.transaction(999_999_999));
      expect(Either.isLeft(missing) && missing.left).toMatchObject({
        _tag: 'ProviderRejected',
        providerCode: '1008004',
      });
    });

    it('lists transactions by date range and filters, across pages', async () => {
      const provider = providerWith({}, { perPage: 2 });
      const { client } = provider;
      const from = new Date(sim.engine.now() - 1_000);
      for (const suffix of ['100', '102', '100']) {
        await run(
          client.createTransaction('async', {
            externalId: nextExternalId(),
            productId: 101,
            autoConfirm: true,
            creditPartyIdentifier: { mobileNumber: `+639171234${suffix}` },
          }),
        );
      }
      await run(
        client.createTransaction('async', {
          externalId: nextExternalId(),
          productId: 301,
          autoConfirm: true,
          creditPartyIdentifier: { mobileNumber: '+254711000100' },
        }),
      );
      const to = new Date(sim.engine.now() + 1_000);
      expect(await run(client.transactions({ fromDate: from, toDate: to }))).toHaveLength(4);
      expect(
        await run(
          client.transactions({
            fromDate: from,
            toDate: to,
            countryIsoCode: 'PHL',
            operatorId: 1,
            productType: 'FIXED_VALUE_RECHARGE',
          }),
        ),
      ).toHaveLength(3);
      expect(
        await run(client.transactions({ fromDate: from, toDate: to, creditPartyMobileNumber: '+639171234102' })),
      ).toHaveLength(1);
      expect(
        await run(client.transactions({ fromDate: from, toDate: to, serviceId: 1, subserviceId: 11 })),
      ).toHaveLength(4);
      expect(calls('GET', '/transactions').length).toBeGreaterThan(4);
    });
  });

  it('reads balances exactly: available, holding, credit limit', async () => {
    sim.setBalance('USD', { available: '100.50', holding: '0.25', creditLimit: '25' });
    expect(await run(providerWith().balances())).toEqual({
      balances: [
        {
          available: preciseOf(money(10050n, USD)),
          holding: preciseOf(money(25n, USD)),
          creditLimit: preciseOf(money(2500n, USD)),
        },
      ],
      unreadable: [],
    });
  });

  it("keeps a redacted transfer log of the exchanges, in the kit's one record type", async () => {
    const provider = providerWith();
    const request = sendTo(await productNamed(provider, 'PH', '101'), '+639171234100');
    await run(provider.send(request));
    await run(provider.statusByExternalId(request.providerExternalId));
    // the send and the status query that follows it are both filed under the attempt's external id
    expect(
      exchanges.filter((record) => record.reference !== undefined).map((record) => [record.method, record.reference]),
    ).toEqual([
      ['POST', request.providerExternalId],
      ['GET', request.providerExternalId],
    ]);
    const text = JSON.stringify(exchanges);
    expect(text).not.toContain(sim.apiKey);
    expect(text).not.toContain(sim.apiSecret);
    expect(text).not.toContain(sim.authorization.slice('Basic '.length));
    expect(text).not.toMatch(/9171234100/);
    expect(text).toContain('***100');
    const send = exchanges.find((record) => record.method === 'POST');
    expect(Object.keys(send ?? {}).sort()).toEqual([
      'durationMs',
      'method',
      'provider',
      'reference',
      'requestBody',
      'responseBody',
      'startedAt',
      'status',
      'url',
    ]);
  });
});
