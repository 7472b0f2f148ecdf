import {
  currencyOf,
  DETAILED_STATUSES,
  describeStatus,
  type Money,
  moneyFromJsonNumber,
  parseTransactionClass,
  parseTransactionStatus,
  type ProviderCallback,
  ProviderResponseInvalid,
  type ProviderTransaction,
  statusOfClass,
  type TransactionStatus,
  transactionStatus,
  preciseOf,
} from '@airtime/domain';
import { Either, Option } from 'effect';
import { DTONE_PROVIDER_ID } from '../http/dvs-errors.mapping';
import type { DvsFixedValue } from '../schemas/dvs-common.schema';
import type { DvsTransaction, DvsTransactionStatus } from '../schemas/dvs-transaction.schema';

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
          reason: `unknown transaction status "${status.message}" of class "${status.class.message}"`,
        }),
      ),
  });
};

const currencyValue = (value: DvsFixedValue | null | undefined): Option.Option<Money> => {
  if (!value || value.unit_type !== 'CURRENCY') return Option.none();
  return Either.getRight(
    Either.flatMap(currencyOf(value.unit), (currency) => moneyFromJsonNumber(value.amount, currency)),
  );
};

/** What the beneficiary receives: the adjusted destination value, else the requested one (when in a currency). */
export const receivedValueOf = (transaction: DvsTransaction): Option.Option<Money> =>
  Option.orElse(currencyValue(transaction.adjusted_values?.destination), () =>
    currencyValue(transaction.requested_values?.destination),
  );

/** A DVS transaction as the `AirtimeProvider` port reports it. */
export const mapDvsTransaction = (
  transaction: DvsTransaction,
): Either.Either<ProviderTransaction, ProviderResponseInvalid> =>
  Either.map(statusOfDvs(transaction.status), (status) => {
    const receive = receivedValueOf(transaction);
    const operatorReference = transaction.operator_reference;
    return Object.freeze({
      providerTransactionId: String(transaction.id),
      providerExternalId: transaction.external_id,
      status,
      ...(Option.isSome(receive) ? { receive: preciseOf(receive.value) } : {}),
      ...(operatorReference === undefined || operatorReference === null || operatorReference === ''
        ? {}
        : { operatorReference }),
    });
  });

/** The status event a DVS callback (a POSTed transaction object) carries. */
export const callbackOfDvs = (transaction: DvsTransaction): Either.Either<ProviderCallback, ProviderResponseInvalid> =>
  Either.map(mapDvsTransaction(transaction), (mapped) =>
    Object.freeze({
      providerTransactionId: mapped.providerTransactionId,
      providerExternalId: mapped.providerExternalId,
      status: mapped.status,
      ...(mapped.receive === undefined ? {} : { receive: mapped.receive }),
    }),
  );
