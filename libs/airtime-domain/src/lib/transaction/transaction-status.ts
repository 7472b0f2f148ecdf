import { Either } from 'effect';
import { UnknownTransactionStatus } from './transaction.errors';

/**
 * The DVS status classes (reference/dtone-dvs-api-reference.txt). Business
 * logic follows the class; the detailed status adds insight.
 */
export const TRANSACTION_CLASSES = [
  'CREATED',
  'CONFIRMED',
  'SUBMITTED',
  'COMPLETED',
  'REVERSED',
  'REJECTED',
  'CANCELLED',
  'DECLINED',
] as const;

export type TransactionClass = (typeof TRANSACTION_CLASSES)[number];

/** Classes a transaction normally ends in; only COMPLETED may still move (to REVERSED). */
export const FINAL_CLASSES: readonly TransactionClass[] = [
  'COMPLETED',
  'REVERSED',
  'REJECTED',
  'CANCELLED',
  'DECLINED',
];

/** Classes that mean the value was not delivered (the hold is voided). */
export const FAILURE_CLASSES = ['REJECTED', 'CANCELLED', 'DECLINED'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Classes of a transaction the provider holds but has not finished. */
export const PENDING_CLASSES = ['CREATED', 'CONFIRMED', 'SUBMITTED'] as const;
export type PendingClass = (typeof PENDING_CLASSES)[number];

interface CatalogueEntry {
  readonly class: TransactionClass;
  readonly description: string;
}

/**
 * Every detailed status of the DVS class/status table, plus
 * DECLINED-EXCEPTION from the sandbox suffix table.
 */
export const TRANSACTION_STATUS_CATALOGUE = {
  CREATED: { class: 'CREATED', description: 'Created' },
  CONFIRMED: { class: 'CONFIRMED', description: 'Confirmed' },
  REJECTED: { class: 'REJECTED', description: 'Rejected' },
  'REJECTED-INVALID-CREDIT-PARTY': { class: 'REJECTED', description: 'Rejected - Credit party is invalid' },
  'REJECTED-BARRED-CREDIT-PARTY': { class: 'REJECTED', description: 'Rejected - Credit party is barred' },
  'REJECTED-INELIGIBLE-CREDIT-PARTY': {
    class: 'REJECTED',
    description: 'Rejected - Credit party is ineligible for chosen product',
  },
  'REJECTED-INVALID-DEBIT-PARTY': { class: 'REJECTED', description: 'Rejected - Debit party is invalid' },
  'REJECTED-BARRED-DEBIT-PARTY': { class: 'REJECTED', description: 'Rejected - Debit party is barred' },
  'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT': {
    class: 'REJECTED',
    description: 'Rejected - Limitations on credit party cumulative transaction amount',
  },
  'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY': {
    class: 'REJECTED',
    description: 'Rejected - Limitations on credit party cumulative transaction quantity',
  },
  'REJECTED-OPERATOR-CURRENTLY-UNAVAILABLE': {
    class: 'REJECTED',
    description: 'Rejected - Operator currently unavailable',
  },
  'REJECTED-INSUFFICIENT-BALANCE': { class: 'REJECTED', description: 'Rejected - Insufficient balance' },
  CANCELLED: { class: 'CANCELLED', description: 'Cancelled' },
  SUBMITTED: { class: 'SUBMITTED', description: 'Submitted' },
  COMPLETED: { class: 'COMPLETED', description: 'Completed' },
  REVERSED: { class: 'REVERSED', description: 'Reversed' },
  DECLINED: { class: 'DECLINED', description: 'Declined (no additional information available)' },
  'DECLINED-INVALID-CREDIT-PARTY': { class: 'DECLINED', description: 'Declined - Credit party is invalid' },
  'DECLINED-BARRED-CREDIT-PARTY': { class: 'DECLINED', description: 'Declined - Credit party is barred' },
  'DECLINED-INELIGIBLE-CREDIT-PARTY': {
    class: 'DECLINED',
    description: 'Declined - Credit party is ineligible for chosen product',
  },
  'DECLINED-INVALID-DEBIT-PARTY': { class: 'DECLINED', description: 'Declined - Debit party is invalid' },
  'DECLINED-BARRED-DEBIT-PARTY': { class: 'DECLINED', description: 'Declined - Debit party is barred' },
  'DECLINED-LIMITATIONS-ON-OPERATOR-AMOUNT': {
    class: 'DECLINED',
    description: 'Declined - Limitations on operator cumulative transaction amount',
  },
  'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT': {
    class: 'DECLINED',
    description: 'Declined - Limitations on credit party cumulative transaction amount',
  },
  'DECLINED-LIMITATIONS-ON-CUSTOMER-AMOUNT': {
    class: 'DECLINED',
    description: 'Declined - Limitations on customer cumulative transaction amount',
  },
  'DECLINED-LIMITATIONS-ON-OPERATOR-QUANTITY': {
    class: 'DECLINED',
    description: 'Declined - Limitations on operator cumulative transaction quantity',
  },
  'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY': {
    class: 'DECLINED',
    description: 'Declined - Limitations on credit party cumulative transaction quantity',
  },
  'DECLINED-LIMITATIONS-ON-CUSTOMER-QUANTITY': {
    class: 'DECLINED',
    description: 'Declined - Limitations on customer cumulative transaction quantity',
  },
  'DECLINED-DUPLICATED-TRANSACTION': { class: 'DECLINED', description: 'Declined - Duplicated transaction' },
  'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE': {
    class: 'DECLINED',
    description: 'Declined - Operator currently unavailable',
  },
  'DECLINED-EXCEPTION': { class: 'DECLINED', description: 'Declined - Exception (DVS sandbox)' },
} as const satisfies Readonly<Record<string, CatalogueEntry>>;

type Catalogue = typeof TRANSACTION_STATUS_CATALOGUE;

/** A detailed DVS status, e.g. `DECLINED-BARRED-CREDIT-PARTY`. */
export type DetailedStatus = keyof Catalogue;

/** The detailed statuses of the classes `C`. */
export type DetailedStatusOf<C extends TransactionClass> = {
  [K in DetailedStatus]: Catalogue[K]['class'] extends C ? K : never;
}[DetailedStatus];

/** A transaction status as DVS reports it: the class and the detailed status. */
export interface TransactionStatus {
  readonly class: TransactionClass;
  readonly status: DetailedStatus;
}

export const DETAILED_STATUSES = Object.keys(TRANSACTION_STATUS_CATALOGUE) as readonly DetailedStatus[];

const isDetailedStatus = (text: string): text is DetailedStatus =>
  Object.prototype.hasOwnProperty.call(TRANSACTION_STATUS_CATALOGUE, text);

const isTransactionClass = (text: string): text is TransactionClass =>
  (TRANSACTION_CLASSES as readonly string[]).includes(text);

/** The class and detailed status of a known detailed status. */
export const transactionStatus = (status: DetailedStatus): TransactionStatus =>
  Object.freeze({ class: TRANSACTION_STATUS_CATALOGUE[status].class, status });

/** The plain status of a class (`DECLINED` for DECLINED): what to use when no detail is known. */
export const statusOfClass = (transactionClass: TransactionClass): TransactionStatus =>
  transactionStatus(transactionClass);

export const describeStatus = (status: DetailedStatus): string => TRANSACTION_STATUS_CATALOGUE[status].description;

/** Looks a detailed status text up (surrounding spaces and letter case are ignored). */
export const parseTransactionStatus = (text: string): Either.Either<TransactionStatus, UnknownTransactionStatus> => {
  // a JavaScript caller may pass anything read from outside (a JSON null): unknown, never a throw
  const normalized = typeof text === 'string' ? text.trim().toUpperCase() : '';
  return isDetailedStatus(normalized)
    ? Either.right(transactionStatus(normalized))
    : Either.left(new UnknownTransactionStatus({ kind: 'status' }));
};

/** Looks a class text up (surrounding spaces and letter case are ignored). */
export const parseTransactionClass = (text: string): Either.Either<TransactionClass, UnknownTransactionStatus> => {
  const normalized = typeof text === 'string' ? text.trim().toUpperCase() : '';
  return isTransactionClass(normalized)
    ? Either.right(normalized)
    : Either.left(new UnknownTransactionStatus({ kind: 'class' }));
};

export const isFinalClass = (transactionClass: TransactionClass): boolean => FINAL_CLASSES.includes(transactionClass);

export const isFailureClass = (transactionClass: TransactionClass): transactionClass is FailureClass =>
  (FAILURE_CLASSES as readonly TransactionClass[]).includes(transactionClass);

export const isPendingClass = (transactionClass: TransactionClass): transactionClass is PendingClass =>
  (PENDING_CLASSES as readonly TransactionClass[]).includes(transactionClass);

export const sameStatus = (a: TransactionStatus, b: TransactionStatus): boolean =>
  a.class === b.class && a.status === b.status;
