import { testCurrency } from '../../testing/product.arbitraries';
import { money } from '../money/money';
import { preciseMoney } from '../money/precise-money';
import type { ProviderTransaction } from '../ports/airtime-provider.port';
import { type DetailedStatus, transactionStatus } from '../transaction/transaction-status';
import { totalsPerCurrency } from './currency-totals';
import type { Mismatch, OurAttempt } from './reconciliation';
import { amountAtStake, amountsPerCurrency, capturedByThem, capturedByUs } from './reconciliation-amounts';

const usd = testCurrency('USD');
const eur = testCurrency('EUR');
const php = testCurrency('PHP');
const at = new Date(Date.UTC(2025, 0, 1));

const ours = (id: string, status: DetailedStatus, charged = preciseMoney(18695n, 4, usd)): OurAttempt => ({
  topUpId: `topup-${id}`,
  accountId: 'account-1',
  externalId: id,
  attemptNumber: 1,
  isLastAttempt: true,
  providerId: 'dtone',
  providerExternalId: `${id}-1`,
  providerTransactionId: `tx-${id}`,
  startedAt: at,
  state: 'Succeeded',
  status: transactionStatus(status),
  failureReason: undefined,
  receive: money(10000n, php),
  charged,
  cost: money(187n, usd),
  topUpStatus: transactionStatus(status),
  topUpUpdatedAt: at,
});

const theirs = (
  id: string,
  status: DetailedStatus,
  charged?: ReturnType<typeof preciseMoney>,
): ProviderTransaction => ({
  providerTransactionId: `tx-${id}`,
  providerExternalId: `${id}-1`,
  status: transactionStatus(status),
  charged,
});

describe('totalsPerCurrency', () => {
  it('sums exactly within each currency, sorted by code', () => {
    expect(totalsPerCurrency([preciseMoney(1n, 3, usd), preciseMoney(5n, 2, eur), preciseMoney(2n, 2, usd)])).toEqual([
      preciseMoney(5n, 2, eur),
      preciseMoney(21n, 3, usd),
    ]);
    expect(totalsPerCurrency([])).toEqual([]);
  });
});

describe('reconciliation amounts', () => {
  it('captured by us: the COMPLETED attempts, each once', () => {
    const done = ours('a', 'COMPLETED');
    expect(
      capturedByUs([
        done,
        done,
        ours('b', 'DECLINED'),
        ours('c', 'REVERSED'),
        ours('d', 'COMPLETED', preciseMoney(1n, 0, eur)),
      ]),
    ).toEqual([preciseMoney(100n, 2, eur), preciseMoney(18695n, 4, usd)]);
  });

  it('captured by them: the COMPLETED transactions that give a charge, each once', () => {
    const done = theirs('a', 'COMPLETED', preciseMoney(2n, 0, usd));
    expect(
      capturedByThem([done, done, theirs('b', 'COMPLETED'), theirs('c', 'SUBMITTED', preciseMoney(7n, 0, usd))]),
    ).toEqual([preciseMoney(200n, 2, usd)]);
  });

  it('puts at stake our charge, or theirs when we have none', () => {
    const mine: Mismatch = {
      kind: 'MISSING_AT_PROVIDER',
      providerExternalId: 'a-1',
      ours: ours('a', 'COMPLETED'),
      theirs: [],
      detail: '',
    };
    const stranger: Mismatch = {
      kind: 'DUPLICATE_AT_PROVIDER',
      providerExternalId: 'x-1',
      ours: undefined,
      theirs: [
        theirs('x', 'COMPLETED', preciseMoney(1n, 0, usd)),
        theirs('y', 'DECLINED'),
        theirs('z', 'COMPLETED', preciseMoney(2n, 0, eur)),
      ],
      detail: '',
    };
    expect(amountAtStake(mine)).toEqual([preciseMoney(18695n, 4, usd)]);
    expect(amountAtStake(stranger)).toEqual([preciseMoney(1n, 0, usd), preciseMoney(2n, 0, eur)]);
  });

  it('puts at stake one charge per transaction listed with conflicting snapshots, not one per listing', () => {
    const conflicting: Mismatch = {
      kind: 'CONFLICTING_LISTINGS',
      providerExternalId: 'x-1',
      ours: undefined,
      theirs: [theirs('x', 'COMPLETED', preciseMoney(1n, 0, usd)), theirs('x', 'DECLINED', preciseMoney(1n, 0, usd))],
      detail: '',
    };
    expect(amountAtStake(conflicting)).toEqual([preciseMoney(1n, 0, usd)]);
  });

  it('lists every currency of either side or of a mismatch, zero where a side has none', () => {
    const stranger: Mismatch = {
      kind: 'MISSING_HERE',
      providerExternalId: 'x-1',
      ours: undefined,
      theirs: [theirs('x', 'DECLINED', preciseMoney(3n, 0, eur))],
      detail: '',
    };
    expect(
      amountsPerCurrency(
        [ours('a', 'COMPLETED')],
        [theirs('a', 'COMPLETED', preciseMoney(18695n, 4, usd))],
        [stranger],
      ),
    ).toEqual([
      {
        currency: 'EUR',
        ours: preciseMoney(0n, 2, eur),
        theirs: preciseMoney(0n, 2, eur),
        mismatched: preciseMoney(300n, 2, eur),
      },
      {
        currency: 'USD',
        ours: preciseMoney(18695n, 4, usd),
        theirs: preciseMoney(18695n, 4, usd),
        mismatched: preciseMoney(0n, 2, usd),
      },
    ]);
  });
});
