import {
  attemptFailed,
  attemptUnknown,
  cancelTopUp,
  createTopUp,
  EXTERNAL_ID_MAX_LENGTH,
  parseExternalId,
  recordAttemptOutcome,
  rejectForRefusedHold,
  startAttempt,
  type TopUp,
  attemptSucceeded,
} from '@airtime/domain';
import { arbitraryExternalId, sampleNewTopUp } from '@airtime/domain/testing';
import { Either } from 'effect';
import fc from 'fast-check';
import { failedForCertain, resendExternalIdFor, resendOfRequest } from './resend.policy';

const resendNumber = fc.integer({ min: 1, max: 1_000_000 });

describe('resendExternalIdFor', () => {
  it('is always a valid external id within the length, NFC when the original is', () => {
    fc.assert(
      fc.property(arbitraryExternalId(), resendNumber, (externalId, n) => {
        const derived = resendExternalIdFor(externalId, n);
        expect(derived.length).toBeLessThanOrEqual(EXTERNAL_ID_MAX_LENGTH);
        expect(Either.isRight(parseExternalId(derived))).toBe(true);
        expect(derived.endsWith(`~r${n}`)).toBe(true);
        if (externalId.normalize('NFC') === externalId) expect(derived.normalize('NFC')).toBe(derived);
      }),
      { numRuns: 2_000 },
    );
  });

  it('is deterministic, distinct for distinct numbers, and keeps a prefix of the original', () => {
    fc.assert(
      fc.property(arbitraryExternalId(), resendNumber, resendNumber, (externalId, n, m) => {
        const derived = resendExternalIdFor(externalId, n);
        expect(resendExternalIdFor(externalId, n)).toBe(derived);
        expect(resendExternalIdFor(externalId, m) === derived).toBe(n === m);
        expect(derived).not.toBe(externalId);
        expect(derived.startsWith(externalId.slice(0, 10).replace(/[\uD800-\uDBFF]$/, ''))).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('tells long originals that share a prefix apart', () => {
    fc.assert(
      fc.property(arbitraryExternalId(30), arbitraryExternalId(), resendNumber, (a, b, n) => {
        fc.pre(a !== b);
        expect(resendExternalIdFor(a, n)).not.toBe(resendExternalIdFor(b, n));
      }),
    );
    const base = 'x'.repeat(36);
    expect(resendExternalIdFor(`${base}aaaa`, 1)).not.toBe(resendExternalIdFor(`${base}bbbb`, 1));
  });

  it('appends ~r<n> when it fits, and hashes the rest when not', () => {
    expect(resendExternalIdFor('order-1', 1)).toBe('order-1~r1');
    expect(resendExternalIdFor('order-1', 12)).toBe('order-1~r12');
    expect(resendExternalIdFor('y'.repeat(37), 1)).toBe(`${'y'.repeat(37)}~r1`);
    expect(resendExternalIdFor('y'.repeat(37), 10)).toMatch(/^y{27}~[0-9a-z]{8}~r10$/);
    expect(resendExternalIdFor(`${'y'.repeat(38)}😀`, 1)).toMatch(/^y{28}~[0-9a-z]{8}~r1$/);
  });
});

describe('failedForCertain', () => {
  const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1, 12, 0, seconds));
  const created = Either.getOrThrow(createTopUp(sampleNewTopUp({ now: at(0) }))).topUp;
  const sent = (outcome: Parameters<typeof recordAttemptOutcome>[1]): TopUp =>
    Either.getOrThrow(
      Either.flatMap(startAttempt(created, at(1), 'dvs'), (started) =>
        recordAttemptOutcome(started.topUp, outcome, at(2)),
      ),
    ).topUp;

  it('holds for a declined, rejected or cancelled top-up whose attempts all settled', () => {
    expect(failedForCertain(Either.getOrThrow(cancelTopUp(created, at(1))).topUp)).toBe(true);
    expect(failedForCertain(Either.getOrThrow(rejectForRefusedHold(created, at(1))).topUp)).toBe(true);
    const declined = sent(attemptFailed({ reason: 'DECLINED_BY_OPERATOR' }));
    expect(declined.status.class).toBe('DECLINED');
    expect(failedForCertain(declined)).toBe(true);
  });

  it('never holds for a created, pending, completed or unknown one', () => {
    expect(failedForCertain(created)).toBe(false);
    expect(failedForCertain(sent(attemptSucceeded('dvs-1')))).toBe(false);
    expect(failedForCertain(sent(attemptUnknown('TIMEOUT_AFTER_SEND')))).toBe(false);
    // a failed class that still has an attempt of unknown outcome is not failed for certain
    const unknown = sent(attemptUnknown('TIMEOUT_AFTER_SEND'));
    expect(failedForCertain({ ...unknown, status: { class: 'DECLINED', status: 'DECLINED' } })).toBe(false);
  });
});

describe('resendOfRequest', () => {
  it('reads a non-empty text under metadata.resend_of, nothing else', () => {
    expect(resendOfRequest({ metadata: { resend_of: 'topup-1', other: 1 } })).toBe('topup-1');
    for (const request of [
      {},
      { metadata: null },
      { metadata: [] },
      { metadata: { resend_of: 7 } },
      { resend_of: 'x' },
    ])
      expect(resendOfRequest(request)).toBeUndefined();
    expect(resendOfRequest({ metadata: { resend_of: '' } })).toBeUndefined();
  });
});
