// Test seeding of the simulated DVS platform: a transaction injected as if
// someone had sent it (any status, any creation date, even under an external
// id already used: a duplicate at the provider), and a silent amendment of
// one (status, delivered amount, charge). Seeded transactions are left as
// they are by the simulation: no scheduled status change, no callback.
import {
  type DetailedStatus,
  formatMoney,
  type Money,
  money,
  moneyFromJsonNumber,
  parseMoney,
  TRANSACTION_STATUS_CATALOGUE,
} from '@airtime/domain';
import { Either } from 'effect';
import type { HoldState } from './balance-ledger';
import { productById } from './catalogue.queries';
import type { Catalogue, SimProduct } from './catalogue.types';
import { dvsError, type DvsError } from './simulator.errors';
import { chargeOf, priceTransaction } from './transaction-pricing';
import type { SimTransaction } from './transaction.types';

/** An amount as a test gives it: exact decimal text ("10.07") or a JSON number, in major units. */
export type SeedAmount = number | string;

export interface InjectTransactionInput {
  /** 1..40 non-space characters; may be one already used (a duplicate at the provider). */
  readonly externalId: string;
  readonly productId: number;
  /** E.164; required by products with a credit party. */
  readonly creditPartyMobileNumber?: string | undefined;
  readonly status: DetailedStatus;
  /** Default: the engine's now. */
  readonly createdAtMs?: number | undefined;
  /**
   * In the product's destination currency. A ranged product is priced for it
   * as DVS would (default: its minimum); a fixed product delivers it instead
   * of its own amount, at its own price.
   */
  readonly destinationAmount?: SeedAmount | undefined;
}

export interface AmendTransactionInput {
  /** Any DVS status, whatever the current one (COMPLETED after DECLINED too). */
  readonly status?: DetailedStatus | undefined;
  /** The delivered amount, in the destination currency. */
  readonly destinationAmount?: SeedAmount | undefined;
  /**
   * What DVS charged (wholesale price + fee), in the source currency: the fee
   * stays and the wholesale price becomes the rest (the fee becomes 0 when the
   * charge is below it).
   */
  readonly chargedAmount?: SeedAmount | undefined;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const DAY_MS = 86_400_000;

/** What a transaction in `status` leaves on the balance: held while pending, captured, or nothing. */
export const holdStateOf = (status: DetailedStatus): HoldState => {
  switch (TRANSACTION_STATUS_CATALOGUE[status].class) {
    case 'CREATED':
    case 'CONFIRMED':
    case 'SUBMITTED':
      return 'HELD';
    case 'COMPLETED':
      return 'CAPTURED';
    case 'REVERSED':
      return 'REVERSED';
    default:
      return 'VOIDED';
  }
};

/** What the balance holds or captured for it: wholesale price + fee, in the source currency. */
export const seededCharge = (transaction: SimTransaction): Money => chargeOf(transaction.pricing);

const amountIn = (value: SeedAmount, currency: Money['currency'], field: string): Either.Either<Money, DvsError> =>
  Either.mapLeft(typeof value === 'string' ? parseMoney(value, currency) : moneyFromJsonNumber(value, currency), () =>
    dvsError(1000400, `${field} ${value} is not an exact ${currency.code} amount`),
  );

const destinationCurrencyOf = (product: SimProduct): Money['currency'] =>
  product.kind === 'FIXED' ? product.destination.currency : product.destinationMin.currency;

const pricingFor = (product: SimProduct, amount: SeedAmount | undefined) => {
  const currency = destinationCurrencyOf(product);
  if (product.kind === 'RANGED')
    return priceTransaction(product, {
      calculationMode: 'DESTINATION_AMOUNT',
      destination: { unit: currency.code, amount: amount ?? formatMoney(product.destinationMin) },
    });
  return Either.flatMap(priceTransaction(product, {}), (pricing) =>
    amount === undefined
      ? Either.right(pricing)
      : Either.map(amountIn(amount, currency, 'destination_amount'), (destination) => ({ ...pricing, destination })),
  );
};

/**
 * The transaction `id` as injected at `nowMs` (unless `input.createdAtMs`):
 * refused like DVS would refuse its creation (1000400 external id, 1003001
 * product, 1005003 number, 1003002/1003003 amount), never for the external
 * id being used already.
 */
export const seededTransaction = (
  catalogue: Catalogue,
  id: number,
  input: InjectTransactionInput,
  nowMs: number,
  confirmationTtlMs = DAY_MS,
): Either.Either<SimTransaction, DvsError> => {
  if (input.externalId.length < 1 || input.externalId.length > 40 || /\s/.test(input.externalId))
    return Either.left(dvsError(1000400, 'external_id must be 1 to 40 non-space characters'));
  const product = productById(catalogue, input.productId);
  if (!product) return Either.left(dvsError(1003001, `product ${input.productId}`));
  const mobile = input.creditPartyMobileNumber;
  if (mobile !== undefined && !E164.test(mobile)) return Either.left(dvsError(1005003, 'expected E.164'));
  if (mobile === undefined && product.requiredCreditPartyFields.length > 0)
    return Either.left(dvsError(1005003, 'credit_party_mobile_number is required'));
  return Either.map(pricingFor(product, input.destinationAmount), (pricing): SimTransaction => {
    const createdAtMs = input.createdAtMs ?? nowMs;
    const statusClass = TRANSACTION_STATUS_CATALOGUE[input.status].class;
    return {
      id,
      externalId: input.externalId,
      productId: product.id,
      createdAtMs,
      confirmationExpiresAtMs: createdAtMs + confirmationTtlMs,
      ...(statusClass === 'CREATED' || statusClass === 'CANCELLED' || statusClass === 'REJECTED'
        ? {}
        : { confirmedAtMs: createdAtMs }),
      status: input.status,
      history: [{ status: input.status, atMs: createdAtMs }],
      pricing,
      outcome: { finalStatus: 'COMPLETED', pinBased: false, delayClass: undefined, delayMs: 0 },
      ...(statusClass === 'COMPLETED' || statusClass === 'REVERSED' ? { operatorReference: `SIM-OP-${id}` } : {}),
      ...(mobile === undefined ? {} : { creditPartyIdentifier: { mobile_number: mobile } }),
      seeded: true,
    };
  });
};

/** `transaction` amended at `nowMs`; an amount that cannot be read exactly in its currency is refused (1000400). */
export const amendedTransaction = (
  transaction: SimTransaction,
  input: AmendTransactionInput,
  nowMs: number,
): Either.Either<SimTransaction, DvsError> =>
  Either.gen(function* () {
    const { pricing } = transaction;
    const destination =
      input.destinationAmount === undefined
        ? pricing.destination
        : yield* amountIn(input.destinationAmount, pricing.destination.currency, 'destination_amount');
    const charged =
      input.chargedAmount === undefined
        ? undefined
        : yield* amountIn(input.chargedAmount, pricing.wholesale.currency, 'charged_amount');
    const fee = pricing.wholesaleFee.amountMinor;
    const charges =
      charged === undefined
        ? {}
        : charged.amountMinor >= fee
          ? { wholesale: money(charged.amountMinor - fee, charged.currency) }
          : { wholesale: charged, wholesaleFee: money(0n, charged.currency) };
    const status = input.status ?? transaction.status;
    const completed = TRANSACTION_STATUS_CATALOGUE[status].class === 'COMPLETED';
    return {
      ...transaction,
      status,
      history: input.status === undefined ? transaction.history : [...transaction.history, { status, atMs: nowMs }],
      pricing: { ...pricing, destination, ...charges },
      ...(completed && transaction.operatorReference === undefined
        ? { operatorReference: `SIM-OP-${transaction.id}` }
        : {}),
      seeded: true,
    };
  });
