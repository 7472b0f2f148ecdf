// The batched ledger store's bounds, from code and from the environment.
import { Either } from 'effect';
import { DEFAULT_LEDGER_BATCH_CONFIG, ledgerBatchConfigFromEnv } from './ledger-batch.config';

describe('ledger batch bounds from the environment', () => {
  it('unset or empty variables take the defaults', () => {
    expect(ledgerBatchConfigFromEnv({})).toEqual(Either.right(DEFAULT_LEDGER_BATCH_CONFIG));
    expect(ledgerBatchConfigFromEnv({ LEDGER_BATCH_LANES: ' ' })).toEqual(Either.right(DEFAULT_LEDGER_BATCH_CONFIG));
  });

  it('reads each variable', () => {
    expect(
      ledgerBatchConfigFromEnv({ LEDGER_BATCH_LANES: '4', LEDGER_BATCH_MAX: '64', LEDGER_BATCH_LINGER_MS: '0.5' }),
    ).toEqual(Either.right({ lanes: 4, maxBatch: 64, lingerMs: 0.5 }));
  });

  it.each([
    [{ LEDGER_BATCH_LANES: 'four' }, /LEDGER_BATCH_LANES: expected an integer from 1 to 256/],
    [{ LEDGER_BATCH_MAX: '-1' }, /LEDGER_BATCH_MAX: expected an integer from 1 to 10000/],
    [{ LEDGER_BATCH_LANES: '0' }, /LEDGER_BATCH_LANES: expected an integer from 1 to 256/],
    [{ LEDGER_BATCH_MAX: '10001' }, /LEDGER_BATCH_MAX: expected an integer from 1 to 10000/],
    [{ LEDGER_BATCH_LINGER_MS: '1001' }, /LEDGER_BATCH_LINGER_MS: expected a number of milliseconds from 0 to 1000/],
    [{ LEDGER_BATCH_LINGER_MS: '-5' }, /LEDGER_BATCH_LINGER_MS: expected a number of milliseconds from 0 to 1000/],
    [{ LEDGER_BATCH_LANES: '1.5' }, /LEDGER_BATCH_LANES: expected an integer/],
    [{ LEDGER_BATCH_MAX: '1e3' }, /LEDGER_BATCH_MAX: expected/],
  ])('refuses %j with a typed error that names the rule', (env, message) => {
    const decoded = ledgerBatchConfigFromEnv(env);
    expect(Either.isLeft(decoded) && decoded.left).toMatchObject({ _tag: 'InvalidLedgerBatchConfig' });
    expect(Either.isLeft(decoded) && decoded.left.message).toMatch(message);
    // never the value
    for (const value of Object.values(env))
      expect(Either.isLeft(decoded) && decoded.left.message).not.toContain(`${value} `);
  });
});
