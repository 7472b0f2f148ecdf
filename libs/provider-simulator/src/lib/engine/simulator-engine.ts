// The simulated DVS platform, without HTTP: catalogue, lookups, balances and
// transactions that follow the sandbox rules on a scheduler of simulated
// time, and operator outages set by tests and demos. Given the same inputs,
// timer and seed it behaves the same.
import { type Currency, type DetailedStatus, isFinalClass } from '@airtime/domain';
import { Either } from 'effect';
import { type Balance, BalanceLedger, type BalanceSeed } from './balance-ledger';
import {
  type CallbackAttempt,
  CallbackDispatcher,
  type CallbackRetryPolicy,
  type CallbackSender,
  DEFAULT_CALLBACK_RETRY,
} from './callback-dispatcher';
import { DEFAULT_CATALOGUE } from './catalogue.fixture';
import {
  countryOfProduct,
  filterProducts,
  lookupMobileNumber,
  type LookupMatch,
  productById,
  type ProductQuery,
} from './catalogue.queries';
import { type Catalogue, isPinPurchase, type SimProduct } from './catalogue.types';
import { classOf } from './dvs-status.table';
import { applyFaultsPatch, type Faults, type FaultsPatch, NO_FAULTS } from './faults';
import { duringOutage, type SandboxOutcome, sandboxOutcome } from './sandbox-rules';
import { seededRandom } from './seeded-random';
import { type SimulatorTimer, SimulationScheduler } from './simulation-scheduler';
import { dvsError, type DvsError } from './simulator.errors';
import { chargeOf, priceTransaction } from './transaction-pricing';
import { TransactionIndex } from './transaction-index';
import { matchesTransactionQuery, type TransactionQuery } from './transaction.queries';
import {
  type AmendTransactionInput,
  amendedTransaction,
  holdStateOf,
  type InjectTransactionInput,
  seededCharge,
  seededTransaction,
} from './transaction-seeding';
import type { CreateTransactionInput, PartyFields, SimTransaction } from './transaction.types';
import { fetchCallbackSender } from '../http/fetch-callback.client';
import { transactionJson } from '../json/dvs-json.mapper';

export interface SimulatorEngineOptions {
  readonly catalogue?: Catalogue | undefined;
  /** Opening balances (default: USD 10,000.00, no credit). */
  readonly balances?: readonly BalanceSeed[] | undefined;
  /** Real ms per simulated ms (default 1; 0.001 makes the sandbox's 3 s into 3 ms). */
  readonly timeScale?: number | undefined;
  /** Run simulated work on real timers (default true); false leaves it to `advance` and `flush`. */
  readonly autoRun?: boolean | undefined;
  readonly timer?: SimulatorTimer | undefined;
  /** Wall-clock time (epoch ms) when the engine starts (default: the timer's now). */
  readonly epochMs?: number | undefined;
  /** Seed of the randomness behind `errorRate` (default 1). */
  readonly seed?: number | undefined;
  readonly random?: () => number;
  /** How callbacks are POSTed (default: Node's fetch, 5 s per attempt). */
  readonly callbackSender?: CallbackSender | undefined;
  readonly callbackRetry?: Partial<CallbackRetryPolicy> | undefined;
  /** Simulated ms a CREATED transaction may wait for confirmation (default 24 h). */
  readonly confirmationTtlMs?: number | undefined;
  /** Simulated ms a sync request waits for a final status (the reference's 180 s). */
  readonly syncTimeoutMs?: number | undefined;
  /** Simulated ms to the final status of a number without a sandbox suffix (default 0). */
  readonly defaultDelayMs?: number | undefined;
  readonly faults?: FaultsPatch | undefined;
  readonly onError?: (error: unknown) => void;
}

export type { TransactionQuery } from './transaction.queries';

export type TransactionListener = (transaction: SimTransaction) => void;

const DAY_MS = 86_400_000;
const E164 = /^\+[1-9]\d{6,14}$/;
const FIRST_TRANSACTION_ID = 1_000_001;

export const defaultBalances = (usd: Currency): readonly BalanceSeed[] => [
  { available: { amountMinor: 1_000_000n, currency: usd } },
];

export class SimulatorEngine {
  readonly catalogue: Catalogue;
  readonly scheduler: SimulationScheduler;
  readonly ledger: BalanceLedger;
  private readonly options: SimulatorEngineOptions;
  private epochMs: number;
  private random: () => number;
  private readonly callbacks: CallbackDispatcher;
  /** Every transaction by id, indexed by external id: every write goes through `store.put`. */
  private readonly store = new TransactionIndex();
  private readonly listeners = new Set<TransactionListener>();
  private readonly balanceSeeds: readonly BalanceSeed[];
  private currentFaults: Faults;
  /** Ids of the operators under an outage (see `setOperatorOutage`). */
  private readonly outages = new Set<number>();
  private nextId = FIRST_TRANSACTION_ID;

  constructor(options: SimulatorEngineOptions = {}) {
    this.options = options;
    this.catalogue = options.catalogue ?? DEFAULT_CATALOGUE;
    this.scheduler = new SimulationScheduler({
      ...(options.timer ? { timer: options.timer } : {}),
      timeScale: options.timeScale,
      autoRun: options.autoRun,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.epochMs = options.epochMs ?? (options.timer ?? { nowMs: () => Date.now() }).nowMs();
    this.random = options.random ?? seededRandom(options.seed ?? 1);
    const usd = this.catalogue.products[0]?.sourceCurrency;
    this.balanceSeeds = options.balances ?? (usd ? defaultBalances(usd) : []);
    this.ledger = new BalanceLedger(this.balanceSeeds);
    this.currentFaults = applyFaultsPatch(NO_FAULTS, options.faults ?? {});
    this.callbacks = new CallbackDispatcher(
      this.scheduler,
      options.callbackSender ?? fetchCallbackSender(),
      { ...DEFAULT_CALLBACK_RETRY, ...options.callbackRetry },
      () => this.currentFaults.dropCallbacks,
    );
  }

  /**
   * Wall-clock time of the simulation (epoch ms): `epochMs` plus the
   * scheduler's clock (real time while `autoRun`, plus what `advance` and
   * `flush` skipped). Dates (`creation_date`, list filters, the confirmation
   * window) and the HTTP `Date` header follow it at any time scale.
   */
  now(): number {
    return this.epochMs + this.scheduler.clockMs();
  }

  /**
   * Sets the simulation's wall clock to `nowMs` (epoch ms) from here on, e.g.
   * to a past day so that transactions are created "yesterday"; the clock
   * goes on from there (scheduled work keeps its simulated delays).
   */
  setNow(nowMs: number): void {
    this.epochMs = nowMs - this.scheduler.clockMs();
  }

  // --- catalogue -----------------------------------------------------------

  products(query: ProductQuery = {}): readonly SimProduct[] {
    return filterProducts(this.catalogue, query);
  }

  lookup(mobileNumber: string): Either.Either<readonly LookupMatch[], DvsError> {
    return E164.test(mobileNumber)
      ? Either.right(lookupMobileNumber(this.catalogue, mobileNumber))
      : Either.left(dvsError(1005003, 'expected E.164'));
  }

  // --- faults --------------------------------------------------------------

  faults(): Faults {
    return this.currentFaults;
  }

  setFaults(patch: FaultsPatch): Faults {
    this.currentFaults = applyFaultsPatch(this.currentFaults, patch);
    return this.currentFaults;
  }

  /**
   * Sets (`down` true) or clears an outage of the operator `operatorId` (a
   * catalogue operator id, e.g. 1 for Globe). A transaction of one of its
   * products confirmed while the outage is set ends
   * DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE (balance hold voided, callback
   * sent) after the same delay as its sandbox outcome would have taken: the
   * outage is read at confirmation, when DVS hands the transaction to the
   * operator (auto-confirmed: at creation). Transactions confirmed before or
   * after it follow the sandbox rules. Unknown operator ids are kept as
   * given (they match no product). `reset` clears every outage.
   */
  setOperatorOutage(operatorId: number, down: boolean): void {
    if (down) this.outages.add(operatorId);
    else this.outages.delete(operatorId);
  }

  /** The operator ids under an outage, ascending. */
  operatorOutages(): readonly number[] {
    return [...this.outages].sort((a, b) => a - b);
  }

  /** Draws against the error rate: true when this request should fail before processing. */
  drawFailure(): boolean {
    return this.currentFaults.errorRate > 0 && this.random() < this.currentFaults.errorRate;
  }

  // --- balances ------------------------------------------------------------

  balances(): readonly Balance[] {
    return this.ledger.list();
  }

  setBalance(
    currency: Currency,
    values: {
      readonly availableMinor?: bigint | undefined;
      readonly holdingMinor?: bigint | undefined;
      readonly creditLimitMinor?: bigint | undefined;
    },
  ): Balance {
    return this.ledger.set(currency, values);
  }

  // --- transactions --------------------------------------------------------

  createTransaction(input: CreateTransactionInput): Either.Either<SimTransaction, DvsError> {
    if (input.externalId.length < 1 || input.externalId.length > 40 || /\s/.test(input.externalId)) {
      return Either.left(dvsError(1000400, 'external_id must be 1 to 40 non-space characters'));
    }
    if (this.store.hasExternalId(input.externalId)) return Either.left(dvsError(1007001));
    const product = productById(this.catalogue, input.productId);
    if (!product) return Either.left(dvsError(1003001, `product ${input.productId}`));
    const checked = this.checkParties(product, input);
    if (Either.isLeft(checked)) return Either.left(checked.left);
    const priced = priceTransaction(product, input);
    if (Either.isLeft(priced)) return Either.left(priced.left);
    const id = this.nextId++;
    const authorized = this.ledger.authorize(id, chargeOf(priced.right));
    if (Either.isLeft(authorized)) return Either.left(authorized.left);
    const now = this.now();
    const transaction: SimTransaction = {
      id,
      externalId: input.externalId,
      productId: product.id,
      createdAtMs: now,
      confirmationExpiresAtMs: now + (this.options.confirmationTtlMs ?? DAY_MS),
      status: 'CREATED',
      history: [{ status: 'CREATED', atMs: now }],
      pricing: priced.right,
      outcome: outcomeOf(product, input, this.options.defaultDelayMs ?? 0),
      ...optionalParties(input),
    };
    this.store.put(transaction);
    this.notify(transaction);
    return input.autoConfirm ? this.confirm(id) : Either.right(transaction);
  }

  confirm(id: number): Either.Either<SimTransaction, DvsError> {
    const transaction = this.store.get(id);
    if (!transaction) return Either.left(dvsError(1008004));
    const transactionClass = classOf(transaction.status);
    if (transactionClass === 'CANCELLED') return Either.left(dvsError(1007005));
    if (transactionClass !== 'CREATED') {
      return Either.left(transactionClass === 'REJECTED' ? dvsError(1007004) : dvsError(1007002));
    }
    if (this.now() > transaction.confirmationExpiresAtMs)
      return Either.left(dvsError(1007004, 'the confirmation window has expired'));
    const product = productById(this.catalogue, transaction.productId);
    const outage = product !== undefined && this.outages.has(product.operatorId);
    const confirmed = this.change(transaction, 'CONFIRMED', {
      confirmedAtMs: this.now(),
      ...(outage ? { outcome: duringOutage(transaction.outcome) } : {}),
    });
    const { delayMs } = confirmed.outcome;
    if (delayMs > 0) this.scheduler.schedule(delayMs / 2, () => this.submit(id), `submit ${id}`);
    this.scheduler.schedule(delayMs, () => this.finish(id), `finish ${id}`);
    return Either.right(confirmed);
  }

  cancel(id: number): Either.Either<SimTransaction, DvsError> {
    const transaction = this.store.get(id);
    if (!transaction) return Either.left(dvsError(1008004));
    if (transaction.status === 'CANCELLED') return Either.left(dvsError(1007005));
    if (transaction.status !== 'CREATED') return Either.left(dvsError(1007007));
    const cancelled = this.change(transaction, 'CANCELLED');
    this.ledger.void(id);
    return Either.right(cancelled);
  }

  /** A manual reversal by DT One (admin only): COMPLETED -> REVERSED, the captured amount back to available. */
  reverse(id: number): Either.Either<SimTransaction, DvsError> {
    const transaction = this.store.get(id);
    if (!transaction) return Either.left(dvsError(1008004));
    if (transaction.status !== 'COMPLETED')
      return Either.left(dvsError(1000400, `only a COMPLETED transaction can be reversed, not ${transaction.status}`));
    const reversed = this.change(transaction, 'REVERSED');
    this.ledger.reverse(id);
    return Either.right(reversed);
  }

  transaction(id: number): Either.Either<SimTransaction, DvsError> {
    const transaction = this.store.get(id);
    return transaction ? Either.right(transaction) : Either.left(dvsError(1008004));
  }

  /** The newest (highest id) transaction under `externalId`, or undefined. O(1). */
  transactionByExternalId(externalId: string): SimTransaction | undefined {
    return this.store.newestByExternalId(externalId);
  }

  /**
   * Test seeding: a transaction as if someone had sent it (see
   * `InjectTransactionInput`), in any status, dated `createdAtMs` (default
   * now), even under an external id already used (a duplicate at DVS; lookups
   * by external id then find the newest). Nothing is scheduled and no
   * callback is sent; the balance holds or captures its charge as its status
   * says (funds are not checked). Refused as DVS would refuse its creation.
   */
  injectTransaction(input: InjectTransactionInput): Either.Either<SimTransaction, DvsError> {
    const id = this.nextId;
    const seeded = seededTransaction(this.catalogue, id, input, this.now(), this.options.confirmationTtlMs);
    if (Either.isLeft(seeded)) return seeded;
    const restated = this.ledger.restate(id, seededCharge(seeded.right), holdStateOf(seeded.right.status));
    if (Either.isLeft(restated)) return Either.left(restated.left);
    this.nextId += 1;
    this.store.put(seeded.right);
    this.notify(seeded.right);
    return Either.right(seeded.right);
  }

  /**
   * Test seeding: changes a transaction silently (status, delivered amount,
   * charge; see `AmendTransactionInput`): no callback, and the simulation
   * leaves it as it is from then on. The balance is restated as if it had
   * always been so (its charge held while pending, captured when COMPLETED,
   * nothing when failed or REVERSED). 1008004 for an unknown id.
   */
  amendTransaction(id: number, input: AmendTransactionInput): Either.Either<SimTransaction, DvsError> {
    const transaction = this.store.get(id);
    if (!transaction) return Either.left(dvsError(1008004));
    const amended = amendedTransaction(transaction, input, this.now());
    if (Either.isLeft(amended)) return amended;
    const restated = this.ledger.restate(id, seededCharge(amended.right), holdStateOf(amended.right.status));
    if (Either.isLeft(restated)) return Either.left(restated.left);
    this.store.put(amended.right);
    this.notify(amended.right);
    return Either.right(amended.right);
  }

  /**
   * Matching transactions, newest first (descending id). With an external id:
   * only that id's transactions are read (from the index, O(k) for k of
   * them), with no default window; without: every transaction is read, and
   * without dates the window is the last 24 hours.
   */
  transactions(query: TransactionQuery = {}): readonly SimTransaction[] {
    if (query.externalId !== undefined) {
      // ascending by id from the index: reversed, newest first
      return this.store
        .byExternalId(query.externalId)
        .filter((transaction) => matchesTransactionQuery(this.catalogue, transaction, query))
        .reverse();
    }
    const defaultWindow = query.fromMs === undefined && query.toMs === undefined;
    const windowed = defaultWindow ? { ...query, fromMs: this.now() - DAY_MS } : query;
    const found: SimTransaction[] = [];
    for (const transaction of this.store.values()) {
      if (matchesTransactionQuery(this.catalogue, transaction, windowed)) found.push(transaction);
    }
    return found.sort((a, b) => b.id - a.id);
  }

  /**
   * Resolves with the transaction once it is final, or as it is after
   * `timeoutMs` simulated ms (default: the sync timeout, 180 s).
   */
  waitForFinal(id: number, timeoutMs = this.options.syncTimeoutMs ?? 180_000): Promise<SimTransaction | undefined> {
    const current = this.store.get(id);
    if (!current || isFinalClass(classOf(current.status))) return Promise.resolve(current);
    return new Promise((resolve) => {
      const listener: TransactionListener = (transaction) => {
        if (transaction.id !== id || !isFinalClass(classOf(transaction.status))) return;
        done(transaction);
      };
      const timeoutTask = this.scheduler.schedule(timeoutMs, () => done(this.store.get(id)), `sync timeout ${id}`);
      const done = (transaction: SimTransaction | undefined) => {
        this.listeners.delete(listener);
        this.scheduler.cancel(timeoutTask);
        resolve(transaction);
      };
      this.listeners.add(listener);
    });
  }

  /** Listens to every status change (and creation); returns the unsubscribe function. */
  onChange(listener: TransactionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  callbackLog(): readonly CallbackAttempt[] {
    return this.callbacks.log();
  }

  // --- test controls -------------------------------------------------------

  advance(ms: number): Promise<void> {
    return this.scheduler.advance(ms);
  }

  flush(): Promise<void> {
    return this.scheduler.flush();
  }

  /**
   * Forgets transactions, callbacks and pending work, restores the opening
   * balances, clears the faults and the operator outages and restarts the seeded randomness (ids keep
   * growing, so an id is never reused).
   */
  reset(): void {
    this.scheduler.clear();
    this.store.clear();
    this.callbacks.clear();
    this.ledger.reset(this.balanceSeeds);
    this.currentFaults = NO_FAULTS;
    this.outages.clear();
    if (!this.options.random) this.random = seededRandom(this.options.seed ?? 1);
  }

  close(): void {
    this.scheduler.stop();
    this.listeners.clear();
  }

  /** A callback's body: the transaction object in DVS JSON, as it is at the change. */
  private renderCallback(transaction: SimTransaction): string {
    return JSON.stringify(transactionJson(this.catalogue, transaction));
  }

  private checkParties(product: SimProduct, input: CreateTransactionInput): Either.Either<void, DvsError> {
    if (product.requiredCreditPartyFields.length > 0) {
      const satisfied = product.requiredCreditPartyFields.some((set) =>
        set.every((field) => input.creditPartyIdentifier?.[field] !== undefined),
      );
      if (!satisfied) return Either.left(dvsError(1005003, 'credit_party_identifier.mobile_number is required'));
      const mobile = input.creditPartyIdentifier?.['mobile_number'];
      if (mobile !== undefined) {
        if (!E164.test(mobile)) return Either.left(dvsError(1005003, 'expected E.164'));
        const country = countryOfProduct(this.catalogue, product);
        if (country && !mobile.startsWith(`+${country.callingCode}`)) {
          return Either.left(dvsError(1005003, `not a number of ${country.name}`));
        }
      }
    }
    for (const [name, sets, given] of [
      ['sender', product.requiredSenderFields, input.sender],
      ['beneficiary', product.requiredBeneficiaryFields, input.beneficiary],
    ] as const) {
      if (
        sets.length > 0 &&
        !sets.some((set) => set.every((field) => given?.[field] !== undefined && given[field] !== ''))
      ) {
        return Either.left(
          dvsError(1000400, `${name} fields required: ${sets.map((set) => set.join(', ')).join(' or ')}`),
        );
      }
    }
    return Either.right(undefined);
  }

  private submit(id: number): void {
    const transaction = this.store.get(id);
    if (transaction?.status === 'CONFIRMED' && transaction.seeded !== true) this.change(transaction, 'SUBMITTED');
  }

  private finish(id: number): void {
    const transaction = this.store.get(id);
    if (!transaction || transaction.seeded === true) return;
    if (transaction.status !== 'CONFIRMED' && transaction.status !== 'SUBMITTED') return;
    const { finalStatus, pinBased } = transaction.outcome;
    if (finalStatus === 'COMPLETED') {
      this.change(transaction, 'COMPLETED', {
        operatorReference: `SIM-OP-${id}`,
        ...(pinBased
          ? { pin: { code: String((BigInt(id) * 982_451_653n) % 10n ** 12n).padStart(12, '0'), serial: `SN${id}` } }
          : {}),
      });
      this.ledger.capture(id);
    } else {
      this.change(transaction, finalStatus);
      this.ledger.void(id);
    }
  }

  private change(
    transaction: SimTransaction,
    status: DetailedStatus,
    fields: Partial<SimTransaction> = {},
  ): SimTransaction {
    const atMs = this.now();
    const next: SimTransaction = {
      ...transaction,
      ...fields,
      status,
      history: [...transaction.history, { status, atMs }],
    };
    this.store.put(next);
    if (next.callbackUrl !== undefined) {
      this.callbacks.dispatch({
        transactionId: next.id,
        status,
        url: next.callbackUrl,
        body: this.renderCallback(next),
      });
    }
    this.notify(next);
    return next;
  }

  private notify(transaction: SimTransaction): void {
    for (const listener of [...this.listeners]) listener(transaction);
  }
}

const creditPartyNumber = (fields: PartyFields | undefined): string | undefined =>
  fields?.['mobile_number'] ?? fields?.['account_number'];

/**
 * The sandbox outcome of a new transaction: products without a credit party
 * (gift cards) always complete, whatever number came along; a PIN purchase
 * that completes always comes with its PIN.
 */
const outcomeOf = (product: SimProduct, input: CreateTransactionInput, defaultDelayMs: number): SandboxOutcome => {
  const outcome = sandboxOutcome(
    product.requiredCreditPartyFields.length > 0 ? creditPartyNumber(input.creditPartyIdentifier) : undefined,
    defaultDelayMs,
  );
  return isPinPurchase(product) && outcome.finalStatus === 'COMPLETED' ? { ...outcome, pinBased: true } : outcome;
};

const optionalParties = (input: CreateTransactionInput): Partial<SimTransaction> => ({
  ...(input.creditPartyIdentifier ? { creditPartyIdentifier: input.creditPartyIdentifier } : {}),
  ...(input.debitPartyIdentifier ? { debitPartyIdentifier: input.debitPartyIdentifier } : {}),
  ...(input.sender ? { sender: input.sender } : {}),
  ...(input.beneficiary ? { beneficiary: input.beneficiary } : {}),
  ...(input.statementIdentifier ? { statementIdentifier: input.statementIdentifier } : {}),
  ...(input.additionalIdentifier ? { additionalIdentifier: input.additionalIdentifier } : {}),
  ...(input.callbackUrl ? { callbackUrl: input.callbackUrl } : {}),
});
