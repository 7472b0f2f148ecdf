// The AirtimeProvider port wrapped with a latency histogram: every call to
// the provider (lookup, products, send, status query, transaction list,
// cancel, balances) is
// observed with its outcome (ok, or the error's code), whatever the
// provider. The calls themselves are unchanged.
import type { AirtimeProviderService } from '@airtime/domain';
import { Effect, Exit } from 'effect';
import type { Histogram } from 'prom-client';

type Latency = Histogram<'provider' | 'operation' | 'outcome'>;

const outcomeOf = <A, E>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit)) return 'ok';
  const failure = exit.cause._tag === 'Fail' ? (exit.cause.error as { readonly code?: unknown }) : undefined;
  return typeof failure?.code === 'string' ? failure.code : 'defect';
};

const timed =
  (latency: Latency, provider: string, operation: string) =>
  <A, E, R>(call: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.suspend(() => {
      const startedAt = performance.now();
      return Effect.onExit(call, (exit) =>
        Effect.sync(() =>
          latency.observe({ provider, operation, outcome: outcomeOf(exit) }, (performance.now() - startedAt) / 1_000),
        ),
      );
    });

export const timedProvider = (provider: AirtimeProviderService, latency: Latency): AirtimeProviderService => {
  const time = (operation: string) => timed(latency, provider.id, operation);
  return {
    id: provider.id,
    lookupOperators: (phone) => time('lookupOperators')(provider.lookupOperators(phone)),
    listProducts: (filter) => time('listProducts')(provider.listProducts(filter)),
    send: (request) => time('send')(provider.send(request)),
    statusByExternalId: (id) => time('statusByExternalId')(provider.statusByExternalId(id)),
    // the whole listing, every page of it, is one observation
    listTransactions: (window, onPage) => time('listTransactions')(provider.listTransactions(window, onPage)),
    cancel: (id) => time('cancel')(provider.cancel(id)),
    balances: () => time('balances')(provider.balances()),
    parseCallback: provider.parseCallback,
  };
};
