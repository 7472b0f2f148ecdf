import { canTransition, isPendingClass } from '@airtime/domain';
import { AT_STATUSES, callbackStatusOf, immediateStatusOf, isPendingAtStatus } from './status.mapper';

describe("Africa's Talking status mapping", () => {
  it.each([
    ['Sent', 'SUBMITTED', 'SUBMITTED'],
    ['Queued', 'SUBMITTED', 'SUBMITTED'],
    ['Success', 'SUBMITTED', 'COMPLETED'],
    ['Failed', 'DECLINED', 'DECLINED'],
    ['InvalidRequest', 'REJECTED', 'DECLINED'],
    ['NotSupported', 'DECLINED-INELIGIBLE-CREDIT-PARTY', 'DECLINED-INELIGIBLE-CREDIT-PARTY'],
    ['InsufficientBalance', 'REJECTED-INSUFFICIENT-BALANCE', 'DECLINED'],
    ['UserInInvalidState', 'DECLINED-BARRED-CREDIT-PARTY', 'DECLINED-BARRED-CREDIT-PARTY'],
    ['UserNotFound', 'DECLINED-INVALID-CREDIT-PARTY', 'DECLINED-INVALID-CREDIT-PARTY'],
  ] as const)('%s is %s in the send answer and %s in a callback', (atStatus, immediate, callback) => {
    expect(immediateStatusOf(atStatus).status).toBe(immediate);
    expect(callbackStatusOf(atStatus).status).toBe(callback);
  });

  it('gives only statuses a SUBMITTED attempt may take in callbacks (they follow an accepted send)', () => {
    for (const atStatus of AT_STATUSES) {
      const { class: to } = callbackStatusOf(atStatus);
      expect(to === 'SUBMITTED' || canTransition('SUBMITTED', to)).toBe(true);
    }
  });

  it('calls pending exactly the statuses of a pending class', () => {
    for (const atStatus of AT_STATUSES)
      expect(isPendingAtStatus(atStatus)).toBe(isPendingClass(immediateStatusOf(atStatus).class));
  });
});
