import { Either, Effect } from 'effect';
import { LedgerStore } from '@airtime/domain';
import {
  fundAccount,
  inMemoryLayers,
  type InMemoryWorld,
  SAMPLE_PH_NUMBER,
  sampleCatalogue,
  sampleRequestInput,
} from '../../testing';
import { decodeTopUpCommand } from '../top-up-command/top-up-command.schema';
import { setInMemoryCallbackSecret } from '../../testing/in-memory-stores.adapter';
import { requestTopUp } from './request-top-up.use-case';

const setUp = async (fundedMinor = 10_000n): Promise<InMemoryWorld> => {
  const world = inMemoryLayers({ products: sampleCatalogue });
  await world.run(fundAccount('account-1', 'USD', fundedMinor));
  return world;
};

const usd = (world: InMemoryWorld) =>
  world.run(Effect.flatMap(LedgerStore, (ledger) => ledger.account('account-1', 'USD')));

describe('requestTopUp', () => {
  it('creates the top-up, holds its cost and writes topup.created, all in one unit of work', async () => {
    const world = await setUp();
    const result = await world.run(requestTopUp(sampleRequestInput({ metadata: { order: 42 } })));
    expect(result._tag).toBe('Created');
    if (result._tag !== 'Created') return;
    expect(result.topUp).toMatchObject({ accountId: 'account-1', externalId: 'order-1', status: { class: 'CREATED' } });
    expect(result.topUp.quote.product.id).toBe('smart-100');
    // USD 1.857 charged as 1.86, held
    expect(await usd(world)).toMatchObject({ availableMinor: 9_814n, holdingMinor: 186n });
    const tables = world.database.tables();
    expect(tables.outbox.map((record) => record.event.type)).toEqual(['topup.created']);
    const payload = tables.outbox[0]?.event.payload;
    expect(payload).toMatchObject({
      topUpId: result.topUp.id,
      externalId: 'order-1',
      statusClass: 'CREATED',
      receive: { amount: '100.00', currency: 'PHP' },
      cost: { amount: '1.86', currency: 'USD' },
      metadata: { order: 42 },
    });
    expect(JSON.stringify(payload)).not.toContain(SAMPLE_PH_NUMBER.slice(1));
    const stored = tables.requests.get(result.topUp.id);
    expect(stored).toMatchObject({ accountId: 'account-1', externalId: 'order-1', callbackToken: 'token-000001' });
    expect(JSON.stringify(stored?.request)).not.toContain(SAMPLE_PH_NUMBER.slice(1));
  });

  it('answers a repeat with the same payload (amounts in any spelling) with the same top-up, holding nothing more', async () => {
    const world = await setUp();
    const first = await world.run(requestTopUp(sampleRequestInput()));
    const again = await world.run(
      requestTopUp(sampleRequestInput({ max_amount: 100.0, phone_number: '639171234100' })),
    );
    expect(again._tag).toBe('Repeated');
    if (first._tag !== 'Created' || again._tag !== 'Repeated') return;
    expect(again.topUp.id).toBe(first.topUp.id);
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
    expect(world.database.tables().outbox).toHaveLength(1);
  });

  it('reads null for an optional field as the field left out: a repeat with it absent, or null, is the same request', async () => {
    const world = await setUp();
    const withNulls = {
      desired_amount: null,
      product_id: null,
      exact_amount: null,
      callback_url: null,
      metadata: null,
    };
    const first = await world.run(requestTopUp(sampleRequestInput(withNulls)));
    expect(first._tag).toBe('Created');
    const absent = await world.run(requestTopUp(sampleRequestInput()));
    const nullsAgain = await world.run(requestTopUp(sampleRequestInput(withNulls)));
    expect([absent._tag, nullsAgain._tag]).toEqual(['Repeated', 'Repeated']);
    if (first._tag !== 'Created' || absent._tag !== 'Repeated') return;
    expect(absent.topUp.id).toBe(first.topUp.id);
    expect(world.database.tables().requests.get(first.topUp.id)?.request).not.toHaveProperty('metadata');
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
  });

  it('answers a request first sent without its optional fields as a repeat when they come again as null', async () => {
    const world = await setUp();
    const first = await world.run(requestTopUp(sampleRequestInput()));
    const again = await world.run(requestTopUp(sampleRequestInput({ callback_url: null, metadata: null })));
    expect(again._tag).toBe('Repeated');
    if (first._tag === 'Created' && again._tag === 'Repeated') expect(again.topUp.id).toBe(first.topUp.id);
  });

  it.each(['external_id', 'account_id', 'phone_number', 'currency', 'max_amount'])(
    'refuses null for the required %s, naming it',
    async (field) => {
      const world = await setUp();
      const result = await world.runEither(requestTopUp({ ...sampleRequestInput(), [field]: null }));
      expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field })));
      expect(world.database.tables().topUps.size).toBe(0);
    },
  );

  it.each([
    ['phone_number', { phone_number: '+639171234101' }],
    ['max_amount', { max_amount: '300' }],
    ['desired_amount', { desired_amount: '50' }],
    ['exact_amount', { exact_amount: true }],
    ['callback_url', { callback_url: 'https://caller.example/hook' }],
    ['metadata', { metadata: { order: 1 } }],
  ])('refuses a repeat that differs at %s, naming the field only', async (field, overrides) => {
    const world = await setUp();
    await world.run(requestTopUp(sampleRequestInput()));
    const conflict = await world.runEither(requestTopUp(sampleRequestInput(overrides)));
    expect(conflict).toEqual(Either.left(expect.objectContaining({ _tag: 'ExternalIdConflict', field })));
    if (Either.isLeft(conflict)) expect(conflict.left.message).not.toMatch(/639171234101|300|example/);
  });

  it.each([
    ['phone_number', { phone_number: '+63917123' }],
    ['phone_number', { phone_number: 'call me' }],
    ['currency', { currency: 'XXX' }],
    ['max_amount', { max_amount: '100.001' }],
    ['max_amount', { max_amount: '-1' }],
    ['external_id', { external_id: 'has space' }],
    ['account_id', { account_id: '' }],
    ['callback_url', { callback_url: 'http://caller.example/hook' }],
    ['callback_url', { callback_url: 'https://user:secret@caller.example/hook' }],
    ['metadata', { metadata: { blob: 'x'.repeat(5000) } }],
  ])('refuses an invalid %s, holding nothing and never quoting the value', async (field, overrides) => {
    const world = await setUp();
    const result = await world.runEither(requestTopUp(sampleRequestInput(overrides)));
    expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field })));
    if (Either.isLeft(result)) expect(result.left.message).not.toMatch(/63917123|call me|has space|secret|xxxx/);
    expect(world.database.tables().topUps.size).toBe(0);
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n });
  });

  it('refuses what is not a request at all, naming the missing fields', async () => {
    const world = await setUp();
    const result = await world.runEither(requestTopUp({ external_id: 'x' }));
    expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest' })));
    if (Either.isLeft(result)) expect(result.left.message).toContain('account_id is missing');
  });

  it('commits a hold refused for funds as a REJECTED top-up, and answers every repeat with it, even once funded', async () => {
    const world = await setUp(100n);
    const result = await world.run(requestTopUp(sampleRequestInput()));
    expect(result._tag).toBe('Created');
    if (result._tag !== 'Created') return;
    expect(result.topUp.status.status).toBe('REJECTED-INSUFFICIENT-BALANCE');
    expect(result.topUp.failureReason).toEqual({
      reason: 'INSUFFICIENT_FUNDS',
      attemptsExhausted: false,
      detail: 'the USD account cannot hold the cost',
    });
    expect(world.database.tables().outbox.map((record) => record.event.type)).toEqual([
      'topup.created',
      'topup.failed',
    ]);
    expect(world.database.tables().outbox[1]?.event.payload).toMatchObject({
      status: 'REJECTED-INSUFFICIENT-BALANCE',
      failureReason: 'INSUFFICIENT_FUNDS',
    });
    expect(await usd(world)).toMatchObject({ availableMinor: 100n, holdingMinor: 0n });
    await world.run(
      Effect.flatMap(LedgerStore, (ledger) =>
        ledger.deposit({
          accountId: 'account-1',
          currency: result.topUp.quote.cost.currency,
          depositId: 'more',
          amountMinor: 10_000n,
        }),
      ),
    );
    const again = await world.run(requestTopUp(sampleRequestInput()));
    expect(again).toMatchObject({ _tag: 'Repeated', topUp: { id: result.topUp.id, status: { class: 'REJECTED' } } });
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n });
  });

  it('with exact_amount, refuses (holding nothing) unless the amount received is the amount asked', async () => {
    const world = await setUp();
    const refused = await world.runEither(requestTopUp(sampleRequestInput({ max_amount: '120', exact_amount: true })));
    expect(refused).toEqual(
      Either.left(
        expect.objectContaining({ _tag: 'ExactAmountUnavailable', askedMinor: 12_000n, offeredMinor: 10_000n }),
      ),
    );
    const desired = await world.runEither(
      requestTopUp(
        sampleRequestInput({ external_id: 'order-2', max_amount: '300', desired_amount: '60', exact_amount: true }),
      ),
    );
    expect(desired).toEqual(
      Either.left(expect.objectContaining({ _tag: 'ExactAmountUnavailable', askedMinor: 6_000n })),
    );
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n });
    const exact = await world.run(requestTopUp(sampleRequestInput({ external_id: 'order-3', exact_amount: true })));
    expect(exact).toMatchObject({ _tag: 'Created', topUp: { quote: { receive: { amountMinor: 10_000n } } } });
  });

  it('without exact_amount, sends the largest amount at or below the maximum, or the smallest at or above desired', async () => {
    const world = await setUp();
    const largest = await world.run(requestTopUp(sampleRequestInput({ max_amount: '299' })));
    expect(largest).toMatchObject({ topUp: { quote: { product: { id: 'smart-100' } } } });
    const desired = await world.run(
      requestTopUp(sampleRequestInput({ external_id: 'order-2', max_amount: '300', desired_amount: '60' })),
    );
    expect(desired).toMatchObject({ topUp: { quote: { product: { id: 'smart-100' } } } });
  });

  it('with product_id, chooses among that product only, and refuses a product the operator does not offer', async () => {
    const world = await setUp();
    const chosen = await world.run(requestTopUp(sampleRequestInput({ max_amount: '300', product_id: 'smart-50' })));
    expect(chosen).toMatchObject({ topUp: { quote: { product: { id: 'smart-50' } } } });
    const unknown = await world.runEither(
      requestTopUp(sampleRequestInput({ external_id: 'order-2', product_id: 'safaricom-100' })),
    );
    expect(unknown).toEqual(Either.left(expect.objectContaining({ _tag: 'ProductNotFound', operatorId: 'smart-ph' })));
  });

  it('refuses a maximum below every product (NoMatchingProduct) and a currency the products do not take', async () => {
    const world = await setUp();
    expect(await world.runEither(requestTopUp(sampleRequestInput({ max_amount: '10' })))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'NoMatchingProduct' })),
    );
    expect(await world.runEither(requestTopUp(sampleRequestInput({ currency: 'KES' })))).toEqual(
      Either.left(expect.objectContaining({ _tag: 'CurrencyNotAccepted' })),
    );
  });

  it('claims the carrying message in the same unit of work: a redelivery is AlreadyProcessed, another message a repeat', async () => {
    const world = await setUp();
    const inbox = { consumer: 'topups', messageId: 'message-1' };
    expect((await world.run(requestTopUp(sampleRequestInput(), { inbox })))._tag).toBe('Created');
    expect(await world.run(requestTopUp(sampleRequestInput(), { inbox }))).toEqual({ _tag: 'AlreadyProcessed' });
    const other = await world.run(
      requestTopUp(sampleRequestInput(), { inbox: { consumer: 'topups', messageId: 'message-2' } }),
    );
    expect(other._tag).toBe('Repeated');
    expect(
      await world.run(requestTopUp(sampleRequestInput(), { inbox: { consumer: 'topups', messageId: 'message-2' } })),
    ).toEqual({
      _tag: 'AlreadyProcessed',
    });
  });

  it('rolls everything back when the commit fails (top-up, hold, request, event, inbox), then succeeds on a retry', async () => {
    const world = await setUp();
    const inbox = { consumer: 'topups', messageId: 'message-1' };
    world.database.failNextCommits(1);
    const failed = await world.runEither(requestTopUp(sampleRequestInput(), { inbox }));
    expect(failed).toEqual(Either.left(expect.objectContaining({ _tag: 'PersistenceFailure', retryable: true })));
    const tables = world.database.tables();
    expect([tables.topUps.size, tables.requests.size, tables.outbox.length, tables.inbox.size]).toEqual([0, 0, 0, 0]);
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n, availableMinor: 10_000n });
    expect((await world.run(requestTopUp(sampleRequestInput(), { inbox })))._tag).toBe('Created');
  });

  it('asks the provider for operators and products once per number and operator (cached), and again after a failure', async () => {
    const world = await setUp();
    world.provider.failCatalogue(1);
    const unavailable = await world.runEither(requestTopUp(sampleRequestInput()));
    expect(unavailable).toEqual(Either.left(expect.objectContaining({ _tag: 'ProviderUnavailable', retryable: true })));
    for (const externalId of ['order-1', 'order-2', 'order-3']) {
      await world.run(requestTopUp(sampleRequestInput({ external_id: externalId })));
    }
    const calls = world.provider.calls().map((call) => call.operation);
    expect(calls.filter((operation) => operation === 'lookupOperators')).toHaveLength(2);
    expect(calls.filter((operation) => operation === 'listProducts')).toHaveLength(1);
  });
});

describe('requestTopUp: hostile input', () => {
  const commandWithMetadata = (metadata: string) =>
    `{"version":1,"external_id":"order-1","account_id":"account-1","phone_number":"+639171234100",` +
    `"currency":"PHP","max_amount":"100","metadata":${metadata}}`;

  it.each([
    '{"__proto__":{"tier":"gold"},"order":1}',
    '{"order":1,"nested":{"constructor":{"tier":"free"}}}',
    '{"order":1,"items":[{"prototype":1}]}',
  ])('refuses metadata %s naming metadata: never dropped, so never a repeat of a payload without it', async (json) => {
    const world = await setUp();
    await world.run(requestTopUp(sampleRequestInput({ metadata: { order: 1 } })));
    const body = JSON.parse(`{"metadata":${json}}`) as { metadata: unknown };
    const again = await world.runEither(requestTopUp({ ...sampleRequestInput(), metadata: body.metadata }));
    expect(again).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'metadata' })));
    if (Either.isLeft(again)) expect(again.left.message).not.toContain('gold');
    // the command carrying it is refused as it is read, before any top-up
    const command = decodeTopUpCommand(commandWithMetadata(json));
    expect(Either.isLeft(command) && command.left.reason).toMatch(/^metadata has a key named __proto__/);
    expect(world.database.tables().topUps.size).toBe(1);
  });

  it('refuses an external id that is not Unicode NFC: a decomposed twin of a key never makes a second top-up', async () => {
    const world = await setUp();
    const composed = await world.runEither(requestTopUp(sampleRequestInput({ external_id: 'caf\u00e9-1' })));
    expect(Either.isRight(composed) && composed.right._tag).toBe('Created');
    const decomposed = await world.runEither(requestTopUp(sampleRequestInput({ external_id: 'cafe\u0301-1' })));
    expect(decomposed).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'external_id' })),
    );
    const account = await world.runEither(requestTopUp(sampleRequestInput({ account_id: 'account-\u212b' })));
    expect(account).toEqual(Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'account_id' })));
    expect(world.database.tables().topUps.size).toBe(1);
    expect(await usd(world)).toMatchObject({ holdingMinor: 186n });
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/internal',
    'http://localhost:9464/metrics',
    'http://127.0.0.1:15672/api/',
    'https://2130706433/',
    'https://[::ffff:a9fe:a9fe]/',
  ])('refuses a callback URL aimed inside the platform (%s), holding nothing', async (url) => {
    const world = await setUp();
    const result = await world.runEither(requestTopUp(sampleRequestInput({ callback_url: url })));
    expect(result).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'callback_url' })),
    );
    expect(world.database.tables().topUps.size).toBe(0);
    expect(await usd(world)).toMatchObject({ holdingMinor: 0n });
  });

  it('an account with no funds cannot make the platform POST inside it either: refused before the REJECTED top-up that owes a callback', async () => {
    const world = await setUp(0n);
    const result = await world.runEither(
      requestTopUp(sampleRequestInput({ external_id: 'free-1', callback_url: 'https://169.254.169.254/x' })),
    );
    expect(result).toEqual(
      Either.left(expect.objectContaining({ _tag: 'InvalidTopUpRequest', field: 'callback_url' })),
    );
    expect(world.database.tables().topUps.size).toBe(0);
    expect([...world.database.tables().deliveries.values()]).toEqual([]);
  });

  it('with allowPrivateCallbackHosts (local set-ups), takes a local callback URL and owes it the final outcome', async () => {
    const world = await setUp(0n);
    const url = 'http://127.0.0.1:8080/hooks';
    const result = await world.run(
      requestTopUp(sampleRequestInput({ external_id: 'local-1', callback_url: url }), {
        allowPrivateCallbackHosts: true,
      }),
    );
    expect(result._tag === 'Created' && result.topUp.status.class).toBe('REJECTED');
    expect([...world.database.tables().deliveries.values()].map((d) => d.delivery.url)).toEqual([url]);
  });

  describe('a callback URL needs the callback signing secret of its account', () => {
    const withoutSecret = async () => {
      const world = inMemoryLayers({ products: sampleCatalogue, callbackSecrets: {} });
      await world.run(fundAccount('account-1', 'USD', 10_000n));
      return world;
    };
    const hook = { callback_url: 'https://caller.example/hook' };

    it('refuses the request with CallbackSecretMissing and writes nothing: no top-up, hold, event, request or inbox claim', async () => {
      const world = await withoutSecret();
      const result = await world.runEither(
        requestTopUp(sampleRequestInput(hook), { inbox: { consumer: 'consumer', messageId: 'message-1' } }),
      );
      expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'CallbackSecretMissing' })));
      if (Either.isLeft(result)) {
        expect(result.left).toMatchObject({ code: 'CALLBACK_SECRET_MISSING', retryable: false });
        expect(result.left.message).toContain('callback signing secret');
      }
      const tables = world.database.tables();
      expect(tables.topUps.size + tables.requests.size + tables.outbox.length + tables.inbox.size).toBe(0);
      expect(await usd(world)).toMatchObject({ availableMinor: 10_000n, holdingMinor: 0n });
      // the same message, once the secret is made, is taken
      await world.run(setInMemoryCallbackSecret(world.database, 'account-1', 'a-secret-made-later-0123456789abcdef'));
      const later = await world.run(
        requestTopUp(sampleRequestInput(hook), { inbox: { consumer: 'consumer', messageId: 'message-1' } }),
      );
      expect(later._tag).toBe('Created');
    });

    it('refuses a request for an account the ledger does not know as such (AccountNotFound), callback URL or not', async () => {
      const world = inMemoryLayers({ products: sampleCatalogue, callbackSecrets: {} });
      const result = await world.runEither(requestTopUp(sampleRequestInput({ ...hook, account_id: 'nobody' })));
      expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'AccountNotFound' })));
      expect(world.database.tables().topUps.size).toBe(0);
    });

    it('takes the request without a callback URL, secret or not', async () => {
      const world = await withoutSecret();
      expect((await world.run(requestTopUp(sampleRequestInput())))._tag).toBe('Created');
    });

    it('checks the secret of the account charged, not of another', async () => {
      const world = inMemoryLayers({
        products: sampleCatalogue,
        callbackSecrets: { 'account-2': 'the-other-accounts-secret-0123456789' },
      });
      await world.run(fundAccount('account-1', 'USD', 10_000n));
      const result = await world.runEither(requestTopUp(sampleRequestInput(hook)));
      expect(result).toEqual(Either.left(expect.objectContaining({ _tag: 'CallbackSecretMissing' })));
    });
  });
});
