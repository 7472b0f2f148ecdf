// What must hold after every command of the workflow's model-based test:
// the ledger balances and agrees with every top-up, nothing is delivered
// twice, nothing is resent without a status query first, and each change
// has its one event.
import {
  checkInvariants,
  findAccount,
  findHold,
  findRefusal,
  holdStatus,
  isFailureClass,
  isSettled,
  type TopUp,
} from '@airtime/domain';
import { ACCOUNT_ID, FUNDED_MINOR, type WorkflowReal } from './top-up-workflow.model';

/** The ledger's word about a top-up's hold, as its class implies it. */
const expectedHold = (topUp: TopUp): string => {
  if (topUp.status.status === 'REJECTED-INSUFFICIENT-BALANCE' && topUp.attempts.length === 0) return 'REFUSED';
  switch (topUp.status.class) {
    case 'CREATED':
    case 'CONFIRMED':
    case 'SUBMITTED':
      return 'HELD';
    case 'COMPLETED':
      return 'CAPTURED';
    case 'REVERSED':
      return 'REVERSED';
    default:
      return 'VOIDED';
  }
};

const count = <A>(items: readonly A[], predicate: (item: A) => boolean) => items.filter(predicate).length;

export const checkWorkflowInvariants = (real: WorkflowReal): void => {
  const { world } = real;
  const tables = world.database.tables();
  // the ledger: sound, balanced, and in step with every top-up
  expect(checkInvariants(tables.ledger)).toEqual([]);
  const account = findAccount(tables.ledger, ACCOUNT_ID, 'USD');
  expect(account).toBeDefined();
  if (account === undefined) return;
  expect(account.fundedMinor).toBe(FUNDED_MINOR);
  expect(account.availableMinor + account.holdingMinor + account.capturedMinor - account.reversedMinor).toBe(
    account.fundedMinor,
  );
  const calls = world.provider.calls();
  const arrived = world.provider.arrived();
  for (const { topUp } of tables.topUps.values()) {
    const hold = findHold(tables.ledger, topUp.id);
    const actual = hold === undefined ? (findRefusal(tables.ledger, topUp.id) ? 'REFUSED' : 'NONE') : holdStatus(hold);
    expect({ topUp: topUp.id, status: topUp.status.status, hold: actual }).toEqual({
      topUp: topUp.id,
      status: topUp.status.status,
      hold: expectedHold(topUp),
    });
    // one attempt in progress at most: every earlier one is settled
    expect(topUp.attempts.slice(0, -1).every(isSettled)).toBe(true);
    // no double delivery: at most one transaction of the top-up arrived and did not fail
    const ids = new Set<string>(topUp.attempts.map((attempt) => attempt.providerExternalId));
    const delivered = arrived.filter(
      (arrival) => ids.has(arrival.request.providerExternalId) && !isFailureClass(arrival.transaction.status.class),
    );
    expect(delivered.length).toBeLessThanOrEqual(1);
    // one send per attempt; an external id is sent again only after a status query said it never arrived
    const sends = calls.filter((call) => call.operation === 'send' && ids.has(call.providerExternalId ?? ''));
    expect(sends).toHaveLength(topUp.attempts.length);
    for (const id of ids) {
      const ofId = calls.filter((call) => call.providerExternalId === id && call.operation !== 'cancel');
      ofId.forEach((call, index) => {
        if (call.operation !== 'send' || index === 0) return;
        const since = ofId.slice(0, index);
        const lastSend = since.map((earlier) => earlier.operation).lastIndexOf('send');
        expect(since.slice(lastSend + 1).some((earlier) => earlier.operation === 'statusByExternalId')).toBe(true);
      });
    }
    // one event per change: created first and once, each final event once, as the class says
    const types = tables.outbox
      .filter((record) => record.event.aggregateId === topUp.id)
      .map((record) => record.event.type);
    expect(types[0]).toBe('topup.created');
    expect(count(types, (type) => type === 'topup.created')).toBe(1);
    const reached = topUp.status.class;
    expect(count(types, (type) => type === 'topup.completed')).toBe(
      reached === 'COMPLETED' || reached === 'REVERSED' ? 1 : 0,
    );
    expect(count(types, (type) => type === 'topup.reversed')).toBe(reached === 'REVERSED' ? 1 : 0);
    expect(count(types, (type) => type === 'topup.failed')).toBe(isFailureClass(reached) ? 1 : 0);
    expect(count(types, (type) => type === 'topup.unknown_outcome')).toBeLessThanOrEqual(topUp.attempts.length);
    expect(count(types, (type) => type === 'topup.retry_scheduled')).toBeLessThanOrEqual(topUp.attempts.length);
    // a callback owed for each final event when the request carried a URL
    const request = tables.requests.get(topUp.id);
    const finals = count(types, (type) => ['topup.completed', 'topup.failed', 'topup.reversed'].includes(type));
    const deliveries = count([...tables.deliveries.values()], (record) => record.delivery.topUpId === topUp.id);
    expect(deliveries).toBe(request?.callbackUrl === undefined ? 0 : finals);
  }
};
