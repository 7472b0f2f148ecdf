// The admin commands over the application's in-memory ports: each command's
// outcome, repeats that change nothing, and refusals as typed errors.
import { CallbackDeliveryStore, sendAttempt } from '@airtime/application';
import {
  inMemoryLayers,
  openFundedAccounts,
  requestedTopUp,
  sampleCatalogue,
  setInMemoryCallbackSecret,
} from '@airtime/application/testing';
import { Effect, Either, Option } from 'effect';
import { type AdminAction, runAdminCommand } from './admin-command.use-case';
import { adminRefusalText, adminReport, isBadArgument, isRefusal } from './admin-report.format';
import { CallbackSecretWriter } from './callback-secret-writer.port';

const world = (options: Parameters<typeof inMemoryLayers>[0] = {}) => {
  const made = inMemoryLayers(options);
  const writer = {
    set: (accountId: string, secret: string) => setInMemoryCallbackSecret(made.database, accountId, secret),
    add: (accountId: string, secret: string) =>
      made.database.update((tables) => {
        if (tables.callbackSecrets.has(accountId)) return [false, tables] as const;
        const callbackSecrets = new Map(tables.callbackSecrets);
        callbackSecrets.set(accountId, secret);
        return [true, { ...tables, callbackSecrets }] as const;
      }),
  };
  return {
    ...made,
    admin: (action: AdminAction, operator?: string) =>
      made.runEither(runAdminCommand(action, operator).pipe(Effect.provideService(CallbackSecretWriter, writer))),
    /** The account's callback signing secret as the store gives it to the callbacks' dispatcher. */
    secretOf: (accountId: string) =>
      made.run(Effect.flatMap(CallbackDeliveryStore, (store) => store.signingSecretOf(accountId))),
  };
};

const open = { kind: 'account-create', accountId: 'acme', name: 'Acme Ltd' } as const;

describe('runAdminCommand', () => {
  it('opens an account once: the same again changes nothing, another name is refused', async () => {
    const { admin } = world();
    expect(await admin(open)).toMatchObject({ right: { kind: 'account-created', created: true } });
    expect(await admin(open)).toMatchObject({ right: { created: false, account: { id: 'acme', name: 'Acme Ltd' } } });
    expect(await admin({ ...open, name: 'Other' })).toMatchObject({ left: { _tag: 'AccountAlreadyExists' } });
    expect(await admin({ ...open, accountId: ' ' })).toMatchObject({ left: { _tag: 'InvalidInput', field: 'id' } });
  });

  it('deposits under a deposit id once, or under a made one, and sets a credit limit', async () => {
    const { admin } = world();
    await admin(open);
    const deposit = {
      kind: 'account-deposit',
      accountId: 'acme',
      currency: 'USD',
      amount: '100.00',
      depositId: 'd-1',
    } as const;
    expect(await admin(deposit)).toMatchObject({
      right: { kind: 'deposited', deposited: true, depositIdMade: false, balance: { availableMinor: 10_000n } },
    });
    expect(await admin(deposit)).toMatchObject({ right: { deposited: false, balance: { availableMinor: 10_000n } } });
    const made = await admin({ ...deposit, depositId: undefined });
    expect(made).toMatchObject({
      right: { deposited: true, depositIdMade: true, balance: { availableMinor: 20_000n } },
    });
    expect(Either.getOrThrow(made)).toMatchObject({ depositId: expect.stringMatching(/^admin-deposit-/) });
    expect(await admin({ ...deposit, amount: '50.00' })).toMatchObject({ left: { _tag: 'IdempotencyConflict' } });
    expect(await admin({ ...deposit, amount: '0' })).toMatchObject({ left: { _tag: 'InvalidInput', field: 'amount' } });
    expect(await admin({ ...deposit, accountId: 'nobody' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
    expect(
      await admin({ kind: 'account-credit-limit', accountId: 'acme', currency: 'USD', creditLimit: '25.50' }),
    ).toMatchObject({ right: { kind: 'credit-limit-set', balance: { creditLimitMinor: 2_550n } } });
  });

  it('creates a key for accounts of the directory, lists it, revokes it', async () => {
    const { admin } = world();
    await admin(open);
    await admin({ ...open, accountId: 'acme-eu' });
    const created = Either.getOrThrow(
      await admin({ kind: 'key-create', accountIds: ['acme', 'acme-eu'], label: 'billing' }),
    );
    if (created.kind !== 'key-created') throw new Error('expected a key');
    expect(created.key).toMatch(/^atk_[0-9a-f]{12}_/);
    expect(created.apiKey.accountIds).toEqual(['acme', 'acme-eu']);
    const listed = Either.getOrThrow(await admin({ kind: 'key-list', accountId: 'acme-eu' }));
    expect(listed).toMatchObject({ kind: 'key-list', keys: [{ id: created.apiKey.id, label: 'billing' }] });
    expect(await admin({ kind: 'key-revoke', keyId: created.apiKey.id })).toMatchObject({
      right: { kind: 'key-revoked', apiKey: { id: created.apiKey.id, revokedAt: expect.any(Date) } },
    });
    expect(await admin({ kind: 'key-revoke', keyId: 'no-such-key' })).toMatchObject({
      left: { _tag: 'ApiKeyNotFound' },
    });
    expect(await admin({ kind: 'key-create', accountIds: ['acme', 'nobody'], label: 'x' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
    expect(await admin({ kind: 'key-list', accountId: 'nobody' })).toMatchObject({
      left: { _tag: 'CustomerAccountNotFound' },
    });
  });

  describe('account callback-secret', () => {
    const secretFor = (accountId: string, rotate = false) =>
      ({ kind: 'account-callback-secret', accountId, rotate }) as const;

    it('makes a strong secret for an account that has none, stores it, and prints it once', async () => {
      const { admin, secretOf } = world();
      await admin(open);
      expect(await secretOf('acme')).toEqual(Option.none());
      const made = Either.getOrThrow(await admin(secretFor('acme')));
      if (made.kind !== 'callback-secret-set') throw new Error('expected a secret');
      expect(made).toMatchObject({ accountId: 'acme', rotated: false });
      expect(made.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(await secretOf('acme')).toEqual(Option.some(made.secret));
      const report = adminReport(made);
      expect(report.split(made.secret)).toHaveLength(2);
      expect(report).toContain('callback signing secret of account acme:');
      expect(report).toContain('npm run admin -- account callback-secret --id acme --rotate');
      // another account's secret is its own, and every secret is fresh
      await admin({ ...open, accountId: 'globex' });
      const other = Either.getOrThrow(await admin(secretFor('globex')));
      expect(other).toMatchObject({ accountId: 'globex' });
      expect(other).not.toMatchObject({ secret: made.secret });
      expect(await secretOf('acme')).toEqual(Option.some(made.secret));
    });

    it('keeps a secret the account has unless --rotate, which replaces it', async () => {
      const { admin, secretOf } = world();
      await admin(open);
      const first = Either.getOrThrow(await admin(secretFor('acme')));
      if (first.kind !== 'callback-secret-set') throw new Error('expected a secret');
      const refused = await admin(secretFor('acme'));
      expect(refused).toMatchObject({ left: { _tag: 'CallbackSecretExists', accountId: 'acme' } });
      const error = Option.getOrThrow(Either.getLeft(refused));
      expect(isRefusal(error)).toBe(true);
      expect(isBadArgument(error)).toBe(false);
      expect(adminRefusalText(error)).toContain('give --rotate to replace it');
      expect(await secretOf('acme')).toEqual(Option.some(first.secret));

      const rotated = Either.getOrThrow(await admin(secretFor('acme', true)));
      if (rotated.kind !== 'callback-secret-set') throw new Error('expected a secret');
      expect(rotated).toMatchObject({ accountId: 'acme', rotated: true });
      expect(rotated.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(rotated.secret).not.toBe(first.secret);
      expect(await secretOf('acme')).toEqual(Option.some(rotated.secret));
      expect(adminReport(rotated)).toContain('it replaces the previous one');
    });

    it('keeps the secret another run stored between its read and its write (two runs at once): one secret is printed', async () => {
      const made = world();
      await made.admin(open);
      // the other run's write lands after this run found no secret, before it stores its own
      const racing = {
        set: (accountId: string, secret: string) => setInMemoryCallbackSecret(made.database, accountId, secret),
        add: (accountId: string, _secret: string) =>
          Effect.as(setInMemoryCallbackSecret(made.database, accountId, 'the-other-runs-secret-0123456789'), false),
      };
      const raced = await made.runEither(
        runAdminCommand(secretFor('acme')).pipe(Effect.provideService(CallbackSecretWriter, racing)),
      );
      expect(raced).toMatchObject({ left: { _tag: 'CallbackSecretExists', accountId: 'acme' } });
      expect(await made.secretOf('acme')).toEqual(Option.some('the-other-runs-secret-0123456789'));
    });

    it('refuses an account that is not in the directory, storing nothing', async () => {
      const { admin, secretOf } = world();
      for (const rotate of [false, true]) {
        expect(await admin(secretFor('nobody', rotate))).toMatchObject({ left: { _tag: 'CustomerAccountNotFound' } });
      }
      expect(await secretOf('nobody')).toEqual(Option.none());
    });
  });

  describe('top-up settle', () => {
    /** A world with a top-up sent and left pending at the provider (no callback, no status query). */
    const pendingWorld = async () => {
      const made = world({ products: sampleCatalogue });
      made.provider.scriptSends({ _tag: 'Pending', status: 'SUBMITTED' });
      const topUp = await made.run(
        Effect.gen(function* () {
          yield* openFundedAccounts(['account-1']);
          const requested = yield* requestedTopUp();
          yield* sendAttempt(requested.id);
          return requested;
        }),
      );
      return { ...made, topUpId: topUp.id };
    };
    /** Forced: no reconciliation run has listed these top-ups as awaiting a decision. */
    const settle = (topUpId: string, status: string, operator?: string) =>
      ({
        kind: 'top-up-settle',
        topUpId,
        status,
        reason: 'confirmed by the provider support',
        operator,
        force: true,
      }) as const;

    it('refuses a pending top-up no reconciliation run lists as awaiting a decision without --force', async () => {
      const { admin, topUpId, reconciliation } = await pendingWorld();
      expect(await admin({ ...settle(topUpId, 'DECLINED'), force: false })).toMatchObject({
        left: { _tag: 'NotAwaitingDecision', topUpId, status: 'SUBMITTED' },
      });
      expect(reconciliation.settlements()).toEqual([]);
    });

    it('settles a pending top-up to the status decided, recorded with the reason and the operator', async () => {
      const { admin, topUpId, reconciliation } = await pendingWorld();
      const settled = Either.getOrThrow(await admin(settle(topUpId, 'completed', 'amina')));
      expect(settled).toMatchObject({
        kind: 'top-up-settled',
        topUp: { id: topUpId, status: { status: 'COMPLETED' } },
        settlement: {
          topUpId,
          actor: 'operator',
          operator: 'amina',
          state: 'APPLIED',
          fromStatus: { status: 'SUBMITTED' },
          toStatus: { status: 'COMPLETED' },
          reason: 'confirmed by the provider support',
        },
      });
      expect(reconciliation.settlements()).toHaveLength(1);
      // final now: the same decision again is refused, the records unchanged
      expect(await admin(settle(topUpId, 'COMPLETED', 'amina'))).toMatchObject({ left: { _tag: 'TopUpAlreadyFinal' } });
      // but a completed top-up may be reversed
      expect(await admin(settle(topUpId, 'REVERSED', 'amina'))).toMatchObject({
        right: { topUp: { status: { status: 'REVERSED' } } },
      });
    });

    it('records the operator given to the command when the command names none', async () => {
      const made = await pendingWorld();
      const settled = await made.admin(settle(made.topUpId, 'DECLINED'), 'login-name');
      expect(settled).toMatchObject({
        right: { settlement: { operator: 'login-name', toStatus: { status: 'DECLINED' } } },
      });
    });

    it('refuses an unknown top-up, a status that is not final, a reversal of a pending top-up', async () => {
      const { admin, topUpId } = await pendingWorld();
      expect(await admin(settle('no-such-top-up', 'COMPLETED'))).toMatchObject({ left: { _tag: 'TopUpNotFound' } });
      expect(await admin(settle(topUpId, 'SUBMITTED'))).toMatchObject({
        left: { _tag: 'InvalidInput', field: 'status' },
      });
      expect(await admin({ ...settle(topUpId, 'COMPLETED'), reason: ' ' })).toMatchObject({
        left: { _tag: 'InvalidInput', field: 'reason' },
      });
      expect(await admin(settle(topUpId, 'REVERSED'))).toMatchObject({ left: { _tag: 'IllegalTransition' } });
    });

    it('refuses a reason with control characters or over 500 characters, naming --reason, before anything is written', async () => {
      const { admin, topUpId, reconciliation } = await pendingWorld();
      for (const reason of ['paid \u001b[31mCOMPLETED', 'carriage\rreturn', 'next line \u0085 (C1)', 'x'.repeat(501)]) {
        const refused = await admin({ ...settle(topUpId, 'COMPLETED'), reason });
        expect(refused).toMatchObject({ left: { _tag: 'InvalidInput', field: 'reason' } });
        const error = Option.getOrThrow(Either.getLeft(refused));
        expect(isBadArgument(error)).toBe(true);
        expect(adminRefusalText(error)).toBe(
          '--reason: 1 to 500 characters, no control or invisible format characters but tab and line feed; nothing was recorded',
        );
      }
      expect(reconciliation.settlements()).toEqual([]);
      // tab and line feed are text; 500 characters are enough (489 + 11)
      const settled = await admin({ ...settle(topUpId, 'COMPLETED'), reason: `${'x'.repeat(489)}\n\tticket 44` });
      expect(settled).toMatchObject({ right: { settlement: { reason: `${'x'.repeat(489)}\n\tticket 44` } } });
    });
  });
});
