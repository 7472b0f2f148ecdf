// Test helpers of provider-simulator: the DVS simulator as a local HTTP server.
import { currencyOf, type DetailedStatus, parseMoney } from '@airtime/domain';
import { Either } from 'effect';
import type { Balance } from './lib/engine/balance-ledger';
import type { CallbackAttempt } from './lib/engine/callback-dispatcher';
import type { Faults, FaultsPatch } from './lib/engine/faults';
import type { SimulatorEngine } from './lib/engine/simulator-engine';
import type { SimTransaction } from './lib/engine/transaction.types';
import type { AmendTransactionInput, InjectTransactionInput } from './lib/engine/transaction-seeding';
import { type SimulatorServerOptions, startSimulatorServer } from './lib/http/simulator.server';

export { startCallbackReceiver, type CallbackReceiver, type ReceivedCallback } from './testing/callback-receiver.fake';
export { dvsHttpClient, type DvsHttpClient, type HttpAnswer } from './testing/dvs-http.client';
export { manualTimer, type ManualTimer } from './testing/manual-timer.fake';

export const SIMULATOR_TEST_API_KEY = 'simulator-test-key';
export const SIMULATOR_TEST_API_SECRET = 'simulator-test-secret';

export type DvsSimulatorOptions = Partial<SimulatorServerOptions>;

export interface DvsSimulatorTestServer {
  /** e.g. http://127.0.0.1:40123 (no trailing slash, no version). */
  readonly url: string;
  /** `${url}/v1`: the base URL to give a DVS client. */
  readonly baseUrl: string;
  readonly port: number;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The `Authorization` header value for the configured key and secret. */
  readonly authorization: string;
  readonly engine: SimulatorEngine;
  /** Merges fault settings (see `Faults`); returns the resulting set. */
  readonly setFaults: (patch: FaultsPatch) => Faults;
  readonly clearFaults: () => Faults;
  /** Forgets transactions and callbacks, restores opening balances, clears faults, operator outages and rate-limit windows. */
  readonly reset: () => void;
  /** Sets a balance in major units ("100.50"); omitted fields keep their value. */
  /**
   * Sets (`down` true) or clears an outage of a catalogue operator (e.g. 1,
   * Globe Philippines): transactions of its products confirmed meanwhile end
   * DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE after their usual delay (see
   * `SimulatorEngine.setOperatorOutage`); afterwards they complete as usual.
   */
  readonly setOperatorOutage: (operatorId: number, down: boolean) => void;
  readonly setBalance: (
    currencyCode: string,
    values: { readonly available?: string; readonly holding?: string; readonly creditLimit?: string },
  ) => Balance;
  /** Moves simulated time forward and runs what became due (status changes, callbacks, retries). */
  readonly advance: (ms: number) => Promise<void>;
  /** Runs all pending simulated work (final statuses, callbacks and their retries). */
  readonly flush: () => Promise<void>;
  /** A manual reversal by DT One: COMPLETED -> REVERSED (with its callback). */
  readonly reverse: (transactionId: number) => SimTransaction;
  readonly transactionByExternalId: (externalId: string) => SimTransaction | undefined;
  /**
   * Test seeding (see `SimulatorEngine.injectTransaction`): a transaction as
   * if someone had sent it, in any status and on any date, even under an
   * external id already used (a duplicate); no callback. Throws when refused.
   */
  readonly injectTransaction: (input: InjectTransactionInput) => SimTransaction;
  /** Test seeding: a silent change of status, delivered amount or charge (no callback). Throws when refused. */
  readonly amendTransaction: (transactionId: number, input: AmendTransactionInput) => SimTransaction;
  /** Sets the simulation's wall clock (e.g. to yesterday): what is created from then on is dated from there. */
  readonly setNow: (at: Date) => void;
  /**
   * Resolves once the simulator holds a transaction with this external id
   * (in `status` when given): e.g. to know that a request in flight arrived
   * before advancing time.
   */
  readonly untilTransaction: (externalId: string, status?: DetailedStatus) => Promise<SimTransaction>;
  readonly callbacks: () => readonly CallbackAttempt[];
  readonly close: () => Promise<void>;
}

/**
 * Starts the DVS simulator on 127.0.0.1 and a random port. Defaults for
 * tests: key `simulator-test-key`, secret `simulator-test-secret`, time
 * scale 0.001 (the sandbox's 3 s take 3 ms, 5 min take 300 ms), callbacks
 * retried 5 times from 1 s (simulated) with doubling backoff.
 */
export const startDvsSimulatorServer = async (options: DvsSimulatorOptions = {}): Promise<DvsSimulatorTestServer> => {
  const apiKey = options.apiKey ?? SIMULATOR_TEST_API_KEY;
  const apiSecret = options.apiSecret ?? SIMULATOR_TEST_API_SECRET;
  const server = await startSimulatorServer({ timeScale: 0.001, ...options, apiKey, apiSecret });
  const { engine } = server;
  const amount = (text: string | undefined, currencyCode: string) => {
    if (text === undefined) return undefined;
    return Either.getOrThrow(parseMoney(text, Either.getOrThrow(currencyOf(currencyCode)))).amountMinor;
  };
  return {
    url: server.url,
    baseUrl: `${server.url}/v1`,
    port: server.port,
    apiKey,
    apiSecret,
    authorization: `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`,
    engine,
    setFaults: (patch) => engine.setFaults(patch),
    clearFaults: () =>
      engine.setFaults({
        latencyMs: 0,
        errorRate: 0,
        errorStatus: 503,
        timeoutAfterAccept: false,
        dropCallbacks: false,
        rateLimitPerSecond: null,
      }),
    reset: server.reset,
    setOperatorOutage: (operatorId, down) => engine.setOperatorOutage(operatorId, down),
    setBalance: (currencyCode, values) => {
      const available = amount(values.available, currencyCode);
      const holding = amount(values.holding, currencyCode);
      const creditLimit = amount(values.creditLimit, currencyCode);
      return engine.setBalance(Either.getOrThrow(currencyOf(currencyCode)), {
        availableMinor: available,
        holdingMinor: holding,
        creditLimitMinor: creditLimit,
      });
    },
    advance: (ms) => engine.advance(ms),
    flush: () => engine.flush(),
    reverse: (transactionId) => Either.getOrThrow(engine.reverse(transactionId)),
    transactionByExternalId: (externalId) => engine.transactionByExternalId(externalId),
    injectTransaction: (input) => Either.getOrThrow(engine.injectTransaction(input)),
    amendTransaction: (transactionId, input) => Either.getOrThrow(engine.amendTransaction(transactionId, input)),
    setNow: (at) => engine.setNow(at.getTime()),
    untilTransaction: (externalId, status) =>
      new Promise((resolve) => {
        const matches = (transaction: SimTransaction | undefined): transaction is SimTransaction =>
          transaction !== undefined &&
          transaction.externalId === externalId &&
          (status === undefined || transaction.status === status);
        const current = engine.transactionByExternalId(externalId);
        if (matches(current)) return resolve(current);
        const stop = engine.onChange((transaction) => {
          if (!matches(transaction)) return;
          stop();
          resolve(transaction);
        });
      }),
    callbacks: () => engine.callbackLog(),
    close: server.close,
  };
};
