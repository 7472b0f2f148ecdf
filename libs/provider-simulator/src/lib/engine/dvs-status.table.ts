import {
  DETAILED_STATUSES,
  type DetailedStatus,
  TRANSACTION_STATUS_CATALOGUE,
  type TransactionClass,
} from '@airtime/domain';

/**
 * Numeric ids of the DVS status classes and detailed statuses. The reference
 * names the classes and statuses but gives no ids: these follow DVS's own
 * scheme (class id N, status ids N0000 + index within the class).
 */
export const CLASS_IDS: Readonly<Record<TransactionClass, number>> = {
  CREATED: 1,
  CONFIRMED: 2,
  REJECTED: 3,
  CANCELLED: 4,
  SUBMITTED: 5,
  COMPLETED: 7,
  REVERSED: 8,
  DECLINED: 9,
};

const statusIds = (): ReadonlyMap<DetailedStatus, number> => {
  const counters = new Map<TransactionClass, number>();
  const ids = new Map<DetailedStatus, number>();
  for (const status of DETAILED_STATUSES) {
    const transactionClass = TRANSACTION_STATUS_CATALOGUE[status].class;
    const index = counters.get(transactionClass) ?? 0;
    counters.set(transactionClass, index + 1);
    ids.set(status, CLASS_IDS[transactionClass] * 10_000 + index);
  }
  return ids;
};

const STATUS_IDS = statusIds();

/** DVS's status object: `{ id, message, class: { id, message } }`. */
export interface DvsStatus {
  readonly id: number;
  readonly message: DetailedStatus;
  readonly class: { readonly id: number; readonly message: TransactionClass };
}

export const statusIdOf = (status: DetailedStatus): number => STATUS_IDS.get(status) ?? 0;

export const classOf = (status: DetailedStatus): TransactionClass => TRANSACTION_STATUS_CATALOGUE[status].class;

export const dvsStatusOf = (status: DetailedStatus): DvsStatus => {
  const transactionClass = classOf(status);
  return {
    id: statusIdOf(status),
    message: status,
    class: { id: CLASS_IDS[transactionClass], message: transactionClass },
  };
};

export const isFinalStatus = (status: DetailedStatus): boolean => {
  const transactionClass = classOf(status);
  return transactionClass !== 'CREATED' && transactionClass !== 'CONFIRMED' && transactionClass !== 'SUBMITTED';
};
