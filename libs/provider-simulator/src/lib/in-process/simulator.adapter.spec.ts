import {
  AirtimeProvider,
  currencyOf,
  type FixedProduct,
  formatPrecise,
  money,
  parseExchangeRate,
  parsePhoneNumber,
  type PhoneNumber,
  preciseOf,
  type Product,
  type ProviderError,
  type RangedProduct,
} from '@airtime/domain';
import { Effect, Either, Exit, HashMap, Logger, Option } from 'effect';
import { DEFAULT_CATALOGUE } from '../engine/catalogue.fixture';
import type { SimRangedProduct } from '../engine/catalogue.types';
import type { CreateTransactionInput } from '../engine/transaction.types';
import { transactionJson } from '../json/dvs-json.mapper';
import { SimulatorEngine } from '../engine/simulator-engine';
import { DUPLICATE_AT_PROVIDER_WARNING } from './duplicate-answer.policy';
import { makeSimulatorProvider, simulatorProviderLayer, simulatorProviderLayerFromOptions } from './simulator.adapter';

const phone = (e164: string): PhoneNumber => Either.getOrThrow(parsePhoneNumber(e164));
const run = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect);
const failure = <A>(effect: Effect.Effect<A, ProviderError>): Promise<ProviderError> =>
  Effect.runPromise(Effect.flip(effect));

const setup = () => {
  const engine = new SimulatorEngine({ autoRun: false });
  return { engine, provider: makeSimulatorProvider(engine) };
};

const productOf = async (provider: ReturnType<typeof makeSimulatorProvider>, id: string): Promise<Product> => {
  const products = await run(provider.listProducts({}));
  const found = products.find((product) => product.id === id);
  if (!found) throw new Error(`no product ${id}`);
  return found;
};

describe('in-process simulator provider', () => {
  it('looks operators up as domain operators', async () => {
    const { provider } = setup();
    expect(await run(provider.lookupOperators(phone('+639171234567')))).toEqual([
      { operator: { id: '1', name: 'Globe Telecom', countryIso: 'PH' }, identified: true },
    ]);
  });

  it('lists domain products filtered by country, operator and kind (the Philippines example)', async () => {
    const { provider } = setup();
    const globe = await run(provider.listProducts({ countryIso: 'PH', operatorId: '1', kind: 'AIRTIME' }));
    expect(globe.map((product) => (product as FixedProduct).destination.amountMinor)).toEqual([
      1_000n,
      1_500n,
      2_500n,
      3_000n,
    ]);
    const smart = await run(provider.listProducts({ countryIso: 'ph', operatorId: '2', kind: 'AIRTIME' }));
    expect(smart.map((product) => (product as FixedProduct).destination.amountMinor)).toEqual([
      1_000n,
      1_500n,
      2_000n,
      3_000n,
    ]);
    expect(await run(provider.listProducts({ countryIso: 'KE', kind: 'DATA' }))).toEqual([]);
    expect(
      (await run(provider.listProducts({ countryIso: 'KE' }))).some((product) => product._tag === 'RangedProduct'),
    ).toBe(true);
    expect(await run(provider.listProducts({ countryIso: 'ZZ' }))).toEqual([]);
    // gift cards and products needing sender details are not offered
    const ids = (await run(provider.listProducts({}))).map((product) => product.id);
    expect(ids).not.toContain('901');
    expect(ids).not.toContain('601');
  });

  it('sends a fixed product, then settles it by status query', async () => {
    const { engine, provider } = setup();
    const product = await productOf(provider, '103');
    const sent = await run(
      provider.send({
        providerExternalId: 'ext-1',
        product,
        destination: phone('+639170000100'),
        receive: (product as FixedProduct).destination,
      }),
    );
    expect(sent).toMatchObject({ providerExternalId: 'ext-1', status: { class: 'CONFIRMED', status: 'CONFIRMED' } });
    await engine.flush();
    const settled = await run(provider.statusByExternalId('ext-1'));
    expect(Option.getOrUndefined(settled)).toMatchObject({
      providerTransactionId: sent.providerTransactionId,
      status: { class: 'COMPLETED', status: 'COMPLETED' },
      receive: preciseOf((product as FixedProduct).destination),
      operatorReference: `SIM-OP-${sent.providerTransactionId}`,
    });
    expect(Option.isNone(await run(provider.statusByExternalId('never-sent')))).toBe(true);
  });

  it('sends a ranged product for the chosen amount', async () => {
    const { engine, provider } = setup();
    const product = (await productOf(provider, '303')) as RangedProduct;
    const kes = Either.getOrThrow(currencyOf('KES'));
    await run(
      provider.send({
        providerExternalId: 'r-1',
        product,
        destination: phone('+254711000100'),
        receive: money(15_000n, kes),
      }),
    );
    expect(engine.transactionByExternalId('r-1')?.pricing.destination.amountMinor).toBe(15_000n);
    const offGrid = await failure(
      provider.send({
        providerExternalId: 'r-2',
        product,
        destination: phone('+254711000100'),
        receive: money(15_050n, kes),
      }),
    );
    expect(offGrid).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1003002', retryable: false });
  });

  it('sends the exact decimal amount of a ranged product, never a float (cent and 3-decimal currencies)', async () => {
    const bhd = Either.getOrThrow(currencyOf('BHD'));
    const kes = Either.getOrThrow(currencyOf('KES'));
    const usd = Either.getOrThrow(currencyOf('USD'));
    const kes303 = DEFAULT_CATALOGUE.products.find((product) => product.id === 303) as SimRangedProduct;
    const rate = Either.getOrThrow(parseExchangeRate('0.377', usd, bhd));
    const catalogue = {
      ...DEFAULT_CATALOGUE,
      products: [
        ...DEFAULT_CATALOGUE.products.map((product) => (product.id === 303 ? { ...kes303, stepMinor: 1n } : product)),
        {
          ...kes303,
          id: 304,
          name: 'Safaricom BHD 1-100',
          benefits: [{ type: 'TALKTIME', unitType: 'CURRENCY', unit: 'BHD' }],
          destinationMin: money(1_000n, bhd),
          destinationMax: money(100_000n, bhd),
          stepMinor: 1n,
          baseRate: rate,
          wholesaleRate: rate,
          retailRate: rate,
        } satisfies SimRangedProduct,
      ],
    };
    const engine = new SimulatorEngine({ autoRun: false, catalogue });
    const provider = makeSimulatorProvider(engine);
    const inputs: CreateTransactionInput[] = [];
    const create = engine.createTransaction.bind(engine);
    engine.createTransaction = (input) => {
      inputs.push(input);
      return create(input);
    };
    const cases = [
      { id: '303', receive: money(1_007n, kes), text: '10.07' },
      { id: '303', receive: money(999_999n, kes), text: '9999.99' },
      { id: '304', receive: money(12_345n, bhd), text: '12.345' },
      { id: '304', receive: money(1_003n, bhd), text: '1.003' },
    ];
    for (const [index, { id, receive, text }] of cases.entries()) {
      const product = (await productOf(provider, id)) as RangedProduct;
      await run(
        provider.send({ providerExternalId: `exact-${index}`, product, destination: phone('+254711000100'), receive }),
      );
      expect(inputs[index]?.destination).toEqual({ unit: receive.currency.code, amount: text });
      expect(engine.transactionByExternalId(`exact-${index}`)?.pricing.destination).toEqual(receive);
    }
  });

  it('maps errors: duplicate external id, a number of another country, insufficient balance', async () => {
    const { engine, provider } = setup();
    const product = await productOf(provider, '101');
    const request = {
      providerExternalId: 'dup',
      product,
      destination: phone('+639170000100'),
      receive: (product as FixedProduct).destination,
    };
    await run(provider.send(request));
    expect(await failure(provider.send(request))).toMatchObject({
      _tag: 'ExternalIdAlreadyUsed',
      providerExternalId: 'dup',
    });
    expect(
      await failure(provider.send({ ...request, providerExternalId: 'ke', destination: phone('+254711000100') })),
    ).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: 'DESTINATION_COUNTRY_MISMATCH',
    });
    const usd = engine.balances()[0]?.currency;
    if (!usd) throw new Error('no USD');
    engine.setBalance(usd, { availableMinor: 0n });
    expect(await failure(provider.send({ ...request, providerExternalId: 'poor' }))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1006001',
    });
  });

  it('cancel is refused once confirmed; balances are domain money', async () => {
    const { provider } = setup();
    const product = await productOf(provider, '101');
    const sent = await run(
      provider.send({
        providerExternalId: 'c',
        product,
        destination: phone('+639170000300'),
        receive: (product as FixedProduct).destination,
      }),
    );
    expect(await failure(provider.cancel(sent.providerTransactionId))).toMatchObject({
      _tag: 'ProviderRejected',
      providerCode: '1007007',
    });
    expect(await failure(provider.cancel('nope'))).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1008004' });
    const {
      balances: [balance],
      unreadable,
    } = await run(provider.balances());
    expect(unreadable).toEqual([]);
    expect(balance && formatPrecise(balance.available)).toBe('9999.81');
    expect(balance && formatPrecise(balance.holding)).toBe('0.19');
    expect(balance && formatPrecise(balance.creditLimit)).toBe('0.00');
    expect(balance?.creditLimit.currency.code).toBe('USD');
  });

  it('faults: the error rate gives ProviderUnavailable; timeout after accept gives an unknown outcome but the transaction exists', async () => {
    const { engine, provider } = setup();
    const product = await productOf(provider, '101');
    const request = {
      providerExternalId: 'lost',
      product,
      destination: phone('+639170000100'),
      receive: (product as FixedProduct).destination,
    };
    engine.setFaults({ errorRate: 1 });
    expect(await failure(provider.send(request))).toMatchObject({ _tag: 'ProviderUnavailable', retryable: true });
    expect(engine.transactionByExternalId('lost')).toBeUndefined();
    engine.setFaults({ errorRate: 0, timeoutAfterAccept: true });
    expect(await failure(provider.send(request))).toMatchObject({ _tag: 'ProviderOutcomeUnknown', kind: 'TIMEOUT' });
    engine.setFaults({ timeoutAfterAccept: false });
    expect(Option.isSome(await run(provider.statusByExternalId('lost')))).toBe(true);
  });

  it('parses the callbacks the simulator sends', async () => {
    const { engine, provider } = setup();
    const product = await productOf(provider, '303');
    const kes = Either.getOrThrow(currencyOf('KES'));
    const sent = await run(
      provider.send({
        providerExternalId: 'cb',
        product,
        destination: phone('+254711000103'),
        receive: money(10_000n, kes),
      }),
    );
    await engine.flush();
    const transaction = engine.transactionByExternalId('cb');
    if (!transaction) throw new Error('not created');
    const body = JSON.parse(JSON.stringify(transactionJson(engine.catalogue, transaction))) as unknown;
    expect(await run(provider.parseCallback(body))).toEqual({
      providerTransactionId: sent.providerTransactionId,
      providerExternalId: 'cb',
      status: { class: 'DECLINED', status: 'DECLINED-BARRED-CREDIT-PARTY' },
    });
  });

  it('reads a delivered amount in a callback exactly (PHP 99.995, not 100.00), and refuses one that is not positive', async () => {
    const { provider } = setup();
    const callback = (amount: number) => ({
      id: 7,
      external_id: 'cb-7',
      status: { message: 'COMPLETED', class: { message: 'COMPLETED' } },
      adjusted_values: { destination: { unit: 'PHP', amount } },
    });
    const read = await run(provider.parseCallback(callback(99.995)));
    expect(read.receive && formatPrecise(read.receive)).toBe('99.995');
    for (const amount of [-100, 0]) {
      expect(await Effect.runPromise(Effect.flip(provider.parseCallback(callback(amount))))).toMatchObject({
        _tag: 'InvalidProviderCallback',
        reason: 'adjusted_values.destination.amount: not a positive amount',
      });
    }
    const huge = await Effect.runPromise(Effect.flip(provider.parseCallback(callback(1e15))));
    expect(huge.reason).toMatch(/^adjusted_values.destination.amount cannot be read exactly/);
  });

  it('reads a send answered DECLINED-DUPLICATED-TRANSACTION as ProviderRetryLater, 5 minutes on', async () => {
    const engine = new SimulatorEngine({ autoRun: false });
    const provider = makeSimulatorProvider(engine, { nowMs: () => Date.parse('2026-11-02T10:00:00Z') });
    const create = engine.createTransaction.bind(engine);
    engine.createTransaction = (input) =>
      Either.map(create(input), (created) => ({ ...created, status: 'DECLINED-DUPLICATED-TRANSACTION' as const }));
    const product = await productOf(provider, '101');
    const refusal = await failure(
      provider.send({
        providerExternalId: 'dup-later',
        product,
        destination: phone('+639170000100'),
        receive: (product as FixedProduct).destination,
      }),
    );
    expect(refusal).toMatchObject({ _tag: 'ProviderRetryLater', retryable: true });
    expect(refusal._tag === 'ProviderRetryLater' && refusal.earliestRetryAt.toISOString()).toBe(
      '2026-11-02T10:05:00.000Z',
    );
  });

  it('refuses, before the engine sees it, a destination of another country or an amount in another currency', async () => {
    const { engine, provider } = setup();
    const product = await productOf(provider, '101');
    const kes = Either.getOrThrow(currencyOf('KES'));
    const tanzanian = await failure(
      provider.send({
        providerExternalId: 'tz',
        product,
        destination: phone('+255712000111'),
        receive: (product as FixedProduct).destination,
      }),
    );
    expect(tanzanian).toMatchObject({ _tag: 'ProviderRejected', providerCode: 'DESTINATION_COUNTRY_MISMATCH' });
    const inKes = await failure(
      provider.send({
        providerExternalId: 'kes',
        product,
        destination: phone('+639170000100'),
        receive: money(10_000n, kes),
      }),
    );
    expect(inKes).toMatchObject({ _tag: 'ProviderRejected', providerCode: '1003003', retryable: false });
    expect(engine.transactions({})).toEqual([]);
  });

  it.each([
    ['not an object', 'hello'],
    ['no status', { id: 1 }],
    ['an unknown status', { id: 1, status: { message: 'PARTY', class: { message: 'DECLINED' } } }],
    ['a status of another class', { id: 1, status: { message: 'COMPLETED', class: { message: 'DECLINED' } } }],
  ])('refuses a callback with %s', async (_, body) => {
    const { provider } = setup();
    const exit = await Effect.runPromiseExit(provider.parseCallback(body));
    expect(Exit.isFailure(exit)).toBe(true);
  });

  it('provides the AirtimeProvider tag through layers', async () => {
    const engine = new SimulatorEngine({ autoRun: false });
    const program = Effect.flatMap(AirtimeProvider, (provider) => provider.balances());
    expect((await run(Effect.provide(program, simulatorProviderLayer(engine)))).balances).toHaveLength(1);
    expect(
      (await run(Effect.provide(program, simulatorProviderLayerFromOptions({ autoRun: false })))).balances,
    ).toHaveLength(1);
  });

  it('lists the transactions created in [from, to), oldest first, with their creation date and charge', async () => {
    const { engine, provider } = setup();
    const from = Date.UTC(2026, 2, 14);
    const to = from + 86_400_000;
    const seed = (externalId: string, at: number, status: 'COMPLETED' | 'DECLINED' = 'COMPLETED') =>
      Either.getOrThrow(
        engine.injectTransaction({
          externalId,
          productId: 101,
          creditPartyMobileNumber: '+639170000100',
          status,
          createdAtMs: at,
        }),
      );
    seed('before', from - 1);
    const first = seed('first', from);
    const declined = seed('declined', from + 5_000, 'DECLINED');
    const last = seed('last', to - 1);
    seed('at-to', to);
    const pages: unknown[] = [];
    const listed = await run(
      provider.listTransactions({ from: new Date(from), to: new Date(to) }, (progress) => pages.push(progress)),
    );
    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(['first', 'declined', 'last']);
    const usd = Either.getOrThrow(currencyOf('USD'));
    expect(listed[0]).toMatchObject({
      providerTransactionId: String(first.id),
      createdAt: new Date(from),
      charged: preciseOf(money(19n, usd)),
      status: { class: 'COMPLETED' },
    });
    expect(listed[1]).toMatchObject({
      providerTransactionId: String(declined.id),
      charged: preciseOf(money(19n, usd)),
    });
    expect(listed[1]?.receive).toBeUndefined();
    expect(listed[2]?.createdAt).toEqual(new Date(last.createdAtMs));
    expect(pages).toEqual([{ fetched: 3, total: 3, page: 1, pages: 1 }]);
  });

  it('answers a duplicate (two under one external id) by the DT One rule, COMPLETED before a later DECLINED, and logs it', async () => {
    const { engine, provider } = setup();
    const inject = (status: 'COMPLETED' | 'DECLINED' | 'SUBMITTED') =>
      Either.getOrThrow(
        engine.injectTransaction({
          externalId: 'dup-1',
          productId: 101,
          creditPartyMobileNumber: '+639170000100',
          status,
        }),
      );
    const completed = inject('COMPLETED');
    const declined = inject('DECLINED');
    const lines: { message: string; annotations: Record<string, unknown> }[] = [];
    const logger = Logger.make(({ message, annotations }) => {
      lines.push({
        message: (Array.isArray(message) ? message : [message]).map(String).join(' '),
        annotations: Object.fromEntries(HashMap.toEntries(annotations)),
      });
    });
    const answered = await run(
      provider.statusByExternalId('dup-1').pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))),
    );
    expect(Option.getOrUndefined(answered)?.providerTransactionId).toBe(String(completed.id));
    expect(lines).toEqual([
      {
        message: DUPLICATE_AT_PROVIDER_WARNING,
        annotations: {
          provider: 'simulator',
          providerExternalId: 'dup-1',
          count: 2,
          transactionIds: `${completed.id},${declined.id}`,
          answeredTransactionId: String(completed.id),
        },
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('639170000100');
    // one still pending beats a failure; among equals the latest wins
    const { engine: other, provider: second } = setup();
    const again = (status: 'DECLINED' | 'SUBMITTED') =>
      Either.getOrThrow(
        other.injectTransaction({
          externalId: 'dup-2',
          productId: 101,
          creditPartyMobileNumber: '+639170000100',
          status,
        }),
      );
    const pending = again('SUBMITTED');
    again('DECLINED');
    const quiet = Logger.replace(Logger.defaultLogger, Logger.none);
    expect(
      Option.getOrUndefined(await run(second.statusByExternalId('dup-2').pipe(Effect.provide(quiet))))
        ?.providerTransactionId,
    ).toBe(String(pending.id));
    const latest = again('SUBMITTED');
    expect(
      Option.getOrUndefined(await run(second.statusByExternalId('dup-2').pipe(Effect.provide(quiet))))
        ?.providerTransactionId,
    ).toBe(String(latest.id));
  });
});
