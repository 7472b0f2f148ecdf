import { DETAILED_STATUSES, type DetailedStatus, TRANSACTION_STATUS_CATALOGUE } from '@airtime/domain';
import { Either } from 'effect';
import fc from 'fast-check';
import type { CallbackSender } from './callback-dispatcher';
import { SimulatorEngine, type SimulatorEngineOptions } from './simulator-engine';
import { seededCharge } from './transaction-seeding';

const EPOCH = Date.UTC(2026, 0, 10, 12);
const YESTERDAY = Date.UTC(2026, 0, 9, 8, 30);

const sent: string[] = [];
const sender: CallbackSender = (url) => {
  sent.push(url);
  return Promise.resolve({ status: 200 });
};
const engineWith = (options: SimulatorEngineOptions = {}) =>
  new SimulatorEngine({ autoRun: false, epochMs: EPOCH, callbackSender: sender, ...options });

const right = <A, E>(result: Either.Either<A, E>): A => {
  if (Either.isLeft(result)) throw new Error(`expected success, got ${String(result.left)}`);
  return result.right;
};
const errorCode = <A>(result: Either.Either<A, { readonly code: number }>): number | undefined =>
  Either.isLeft(result) ? result.left.code : undefined;
const usd = (engine: SimulatorEngine) => {
  const balance = engine.balances().find((candidate) => candidate.currency.code === 'USD');
  return { available: balance?.availableMinor, holding: balance?.holdingMinor };
};
const globe = (externalId: string, status: DetailedStatus, extra: object = {}) => ({
  externalId,
  productId: 101,
  creditPartyMobileNumber: '+639170000100',
  status,
  ...extra,
});

beforeEach(() => {
  sent.length = 0;
});

describe('seeding the simulator with transactions', () => {
  it('injects a transaction dated as asked, in its status, priced as DVS would, with no callback and nothing scheduled', async () => {
    const engine = engineWith();
    const injected = right(engine.injectTransaction(globe('seed-1', 'COMPLETED', { createdAtMs: YESTERDAY })));
    expect(injected).toMatchObject({
      externalId: 'seed-1',
      productId: 101,
      status: 'COMPLETED',
      createdAtMs: YESTERDAY,
      operatorReference: `SIM-OP-${injected.id}`,
      creditPartyIdentifier: { mobile_number: '+639170000100' },
    });
    expect(seededCharge(injected).amountMinor).toBe(19n);
    expect(engine.scheduler.pending()).toEqual([]);
    await engine.flush();
    expect(sent).toEqual([]);
    expect(engine.transactions({ fromMs: YESTERDAY, toMs: YESTERDAY }).map((t) => t.externalId)).toEqual(['seed-1']);
    // the next created transaction takes the next id
    const next = right(
      engine.createTransaction({
        externalId: 'sent-1',
        productId: 101,
        autoConfirm: false,
        creditPartyIdentifier: { mobile_number: '+639170000100' },
      }),
    );
    expect(next.id).toBe(injected.id + 1);
    expect(next.createdAtMs).toBe(EPOCH);
  });

  it('holds or captures the charge on the balance as the status says, for every DVS status', () => {
    for (const status of DETAILED_STATUSES) {
      const engine = engineWith();
      right(engine.injectTransaction(globe('seed-1', status)));
      const statusClass = TRANSACTION_STATUS_CATALOGUE[status].class;
      const pending = ['CREATED', 'CONFIRMED', 'SUBMITTED'].includes(statusClass);
      expect({ status, ...usd(engine) }).toEqual({
        status,
        available: pending || statusClass === 'COMPLETED' ? 1_000_000n - 19n : 1_000_000n,
        holding: pending ? 19n : 0n,
      });
    }
  });

  it('makes a duplicate at the provider: a second transaction under an external id already used', () => {
    const engine = engineWith();
    const first = right(
      engine.createTransaction({
        externalId: 'dup-1',
        productId: 101,
        autoConfirm: true,
        creditPartyIdentifier: { mobile_number: '+639170000100' },
      }),
    );
    const second = right(engine.injectTransaction(globe('dup-1', 'COMPLETED')));
    expect(second.id).not.toBe(first.id);
    expect(engine.transactions({ externalId: 'dup-1' }).map((t) => t.id)).toEqual([second.id, first.id]);
    expect(engine.transactionByExternalId('dup-1')?.id).toBe(second.id);
    // a real create under it is still "already used"
    expect(
      errorCode(
        engine.createTransaction({
          externalId: 'dup-1',
          productId: 101,
          autoConfirm: true,
          creditPartyIdentifier: { mobile_number: '+639170000100' },
        }),
      ),
    ).toBe(1007001);
  });

  it('prices a ranged product for the destination amount given; a fixed one delivers it at its own price', () => {
    const engine = engineWith();
    const ranged = right(
      engine.injectTransaction({
        externalId: 'ranged-1',
        productId: 303,
        creditPartyMobileNumber: '+254712345678',
        status: 'COMPLETED',
        destinationAmount: '100',
      }),
    );
    // KES 100 at 128.2 KES/USD: 0.7800... rounded up to 0.79, plus the 0.05 fee
    expect(seededCharge(ranged).amountMinor).toBe(84n);
    expect(ranged.pricing.destination.amountMinor).toBe(10_000n);
    const fixed = right(engine.injectTransaction(globe('fixed-1', 'COMPLETED', { destinationAmount: 9.5 })));
    expect(fixed.pricing.destination.amountMinor).toBe(950n);
    expect(seededCharge(fixed).amountMinor).toBe(19n);
  });

  it('refuses what DVS would refuse, moving no balance', () => {
    const engine = engineWith();
    expect(errorCode(engine.injectTransaction(globe('has space', 'COMPLETED')))).toBe(1000400);
    expect(errorCode(engine.injectTransaction({ ...globe('x', 'COMPLETED'), productId: 999_999 }))).toBe(1003001);
    expect(errorCode(engine.injectTransaction({ ...globe('x', 'COMPLETED'), creditPartyMobileNumber: '0917' }))).toBe(
      1005003,
    );
    expect(errorCode(engine.injectTransaction({ externalId: 'x', productId: 101, status: 'COMPLETED' }))).toBe(1005003);
    expect(errorCode(engine.injectTransaction(globe('x', 'COMPLETED', { destinationAmount: '1.001' })))).toBe(1000400);
    expect(
      errorCode(
        engine.injectTransaction({
          externalId: 'x',
          productId: 303,
          creditPartyMobileNumber: '+254712345678',
          status: 'COMPLETED',
          destinationAmount: '5',
        }),
      ),
    ).toBe(1003002);
    expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    expect(engine.transactions({ fromMs: 0 })).toEqual([]);
  });

  it('amends status, delivered amount and charge silently, the balance restated', async () => {
    const engine = engineWith();
    const declined = right(engine.injectTransaction(globe('amend-1', 'DECLINED')));
    expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    const completed = right(engine.amendTransaction(declined.id, { status: 'COMPLETED' }));
    expect(completed).toMatchObject({ status: 'COMPLETED', operatorReference: `SIM-OP-${declined.id}` });
    expect(completed.history.map((change) => change.status)).toEqual(['DECLINED', 'COMPLETED']);
    expect(usd(engine)).toEqual({ available: 1_000_000n - 19n, holding: 0n });
    const recharged = right(engine.amendTransaction(declined.id, { chargedAmount: '0.25', destinationAmount: '9' }));
    expect(seededCharge(recharged).amountMinor).toBe(25n);
    expect(recharged.pricing.destination.amountMinor).toBe(900n);
    expect(usd(engine)).toEqual({ available: 1_000_000n - 25n, holding: 0n });
    right(engine.amendTransaction(declined.id, { status: 'REVERSED' }));
    expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    await engine.flush();
    expect(sent).toEqual([]);
  });

  it('keeps the fee of a charge and takes the rest as the wholesale price (the fee goes when the charge is below it)', () => {
    const engine = engineWith();
    const ranged = right(
      engine.injectTransaction({
        externalId: 'fee-1',
        productId: 303,
        creditPartyMobileNumber: '+254712345678',
        status: 'CONFIRMED',
      }),
    );
    const above = right(engine.amendTransaction(ranged.id, { chargedAmount: '1.00' }));
    expect([above.pricing.wholesale.amountMinor, above.pricing.wholesaleFee.amountMinor]).toEqual([95n, 5n]);
    const below = right(engine.amendTransaction(ranged.id, { chargedAmount: 0.03 }));
    expect([below.pricing.wholesale.amountMinor, below.pricing.wholesaleFee.amountMinor]).toEqual([3n, 0n]);
    expect(usd(engine)).toEqual({ available: 1_000_000n - 3n, holding: 3n });
  });

  it('stops the simulation of a transaction once amended: no later status change, no callback', async () => {
    const engine = engineWith();
    const created = right(
      engine.createTransaction({
        externalId: 'live-1',
        productId: 101,
        autoConfirm: true,
        creditPartyIdentifier: { mobile_number: '+639170000306' },
        callbackUrl: 'http://127.0.0.1:9/callbacks',
      }),
    );
    await engine.flush();
    // the CONFIRMED callback of the creation went out, before any amendment
    const before = sent.length;
    right(engine.amendTransaction(created.id, { status: 'SUBMITTED' }));
    await engine.flush();
    expect(right(engine.transaction(created.id)).status).toBe('SUBMITTED');
    expect(sent.length).toBe(before);
    expect(usd(engine)).toEqual({ available: 1_000_000n - 19n, holding: 19n });
    expect(errorCode(engine.amendTransaction(42, { status: 'COMPLETED' }))).toBe(1008004);
  });

  it('keeps the balance equal to what the transactions it holds say, whatever the amendments', () => {
    const pendingOrFinal = fc.constantFrom<DetailedStatus>(
      'CONFIRMED',
      'SUBMITTED',
      'COMPLETED',
      'DECLINED',
      'REVERSED',
      'CANCELLED',
    );
    fc.assert(
      fc.property(
        fc.array(pendingOrFinal, { minLength: 1, maxLength: 5 }),
        fc.array(fc.record({ at: fc.nat(), status: pendingOrFinal, charged: fc.integer({ min: 0, max: 500 }) }), {
          maxLength: 10,
        }),
        (statuses, amendments) => {
          const engine = engineWith();
          const ids = statuses.map((status, index) => right(engine.injectTransaction(globe(`p-${index}`, status))).id);
          for (const { at, status, charged } of amendments)
            right(
              engine.amendTransaction(ids[at % ids.length] ?? 0, { status, chargedAmount: (charged / 100).toFixed(2) }),
            );
          let available = 1_000_000n;
          let holding = 0n;
          for (const id of ids) {
            const transaction = right(engine.transaction(id));
            const charge = seededCharge(transaction).amountMinor;
            const statusClass = TRANSACTION_STATUS_CATALOGUE[transaction.status].class;
            if (['CONFIRMED', 'SUBMITTED', 'COMPLETED'].includes(statusClass)) available -= charge;
            if (statusClass !== 'COMPLETED' && ['CONFIRMED', 'SUBMITTED'].includes(statusClass)) holding += charge;
          }
          expect(usd(engine)).toEqual({ available, holding });
        },
      ),
    );
  });

  it('sets its clock to a past day: what is created then is dated that day', async () => {
    const engine = engineWith();
    engine.setNow(YESTERDAY);
    expect(engine.now()).toBe(YESTERDAY);
    const created = right(
      engine.createTransaction({
        externalId: 'clock-1',
        productId: 101,
        autoConfirm: false,
        creditPartyIdentifier: { mobile_number: '+639170000100' },
      }),
    );
    expect(created.createdAtMs).toBe(YESTERDAY);
    await engine.advance(60_000);
    expect(engine.now()).toBe(YESTERDAY + 60_000);
  });
});
