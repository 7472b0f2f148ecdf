// requestTopUps answers each item as requestTopUp(item.input, { inbox }) would,
// one at a time in order: checked as a model against a second world that runs
// requestTopUp item by item, answers and stores compared by (account, external id).
import { Cause, Effect, Exit, Layer, Option } from 'effect';
import fc from 'fast-check';
import { Clock, LedgerStore, Outbox } from '@airtime/domain';
import { fundAccount, inMemoryLayers, type InMemoryWorld, sampleCatalogue, sampleRequestInput } from '../../testing';
import { CallbackDeliveryStore } from '../ports/callback-deliveries.port';
import { requestTopUp } from './request-top-up.use-case';
import {
  quoteTopUpItem,
  readyTopUpItem,
  type TopUpRequestAnswer,
  type TopUpRequestItem,
  requestTopUps,
} from './request-top-ups.use-case';

/**
 * account-1 and account-2 hold USD; account-3 has no ledger account (its hold fails the batch as a whole).
 * account-1 has a callback signing secret (the in-memory world's default); the others have none, so their
 * requests with a callback URL are refused (CallbackSecretMissing), in the batch as one by one.
 */
const FUNDED = ['account-1', 'account-2'] as const;

const world = async (fundedMinor: bigint): Promise<InMemoryWorld> => {
  const created = inMemoryLayers({ products: sampleCatalogue });
  for (const accountId of FUNDED) await created.run(fundAccount(accountId, 'USD', fundedMinor));
  return created;
};

const oneByOne = (target: InMemoryWorld, items: readonly TopUpRequestItem[]): Promise<TopUpRequestAnswer[]> =>
  target.run(Effect.forEach(items, (item) => Effect.exit(requestTopUp(item.input, { inbox: item.inbox })))) as Promise<
    TopUpRequestAnswer[]
  >;

/** What an answer says, without the ids the world drew. */
const summary = (answer: TopUpRequestAnswer) =>
  Exit.match(answer, {
    onFailure: (cause) => {
      const error = Option.getOrUndefined(Cause.failureOption(cause));
      return error === undefined
        ? { error: 'Defect' }
        : { error: error._tag, field: 'field' in error ? error.field : undefined };
    },
    onSuccess: (result) =>
      result._tag === 'AlreadyProcessed'
        ? { tag: result._tag }
        : {
            tag: result._tag,
            key: [result.topUp.accountId, result.topUp.externalId],
            status: result.topUp.status,
            cost: result.topUp.quote.cost.amountMinor,
            receive: result.topUp.quote.receive.amountMinor,
            product: result.topUp.quote.product.id,
            version: result._tag === 'Created' ? result.version : undefined,
          },
  });

/** The stores, keyed by (account, external id) instead of ids. */
const stores = async (target: InMemoryWorld) => {
  const tables = target.database.tables();
  const keyOf = (topUpId: string) => {
    const stored = tables.topUps.get(topUpId);
    return stored === undefined ? topUpId : `${stored.topUp.accountId}/${stored.topUp.externalId}`;
  };
  const topUps = [...tables.topUps.values()]
    .map(({ topUp, version }) => ({
      key: keyOf(topUp.id),
      status: topUp.status,
      cost: topUp.quote.cost.amountMinor,
      product: topUp.quote.product.id,
      version,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const events = new Map<string, string[]>();
  for (const { event } of tables.outbox)
    events.set(keyOf(event.aggregateId), [...(events.get(keyOf(event.aggregateId)) ?? []), event.type]);
  const deliveries = [...tables.deliveries.values()]
    .map(
      ({ delivery }) =>
        `${keyOf(delivery.topUpId)} ${delivery.url} ${(JSON.parse(delivery.body) as { type: string }).type}`,
    )
    .sort();
  const requests = [...tables.requests.values()]
    .map((stored) => ({ key: keyOf(stored.topUpId), request: stored.request, callbackUrl: stored.callbackUrl }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const balances = await target.run(
    Effect.forEach(FUNDED, (accountId) =>
      Effect.map(
        Effect.flatMap(LedgerStore, (ledger) => ledger.account(accountId, 'USD')),
        (account) => ({
          accountId,
          available: account.availableMinor,
          holding: account.holdingMinor,
        }),
      ),
    ),
  );
  return {
    topUps,
    events: [...events.entries()].sort(([a], [b]) => a.localeCompare(b)),
    requests,
    deliveries,
    inbox: [...tables.inbox].sort(),
    balances,
    refusals: tables.ledger.refusals.size,
  };
};

const weighted = <T>(...choices: readonly (readonly [T, number])[]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

/** A request input: small pools, so that keys meet (repeats, conflicts, twins); some invalid, some unquotable. */
const inputArbitrary = fc
  .record({
    account: weighted(['account-1', 10], ['account-2', 8], ['account-3', 1]),
    externalId: fc.constantFrom('order-1', 'order-2', 'order-3', 'order-4'),
    // smart-50 / smart-100 / smart-300 (USD 0.95 / 1.86 / 5.40), below every product, not an amount
    maxAmount: weighted(['50', 3], ['100', 4], ['300', 2], ['10', 1], ['1.001', 1]),
    phone: weighted(['+639171234100', 8], ['+63917123', 1]),
    metadata: fc.option(fc.constantFrom({ order: 1 }, { order: 2 }), { nil: undefined, freq: 2 }),
    callbackUrl: fc.option(fc.constant('https://caller.example/hook'), { nil: undefined, freq: 2 }),
  })
  .map(({ account, externalId, maxAmount, phone, metadata, callbackUrl }) =>
    sampleRequestInput({
      account_id: account,
      external_id: externalId,
      max_amount: maxAmount,
      phone_number: phone,
      ...(metadata === undefined ? {} : { metadata }),
      ...(callbackUrl === undefined ? {} : { callback_url: callbackUrl }),
    }),
  );

/** Items picking their inputs from `pool` (the same payload again: repeats, twins) and messages from five. */
const itemsArbitrary = (pool: readonly unknown[], maxLength: number): fc.Arbitrary<TopUpRequestItem[]> =>
  fc
    .array(
      fc.record({
        input: fc.constantFrom(...pool),
        message: fc.option(fc.constantFrom('m-1', 'm-2', 'm-3', 'm-4', 'm-5'), { nil: undefined, freq: 2 }),
      }),
      { maxLength },
    )
    .map((picked) =>
      picked.map(({ input, message }) => ({
        input,
        inbox: message === undefined ? undefined : { consumer: 'topups', messageId: message },
      })),
    );

/** Funds (USD 0 to 12 per account: some holds refused), earlier requests (some messages processed), the batch. */
const scenarioArbitrary = fc
  .record({
    fundedMinor: fc.bigInt({ min: 0n, max: 1_200n }),
    pool: fc.array(inputArbitrary, { minLength: 1, maxLength: 6 }),
  })
  .chain(({ fundedMinor, pool }) =>
    fc.record({
      fundedMinor: fc.constant(fundedMinor),
      earlier: itemsArbitrary(pool, 6),
      items: itemsArbitrary(pool, 12),
      // each item checked and quoted by its caller before the batch (as the intake does), only quoted, or neither
      readied: fc.constantFrom('ready', 'quoted', 'neither'),
    }),
  );

describe('requestTopUps', () => {
  it('answers every item and leaves the stores as requestTopUp item by item in order would (model check)', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async ({ fundedMinor, earlier, items, readied }) => {
        const [batched, single] = [await world(fundedMinor), await world(fundedMinor)];
        try {
          // the same earlier requests (and processed messages) in both worlds
          await oneByOne(batched, earlier);
          await oneByOne(single, earlier);
          const batch =
            readied === 'ready'
              ? await batched.run(Effect.forEach(items, (one) => readyTopUpItem(one.input, one.inbox)))
              : readied === 'quoted'
                ? await batched.run(
                    Effect.forEach(items, (one) =>
                      Effect.map(quoteTopUpItem(one.input), (quoted) => ({ ...one, quoted })),
                    ),
                  )
                : items;
          const answers = await batched.run(requestTopUps(batch));
          const expected = await oneByOne(single, items);
          expect(answers.map(summary)).toEqual(expected.map(summary));
          expect(await stores(batched)).toEqual(await stores(single));
        } finally {
          await batched.runtime.dispose();
          await single.runtime.dispose();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('answers an empty list with an empty list, writing nothing', async () => {
    const target = await world(10_000n);
    const before = target.database.stats();
    expect(await target.run(requestTopUps([]))).toEqual([]);
    expect(target.database.stats()).toEqual(before);
    expect(target.database.tables().topUps.size).toBe(0);
  });

  it('answers a batch of one as requestTopUp: the same top-up, hold, event and request', async () => {
    const item = { input: sampleRequestInput({ metadata: { order: 7 } }), inbox: { consumer: 'c', messageId: 'm' } };
    const [batched, single] = [await world(10_000n), await world(10_000n)];
    const [answer] = await batched.run(requestTopUps([item]));
    const expected = await single.run(Effect.exit(requestTopUp(item.input, { inbox: item.inbox })));
    expect(answer).toEqual(expected);
    expect(answer && Exit.isSuccess(answer) && answer.value._tag).toBe('Created');
    expect(batched.database.tables()).toEqual(single.database.tables());
  });

  it("reads each account's callback signing secret once per batch; a request its account's missing secret refuses runs alone", async () => {
    const target = await world(10_000n);
    let lookups = 0;
    const counted = Effect.flatMap(CallbackDeliveryStore, (store) =>
      Effect.succeed({
        ...store,
        signingSecretOf: (accountId: string) => Effect.tap(store.signingSecretOf(accountId), () => void lookups++),
      }),
    );
    const hook = { callback_url: 'https://caller.example/hook' };
    const items = [
      ...Array.from({ length: 6 }, (_, index) => ({
        input: sampleRequestInput({ ...hook, external_id: `signed-${index}` }),
      })),
      { input: sampleRequestInput({ ...hook, account_id: 'account-2', external_id: 'unsigned-1' }) },
    ];
    const answers = await target.run(
      Effect.flatMap(counted, (store) => Effect.provideService(requestTopUps(items), CallbackDeliveryStore, store)),
    );
    expect(answers.map(summary).map((answer) => ('tag' in answer ? answer.tag : answer.error))).toEqual([
      ...Array.from({ length: 6 }, () => 'Created'),
      'CallbackSecretMissing',
    ]);
    // account-1 and account-2 read once each before the batch; the refused request read again alone
    expect(lookups).toBe(3);
  });

  it('takes the check its caller made (readyTopUpItem) and does not decode the input again', async () => {
    const target = await world(10_000n);
    const inbox = { consumer: 'c', messageId: 'm' };
    const ready = await target.run(readyTopUpItem(sampleRequestInput({ external_id: 'order-1' }), inbox));
    expect(ready.checked && Exit.isSuccess(ready.checked)).toBe(true);
    expect(ready.quoted?._tag).toBe('Right');
    const refused = await target.run(readyTopUpItem({ external_id: 'order-2' }, undefined));
    const refusal = refused.checked;
    if (refusal === undefined || Exit.isSuccess(refusal)) throw new Error('a request without fields was not refused');
    expect(refused.quoted).toBeUndefined();
    // the batch answers from the checks the callers made, whatever the inputs now say
    const answers = await target.run(
      requestTopUps([
        { ...ready, input: 'not a request' },
        { ...refused, input: sampleRequestInput({ external_id: 'order-2' }) },
      ]),
    );
    expect(answers.map(summary)).toEqual([
      expect.objectContaining({ tag: 'Created', key: ['account-1', 'order-1'] }),
      summary(Exit.failCause(refusal.cause)),
    ]);
    expect(target.database.tables().topUps.size).toBe(1);
  });

  it('writes the plainly new requests in one unit of work, a repeat or conflict of an earlier one apart', async () => {
    const target = await world(10_000n);
    await target.run(requestTopUp(sampleRequestInput({ external_id: 'order-9' })));
    const before = target.database.stats().committed;
    const items = [
      { input: sampleRequestInput({ external_id: 'order-1' }), inbox: { consumer: 'topups', messageId: 'm-1' } },
      { input: sampleRequestInput({ external_id: 'order-9' }), inbox: { consumer: 'topups', messageId: 'm-2' } },
      { input: sampleRequestInput({ external_id: 'order-2' }) },
      { input: sampleRequestInput({ external_id: 'order-9', max_amount: '300' }) },
      { input: sampleRequestInput({ external_id: 'order-3' }), inbox: { consumer: 'topups', messageId: 'm-3' } },
    ];
    const answers = await target.run(requestTopUps(items));
    expect(answers.map(summary).map((one) => ('tag' in one ? one.tag : one.error))).toEqual([
      'Created',
      'Repeated',
      'Created',
      'ExternalIdConflict',
      'Created',
    ]);
    // the batch, and the repeat's inbox claim
    expect(target.database.stats().committed - before).toBe(2);
    expect(target.database.tables().outbox.map((record) => record.event.type)).toEqual(Array(4).fill('topup.created'));
  });

  it.each([
    ['an injected commit failure', (target: InMemoryWorld) => target.database.failNextCommits(1), 'account-1'],
    ['a ledger error (an account with no USD ledger account)', () => undefined, 'account-3'],
  ])(
    'when the batch unit of work fails as a whole (%s), answers every item one by one, rolled back first',
    async (_, breakBatch, brokenAccount) => {
      const [batched, single] = [await world(200n), await world(200n)];
      const items: TopUpRequestItem[] = [
        { input: sampleRequestInput({ external_id: 'order-1' }), inbox: { consumer: 'c', messageId: 'm-1' } },
        // USD 1.86 more than the 2.00 funded: refused for funds
        { input: sampleRequestInput({ external_id: 'order-2' }), inbox: { consumer: 'c', messageId: 'm-2' } },
        { input: sampleRequestInput({ external_id: 'order-3', account_id: brokenAccount }) },
        { input: sampleRequestInput({ external_id: 'order-1' }), inbox: { consumer: 'c', messageId: 'm-3' } },
        { input: sampleRequestInput({ external_id: 'order-4' }), inbox: { consumer: 'c', messageId: 'm-1' } },
      ];
      const rolledBack = batched.database.stats().rolledBack;
      breakBatch(batched);
      const answers = await batched.run(requestTopUps(items));
      expect(batched.database.stats().rolledBack).toBeGreaterThan(rolledBack);
      const expected = await oneByOne(single, items);
      expect(answers.map(summary)).toEqual(expected.map(summary));
      expect(await stores(batched)).toEqual(await stores(single));
      expect(answers.map(summary).map((one) => ('tag' in one ? one.tag : one.error))).toEqual([
        'Created',
        'Created',
        brokenAccount === 'account-3' ? 'AccountNotFound' : 'Created',
        'Repeated',
        'AlreadyProcessed',
      ]);
      expect(answers.map(summary)[1]).toMatchObject({ status: { class: 'REJECTED' } });
    },
  );

  const tags = (answers: readonly TopUpRequestAnswer[]) =>
    answers.map(summary).map((one) => ('tag' in one ? [one.tag, one.status?.class] : [one.error]));

  /** The answers of `items` in both worlds, after the same `earlier` requests. */
  const bothWays = async (fundedMinor: bigint, earlier: TopUpRequestItem[], items: TopUpRequestItem[]) => {
    const [batched, single] = [await world(fundedMinor), await world(fundedMinor)];
    await oneByOne(batched, earlier);
    await oneByOne(single, earlier);
    return { batched: tags(await batched.run(requestTopUps(items))), single: tags(await oneByOne(single, items)) };
  };

  const item = (externalId: string, messageId?: string, overrides = {}): TopUpRequestItem => ({
    input: sampleRequestInput({ external_id: externalId, ...overrides }),
    inbox: messageId === undefined ? undefined : { consumer: 'topups', messageId },
  });

  // USD 2.00 funded: one USD 1.86 hold, then refusals for funds
  it.each([
    [
      'a twin of a request the quote refused is new: held in its place',
      [],
      [item('order-1', undefined, { max_amount: '10' }), item('order-1'), item('order-2')],
      [['NoMatchingProduct'], ['Created', 'CREATED'], ['Created', 'REJECTED']],
    ],
    [
      'a twin of an already processed message is new: held in its place',
      [item('order-9', 'm-1', { account_id: 'account-2' })],
      [item('order-1', 'm-1'), item('order-1', 'm-2'), item('order-2')],
      [
        ['AlreadyProcessed', undefined],
        ['Created', 'CREATED'],
        ['Created', 'REJECTED'],
      ],
    ],
    [
      'a twin (by key) of a twin (by message) answers after it',
      [],
      [item('order-1', 'm-1'), item('order-4', 'm-1'), item('order-4', undefined, { metadata: { order: 1 } })],
      [
        ['Created', 'CREATED'],
        ['AlreadyProcessed', undefined],
        ['Created', 'REJECTED'],
      ],
    ],
    [
      'a message claimed by a repeat is processed for the next item: nothing written for it',
      [],
      [item('order-1'), item('order-1', 'm-2'), item('order-4', 'm-2', { account_id: 'account-2' })],
      [
        ['Created', 'CREATED'],
        ['Repeated', 'CREATED'],
        ['AlreadyProcessed', undefined],
      ],
    ],
    [
      'a message of a refused repeat is still free for the next item',
      [item('order-1')],
      [item('order-1', 'm-1', { max_amount: '300' }), item('order-2', 'm-1'), item('order-1', 'm-2')],
      [['ExternalIdConflict'], ['Created', 'REJECTED'], ['Repeated', 'CREATED']],
    ],
  ])('answers as requestTopUp in order: %s', async (_, earlier, items, expected) => {
    const answers = await bothWays(200n, earlier, items);
    expect(answers.batched).toEqual(answers.single);
    expect(answers.batched).toEqual(expected);
  });

  it("a defect in the batch (a bug met while writing it) runs every item alone: a defect is never all items' answer", async () => {
    const [batched, single] = [await world(10_000n), await world(10_000n)];
    const outbox = await batched.run(Outbox);
    let calls = 0;
    // the first appendAll (the batch's) dies; the items' own units of work then append as usual
    const dyingOnce = Layer.succeed(Outbox, {
      ...outbox,
      appendAll: (events) => {
        calls += 1;
        return calls === 1 ? Effect.dieMessage('a bug in the batch') : outbox.appendAll(events);
      },
    });
    const items = [item('order-1', 'm-1'), item('order-2', 'm-2'), item('order-3')];
    const answers = await batched.run(requestTopUps(items).pipe(Effect.provide(dyingOnce)));
    expect(calls).toBeGreaterThan(1);
    expect(answers.map(summary)).toEqual((await oneByOne(single, items)).map(summary));
    expect(tags(answers)).toEqual([
      ['Created', 'CREATED'],
      ['Created', 'CREATED'],
      ['Created', 'CREATED'],
    ]);
    expect(await stores(batched)).toEqual(await stores(single));
  });

  it('after a failed batch, answers one item at a time in order, even when the earlier items are slower', async () => {
    const [batched, single] = [await world(200n), await world(200n)];
    // each read of the clock lets the other fibers run, fewer times for each later read
    let reads = 0;
    const slowerFirst = Layer.succeed(Clock, {
      now: () =>
        Effect.suspend(() => {
          reads += 1;
          return Effect.zipRight(Effect.repeatN(Effect.yieldNow(), Math.max(0, 100 - 10 * reads)), batched.clock.now());
        }),
    });
    const items = [item('order-1', 'm-1'), item('order-2', 'm-2'), item('order-3', 'm-3')];
    batched.database.failNextCommits(1);
    const answers = await batched.run(requestTopUps(items).pipe(Effect.provide(slowerFirst)));
    expect(tags(answers)).toEqual(tags(await oneByOne(single, items)));
    expect(tags(answers)).toEqual([
      ['Created', 'CREATED'],
      ['Created', 'REJECTED'],
      ['Created', 'REJECTED'],
    ]);
  });
});
