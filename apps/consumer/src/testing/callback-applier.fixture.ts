// The API's provider-callback path for consumer specs, without the API: an
// HTTP server taking the DVS simulator's callbacks (POST
// /callbacks/dtone/<token>) and applying each one as the API does, with
// applyProviderCallback through the platform's persistence layer over the
// consumer's database (units of work of its own, NOT through the consumer's
// batch writer). Give its `base` to the consumer as PROVIDER_CALLBACK_BASE_URL,
// then `attach` the consumer's database once it exists.
import { applyProviderCallback } from '@airtime/application';
import { AirtimeProvider, type AirtimeProviderService, Clock } from '@airtime/domain';
import { callbackOfDvs, DTONE_PROVIDER_ID, DvsTransaction } from '@airtime/provider-dtone';
import { makeScaledClock, persistenceLayer, uuidIdGeneratorLayer } from '@airtime/platform-runtime';
import { Effect, Either, Exit, Layer, ManagedRuntime, Schema } from 'effect';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';

export interface CallbackApplier {
  /** `http://127.0.0.1:<port>` (no trailing slash): the consumer's PROVIDER_CALLBACK_BASE_URL. */
  readonly base: string;
  /** Applies the callbacks from now on to this database (until then they are answered 503: the simulator retries). */
  readonly attach: (dataSource: DataSource) => void;
  /** What each callback came to: `Applied`, `Unchanged`, or the error's tag. */
  readonly outcomes: () => readonly string[];
  readonly close: () => Promise<void>;
}

/** Only the provider's id is read on the callback path (the update names the transaction). */
const providerOfId: AirtimeProviderService = new Proxy({ id: DTONE_PROVIDER_ID } as AirtimeProviderService, {
  get: (target, property) =>
    property in target
      ? (target as unknown as Record<string | symbol, unknown>)[property]
      : () => Effect.dieMessage(`the callback path called the provider's ${String(property)}`),
});

const bodyOf = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

export const startCallbackApplier = async (): Promise<CallbackApplier> => {
  let runtime: ManagedRuntime.ManagedRuntime<never, never> | undefined;
  let apply: ((token: string, body: unknown) => Promise<string>) | undefined;
  const outcomes: string[] = [];

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<unknown> => {
    const body = await bodyOf(request);
    const token = /^\/callbacks\/dtone\/([^/?]+)$/.exec(request.url ?? '')?.[1];
    if (request.method !== 'POST' || token === undefined) return response.writeHead(404).end();
    if (apply === undefined) return response.writeHead(503).end();
    const outcome = await apply(decodeURIComponent(token), JSON.parse(body) as unknown);
    outcomes.push(outcome);
    return response.writeHead(outcome === 'Applied' || outcome === 'Unchanged' ? 200 : 500).end();
  };

  const server = createServer((request, response) => {
    answer(request, response).catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    base: `http://127.0.0.1:${port}`,
    attach: (dataSource) => {
      const layer = Layer.mergeAll(
        persistenceLayer(dataSource),
        Layer.succeed(AirtimeProvider, providerOfId),
        Layer.succeed(Clock, makeScaledClock({ scale: 1 })),
        uuidIdGeneratorLayer(),
      );
      const managed = ManagedRuntime.make(layer);
      runtime = managed as unknown as ManagedRuntime.ManagedRuntime<never, never>;
      apply = async (token, body) => {
        const decoded = Schema.decodeUnknownEither(DvsTransaction)(body);
        if (Either.isLeft(decoded)) return 'UndecodableBody';
        const update = callbackOfDvs(decoded.right);
        if (Either.isLeft(update)) return update.left._tag;
        const exit = await managed.runPromiseExit(
          applyProviderCallback({ callbackToken: token, update: update.right }),
        );
        if (Exit.isSuccess(exit)) return exit.value._tag;
        const failure = exit.cause._tag === 'Fail' ? exit.cause.error : undefined;
        return failure === undefined ? 'defect' : failure._tag;
      };
    },
    outcomes: () => outcomes,
    close: async () => {
      apply = undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await runtime?.dispose();
    },
  };
};
