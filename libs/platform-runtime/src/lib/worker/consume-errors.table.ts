// The one table of the top-up command worker's answers: every error the top-up command
// handler can fail with, by `_tag`, to what becomes of its message. Typed
// with `satisfies Record<TopUpCommandError['_tag'], ...>`: an error the
// handler can fail with and this table does not name fails the type-check,
// and so does a name that is no longer an error of the handler.
//
// - `dead-letter`: only errors about the command itself, which the same
//   message can never get past (malformed, invalid, a conflict, nothing to
//   sell, an account the ledger refuses): it goes to the dead-letter queue
//   with `<code>: <message>` as its reason (messages name fields and kinds,
//   never a value; see `messageOf`, which names retried errors so too);
// - `retry`: everything about the platform's dependencies, whatever the
//   error says of itself: every PersistenceFailure (a failover's read-only
//   database, a full disk, a missing table are outages too, and a command
//   must outlive them) and every provider error of the catalogue reads
//   (lookup, products; nothing is sent while requesting). The runner parks
//   the message in the retry queue with a growing delay and dead-letters it
//   only after its bounded number of retries, with the last reason;
// - `ack`: the message's work is durable; nothing more to do with it.
import { ConsumeDecision } from '@airtime/messaging-rabbitmq';
import type { TopUpCommandError } from './top-up-command.handler';

export type ConsumeRule = 'ack' | 'retry' | 'dead-letter';

export const CONSUME_ERRORS = {
  // the body
  MalformedCommand: 'dead-letter',
  // the request
  InvalidTopUpRequest: 'dead-letter',
  ExternalIdConflict: 'dead-letter',
  // a callback_url for an account with no signing secret: refused until an operator makes one
  CallbackSecretMissing: 'dead-letter',
  InvalidIdentifier: 'dead-letter',
  InvalidTopUp: 'dead-letter',
  // quoting: nothing to sell for this request
  OperatorNotFound: 'dead-letter',
  ProductNotFound: 'dead-letter',
  ExactAmountUnavailable: 'dead-letter',
  NoMatchingProduct: 'dead-letter',
  CurrencyNotAccepted: 'dead-letter',
  InvalidSelectionRequest: 'dead-letter',
  // the ledger's hold: an account that cannot pay is a REJECTED top-up, not an error; these are requests it
  // refuses for good (no such account, another currency, a transaction id already used for another amount)
  AccountNotFound: 'dead-letter',
  AccountAlreadyOpen: 'dead-letter',
  CreditLimitInUse: 'dead-letter',
  InvalidLedgerAmount: 'dead-letter',
  InvalidLedgerCurrency: 'dead-letter',
  InsufficientFunds: 'dead-letter',
  IdempotencyConflict: 'dead-letter',
  HoldNotFound: 'dead-letter',
  HoldAlreadySettled: 'dead-letter',
  CaptureExceedsHold: 'dead-letter',
  HoldNotCaptured: 'dead-letter',
  // the provider's catalogue reads (lookup, products): nothing is sent while requesting, so reading again is
  // safe; whatever the provider answered now (down, throttled, an answer we cannot read, a refusal) may pass
  ProviderUnavailable: 'retry',
  ProviderRateLimited: 'retry',
  ProviderRetryLater: 'retry',
  ProviderOutcomeUnknown: 'retry',
  ProviderRejected: 'retry',
  ProviderAnswerMismatch: 'retry',
  ProviderResponseInvalid: 'retry',
  ExternalIdAlreadyUsed: 'retry',
  StatusQueryUnsupported: 'retry',
  TransactionListUnsupported: 'retry',
  // the store: a lost connection, a failover (read-only), a full disk, memory, a missing table: all outages
  PersistenceFailure: 'retry',
  // another consumer is creating the same top-up right now: next time it is a repeat
  DuplicateKey: 'retry',
  // the top-up is committed; the scheduler takes its send over
  FirstSendDeferred: 'ack',
} as const satisfies Record<TopUpCommandError['_tag'], ConsumeRule>;

/** A provider's error code as given when it looks like one (digits, letters, `_ . -`), never a sentence. */
const providerCodeOf = (code: string): string =>
  /^[A-Za-z0-9_.-]{1,32}$/.test(code) ? `code ${code}` : 'a code that is not one';

/**
 * The message of an error in a reason or a log line: the error's own, but for
 * the errors whose own message quotes values of the request or texts of the
 * provider (amounts, the number's country, the operator's id, currencies
 * offered; a provider error's `reason`, which an adapter may fill from the
 * answer, its retry-after, its external id; a duplicate's key): those name
 * the fields and kinds instead (the README: reasons name fields, kinds and
 * codes, never values; ledger refusals may name the account id and
 * currency). Retried errors are named so too: their reason goes into the
 * retry header, the retry log lines and the last dead-letter reason.
 */
export const messageOf = (error: TopUpCommandError): string => {
  switch (error._tag) {
    case 'ProviderUnavailable':
      return `${error.provider} unavailable`;
    case 'ProviderRateLimited':
      return `${error.provider} rate limit reached`;
    case 'ProviderRejected':
      return `${error.provider} refused (${providerCodeOf(error.providerCode)})`;
    case 'ProviderOutcomeUnknown':
      return `${error.provider} outcome unknown (${error.kind})`;
    case 'ProviderAnswerMismatch':
      return `${error.provider} answer does not match the request at ${error.field}`;
    case 'ProviderRetryLater':
      return `${error.provider} asks to retry later`;
    case 'ProviderResponseInvalid':
      return `${error.provider} answered an undecodable response`;
    case 'ExternalIdAlreadyUsed':
      return `${error.provider} already has a transaction under our external id: fetch that transaction`;
    case 'DuplicateKey':
      return `${error.entity} with this key already exists`;
    case 'NoMatchingProduct':
      return 'no product offers an amount at or below max_amount';
    case 'ExactAmountUnavailable':
      return 'the exact amount asked (desired_amount, or max_amount without it) is not offered for phone_number';
    case 'CurrencyNotAccepted':
      return "currency is neither the destination's currency nor one the products are priced in";
    case 'OperatorNotFound':
      return 'no operator found for phone_number';
    case 'ProductNotFound':
      return "product_id is not offered by phone_number's operator";
    case 'InsufficientFunds':
      return `${error.currency} account "${error.accountId}" cannot hold the amount asked`;
    case 'InvalidLedgerAmount':
      return `invalid ${error.operation} amount: ${error.reason}`;
    case 'CaptureExceedsHold':
      return `cannot capture more than is held for transaction "${error.transactionId}"`;
    case 'AccountAlreadyOpen':
      return `${error.currency} account "${error.accountId}" is already open with another credit limit`;
    case 'CreditLimitInUse':
      return `${error.currency} account "${error.accountId}" draws on more than the credit limit asked`;
    default:
      return error.message;
  }
};

/** The dead-letter (or retry) reason of an error: its stable code and its message (`messageOf`). */
export const reasonOf = (error: TopUpCommandError): string => `${error.code}: ${messageOf(error)}`;

/** What becomes of the message of a handler that failed with `error`. */
export const decisionOf = (error: TopUpCommandError): ConsumeDecision => {
  const rule: ConsumeRule = CONSUME_ERRORS[error._tag];
  switch (rule) {
    case 'ack':
      return ConsumeDecision.Ack();
    case 'retry':
      return ConsumeDecision.Retry({ reason: reasonOf(error) });
    case 'dead-letter':
      return ConsumeDecision.DeadLetter({ reason: reasonOf(error) });
  }
};
