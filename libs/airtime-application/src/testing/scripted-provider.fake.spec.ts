import {
  addPrecise,
  currencyOf,
  type FixedProduct,
  parsePhoneNumber,
  preciseMoney,
  type ProviderError,
  transactionStatus,
  type TransactionWindow,
} from '@airtime/domain';
import { Effect, Either, Option } from 'effect';
import { sampleCatalogue } from './sample-catalogue.fixture';
import { makeScriptedProvider } from './scripted-provider.fake';

const DAY = Date.UTC(2026, 2, 14);
const window: TransactionWindow = { from: new Date(DAY), to: new Date(DAY + 86_400_000) };
const product = sampleCatalogue[0] as FixedProduct;
const run = <A>(effect: Effect.Effect<A, ProviderError>) => Effect.runPromise(effect);
const failure = <A>(effect: Effect.Effect<A, ProviderError>) => Effect.runPromise(Effect.flip(effect));

const providerAt = (now: { value: number }) =>
  makeScriptedProvider({
    products: sampleCatalogue,
    now: () => new Date(now.value),
    chargedOf: (request) =>
      request.product._tag === 'FixedProduct' ? addPrecise(request.product.wholesale, request.product.fee) : undefined,
  });

const send = (provider: ReturnType<typeof makeScriptedProvider>, providerExternalId: string) =>
  run(
    provider.send({
      providerExternalId,
      product,
      destination: Either.getOrThrow(parsePhoneNumber('+639171234100')),
      receive: product.destination,
    }),
  );

describe('the scripted provider: its transaction list', () => {
  it('lists what arrived in [from, to), dated by its clock, with what it charged', async () => {
    const now = { value: DAY - 1 };
    const provider = providerAt(now);
    await send(provider, 'before');
    now.value = DAY;
    const first = await send(provider, 'first');
    now.value = DAY + 86_400_000;
    await send(provider, 'at-to');
    expect(first.createdAt).toEqual(new Date(DAY));
    expect(first.charged).toEqual(addPrecise(product.wholesale, product.fee));
    const pages: unknown[] = [];
    const listed = await run(provider.listTransactions(window, (page) => pages.push(page)));
    expect(listed.map((transaction) => transaction.providerExternalId)).toEqual(['first']);
    expect(pages).toEqual([{ fetched: 1, total: 1, page: 1, pages: 1 }]);
    expect(provider.calls().at(-1)).toEqual({ operation: 'listTransactions' });
  });

  it('holds what a test puts there: one we never sent, and a duplicate under an id that arrived', async () => {
    const now = { value: DAY + 1_000 };
    const provider = providerAt(now);
    await send(provider, 'ours');
    const stranger = provider.putAtProvider({
      providerTransactionId: 'ptx-x',
      providerExternalId: 'never-sent',
      status: transactionStatus('COMPLETED'),
    });
    expect(stranger.createdAt).toEqual(new Date(DAY + 1_000));
    provider.putAtProvider({
      providerTransactionId: 'ptx-dup',
      providerExternalId: 'ours',
      status: transactionStatus('COMPLETED'),
      createdAt: new Date(DAY + 2_000),
    });
    const listed = await run(provider.listTransactions(window));
    expect(listed.map((transaction) => [transaction.providerExternalId, transaction.providerTransactionId])).toEqual([
      ['ours', 'ptx-1'],
      ['never-sent', 'ptx-x'],
      ['ours', 'ptx-dup'],
    ]);
    // a status query answers the arrived one, else the one put there
    expect(Option.getOrThrow(await run(provider.statusByExternalId('ours'))).providerTransactionId).toBe('ptx-1');
    expect(Option.getOrThrow(await run(provider.statusByExternalId('never-sent'))).providerTransactionId).toBe('ptx-x');
    expect(provider.atProvider()).toHaveLength(3);
  });

  it('amends an arrived transaction silently, and scripts failing listings', async () => {
    const now = { value: DAY + 5 };
    const provider = providerAt(now);
    await send(provider, 'ours');
    const amended = provider.amend('ours', { status: transactionStatus('REVERSED'), receive: undefined });
    expect(amended).toMatchObject({ providerExternalId: 'ours', status: { class: 'REVERSED' } });
    expect((await run(provider.listTransactions(window)))[0]?.status.class).toBe('REVERSED');
    expect(() => provider.amend('nobody', {})).toThrow();

    provider.scriptListings({ _tag: 'Unsupported' }, { _tag: 'Unavailable' }, { _tag: 'Answer', transactions: [] });
    expect((await failure(provider.listTransactions(window)))._tag).toBe('TransactionListUnsupported');
    expect((await failure(provider.listTransactions(window)))._tag).toBe('ProviderUnavailable');
    expect(await run(provider.listTransactions(window))).toEqual([]);
    expect(await run(provider.listTransactions(window))).toHaveLength(1);
  });
});

describe('the scripted provider: its balances', () => {
  it('answers none until a test sets them, then exactly what was set (sub-cent amounts included)', async () => {
    const provider = providerAt({ value: DAY });
    expect(await run(provider.balances())).toEqual({ balances: [], unreadable: [] });
    const USD = Either.getOrThrow(currencyOf('USD'));
    const answer = {
      balances: [
        {
          available: preciseMoney(99_996_895n, 4, USD),
          holding: preciseMoney(3_105n, 3, USD),
          creditLimit: preciseMoney(0n, 2, USD),
        },
      ],
      unreadable: [{ field: 'balances[1].available', reason: 'not a number' }],
    };
    provider.setBalances(answer);
    expect(await run(provider.balances())).toEqual(answer);
  });
});
