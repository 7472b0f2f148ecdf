// The API running in-process for integration specs, on real dependencies: a
// PostgreSQL database of the spec's own (migrated), a RabbitMQ topology of
// its own (deleted afterwards) and the DVS simulator's HTTP server as the
// provider, the server listening on a free port. Helpers open and fund
// customer accounts and issue keys through the admin use cases, send HTTP
// requests with fetch, and count rows.
import 'reflect-metadata';
import { depositFunds, issueApiKey, openCustomerAccount, revokeApiKey } from '@airtime/application';
import {
  deleteTopology,
  openRawBroker,
  type RawBroker,
  testAmqpUrl,
  uniqueTopologyPrefix,
} from '@airtime/messaging-rabbitmq/testing';
import { topologyFor, type Topology } from '@airtime/messaging-rabbitmq';
import { setCallbackSigningSecret } from '@airtime/persistence-postgres';
import { createTestDatabase, type TestDatabase } from '@airtime/persistence-postgres/testing';
import type { PlatformLogger } from '@airtime/platform-runtime';
import { silentLogger } from '@airtime/platform-runtime/testing';
import { type DvsSimulatorTestServer, startDvsSimulatorServer } from '@airtime/provider-simulator/testing';
import { Effect, Either } from 'effect';
import { createServer, type AddressInfo } from 'node:net';
import { type ApiApp, startApiApp } from '../api-app.runner';
import { TOKENS } from '../composition/tokens';
import type { ApiRuntime } from '../composition/runtime';
import { type ApiConfig, apiConfigFrom } from '../config/api.config';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (undefined for an empty or non-JSON body). */
  readonly body: unknown;
  readonly text: string;
}

export interface RequestOptions {
  /** The API key (sent as `Authorization: Bearer <key>`). */
  readonly key?: string | undefined;
  /** A JSON body (serialised), or a raw string (or bytes) sent as is. */
  readonly body?: unknown;
  readonly rawBody?: string | Uint8Array | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Aborts the request (the fetch then rejects). */
  readonly signal?: AbortSignal | undefined;
}

export interface ApiHarness {
  readonly app: ApiApp;
  readonly url: string;
  readonly config: ApiConfig;
  readonly db: TestDatabase;
  readonly simulator: DvsSimulatorTestServer;
  readonly topology: Topology;
  readonly broker: RawBroker;
  readonly runtime: ApiRuntime;
  /**
   * Opens a customer account, deposits `usd` (major units, default
   * "1000.00") on it and, as an operator does before its callers give
   * callback URLs, makes its callback signing secret
   * (`HARNESS_CALLBACK_SECRET`); `{ callbackSecret: false }` leaves it
   * without one.
   */
  readonly openAccount: (
    accountId: string,
    usd?: string,
    options?: { readonly callbackSecret?: boolean | undefined },
  ) => Promise<void>;
  /** Issues an API key scoped to the accounts; answers the key text. */
  readonly issueKey: (...accountIds: readonly string[]) => Promise<string>;
  /** Revokes a key issued by `issueKey`. */
  readonly revokeKey: (key: string) => Promise<void>;
  readonly request: (method: string, path: string, options?: RequestOptions) => Promise<HttpAnswer>;
  /** Rows of a table. */
  readonly count: (table: string) => Promise<number>;
  readonly close: () => Promise<void>;
}

export interface ApiHarnessOptions {
  /** More environment variables (API_RATE_LIMIT_PER_MINUTE, ...). */
  readonly environment?: Readonly<Record<string, string>> | undefined;
  readonly logger?: PlatformLogger | undefined;
  /** The label of the topology prefix (default `api`). */
  readonly label?: string | undefined;
  /**
   * Listen on a free port chosen beforehand and give it as PROVIDER_CALLBACK_BASE_URL, so that the
   * provider (the simulator) posts each top-up's callbacks to this API (default false: port 0, no base).
   */
  readonly providerCallbacks?: boolean | undefined;
}

/** The callback signing secret `openAccount` gives each account (unless told not to). */
export const HARNESS_CALLBACK_SECRET = 'the-harness-callback-signing-secret-0123456789';

/** A TCP port free now on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

export const startApiHarness = async (options: ApiHarnessOptions = {}): Promise<ApiHarness> => {
  const label = options.label ?? 'api';
  // the test's own queries only (the API has its pool): a few connections, so that two APIs at once stay within the budget
  const [db, simulator] = await Promise.all([createTestDatabase({ poolSize: 4 }), startDvsSimulatorServer()]);
  const topologyPrefix = uniqueTopologyPrefix(label);
  const port = options.providerCallbacks === true ? await freePort() : 0;
  const config = Either.getOrThrow(
    apiConfigFrom({
      DATABASE_URL: db.config.url,
      AMQP_URL: testAmqpUrl(),
      AMQP_TOPOLOGY_PREFIX: topologyPrefix,
      API_PORT: String(port),
      ...(port === 0 ? {} : { PROVIDER_CALLBACK_BASE_URL: `http://127.0.0.1:${port}` }),
      DTONE_BASE_URL: simulator.baseUrl,
      DTONE_API_KEY: simulator.apiKey,
      DTONE_API_SECRET: simulator.apiSecret,
      CALLBACK_ALLOW_PRIVATE_HOSTS: 'true',
      LOG_LEVEL: 'silent',
      ...options.environment,
    }),
  );
  const topology = topologyFor(topologyPrefix);
  const [appStart, brokerStart] = await Promise.allSettled([
    startApiApp({ config, logger: options.logger ?? silentLogger() }),
    openRawBroker(),
  ]);
  if (appStart.status === 'rejected' || brokerStart.status === 'rejected') {
    // nothing of a failed start is left open (jest would not exit)
    if (appStart.status === 'fulfilled') await appStart.value.stop();
    if (brokerStart.status === 'fulfilled') await brokerStart.value.close();
    await Promise.all([deleteTopology(topology), db.drop(), simulator.close()]);
    throw appStart.status === 'rejected'
      ? appStart.reason
      : brokerStart.status === 'rejected'
        ? brokerStart.reason
        : undefined;
  }
  const [app, broker] = [appStart.value, brokerStart.value];
  const runtime = await app.container.getAsync(TOKENS.runtime);
  const request = async (method: string, path: string, requestOptions: RequestOptions = {}): Promise<HttpAnswer> => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.key !== undefined) headers['authorization'] = `Bearer ${requestOptions.key}`;
    let body: string | Uint8Array | undefined = requestOptions.rawBody;
    if (body === undefined && requestOptions.body !== undefined) {
      body = JSON.stringify(requestOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${app.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(requestOptions.signal === undefined ? {} : { signal: requestOptions.signal }),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text.length === 0 ? undefined : (JSON.parse(text) as unknown);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
  let deposits = 0;
  const keyIds = new Map<string, string>();
  return {
    app,
    url: app.url,
    config,
    db,
    simulator,
    topology,
    broker,
    runtime,
    openAccount: async (accountId, usd = '1000.00', accountOptions = {}) => {
      await runtime.runPromise(Effect.asVoid(openCustomerAccount({ id: accountId, name: `Team ${accountId}` })));
      deposits += 1;
      await runtime.runPromise(
        Effect.asVoid(depositFunds({ accountId, currency: 'USD', amount: usd, depositId: `seed-${deposits}` })),
      );
      if (accountOptions.callbackSecret !== false)
        await Effect.runPromise(setCallbackSigningSecret(db.dataSource, accountId, HARNESS_CALLBACK_SECRET));
    },
    issueKey: async (...accountIds) => {
      const issued = await runtime.runPromise(issueApiKey({ label: `key of ${accountIds.join(', ')}`, accountIds }));
      keyIds.set(issued.key, issued.apiKey.id);
      return issued.key;
    },
    revokeKey: async (key) => {
      await runtime.runPromise(Effect.asVoid(revokeApiKey(keyIds.get(key) ?? 'unknown')));
    },
    request,
    count: async (table) => {
      const rows: { count: number }[] = await db.dataSource.query(`SELECT count(*)::int AS count FROM ${table}`);
      return rows[0]?.count ?? 0;
    },
    close: async () => {
      await app.stop();
      await broker.close();
      await Promise.all([deleteTopology(topology), db.drop(), simulator.close()]);
    },
  };
};
