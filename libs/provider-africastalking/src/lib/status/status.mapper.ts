import { type DetailedStatus, failureOfStatus, transactionStatus, type TransactionStatus } from '@airtime/domain';

/** The statuses Africa's Talking reports, in its send answers and status callbacks. */
export const AT_STATUSES = [
  'Sent',
  'Queued',
  'Success',
  'Failed',
  'InvalidRequest',
  'NotSupported',
  'InsufficientBalance',
  'UserInInvalidState',
  'UserNotFound',
] as const;

export type AtStatus = (typeof AT_STATUSES)[number];

interface AtStatusMapping {
  /** In the immediate send answer (AT did or did not take the request). */
  readonly immediate: DetailedStatus;
  /** In the status callback (AT had taken it: the attempt is SUBMITTED, from which only COMPLETED or DECLINED are legal). */
  readonly callback: DetailedStatus;
}

/**
 * Africa's Talking status -> DVS status.
 *
 * | AT status           | immediate answer               | status callback                  | meaning                                   |
 * | ------------------- | ------------------------------ | -------------------------------- | ----------------------------------------- |
 * | Sent                | SUBMITTED                      | SUBMITTED                        | handed to the telco: pending              |
 * | Queued              | SUBMITTED                      | SUBMITTED                        | queued at AT: pending                     |
 * | Success             | SUBMITTED                      | COMPLETED                        | delivered (immediately: accepted only)    |
 * | Failed              | DECLINED                       | DECLINED                         | the telco did not deliver                 |
 * | InvalidRequest      | REJECTED                       | DECLINED                         | AT refused the request                    |
 * | NotSupported        | DECLINED-INELIGIBLE-CREDIT-PARTY | DECLINED-INELIGIBLE-CREDIT-PARTY | the number cannot take airtime this way |
 * | InsufficientBalance | REJECTED-INSUFFICIENT-BALANCE  | DECLINED                         | our AT balance is too low                 |
 * | UserInInvalidState  | DECLINED-BARRED-CREDIT-PARTY   | DECLINED-BARRED-CREDIT-PARTY     | the line is suspended/barred              |
 * | UserNotFound        | DECLINED-INVALID-CREDIT-PARTY  | DECLINED-INVALID-CREDIT-PARTY    | no such subscriber                        |
 *
 * The immediate answer is never final (reference: "Arrow 1b should NOT be
 * treated as the final response ... The final status ... is always provided
 * through arrow 4"): an immediate Success is an acceptance, SUBMITTED like
 * Sent, since a COMPLETED could not be undone by a later Failed.
 *
 * REJECTED (refused before processing) is only legal before submission: in
 * the immediate answer. A callback comes after AT answered "Sent", when the
 * attempt is SUBMITTED and the state machine allows only COMPLETED or
 * DECLINED, so the REJECTED statuses arrive there as plain DECLINED (same
 * effect: the hold is voided, no retry). UserInInvalidState is read as a
 * barred line (the closest DVS detail; "ineligible" is kept for NotSupported).
 */
export const AT_STATUS_MAPPING: Readonly<Record<AtStatus, AtStatusMapping>> = {
  Sent: { immediate: 'SUBMITTED', callback: 'SUBMITTED' },
  Queued: { immediate: 'SUBMITTED', callback: 'SUBMITTED' },
  Success: { immediate: 'SUBMITTED', callback: 'COMPLETED' },
  Failed: { immediate: 'DECLINED', callback: 'DECLINED' },
  InvalidRequest: { immediate: 'REJECTED', callback: 'DECLINED' },
  NotSupported: { immediate: 'DECLINED-INELIGIBLE-CREDIT-PARTY', callback: 'DECLINED-INELIGIBLE-CREDIT-PARTY' },
  InsufficientBalance: { immediate: 'REJECTED-INSUFFICIENT-BALANCE', callback: 'DECLINED' },
  UserInInvalidState: { immediate: 'DECLINED-BARRED-CREDIT-PARTY', callback: 'DECLINED-BARRED-CREDIT-PARTY' },
  UserNotFound: { immediate: 'DECLINED-INVALID-CREDIT-PARTY', callback: 'DECLINED-INVALID-CREDIT-PARTY' },
};

export const isAtStatus = (text: string): text is AtStatus => (AT_STATUSES as readonly string[]).includes(text);

/** The DVS status of an AT status in the immediate send answer. */
export const immediateStatusOf = (status: AtStatus): TransactionStatus =>
  transactionStatus(AT_STATUS_MAPPING[status].immediate);

/** The DVS status of an AT status in a status callback. */
export const callbackStatusOf = (status: AtStatus): TransactionStatus =>
  transactionStatus(AT_STATUS_MAPPING[status].callback);

/** Whether AT's immediate answer took the request (Sent, Queued, Success): the final status comes by callback. */
export const isPendingAtStatus = (status: AtStatus): boolean => AT_STATUS_MAPPING[status].immediate === 'SUBMITTED';

/** Whether the same request may succeed later: the domain's reading of the DVS status (no AT failure is). */
export const isRetryableAtFailure = (status: AtStatus): boolean => failureOfStatus(immediateStatusOf(status)).retryable;
