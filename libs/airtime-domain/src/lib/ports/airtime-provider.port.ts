import { Context, type Effect, type Option } from 'effect';
import type { Money } from '../money/money';
import type { PreciseMoney } from '../money/precise-money';
import type { PhoneNumber } from '../phone/phone-number';
import type { Operator, Product, ProductKind } from '../product/product';
import type { TransactionStatus } from '../transaction/transaction-status';
import type { InvalidProviderCallback, ProviderError } from './provider.errors';

/** An operator a number may belong to; `identified` when the provider is sure (not a guess from the prefix). */
export interface OperatorMatch {
  readonly operator: Operator;
  readonly identified: boolean;
}

export interface ProductFilter {
  readonly countryIso?: string | undefined;
  readonly operatorId?: string | undefined;
  readonly kind?: ProductKind | undefined;
}

export interface SendRequest {
  /** Our id for this attempt at the provider (1..40 chars): the idempotency key there. */
  readonly providerExternalId: string;
  readonly product: Product;
  readonly destination: PhoneNumber;
  /** What the beneficiary receives (for ranged products, the chosen amount). */
  readonly receive: Money;
  /** Where the provider should POST status changes, with the top-up's secret token in it. */
  readonly callbackUrl?: string | undefined;
}

/** A transaction as the provider knows it. */
export interface ProviderTransaction {
  readonly providerTransactionId: string;
  readonly providerExternalId: string;
  readonly status: TransactionStatus;
  /** What the provider says was (or will be) delivered, exactly at its precision (PHP 99.995 stays 99.995). */
  readonly receive?: PreciseMoney | undefined;
  readonly operatorReference?: string | undefined;
  /** When the provider created it (DVS `creation_date`), when the provider says. */
  readonly createdAt?: Date | undefined;
  /**
   * What the provider debits us for it, exact at its precision: DVS
   * `prices.wholesale.amount + prices.wholesale.fee` in `prices.wholesale.unit`
   * (the source currency). Compares with our `quote.costExact`.
   */
  readonly charged?: PreciseMoney | undefined;
}

/** A creation-date window at the provider: `from <= createdAt < to` (UTC instants). */
export interface TransactionWindow {
  readonly from: Date;
  readonly to: Date;
}

/** How far a listing has come: items fetched so far, the page just read and, when the provider says, the totals. */
export interface ListProgress {
  readonly fetched: number;
  readonly total: number | undefined;
  readonly page: number;
  readonly pages: number | undefined;
}

/**
 * One currency balance of the provider account, each amount exact at the
 * provider's precision (DVS may hold USD 3.105: not rounded, not refused).
 * The three amounts share one currency.
 */
export interface ProviderBalance {
  /** What we can still spend (before the credit limit). */
  readonly available: PreciseMoney;
  /** Authorised for transactions not yet final (released or captured later). */
  readonly holding: PreciseMoney;
  /** How far below zero `available` may go (0 when the provider gives none). */
  readonly creditLimit: PreciseMoney;
}

/** A balance the provider listed but that could not be read: where, and what kind of problem (never its value). */
export interface UnreadableBalance {
  /** The answer's field, e.g. `balances[2].available` (the position in the provider's list). */
  readonly field: string;
  readonly reason: string;
}

/** The balances of a provider account: the readable ones, and the ones that could not be read (so none hides). */
export interface ProviderBalances {
  readonly balances: readonly ProviderBalance[];
  readonly unreadable: readonly UnreadableBalance[];
}

/** A status change pushed by the provider. */
export interface ProviderCallback {
  readonly providerTransactionId: string;
  readonly providerExternalId?: string | undefined;
  readonly status: TransactionStatus;
  /** Delivered amount, exactly at the provider's precision. */
  readonly receive?: PreciseMoney | undefined;
}

/**
 * An aggregator (DT One DVS, Africa's Talking, engageSPARK, the simulator).
 * `send` fails with `ProviderOutcomeUnknown` when the request may have
 * arrived: the caller then asks `statusByExternalId` before anything else.
 */
export interface AirtimeProviderService {
  readonly id: string;
  readonly lookupOperators: (phone: PhoneNumber) => Effect.Effect<readonly OperatorMatch[], ProviderError>;
  readonly listProducts: (filter: ProductFilter) => Effect.Effect<readonly Product[], ProviderError>;
  readonly send: (request: SendRequest) => Effect.Effect<ProviderTransaction, ProviderError>;
  /** `None` when the provider never received this external id. */
  readonly statusByExternalId: (
    providerExternalId: string,
  ) => Effect.Effect<Option.Option<ProviderTransaction>, ProviderError>;
  /**
   * Every transaction the provider created in the window, every page
   * followed, its rate limits respected; `onPage` is told after each page.
   * A transaction listed differently on two pages (its status changed while
   * they were read) is answered once per differing listing, never one picked
   * silently (the match reports it: CONFLICTING_LISTINGS).
   * `TransactionListUnsupported` from a provider that cannot list them.
   */
  readonly listTransactions: (
    window: TransactionWindow,
    onPage?: (progress: ListProgress) => void,
  ) => Effect.Effect<readonly ProviderTransaction[], ProviderError>;
  readonly cancel: (providerTransactionId: string) => Effect.Effect<ProviderTransaction, ProviderError>;
  /** One unreadable balance does not fail the call: it is listed in `unreadable` with its reason. */
  readonly balances: () => Effect.Effect<ProviderBalances, ProviderError>;
  readonly parseCallback: (body: unknown) => Effect.Effect<ProviderCallback, InvalidProviderCallback>;
}

export class AirtimeProvider extends Context.Tag('@airtime/domain/AirtimeProvider')<
  AirtimeProvider,
  AirtimeProviderService
>() {}
