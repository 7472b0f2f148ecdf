import { parsePreciseMoney, transactionStatus } from '@airtime/domain';
import { Either } from 'effect';
import { PHP } from '../../testing';
import { reconcile, reconcilingWorld, sentTopUp, strangerTransaction, withoutRun } from './reconcile-day.fixture';
import { formatSummary } from './reconciliation-summary.format';

const IN_THE_DAY = new Date('2026-01-01T15:00:00.000Z');

/** Every kind of discrepancy of the issue, one each, beside a clean top-up. */
const seededWorld = async () => {
  const world = await reconcilingWorld();
  await sentTopUp(world, 'clean');
  const dropped = await sentTopUp(world, 'dropped-callback', { _tag: 'Pending' });
  world.provider.settle(dropped.providerExternalId, 'COMPLETED');
  const declined = await sentTopUp(world, 'completed-there', { _tag: 'Decline' });
  world.provider.amend(declined.providerExternalId, { status: transactionStatus('COMPLETED') });
  const unknown = await sentTopUp(world, 'unknown-outcome', { _tag: 'TimeoutAfterArrival' });
  const reversed = await sentTopUp(world, 'reversed-there');
  world.provider.settle(reversed.providerExternalId, 'REVERSED');
  const amount = await sentTopUp(world, 'amount-differs');
  world.provider.amend(amount.providerExternalId, { receive: Either.getOrThrow(parsePreciseMoney('99.5', PHP)) });
  world.provider.putAtProvider({ ...strangerTransaction('never-sent-1', 'ptx-stranger'), createdAt: IN_THE_DAY });
  const duplicated = await sentTopUp(world, 'duplicated');
  world.provider.putAtProvider({
    ...strangerTransaction(duplicated.providerExternalId, 'ptx-dup'),
    createdAt: IN_THE_DAY,
  });
  return { world, dropped, declined, unknown, reversed, amount, duplicated };
};

describe('the reconciliation of a day with every kind of discrepancy, and its summary', () => {
  it('settles what the provider settled and reports every other difference exactly once', async () => {
    const seeded = await seededWorld();
    const { report } = await reconcile(seeded.world);
    expect(report.outcome).toBe('MISMATCHES');
    expect(report.mismatches.map((mismatch) => [mismatch.kind, mismatch.providerExternalId])).toEqual([
      ['MISSING_HERE', 'never-sent-1'],
      ['STATUS_DIFFERS', seeded.declined.providerExternalId],
      ['AMOUNT_DIFFERS', seeded.amount.providerExternalId],
      ['DUPLICATE_AT_PROVIDER', seeded.duplicated.providerExternalId],
    ]);
    expect(report.settlements.map((settlement) => [settlement.topUpId, settlement.toStatus, settlement.state])).toEqual(
      [
        [seeded.dropped.topUp.id, 'COMPLETED', 'APPLIED'],
        [seeded.unknown.topUp.id, 'COMPLETED', 'APPLIED'],
        [seeded.reversed.topUp.id, 'REVERSED', 'APPLIED'],
      ].sort(([a], [b]) => ((a ?? '') < (b ?? '') ? -1 : 1)),
    );
    expect(report.counts).toMatchObject({
      ours: 7,
      theirs: 9,
      matched: 4,
      settled: 3,
      mismatches: {
        MISSING_HERE: 1,
        MISSING_AT_PROVIDER: 0,
        STATUS_DIFFERS: 1,
        AMOUNT_DIFFERS: 1,
        DUPLICATE_AT_PROVIDER: 1,
      },
    });
    const again = await reconcile(seeded.world, { at: new Date('2026-01-02T05:00:00.000Z') });
    expect(withoutRun(again.report)).toEqual(withoutRun(report));
  });

  it('names every mismatch with both sides, every settlement with its reason, and the counts per class', async () => {
    const seeded = await seededWorld();
    const { report, summary } = await reconcile(seeded.world);
    expect(formatSummary(report)).toBe(summary);
    for (const mismatch of report.mismatches) {
      expect(summary).toContain(`${mismatch.kind} ${mismatch.providerExternalId}`);
      expect(summary).toContain(mismatch.detail);
    }
    expect(summary).toContain('ours:   none (we never sent it)');
    expect(summary).toContain('theirs: transaction ptx-stranger COMPLETED');
    expect(summary).toContain(`ours:   top-up ${seeded.declined.topUp.id} (external id completed-there`);
    for (const settlement of report.settlements) expect(summary).toContain(settlement.reason);
    expect(summary).toContain(
      'mismatches 4: MISSING_HERE 1, MISSING_AT_PROVIDER 0, STATUS_DIFFERS 1, AMOUNT_DIFFERS 1, DUPLICATE_AT_PROVIDER 1',
    );
    expect(summary).toMatch(/USD: ours \d+\.\d+, theirs \d+\.\d+, mismatched \d+\.\d+/);
    expect(summary).toContain('Awaiting a decision\n  none');
  });

  it("writes a provider's hidden characters as escapes: no terminal control, bidi override or forged line", async () => {
    // a provider's external id is its own text: an ANSI escape (colours, clearing the screen),
    // a right-to-left override and a line feed would reach the operator's terminal and the .txt
    const world = await reconcilingWorld();
    const hostile = 'evil\u001b[2J\u202egnp.exe\nOutcome: MATCHED\u2028x';
    world.provider.putAtProvider({ ...strangerTransaction(hostile, 'ptx-hostile'), createdAt: IN_THE_DAY });
    const { report, summary } = await reconcile(world);
    expect(report.mismatches.map((mismatch) => mismatch.providerExternalId)).toEqual([hostile]);
    for (const raw of ['\u001b', '\u202e', '\u2028']) expect(summary).not.toContain(raw);
    expect(summary).toContain('MISSING_HERE evil\\u001b[2J\\u202egnp.exe\\u000aOutcome: MATCHED\\u2028x');
    expect(summary.split('\n').filter((line) => line.startsWith('Outcome:'))).toEqual(['Outcome: MISMATCHES']);
  });

  it('writes hidden characters of a top-up held and never sent as escapes too', async () => {
    const { report } = await reconcile(await reconcilingWorld());
    const hostile = 'evil\u001b[2J\u202e\nOutcome: MATCHED';
    const summary = formatSummary({
      ...report,
      heldNeverSent: [
        {
          topUpId: 'topup-1',
          accountId: `acme${hostile}`,
          externalId: hostile,
          status: 'CREATED',
          createdAt: '2026-01-01T12:00:00.000Z',
          held: { amount: '1.86', currency: 'USD' },
        },
      ],
    });
    for (const raw of ['\u001b', '\u202e']) expect(summary).not.toContain(raw);
    expect(summary).toContain('(external id evil\\u001b[2J\\u202e\\u000aOutcome: MATCHED, account acmeevil');
    expect(summary.split('\n').filter((line) => line.startsWith('Outcome:'))).toEqual([`Outcome: ${report.outcome}`]);
  });
});
