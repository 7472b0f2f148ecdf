// What `npm run admin` prints: what a command did (an account opened, a
// deposit and the balances after it, a credit limit, a callback signing
// secret or a key shown once, a key revoked, an account's keys, a top-up
// settled by hand), and a refusal in the words of the flags the operator
// typed. Never a key's hash, never a value that came in.
import { FINAL_STATUSES, MAX_SETTLEMENT_REASON_LENGTH, type StoredApiKey } from '@airtime/application';
import { currencyOf } from '@airtime/domain';
import { Either } from 'effect';
import { amount, balanceLines, refusalText } from '../ledger/fund-report.format';
import type { AdminError, AdminOutcome } from './admin-command.use-case';

/** The use cases' field names as the flags that carry them. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  id: '--id',
  name: '--name',
  accountId: '--id',
  currency: '--currency',
  amount: '--amount',
  depositId: '--deposit-id',
  creditLimit: '--limit',
  label: '--label',
  accountIds: '--account',
  keyId: '--key-id',
  topUpId: 'TOP_UP_ID',
  status: '--status',
  reason: '--reason',
  operator: '--operator',
};

/**
 * What a field must be, told instead of the decoder's words when it is
 * refused: a settlement's reason is kept and printed to people, so its rule
 * is said in full (the value is never repeated: it may hold escapes); a
 * status, every final DVS status allowed.
 */
const RULE_OF_FIELD: Readonly<Record<string, string>> = {
  reason: `1 to ${MAX_SETTLEMENT_REASON_LENGTH} characters, no control or invisible format characters but tab and line feed; nothing was recorded`,
  operator:
    '1 to 100 characters with no control, invisible, format or separator character but a plain space inside, not starting with a combining mark; nothing was recorded',
  status: `expected a final DVS status (any letter case): COMPLETED, REVERSED (only of a COMPLETED top-up), CANCELLED, DECLINED, REJECTED, or a detailed one: ${FINAL_STATUSES.filter(
    (status) => status.includes('-'),
  )
    .sort()
    .join(', ')}; nothing was recorded`,
};

/** The flag of a decode failure's field (`accountIds.1` is the second --account). */
const flagOf = (field: string): string => {
  const [head = field] = field.split('.', 1);
  return FLAG_OF_FIELD[head] ?? field;
};

const dateOf = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const keyLine = (key: StoredApiKey): string =>
  [
    key.id,
    `atk_${key.prefix}_…`,
    JSON.stringify(key.label),
    key.accountIds.join(','),
    `created ${dateOf(key.createdAt)}`,
    key.revokedAt === undefined ? 'active' : `revoked ${dateOf(key.revokedAt)}`,
  ].join('  ');

/** A settlement by hand as printed: what changed, by whom, why, and where the top-up stands now. */
const settledText = (outcome: Extract<AdminOutcome, { readonly kind: 'top-up-settled' }>): string => {
  const { settlement, topUp } = outcome;
  const by = `operator ${settlement.operator ?? '?'}`;
  return [
    settlement.state === 'UNCHANGED'
      ? `top-up ${topUp.id} already stood at ${settlement.toStatus.status}: nothing changed (recorded by ${by})`
      : `settled top-up ${topUp.id}: ${settlement.fromStatus.status} -> ${settlement.toStatus.status} by ${by}`,
    `reason: ${settlement.reason}`,
    `top-up ${topUp.id} is now ${topUp.status.status} (settlement ${settlement.id}, ${settlement.state})`,
  ].join('\n');
};

/** The text printed for what a command did. */
export const adminReport = (outcome: AdminOutcome): string => {
  switch (outcome.kind) {
    case 'account-created':
      return outcome.created
        ? `opened account ${outcome.account.id} (${outcome.account.name})`
        : `account ${outcome.account.id} (${outcome.account.name}) was already open: nothing changed`;
    case 'deposited': {
      const { balance } = outcome;
      const code = balance.currency.code;
      return [
        outcome.deposited
          ? `deposited ${code} ${outcome.amount} on account ${outcome.accountId} under deposit id ${outcome.depositId}`
          : `deposit id ${outcome.depositId} was already recorded: nothing added`,
        ...(outcome.depositIdMade ? ['(give --deposit-id with that id to repeat this command safely)'] : []),
        `account ${balance.accountId} (${code}) now:`,
        ...balanceLines(balance),
      ].join('\n');
    }
    case 'credit-limit-set': {
      const { balance } = outcome;
      return [
        `credit limit of account ${balance.accountId} in ${balance.currency.code}: ${amount(balance.creditLimitMinor, balance.currency)}`,
        `account ${balance.accountId} (${balance.currency.code}) now:`,
        ...balanceLines(balance),
      ].join('\n');
    }
    case 'callback-secret-set':
      return [
        outcome.rotated
          ? `new callback signing secret of account ${outcome.accountId} (it replaces the previous one):`
          : `callback signing secret of account ${outcome.accountId}:`,
        '',
        `  ${outcome.secret}`,
        '',
        "It is shown this once. Give it to the receivers of the account's callbacks: each callback carries",
        'X-Airtime-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")> (README: Callbacks).',
        outcome.rotated
          ? 'Every try from now on is signed with it, never the previous one: a receiver still checking the previous one refuses them, and they are tried again on the retry schedule.'
          : 'Requests naming a callback_url are taken for this account from now on (refused before), and its callbacks are signed with it.',
        `Replace it with: npm run admin -- account callback-secret --id ${outcome.accountId} --rotate`,
      ].join('\n');
    case 'key-created':
      return [
        `API key ${outcome.apiKey.id} (${outcome.apiKey.label}) for ${outcome.apiKey.accountIds.join(', ')}:`,
        '',
        `  ${outcome.key}`,
        '',
        'It is shown this once: only its hash is stored. Send it as the header Authorization: Bearer <key>.',
        `Revoke it with: npm run admin -- key revoke --key-id ${outcome.apiKey.id}`,
      ].join('\n');
    case 'key-revoked':
      return `revoked API key ${outcome.apiKey.id} (${outcome.apiKey.label}) at ${dateOf(outcome.apiKey.revokedAt ?? outcome.apiKey.createdAt)}`;
    case 'key-list':
      return outcome.keys.length === 0
        ? `account ${outcome.accountId} has no API keys`
        : [
            `API keys of account ${outcome.accountId} (id, prefix, label, accounts, created, state):`,
            ...outcome.keys.map((key) => `  ${keyLine(key)}`),
          ].join('\n');
    case 'top-up-settled':
      return settledText(outcome);
  }
};

/**
 * Errors that are a refusal of what was asked (exit 3); a PersistenceFailure,
 * or a top-up changed by another process at the same moment, is a failure
 * (exit 1: run the command again).
 */
export const isRefusal = (error: AdminError): boolean =>
  error._tag !== 'PersistenceFailure' && error._tag !== 'ConcurrentModification';

/**
 * A credit limit below what the account draws, in the major units the
 * operator typed (`--limit 4.84`), where the ledger tells it in minor units.
 */
const creditLimitInUseText = (error: Extract<AdminError, { readonly _tag: 'CreditLimitInUse' }>): string =>
  Either.match(currencyOf(error.currency), {
    onLeft: () => error.message,
    onRight: (currency) =>
      `${currency.code} account "${error.accountId}" has ${amount(error.availableMinor, currency)} available; ` +
      `a credit limit of ${amount(error.requestedCreditLimitMinor, currency)} does not cover it`,
  });

/** Whether the error is about the arguments themselves (exit 2). */
export const isBadArgument = (error: AdminError): boolean => error._tag === 'InvalidInput';

/**
 * A refusal as printed: a field's problem names its flag ("--amount: ...");
 * an unknown account or key, an account that exists under another name, and
 * the ledger's refusals in their own words (which quote no input).
 */
export const adminRefusalText = (error: AdminError): string => {
  switch (error._tag) {
    case 'InvalidInput':
      return `${flagOf(error.field)}: ${RULE_OF_FIELD[error.field] ?? error.reason}`;
    case 'CustomerAccountNotFound':
      return 'no such account (create it first: npm run admin -- account create --id ... --name ...)';
    case 'AccountAlreadyExists':
      return 'an account with this id already exists under another name';
    case 'ApiKeyNotFound':
      return 'no API key with this id (npm run admin -- key list --account ... lists them)';
    case 'CallbackSecretExists':
      return 'the account already has a callback signing secret, which its receivers check: nothing was changed (give --rotate to replace it)';
    case 'TopUpNotFound':
      return 'no top-up with this id';
    case 'TopUpAlreadyFinal':
      return `the top-up is already ${error.status.status}: a final status changes only from COMPLETED to REVERSED`;
    case 'IllegalTransition':
      return `REVERSED is only for a COMPLETED top-up (this one is ${error.from.status})`;
    case 'NoAttemptToSettle':
      return 'the top-up was never sent to a provider: nothing to settle (cancel it instead)';
    case 'NotAwaitingDecision':
      return (
        `the top-up is still open (${error.status}) and the latest reconciliation run of its provider does not list ` +
        'it as awaiting a decision: ' +
        "its provider may still deliver it. Let the workers or npm run reconcile settle it from the provider's answer, " +
        'or, once you have checked with the provider that it is final there, repeat with --force'
      );
    case 'CreditLimitInUse':
      return creditLimitInUseText(error);
    case 'SettlementRefused':
      return `the change was refused, and the refusal recorded: ${error.refusal}`;
    default:
      // the ledger's refusals, amounts in major units
      return refusalText(error);
  }
};
