import { Either } from 'effect';
import type { CallbackSender } from './callback-dispatcher';
import { SimulatorEngine, type SimulatorEngineOptions } from './simulator-engine';
import type { CreateTransactionInput } from './transaction.types';

const EPOCH = Date.UTC(2026, 0, 1);

const engineWith = (options: SimulatorEngineOptions = {}) =>
  new SimulatorEngine({ autoRun: false, epochMs: EPOCH, ...options });

const globe10 = (
  externalId: string,
  mobile = '+639170000100',
  extra: Partial<CreateTransactionInput> = {},
): CreateTransactionInput => ({
  externalId,
  productId: 101,
  autoConfirm: true,
  creditPartyIdentifier: { mobile_number: mobile },
  ...extra,
});

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

describe('simulator engine', () => {
  describe('transactions and the sandbox rules', () => {
    it('a PIN purchase completes with a PIN even without a PIN-based suffix; a recharge only with one', async () => {
      const engine = engineWith();
      const card = right(engine.createTransaction({ externalId: 'card', productId: 901, autoConfirm: true }));
      const declined = right(engine.createTransaction({ ...globe10('declined', '+639170000106'), productId: 101 }));
      const recharge = right(engine.createTransaction(globe10('recharge', '+639170000100')));
      await engine.flush();
      expect(right(engine.transaction(card.id))).toMatchObject({
        status: 'COMPLETED',
        pin: { serial: `SN${card.id}` },
      });
      expect(right(engine.transaction(declined.id)).pin).toBeUndefined();
      expect(right(engine.transaction(recharge.id)).pin).toBeUndefined();
    });

    it('an auto-confirmed transaction is CONFIRMED, SUBMITTED half way, then COMPLETED after its delay class', async () => {
      const engine = engineWith();
      const created = right(engine.createTransaction(globe10('t1', '+639170000100')));
      expect(created.status).toBe('CONFIRMED');
      await engine.advance(1_499);
      expect(right(engine.transaction(created.id)).status).toBe('CONFIRMED');
      await engine.advance(1);
      expect(right(engine.transaction(created.id)).status).toBe('SUBMITTED');
      await engine.advance(1_499);
      expect(right(engine.transaction(created.id)).status).toBe('SUBMITTED');
      await engine.advance(1);
      const completed = right(engine.transaction(created.id));
      expect(completed.status).toBe('COMPLETED');
      expect(completed.operatorReference).toBe(`SIM-OP-${created.id}`);
      expect(completed.pin).toBeUndefined();
      expect(completed.history.map((change) => [change.status, change.atMs - EPOCH])).toEqual([
        ['CREATED', 0],
        ['CONFIRMED', 0],
        ['SUBMITTED', 1_500],
        ['COMPLETED', 3_000],
      ]);
    });

    it.each([
      ['+639170000201', 20_000, 'COMPLETED'],
      ['+639170000302', 300_000, 'DECLINED-INVALID-CREDIT-PARTY'],
      ['+639170000107', 3_000, 'DECLINED-EXCEPTION'],
    ])('%s takes %i ms to reach %s', async (mobile, delayMs, finalStatus) => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction(globe10('t', mobile)));
      await engine.advance(delayMs - 1);
      expect(right(engine.transaction(id)).status).not.toBe(finalStatus);
      await engine.advance(1);
      expect(right(engine.transaction(id)).status).toBe(finalStatus);
    });

    it('PIN-based completions carry a PIN', async () => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction(globe10('t', '+639170000101')));
      await engine.flush();
      expect(right(engine.transaction(id)).pin).toEqual({ code: expect.stringMatching(/^\d{12}$/), serial: `SN${id}` });
    });

    it('a number without a sandbox suffix completes after the default delay', async () => {
      const engine = engineWith({ defaultDelayMs: 0 });
      const { id } = right(engine.createTransaction(globe10('t', '+639171234567')));
      await engine.advance(0);
      expect(right(engine.transaction(id)).status).toBe('COMPLETED');
    });

    it('a gift card (no credit party) always completes', async () => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction({ externalId: 'gift', productId: 901, autoConfirm: true }));
      const withNumber = right(
        engine.createTransaction({
          externalId: 'gift-2',
          productId: 901,
          autoConfirm: true,
          creditPartyIdentifier: { mobile_number: '+6591234106' },
        }),
      );
      await engine.flush();
      expect(right(engine.transaction(id)).status).toBe('COMPLETED');
      expect(right(engine.transaction(withNumber.id)).status).toBe('COMPLETED');
    });

    it('a duplicate external id is refused with 1007001, whatever became of the first', () => {
      const engine = engineWith();
      right(engine.createTransaction(globe10('same', '+639170000102')));
      expect(errorCode(engine.createTransaction(globe10('same')))).toBe(1007001);
      expect(engine.transactions({ externalId: 'same' })).toHaveLength(1);
    });

    it('a refused request does not use up its external id', () => {
      const engine = engineWith();
      expect(errorCode(engine.createTransaction({ ...globe10('retry'), productId: 999 }))).toBe(1003001);
      expect(Either.isRight(engine.createTransaction(globe10('retry')))).toBe(true);
    });

    it.each([
      ['no number', { creditPartyIdentifier: {} }, 1005003],
      ['not E.164', { creditPartyIdentifier: { mobile_number: '0917000100' } }, 1005003],
      ['a number of another country', { creditPartyIdentifier: { mobile_number: '+254711000100' } }, 1005003],
      ['an unknown product', { productId: 12_345 }, 1003001],
      ['an external id with a space', { externalId: 'a b' }, 1000400],
      ['an external id of 41 characters', { externalId: 'x'.repeat(41) }, 1000400],
    ] as const)('refuses %s', (_, change, code) => {
      const engine = engineWith();
      expect(errorCode(engine.createTransaction({ ...globe10('e'), ...change }))).toBe(code);
      expect(engine.transactions({})).toHaveLength(0);
      expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    });

    it('refuses a product that needs sender fields when they are missing', () => {
      const engine = engineWith();
      const input: CreateTransactionInput = {
        externalId: 'ng',
        productId: 601,
        autoConfirm: true,
        calculationMode: 'DESTINATION_AMOUNT',
        destination: { unit: 'NGN', amount: 500 },
        creditPartyIdentifier: { mobile_number: '+2348021234567' },
      };
      expect(errorCode(engine.createTransaction(input))).toBe(1000400);
      expect(
        Either.isRight(engine.createTransaction({ ...input, sender: { first_name: 'Ada', last_name: 'Obi' } })),
      ).toBe(true);
    });
  });

  describe('balance movements per status', () => {
    it('CREATED authorizes the wholesale price plus fee', () => {
      const engine = engineWith();
      right(engine.createTransaction({ ...globe10('a'), autoConfirm: false }));
      expect(usd(engine)).toEqual({ available: 1_000_000n - 19n, holding: 19n });
    });

    it('COMPLETED captures', async () => {
      const engine = engineWith();
      right(engine.createTransaction(globe10('a', '+639170000100')));
      await engine.flush();
      expect(usd(engine)).toEqual({ available: 1_000_000n - 19n, holding: 0n });
    });

    it('DECLINED voids', async () => {
      const engine = engineWith();
      right(engine.createTransaction(globe10('a', '+639170000103')));
      await engine.flush();
      expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    });

    it('CANCELLED voids', () => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction({ ...globe10('a'), autoConfirm: false }));
      expect(right(engine.cancel(id)).status).toBe('CANCELLED');
      expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
    });

    it('REVERSED gives the captured amount back', async () => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction(globe10('a', '+639170000100')));
      await engine.flush();
      expect(right(engine.reverse(id)).status).toBe('REVERSED');
      expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
      expect(errorCode(engine.reverse(id))).toBe(1000400);
    });

    it('refuses with 1006001 beyond available + credit limit, and creates nothing', () => {
      const engine = engineWith();
      const usdCurrency = engine.balances()[0]?.currency;
      if (!usdCurrency) throw new Error('no USD balance');
      engine.setBalance(usdCurrency, { availableMinor: 10n, creditLimitMinor: 9n });
      expect(Either.isRight(engine.createTransaction(globe10('ok')))).toBe(true);
      expect(errorCode(engine.createTransaction(globe10('too-much')))).toBe(1006001);
      expect(engine.transactionByExternalId('too-much')).toBeUndefined();
    });
  });

  describe('confirm and cancel', () => {
    it('confirm errors follow the reference codes', async () => {
      const engine = engineWith();
      const pending = right(engine.createTransaction({ ...globe10('p'), autoConfirm: false }));
      right(engine.confirm(pending.id));
      expect(errorCode(engine.confirm(pending.id))).toBe(1007002);
      expect(errorCode(engine.cancel(pending.id))).toBe(1007007);
      const cancelled = right(engine.createTransaction({ ...globe10('c'), autoConfirm: false }));
      right(engine.cancel(cancelled.id));
      expect(errorCode(engine.confirm(cancelled.id))).toBe(1007005);
      expect(errorCode(engine.cancel(cancelled.id))).toBe(1007005);
      expect(errorCode(engine.confirm(42))).toBe(1008004);
      expect(errorCode(engine.cancel(42))).toBe(1008004);
    });

    it('a transaction past its confirmation window can only be cancelled (1007004)', async () => {
      const engine = engineWith({ confirmationTtlMs: 60_000 });
      const { id } = right(engine.createTransaction({ ...globe10('late'), autoConfirm: false }));
      await engine.advance(60_001);
      expect(errorCode(engine.confirm(id))).toBe(1007004);
      expect(right(engine.cancel(id)).status).toBe('CANCELLED');
    });
  });

  describe('sync waits', () => {
    it('waitForFinal resolves with the final status', async () => {
      const engine = engineWith();
      const { id } = right(engine.createTransaction(globe10('s', '+639170000104')));
      const waiting = engine.waitForFinal(id);
      await engine.flush();
      expect((await waiting)?.status).toBe('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    });

    it('waitForFinal gives up after the sync timeout with the current status', async () => {
      const engine = engineWith({ syncTimeoutMs: 180_000 });
      const { id } = right(engine.createTransaction(globe10('s', '+639170000300')));
      const waiting = engine.waitForFinal(id);
      await engine.advance(180_000);
      expect((await waiting)?.status).toBe('SUBMITTED');
      await engine.advance(120_000);
      expect(right(engine.transaction(id)).status).toBe('COMPLETED');
    });
  });

  describe('callbacks', () => {
    it('posts the DVS transaction object on each status change', async () => {
      const bodies: unknown[] = [];
      const sender: CallbackSender = async (_url, body) => {
        bodies.push(JSON.parse(body));
        return { status: 200 };
      };
      const engine = engineWith({ callbackSender: sender });
      const { id } = right(
        engine.createTransaction(globe10('cb', '+639170000100', { callbackUrl: 'http://receiver.test/x' })),
      );
      await engine.flush();
      expect(bodies.map((body) => (body as { status: { message: string } }).status.message)).toEqual([
        'CONFIRMED',
        'SUBMITTED',
        'COMPLETED',
      ]);
      expect(bodies[2]).toMatchObject({ id, external_id: 'cb', status: { class: { message: 'COMPLETED' } } });
    });

    it('dropCallbacks records the callbacks as dropped', async () => {
      const sender = jest.fn<ReturnType<CallbackSender>, Parameters<CallbackSender>>(async () => ({ status: 200 }));
      const engine = engineWith({ callbackSender: sender, faults: { dropCallbacks: true } });
      right(engine.createTransaction(globe10('cb', '+639170000100', { callbackUrl: 'http://receiver.test/x' })));
      await engine.flush();
      expect(sender).not.toHaveBeenCalled();
      expect(engine.callbackLog().map((attempt) => attempt.outcome)).toEqual(['DROPPED', 'DROPPED', 'DROPPED']);
    });
  });

  describe('listing', () => {
    it('filters by external id, status, operator and dates; newest first; the last 24 h by default', async () => {
      const engine = engineWith();
      right(engine.createTransaction(globe10('old', '+639170000100')));
      await engine.advance(2 * 86_400_000);
      right(engine.createTransaction(globe10('new-1', '+639170000103')));
      right(engine.createTransaction({ ...globe10('new-2', '+639180000100'), productId: 201 }));
      expect(engine.transactions().map((transaction) => transaction.externalId)).toEqual(['new-2', 'new-1']);
      expect(engine.transactions({ externalId: 'old' }).map((transaction) => transaction.externalId)).toEqual(['old']);
      expect(
        engine.transactions({ fromMs: EPOCH, toMs: EPOCH + 1 }).map((transaction) => transaction.externalId),
      ).toEqual(['old']);
      expect(engine.transactions({ operatorId: 2 }).map((transaction) => transaction.externalId)).toEqual(['new-2']);
      expect(
        engine.transactions({ statusId: 70_000, fromMs: EPOCH }).map((transaction) => transaction.externalId),
      ).toEqual(['old']);
      expect(
        engine.transactions({ creditPartyMobileNumber: '+639170000103' }).map((transaction) => transaction.externalId),
      ).toEqual(['new-1']);
      expect(engine.transactions({ countryIsoCode: 'KEN', fromMs: EPOCH })).toEqual([]);
    });
  });

  describe('faults and reset', () => {
    it('the error rate draws from a seeded source: the same seed fails the same requests', () => {
      const draws = (seed: number) => {
        const engine = engineWith({ seed, faults: { errorRate: 0.5 } });
        return Array.from({ length: 20 }, () => engine.drawFailure());
      };
      expect(draws(7)).toEqual(draws(7));
      expect(draws(7).filter(Boolean).length).toBeGreaterThan(3);
      expect(draws(7).filter(Boolean).length).toBeLessThan(17);
      expect(engineWith({ faults: { errorRate: 0 } }).drawFailure()).toBe(false);
    });

    it('reset forgets transactions and restores balances and faults', async () => {
      const engine = engineWith();
      right(engine.createTransaction(globe10('r', '+639170000300')));
      engine.setFaults({ latencyMs: 10, rateLimitPerSecond: 3 });
      engine.reset();
      expect(engine.transactionByExternalId('r')).toBeUndefined();
      expect(engine.scheduler.pending()).toEqual([]);
      expect(usd(engine)).toEqual({ available: 1_000_000n, holding: 0n });
      expect(engine.faults()).toMatchObject({ latencyMs: 0, rateLimitPerSecond: undefined });
      expect(Either.isRight(engine.createTransaction(globe10('r')))).toBe(true);
    });
  });

  describe('operator outages', () => {
    const statusOf = (engine: SimulatorEngine, id: number) => right(engine.transaction(id)).status;

    it('a transaction of an operator under an outage ends DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE after its usual delay, its hold voided', async () => {
      const sent: string[] = [];
      const sender: CallbackSender = async (_url, body) => {
        sent.push((JSON.parse(body) as { status: { message: string } }).status.message);
        return { status: 200 };
      };
      const engine = engineWith({ callbackSender: sender });
      engine.setOperatorOutage(1, true);
      const before = usd(engine);
      const { id } = right(engine.createTransaction(globe10('down', '+639170000101', { callbackUrl: 'http://cb' })));
      expect(usd(engine).holding).toBeGreaterThan(0n);
      await engine.advance(2_999);
      expect(statusOf(engine, id)).toBe('SUBMITTED');
      await engine.advance(1);
      const declined = right(engine.transaction(id));
      expect(declined.status).toBe('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
      expect(declined.pin).toBeUndefined();
      expect(declined.operatorReference).toBeUndefined();
      expect(usd(engine)).toEqual(before);
      await engine.flush();
      expect(sent).toEqual(['CONFIRMED', 'SUBMITTED', 'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE']);
    });

    it("only the operator's products: another operator's and a gift card complete", async () => {
      const engine = engineWith();
      engine.setOperatorOutage(1, true);
      const globe = right(engine.createTransaction(globe10('globe', '+639170000100')));
      const smart = right(engine.createTransaction({ ...globe10('smart', '+639180000100'), productId: 201 }));
      const card = right(engine.createTransaction({ externalId: 'card', productId: 901, autoConfirm: true }));
      await engine.flush();
      expect([globe, smart, card].map(({ id }) => statusOf(engine, id))).toEqual([
        'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
        'COMPLETED',
        'COMPLETED',
      ]);
    });

    it('is read at confirmation: confirmed before it keeps its outcome, created before and confirmed during it declines', async () => {
      const engine = engineWith();
      const early = right(engine.createTransaction(globe10('early', '+639170000100')));
      const pending = right(engine.createTransaction(globe10('pending', '+639170000100', { autoConfirm: false })));
      engine.setOperatorOutage(1, true);
      right(engine.confirm(pending.id));
      await engine.flush();
      expect(statusOf(engine, early.id)).toBe('COMPLETED');
      expect(statusOf(engine, pending.id)).toBe('DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE');
    });

    it('cleared, the next transactions follow the sandbox rules again (a declining number still declines)', async () => {
      const engine = engineWith();
      engine.setOperatorOutage(1, true);
      engine.setOperatorOutage(1, true);
      expect(engine.operatorOutages()).toEqual([1]);
      const during = right(engine.createTransaction(globe10('during', '+639170000100')));
      engine.setOperatorOutage(1, false);
      expect(engine.operatorOutages()).toEqual([]);
      const after = right(engine.createTransaction(globe10('after', '+639170000100')));
      const barred = right(engine.createTransaction(globe10('barred', '+639170000103')));
      await engine.flush();
      expect([during, after, barred].map(({ id }) => statusOf(engine, id))).toEqual([
        'DECLINED-OPERATOR-CURRENTLY-UNAVAILABLE',
        'COMPLETED',
        'DECLINED-BARRED-CREDIT-PARTY',
      ]);
    });

    it('lists the operators under an outage, ascending; reset clears them', async () => {
      const engine = engineWith();
      engine.setOperatorOutage(7, true);
      engine.setOperatorOutage(2, true);
      engine.setOperatorOutage(99, true);
      engine.setOperatorOutage(5, false);
      expect(engine.operatorOutages()).toEqual([2, 7, 99]);
      engine.reset();
      expect(engine.operatorOutages()).toEqual([]);
      const { id } = right(engine.createTransaction({ ...globe10('smart', '+639180000100'), productId: 201 }));
      await engine.flush();
      expect(statusOf(engine, id)).toBe('COMPLETED');
    });
  });

  describe('lookup', () => {
    it('identifies the operator by the longest prefix, else lists the country operators unidentified', () => {
      const engine = engineWith();
      expect(right(engine.lookup('+639171234567')).map((match) => [match.operator.name, match.identified])).toEqual([
        ['Globe Telecom', true],
      ]);
      expect(right(engine.lookup('+639181234567')).map((match) => [match.operator.name, match.identified])).toEqual([
        ['Smart', true],
      ]);
      expect(right(engine.lookup('+639991234567')).map((match) => [match.operator.name, match.identified])).toEqual([
        ['Globe Telecom', false],
        ['Smart', false],
      ]);
      expect(right(engine.lookup('+4915112345678'))).toEqual([]);
      expect(errorCode(engine.lookup('0917'))).toBe(1005003);
    });
  });
});
