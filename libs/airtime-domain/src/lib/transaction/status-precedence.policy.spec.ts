import { test } from '@fast-check/jest';
import fc from 'fast-check';
import { arbitraryStatusOfClasses } from '../../testing/transaction.arbitraries';
import { failureOfStatus } from './attempt';
import { type AttemptReading, supersedes } from './status-precedence.policy';
import { transactionStatus, type TransactionStatus } from './transaction-status';

const reading = (status: TransactionStatus): AttemptReading => ({ status, failure: failureOfStatus(status) });
const of = (name: Parameters<typeof transactionStatus>[0]) => reading(transactionStatus(name));

describe('status precedence within a class', () => {
  it('prefers a specific detail to the bare class, in either order', () => {
    expect(supersedes(of('DECLINED'), of('DECLINED-BARRED-CREDIT-PARTY'))).toBe(true);
    expect(supersedes(of('DECLINED-BARRED-CREDIT-PARTY'), of('DECLINED'))).toBe(false);
  });

  it('prefers a failure that ends the top-up to one that retries', () => {
    expect(supersedes(of('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'), of('DECLINED'))).toBe(true);
    expect(supersedes(of('DECLINED'), of('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE'))).toBe(false);
  });

  it('keeps the first of two specific details listed in the DVS table, and ignores duplicates', () => {
    expect(supersedes(of('DECLINED-BARRED-CREDIT-PARTY'), of('DECLINED-INVALID-CREDIT-PARTY'))).toBe(true);
    expect(supersedes(of('DECLINED-INVALID-CREDIT-PARTY'), of('DECLINED-BARRED-CREDIT-PARTY'))).toBe(false);
    expect(supersedes(of('DECLINED'), of('DECLINED'))).toBe(false);
  });

  test.prop([
    fc
      .constantFrom<'REJECTED' | 'DECLINED'>('REJECTED', 'DECLINED')
      .chain((failureClass) =>
        fc.tuple(arbitraryStatusOfClasses([failureClass]), arbitraryStatusOfClasses([failureClass]), fc.boolean()),
      ),
  ])('is a strict total order: of two different readings exactly one supersedes the other', ([a, b, retryable]) => {
    const left = reading(a);
    const right = { status: b, failure: { ...failureOfStatus(b), retryable } };
    const same = a.status === b.status && left.failure?.retryable === retryable;
    expect(supersedes(left, right) && supersedes(right, left)).toBe(false);
    if (!same) expect(supersedes(left, right) || supersedes(right, left)).toBe(true);
  });
});
