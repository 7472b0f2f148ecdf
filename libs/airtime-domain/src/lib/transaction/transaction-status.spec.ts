import { Either } from 'effect';
import {
  DETAILED_STATUSES,
  describeStatus,
  isFinalClass,
  parseTransactionClass,
  parseTransactionStatus,
  statusOfClass,
  TRANSACTION_CLASSES,
  TRANSACTION_STATUS_CATALOGUE,
} from './transaction-status';
import { UnknownTransactionStatus } from './transaction.errors';

/** The class/status table of reference/dtone-dvs-api-reference.txt, plus the sandbox's DECLINED-EXCEPTION. */
const REFERENCE_TABLE: readonly (readonly [string, string])[] = [
  ['CREATED', 'CREATED'],
  ['CONFIRMED', 'CONFIRMED'],
  ['REJECTED', 'REJECTED'],
  ['REJECTED', 'REJECTED-INVALID-CREDIT-PARTY'],
  ['REJECTED', 'REJECTED-BARRED-CREDIT-PARTY'],
  ['REJECTED', 'REJECTED-INELIGIBLE-CREDIT-PARTY'],
  ['REJECTED', 'REJECTED-INVALID-DEBIT-PARTY'],
  ['REJECTED', 'REJECTED-BARRED-DEBIT-PARTY'],
  ['REJECTED', 'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT'],
  ['REJECTED', 'REJECTED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY'],
  ['REJECTED', 'REJECTED-OPERATOR-CURRENTLY-UNAVAILABLE'],
  ['REJECTED', 'REJECTED-INSUFFICIENT-BALANCE'],
  ['CANCELLED', 'CANCELLED'],
  ['SUBMITTED', 'SUBMITTED'],
  ['COMPLETED', 'COMPLETED'],
  ['REVERSED', 'REVERSED'],
  ['DECLINED', 'DECLINED'],
  ['DECLINED', 'DECLINED-INVALID-CREDIT-PARTY'],
  ['DECLINED', 'DECLINED-BARRED-CREDIT-PARTY'],
  ['DECLINED', 'DECLINED-INELIGIBLE-CREDIT-PARTY'],
  ['DECLINED', 'DECLINED-INVALID-DEBIT-PARTY'],
  ['DECLINED', 'DECLINED-BARRED-DEBIT-PARTY'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-OPERATOR-AMOUNT'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-AMOUNT'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-CUSTOMER-AMOUNT'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-OPERATOR-QUANTITY'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-CREDIT-PARTY-QUANTITY'],
  ['DECLINED', 'DECLINED-LIMITATIONS-ON-CUSTOMER-QUANTITY'],
  ['DECLINED', 'DECLINED-DUPLICATED-TRANSACTION'],
  ['DECLINED', 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'],
  ['DECLINED', 'DECLINED-EXCEPTION'],
];

describe('transaction status catalogue', () => {
  it('holds exactly the statuses of the reference table', () => {
    expect([...DETAILED_STATUSES].sort()).toEqual(REFERENCE_TABLE.map(([, status]) => status).sort());
  });

  it.each(REFERENCE_TABLE)('looks %s / %s up', (transactionClass, status) => {
    expect(parseTransactionStatus(status)).toEqual(Either.right({ class: transactionClass, status }));
  });

  it('describes statuses as the reference does', () => {
    expect(describeStatus('DECLINED-BARRED-CREDIT-PARTY')).toBe('Declined - Credit party is barred');
    expect(describeStatus('REJECTED-INSUFFICIENT-BALANCE')).toBe('Rejected - Insufficient balance');
    expect(describeStatus('DECLINED')).toBe('Declined (no additional information available)');
  });

  it('gives every class its plain status', () => {
    for (const transactionClass of TRANSACTION_CLASSES) {
      expect(statusOfClass(transactionClass)).toEqual({ class: transactionClass, status: transactionClass });
      expect(TRANSACTION_STATUS_CATALOGUE[transactionClass].class).toBe(transactionClass);
    }
  });

  it('tolerates case and surrounding spaces', () => {
    expect(parseTransactionStatus('  declined-exception ')).toEqual(
      Either.right({ class: 'DECLINED', status: 'DECLINED-EXCEPTION' }),
    );
    expect(parseTransactionClass(' Submitted')).toEqual(Either.right('SUBMITTED'));
  });

  it('refuses an unknown status or class with a typed error', () => {
    const status = parseTransactionStatus('DECLINED-SOMETHING-NEW');
    expect(Either.isLeft(status) && status.left).toEqual(new UnknownTransactionStatus({ kind: 'status' }));
    // a provider's text is never quoted
    expect(Either.isLeft(status) && status.left.message).not.toContain('SOMETHING-NEW');
    if (Either.isLeft(status)) expect(status.left.code).toBe('UNKNOWN_TRANSACTION_STATUS');
    expect(Either.isLeft(parseTransactionStatus('toString'))).toBe(true);
    expect(Either.isLeft(parseTransactionStatus(''))).toBe(true);
    // a JavaScript caller may pass anything read from outside (a JSON null): refused, never thrown
    for (const odd of [undefined, null, 7, { status: 'COMPLETED' }, ['COMPLETED']] as unknown as string[]) {
      expect(Either.isLeft(parseTransactionStatus(odd)) && parseTransactionStatus(odd)).toMatchObject({
        left: { _tag: 'UnknownTransactionStatus', kind: 'status' },
      });
      expect(Either.isLeft(parseTransactionClass(odd)) && parseTransactionClass(odd)).toMatchObject({
        left: { _tag: 'UnknownTransactionStatus', kind: 'class' },
      });
    }
    const transactionClass = parseTransactionClass('PENDING');
    expect(Either.isLeft(transactionClass) && transactionClass.left.kind).toBe('class');
  });

  it('knows the final classes', () => {
    expect(TRANSACTION_CLASSES.filter(isFinalClass)).toEqual([
      'COMPLETED',
      'REVERSED',
      'REJECTED',
      'CANCELLED',
      'DECLINED',
    ]);
  });
});
