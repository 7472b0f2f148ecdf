// The command line of ledger:fund: the account, currency, decimal amounts
// (exact in the currency's minor units) and the required deposit id;
// problems name flags, never values.
import { currencyOf, MAX_LEDGER_AMOUNT_MINOR } from '@airtime/domain';
import { Either } from 'effect';
import { parseFundArguments } from './fund-arguments.input';

const USD = Either.getOrThrow(currencyOf('USD'));
const JPY = Either.getOrThrow(currencyOf('JPY'));
const KWD = Either.getOrThrow(currencyOf('KWD'));

const base = ['--account', 'acme', '--currency', 'USD', '--amount', '100.00', '--deposit-id', 'acme-usd-1'];

const left = (argv: readonly string[]): string => {
  const parsed = parseFundArguments(argv);
  if (Either.isRight(parsed)) throw new Error(`expected a refusal of ${argv.join(' ')}`);
  return parsed.left;
};

/** `base` with one flag's value replaced. */
const withFlag = (flag: string, value: string): string[] => {
  const argv = [...base];
  const at = argv.indexOf(flag);
  if (at >= 0) argv[at + 1] = value;
  else argv.push(flag, value);
  return argv;
};

describe('parseFundArguments', () => {
  it('reads the account, currency, amount in minor units and deposit id', () => {
    expect(parseFundArguments(base)).toEqual(
      Either.right({
        kind: 'fund',
        accountId: 'acme',
        currency: USD,
        amountMinor: 10_000n,
        depositId: 'acme-usd-1',
        creditLimitMinor: undefined,
      }),
    );
  });

  it("reads amounts with the currency's own decimals, trailing zeros and = forms", () => {
    expect(parseFundArguments(withFlag('--amount', '100.5'))).toMatchObject({ right: { amountMinor: 10_050n } });
    expect(parseFundArguments(withFlag('--amount', '0.01'))).toMatchObject({ right: { amountMinor: 1n } });
    expect(parseFundArguments([...withFlag('--currency', 'JPY'), '--amount=5000.000'])).toMatchObject({
      right: { currency: JPY, amountMinor: 5_000n },
    });
    expect(parseFundArguments([...withFlag('--currency', 'KWD'), '--amount', '1.234'])).toMatchObject({
      right: { currency: KWD, amountMinor: 1_234n },
    });
  });

  it('reads a credit limit in the same currency, zero included', () => {
    expect(parseFundArguments([...base, '--credit-limit', '50'])).toMatchObject({
      right: { creditLimitMinor: 5_000n },
    });
    expect(parseFundArguments([...base, '--credit-limit=0'])).toMatchObject({ right: { creditLimitMinor: 0n } });
  });

  it('answers help before anything else', () => {
    expect(parseFundArguments(['--help'])).toEqual(Either.right({ kind: 'help' }));
    expect(parseFundArguments(['-h', '--amount', 'x'])).toEqual(Either.right({ kind: 'help' }));
  });

  it('requires the deposit id and every other flag, naming what is missing', () => {
    expect(left(base.slice(0, 6))).toBe('missing --deposit-id');
    expect(left([])).toBe('missing --account, --currency, --amount, --deposit-id');
  });

  it("refuses ids that break the domain's identifier rules", () => {
    expect(left(withFlag('--account', ' '))).toBe('--account: invalid account id: it is only whitespace');
    expect(left(withFlag('--account', ''))).toBe('--account: invalid account id: it is empty');
    expect(left(withFlag('--deposit-id', 'x'.repeat(101)))).toBe(
      '--deposit-id: invalid deposit id: it is 101 characters long, more than 100',
    );
    expect(left(withFlag('--deposit-id', 'a\u202Eb'))).toMatch(/^--deposit-id: invalid deposit id: it holds a control/);
  });

  it('refuses a currency that is not an ISO 4217 code with minor units', () => {
    for (const bad of ['usd', 'XXX', 'XAU', 'DOLLARS', '']) {
      expect(left(withFlag('--currency', bad))).toBe(
        '--currency must be an ISO 4217 code with minor units, in capitals (USD, PHP, KES, JPY)',
      );
    }
  });

  it('refuses amounts that are not exact positive decimals of the currency, naming no value', () => {
    expect(left(withFlag('--amount', '1.001'))).toBe('--amount: USD has 2 decimal places; the amount would be rounded');
    expect(left([...withFlag('--currency', 'JPY'), '--amount', '1.5'])).toMatch(/^--amount: JPY has 0 decimal places/);
    expect(left(withFlag('--amount', '12,50'))).toBe('--amount: not a decimal number');
    expect(left(withFlag('--amount', 'ten'))).toBe('--amount: not a decimal number');
    expect(left(withFlag('--amount', '0'))).toBe('--amount must be more than zero');
    expect(left(withFlag('--amount', '0.00'))).toBe('--amount must be more than zero');
    expect(left(['--amount=-5', ...base.slice(0, 4), '--deposit-id', 'd'])).toBe('--amount must be more than zero');
    expect(left(withFlag('--amount', '22517998136852.49'))).toBe('--amount is more than the ledger can hold');
    expect(left(withFlag('--amount', '92233720368547758.08'))).toBe('--amount is more than the ledger can hold');
    expect(parseFundArguments(withFlag('--amount', '22517998136852.48'))).toMatchObject({
      right: { amountMinor: MAX_LEDGER_AMOUNT_MINOR },
    });
    expect(left(withFlag('--amount', '987654.321'))).not.toContain('987654');
  });

  it('refuses a negative or inexact credit limit', () => {
    expect(left([...base, '--credit-limit=-1'])).toBe('--credit-limit must not be negative');
    expect(left([...base, '--credit-limit', '0.005'])).toMatch(/^--credit-limit: USD has 2 decimal places/);
  });

  it('refuses unknown flags, flags without values and positionals', () => {
    expect(left([...base, '--phone', '+639171234100'])).toMatch(/--phone/);
    expect(left([...base, '--phone', '+639171234100'])).not.toContain('639171234100');
    expect(left([...base, 'extra'])).toBe('unexpected arguments: give every value after its flag');
    expect(left(['--account', 'acme', '--currency', 'USD', '--deposit-id', 'd', '--amount'])).toMatch(/--amount/);
  });
});
