// DVS transaction objects (answers, list items, callbacks) as the port's
// ProviderTransaction and ProviderCallback: status, delivered amount, creation
// date and what DVS charged us (wholesale price + fee), exact.
import {
  addPrecise,
  checkReportedAmount,
  currencyOf,
  DETAILED_STATUSES,
  describeStatus,
  isFailureClass,
  parseTransactionClass,
  parseTransactionStatus,
  type PreciseMoney,
  preciseMoneyFromJsonNumber,
  ProviderAnswerMismatch,
  type ProviderCallback,
  ProviderResponseInvalid,
  type ProviderTransaction,
  statusOfClass,
  type TransactionStatus,
  transactionStatus,
} from '@airtime/domain';
import { Either, Option } from 'effect';
import type { DvsFixedValue } from '../schemas/dvs-common.schema';
import type { DvsTransaction, DvsTransactionStatus } from '../schemas/dvs-transaction.schema';
import { DTONE_PROVIDER_ID } from '../config/dvs.config';

const byDescription = new Map(DETAILED_STATUSES.map((status) => [describeStatus(status).toUpperCase(), status]));

const detailedStatusOf = (message: string): Option.Option<TransactionStatus> =>
  Either.match(parseTransactionStatus(message), {
    onRight: Option.some,
    onLeft: () => {
      const described = byDescription.get(message.trim().toUpperCase());
      return described === undefined ? Option.none() : Option.some(transactionStatus(described));
    },
  });

/**
 * The status of a DVS `status` object. The detailed status (`message`) is
 * read with the domain's catalogue; the class decides when the two disagree
 * (DVS recommends logic on classes), and a detailed status DVS adds later
 * falls back to its class, so a new status does not break us.
 */
export const statusOfDvs = (
  status: DvsTransactionStatus,
): Either.Either<TransactionStatus, ProviderResponseInvalid> => {
  const detailed = detailedStatusOf(status.message);
  const reportedClass = Either.getRight(parseTransactionClass(status.class.message));
  if (Option.isSome(reportedClass)) {
    return Either.right(
      Option.isSome(detailed) && detailed.value.class === reportedClass.value
        ? detailed.value
        : statusOfClass(reportedClass.value),
    );
  }
  return Option.match(detailed, {
    onSome: Either.right,
    onNone: () =>
      Either.left(
        new ProviderResponseInvalid({
          provider: DTONE_PROVIDER_ID,
          // the field, never DVS's text
          reason: 'status.message and status.class.message name no status of the reference',
        }),
      ),
  });
};

/** Where a transaction's delivered amount is read: the adjusted destination value, else the requested one. */
export interface DeliveredFields {
  readonly amount: string;
  readonly currency: string;
}

/** The fields `receivedValueOf` reads the delivered amount from, as the reference names them. */
export const deliveredFieldsOf = (transaction: DvsTransaction): DeliveredFields => {
  const part = transaction.adjusted_values?.destination ? 'adjusted_values' : 'requested_values';
  return { amount: `${part}.destination.amount`, currency: `${part}.destination.unit` };
};

const unreadable = (field: string, reason: string) =>
  Either.left(new ProviderAnswerMismatch({ provider: DTONE_PROVIDER_ID, field, reason }));

/**
 * A destination value exactly as DVS wrote it (PHP 99.995 stays 99.995);
 * `undefined` when there is none or it is not in a currency (a data bundle).
 * A value in a currency that cannot be read exactly is a mismatch naming the
 * field: never dropped, never replaced by another value.
 */
const destinationValue = (
  value: DvsFixedValue | null | undefined,
  fields: DeliveredFields,
): Either.Either<PreciseMoney | undefined, ProviderAnswerMismatch> => {
  if (!value || value.unit_type !== 'CURRENCY') return Either.right(undefined);
  const currency = Either.getRight(currencyOf(value.unit));
  if (Option.isNone(currency)) return unreadable(fields.currency, 'not a known currency');
  return Either.match(preciseMoneyFromJsonNumber(value.amount, currency.value), {
    onLeft: (error) => unreadable(fields.amount, `cannot be read exactly: ${error.reason}`),
    onRight: (amount) => Either.right(amount),
  });
};

/** The reference's unit type of money. */
const CURRENCY_UNIT_TYPE = 'CURRENCY';

/**
 * The currency code we asked a currency amount in: `asked` (a send's
 * request) when given, else the transaction's `requested_values.destination`
 * when it is a CURRENCY value; undefined when we asked for something else.
 */
const askedCurrencyOf = (transaction: DvsTransaction, asked: string | undefined): string | undefined => {
  if (asked !== undefined) return asked;
  const requested = transaction.requested_values?.destination;
  return requested?.unit_type === CURRENCY_UNIT_TYPE ? requested.unit : undefined;
};

/**
 * When we asked for a currency amount, the delivered value (adjusted, else
 * requested) must be a CURRENCY value in that currency: another unit type
 * (`"currency"`, `"DATA"`) or another unit is a mismatch naming the field,
 * never an answer without an amount.
 */
const heldToAsked = (
  value: DvsFixedValue | null | undefined,
  fields: DeliveredFields,
  asked: string | undefined,
): Either.Either<void, ProviderAnswerMismatch> => {
  if (!value || asked === undefined) return Either.right(undefined);
  if (value.unit_type !== CURRENCY_UNIT_TYPE)
    return unreadable(
      fields.amount.replace(/amount$/, 'unit_type'),
      `not a ${CURRENCY_UNIT_TYPE} value, though a currency amount was asked`,
    );
  if (value.unit.trim().toUpperCase() !== asked.toUpperCase())
    return unreadable(fields.currency, 'a currency other than the requested one');
  return Either.right(undefined);
};

/**
 * What the beneficiary receives: the adjusted destination value when DVS
 * gives one (never falling back when it cannot be read), else the requested
 * one; exact at DVS's precision, and positive (`ProviderAnswerMismatch`
 * otherwise). When we asked a currency amount (`askedCurrency`, else the
 * transaction's requested CURRENCY destination), it must be a CURRENCY value
 * in that currency (`ProviderAnswerMismatch` naming the field otherwise).
 */
export const receivedValueOf = (
  transaction: DvsTransaction,
  askedCurrency?: string,
): Either.Either<PreciseMoney | undefined, ProviderAnswerMismatch> => {
  const fields = deliveredFieldsOf(transaction);
  const value = transaction.adjusted_values?.destination ?? transaction.requested_values?.destination;
  const held = heldToAsked(value, fields, askedCurrencyOf(transaction, askedCurrency));
  if (Either.isLeft(held)) return Either.left(held.left);
  return Either.flatMap(destinationValue(value, fields), (amount) =>
    amount === undefined ? Either.right(undefined) : checkReportedAmount(DTONE_PROVIDER_ID, amount, fields.amount),
  );
};

/**
 * A DVS transaction as the `AirtimeProvider` port reports it, with its
 * creation date and what it charged when DVS gives them (and they read). A failed
 * transaction (REJECTED, CANCELLED, DECLINED) delivered nothing: it carries
 * no amount. An unknown status is `ProviderResponseInvalid`; a delivered
 * amount that cannot be read exactly, or is not positive, is
 * `ProviderAnswerMismatch`, and so is a delivered value that is not a
 * CURRENCY value in the currency asked (`askedCurrency`, a send's, else the
 * transaction's requested one).
 */
export const mapDvsTransaction = (
  transaction: DvsTransaction,
  askedCurrency?: string,
): Either.Either<ProviderTransaction, ProviderResponseInvalid | ProviderAnswerMismatch> =>
  Either.gen(function* () {
    const status = yield* statusOfDvs(transaction.status);
    const receive = isFailureClass(status.class) ? undefined : yield* receivedValueOf(transaction, askedCurrency);
    const operatorReference = transaction.operator_reference;
    // facts for reconciliation, never a reason to refuse an answer about a send: left out when unreadable
    // (the listing of a window reads them strictly, see dtone-transaction-list.adapter.ts)
    const createdAt = Either.getOrUndefined(createdAtOfDvs(transaction));
    const charged = Either.getOrUndefined(chargedOfDvs(transaction));
    return Object.freeze({
      providerTransactionId: String(transaction.id),
      providerExternalId: transaction.external_id,
      status,
      ...(receive === undefined ? {} : { receive }),
      ...(createdAt === undefined ? {} : { createdAt }),
      ...(charged === undefined ? {} : { charged }),
      ...(operatorReference === undefined || operatorReference === null || operatorReference === ''
        ? {}
        : { operatorReference }),
    });
  });

/** An ISO 8601 instant: date and time to the second, decimals, an offset (Z or ±hh:mm). */
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

/**
 * When DVS created the transaction (`creation_date`), read as an ISO 8601
 * instant with an offset (`2020-02-02T14:00:00.022220+08:00`); decimals past
 * the millisecond are dropped (floored), so an instant keeps its side of a
 * millisecond bound. `undefined` when DVS gives none; a text that is no such
 * instant is a mismatch naming the field.
 */
export const createdAtOfDvs = (
  transaction: DvsTransaction,
): Either.Either<Date | undefined, ProviderAnswerMismatch> => {
  const text = transaction.creation_date;
  if (text === undefined || text === null) return Either.right(undefined);
  const parts = ISO_INSTANT.exec(text.trim());
  if (parts === null) return unreadable('creation_date', 'not an ISO 8601 instant with an offset');
  const [, dateTime, fraction, offset] = parts;
  const instant = Date.parse(
    `${dateTime}.${(fraction ?? '').padEnd(3, '0').slice(0, 3)}${offset === 'z' ? 'Z' : offset}`,
  );
  return Number.isNaN(instant) ? unreadable('creation_date', 'not a date') : Either.right(new Date(instant));
};

/**
 * What DVS debits us for the transaction: `prices.wholesale.amount +
 * prices.wholesale.fee` (a missing fee is none) in `prices.wholesale.unit`
 * (the source currency), exact. `undefined` when DVS gives no wholesale
 * price (or no amount); an amount or fee that cannot be read exactly, or a
 * unit that is no currency, is a mismatch naming the field.
 */
export const chargedOfDvs = (
  transaction: DvsTransaction,
): Either.Either<PreciseMoney | undefined, ProviderAnswerMismatch> => {
  const wholesale = transaction.prices?.wholesale;
  if (wholesale === undefined || wholesale === null) return Either.right(undefined);
  const { amount, fee } = wholesale;
  if (amount === undefined || amount === null) return Either.right(undefined);
  if (typeof amount !== 'number') return unreadable('prices.wholesale.amount', 'a range, not an amount');
  const currency = Either.getRight(currencyOf(wholesale.unit));
  if (Option.isNone(currency)) return unreadable('prices.wholesale.unit', 'not a known currency');
  const exact = (value: number, field: string) =>
    Either.orElse(preciseMoneyFromJsonNumber(value, currency.value), (error) =>
      unreadable(field, `cannot be read exactly: ${error.reason}`),
    );
  return Either.gen(function* () {
    const price = yield* exact(amount, 'prices.wholesale.amount');
    if (fee === undefined || fee === null) return price;
    return addPrecise(price, yield* exact(fee, 'prices.wholesale.fee'));
  });
};

/** The status event a DVS callback (a POSTed transaction object) carries. */
export const callbackOfDvs = (
  transaction: DvsTransaction,
): Either.Either<ProviderCallback, ProviderResponseInvalid | ProviderAnswerMismatch> =>
  Either.map(mapDvsTransaction(transaction), (mapped) =>
    Object.freeze({
      providerTransactionId: mapped.providerTransactionId,
      providerExternalId: mapped.providerExternalId,
      status: mapped.status,
      ...(mapped.receive === undefined ? {} : { receive: mapped.receive }),
    }),
  );
