import { Effect, TestClock, TestContext } from 'effect';
import { makeScriptedProvider, sampleCatalogue, scriptedProviderLayer } from '../../testing';
import { makeCachedProviderCatalogue } from './cached-provider-catalogue.adapter';

const PH = { e164: '+639171234100', countryIso: 'PH', callingCode: '63' };

const run = <A, E>(program: Effect.Effect<A, E, never>) =>
  Effect.runPromise(Effect.provide(program, TestContext.TestContext));

describe('the cached provider catalogue', () => {
  it('keeps operators and products for their time to live, then asks again', async () => {
    const provider = makeScriptedProvider({ products: sampleCatalogue });
    const counts = await run(
      Effect.gen(function* () {
        const catalogue = yield* Effect.provide(
          makeCachedProviderCatalogue({ operatorsTtlMs: 60_000, productsTtlMs: 30_000 }),
          scriptedProviderLayer(provider),
        );
        const key = { countryIso: 'PH', operatorId: 'smart-ph' };
        yield* catalogue.operatorsOf(PH);
        yield* catalogue.operatorsOf({ ...PH });
        yield* catalogue.productsOf(key);
        yield* catalogue.productsOf({ ...key });
        yield* TestClock.adjust('31 seconds');
        yield* catalogue.operatorsOf(PH);
        yield* catalogue.productsOf(key);
        yield* TestClock.adjust('30 seconds');
        yield* catalogue.operatorsOf(PH);
        const operations = provider.calls().map((call) => call.operation);
        return {
          lookups: operations.filter((operation) => operation === 'lookupOperators').length,
          lists: operations.filter((operation) => operation === 'listProducts').length,
        };
      }),
    );
    expect(counts).toEqual({ lookups: 2, lists: 2 });
  });

  it('does not keep a failure', async () => {
    const provider = makeScriptedProvider({ products: sampleCatalogue });
    provider.failCatalogue(1);
    const outcome = await run(
      Effect.gen(function* () {
        const catalogue = yield* Effect.provide(makeCachedProviderCatalogue(), scriptedProviderLayer(provider));
        const first = yield* Effect.either(catalogue.operatorsOf(PH));
        const second = yield* catalogue.operatorsOf(PH);
        return { first: first._tag, second: second.map((match) => match.operator.id) };
      }),
    );
    expect(outcome).toEqual({ first: 'Left', second: ['smart-ph'] });
  });
});
