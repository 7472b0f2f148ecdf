// The reconciler end to end on a day seeded with every kind of discrepancy
// of the issue, our books written by the use cases on PostgreSQL and the
// provider being the DVS simulator over HTTP (the DT One adapter): a
// dropped callback, a top-up the provider completed but we think failed,
// an unknown outcome, a reversal we never heard of, an amount difference,
// a transaction at the provider we never sent, a duplicate at the
// provider, a top-up held and never sent (no worker ran); and one top-up
// that simply matches. Every one is settled or
// reported as it should be (100% found, nothing else reported), the exit
// status is 1, the report files are written; a second run changes nothing
// and reports the same (without its `run` part).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { reportBaseName } from './report/report-files';
import { requestTopUp } from '@airtime/application';
import {
  ACCOUNT,
  openReconcileWorld,
  phoneWith,
  type ReconcileWorld,
  type SeededTopUp,
  settlementRows,
} from './testing/reconcile-world.fixture';

interface Report {
  readonly run: Record<string, unknown>;
  readonly outcome: string;
  readonly counts: {
    readonly ours: number;
    readonly theirs: number;
    readonly matched: number;
    readonly settled: number;
    readonly mismatches: Record<string, number>;
  };
  readonly mismatches: readonly {
    readonly kind: string;
    readonly providerExternalId: string;
    readonly ours: { readonly topUpId: string; readonly status: string } | null;
    readonly theirs: readonly { readonly status: string; readonly providerTransactionId: string }[];
    readonly detail: string;
  }[];
  readonly settlements: readonly {
    readonly topUpId: string;
    readonly fromStatus: string;
    readonly toStatus: string;
    readonly actor: string;
    readonly state: string;
    readonly reason: string;
  }[];
  readonly [field: string]: unknown;
}

const withoutRun = ({ run: _run, ...rest }: Report) => rest;

describe('the reconciler on a day with every kind of discrepancy (PostgreSQL, the DVS simulator over HTTP)', () => {
  let world: ReconcileWorld;
  const seeded: Record<string, SeededTopUp> = {};
  let neverSentId: string;
  let heldId: string;
  let productId: number;

  /** A top-up sent, completed at the provider and in our books (its callback delivered). */
  const completed = async (name: string, index: number): Promise<SeededTopUp> => {
    const topUp = await world.requestAndSend(name, phoneWith(index));
    await world.untilStatus(topUp.providerExternalId, 'COMPLETED');
    await world.deliverCallback(topUp);
    return topUp;
  };
  const transactionOf = (topUp: SeededTopUp) => {
    const transaction = world.simulator.transactionByExternalId(topUp.providerExternalId);
    if (transaction === undefined) throw new Error(`no transaction at the simulator for ${topUp.externalId}`);
    return transaction;
  };

  beforeAll(async () => {
    world = await openReconcileWorld();
    // matches: nothing to say about it
    seeded['clean'] = await completed('clean', 1);
    productId = transactionOf(seeded['clean']).productId;

    // a dropped callback: completed at the provider, CONFIRMED in our books
    seeded['dropped'] = await world.requestAndSend('dropped-callback', phoneWith(2));
    await world.untilStatus(seeded['dropped'].providerExternalId, 'COMPLETED');

    // the provider completed it, we think it failed: declined (sandbox suffix 106), then completed there silently
    seeded['failedHere'] = await world.requestAndSend('failed-here', phoneWith(3, '106'));
    await world.untilStatus(seeded['failedHere'].providerExternalId, 'DECLINED');
    await world.deliverCallback(seeded['failedHere']);
    await world.admin('PATCH', `transactions/${transactionOf(seeded['failedHere']).id}`, { status: 'COMPLETED' });

    // an unknown outcome: the send was accepted and never answered
    await world.admin('PATCH', 'faults', { timeoutAfterAccept: true });
    seeded['unknown'] = await world.requestAndSend('unknown-outcome', phoneWith(4));
    await world.admin('PATCH', 'faults', { timeoutAfterAccept: false });
    await world.untilStatus(seeded['unknown'].providerExternalId, 'COMPLETED');

    // a reversal we never heard of (its callback dropped)
    seeded['reversed'] = await completed('reversed-there', 5);
    await world.admin('POST', `transactions/${transactionOf(seeded['reversed']).id}/reverse`);

    // an amount difference: the provider delivered less than we asked
    seeded['amount'] = await completed('amount-differs', 6);
    await world.admin('PATCH', `transactions/${transactionOf(seeded['amount']).id}`, { destination_amount: '1.00' });

    // a transaction at the provider we never sent
    const neverSent = await world.admin('POST', 'transactions', {
      external_id: 'never-sent-by-us',
      product_id: productId,
      credit_party_mobile_number: phoneWith(7),
      status: 'COMPLETED',
    });
    neverSentId = String(neverSent['id']);

    // a duplicate at the provider: a second transaction under the external id of one of ours
    seeded['duplicated'] = await completed('duplicated', 8);
    await world.admin('POST', 'transactions', {
      external_id: seeded['duplicated'].providerExternalId,
      product_id: productId,
      credit_party_mobile_number: phoneWith(8),
      status: 'COMPLETED',
    });

    // held and never sent: requested (its cost held) with no worker to send it
    const held = await world.run(
      requestTopUp({
        external_id: 'held-never-sent',
        account_id: ACCOUNT,
        phone_number: phoneWith(9),
        currency: 'PHP',
        max_amount: '30',
      }),
    );
    if (held._tag !== 'Created') throw new Error('expected a new top-up');
    heldId = held.topUp.id;
  }, 120_000);

  afterAll(async () => {
    await world?.close();
  });

  const reportOf = (): Report =>
    JSON.parse(
      readFileSync(path.join(world.reportDir, `${reportBaseName('dtone', world.day.from, world.day.to)}.json`), 'utf8'),
    ) as Report;

  it('settles what the provider can settle, reports every other discrepancy, exits 1', async () => {
    const outcome = await world.reconcile(['--date', world.date]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/\nreconcile: MISMATCHES: report .+\.json\n$/);
    const report = reportOf();
    expect(report.outcome).toBe('MISMATCHES');

    // 100% of the seeded discrepancies found, each with its kind, and nothing else
    expect(report.mismatches.map((mismatch) => [mismatch.kind, mismatch.providerExternalId])).toEqual([
      ['MISSING_HERE', 'never-sent-by-us'],
      ['STATUS_DIFFERS', seeded['failedHere']?.providerExternalId],
      ['AMOUNT_DIFFERS', seeded['amount']?.providerExternalId],
      ['DUPLICATE_AT_PROVIDER', seeded['duplicated']?.providerExternalId],
    ]);
    const byKind = Object.fromEntries(report.mismatches.map((mismatch) => [mismatch.kind, mismatch]));
    expect(byKind['MISSING_HERE']).toMatchObject({
      ours: null,
      theirs: [{ providerTransactionId: neverSentId, status: 'COMPLETED' }],
    });
    expect(byKind['STATUS_DIFFERS']).toMatchObject({
      ours: { topUpId: seeded['failedHere']?.topUpId, status: 'DECLINED' },
      theirs: [{ status: 'COMPLETED' }],
    });
    expect(byKind['AMOUNT_DIFFERS']).toMatchObject({
      ours: { topUpId: seeded['amount']?.topUpId },
      theirs: [{ status: 'COMPLETED' }],
    });
    expect(byKind['DUPLICATE_AT_PROVIDER']?.theirs).toHaveLength(2);
    expect(report.counts.mismatches).toEqual({
      MISSING_HERE: 1,
      MISSING_AT_PROVIDER: 0,
      STATUS_DIFFERS: 1,
      AMOUNT_DIFFERS: 1,
      DUPLICATE_AT_PROVIDER: 1,
      CONFLICTING_LISTINGS: 0,
    });

    // settled, each with its reason: the dropped callback and the unknown outcome completed, the reversal applied
    const settled = Object.fromEntries(report.settlements.map((settlement) => [settlement.topUpId, settlement]));
    expect(report.settlements).toHaveLength(3);
    expect(settled[seeded['dropped']?.topUpId ?? '']).toMatchObject({
      fromStatus: 'CONFIRMED',
      toStatus: 'COMPLETED',
      actor: 'reconciler',
      state: 'APPLIED',
      reason: expect.stringMatching(/^provider reports COMPLETED at reconciliation/),
    });
    expect(settled[seeded['unknown']?.topUpId ?? '']).toMatchObject({ toStatus: 'COMPLETED', state: 'APPLIED' });
    expect(settled[seeded['reversed']?.topUpId ?? '']).toMatchObject({
      fromStatus: 'COMPLETED',
      toStatus: 'REVERSED',
      state: 'APPLIED',
    });
    expect(report.counts.settled).toBe(3);
    // the clean one, the settled ones: no mismatch
    for (const name of ['clean', 'dropped', 'unknown', 'reversed'])
      expect(report.mismatches.map((mismatch) => mismatch.ours?.topUpId)).not.toContain(seeded[name]?.topUpId);

    // our books follow the provider, the ledger too: captured for the completed, reversed for the reversal
    const holds = (await world.db.dataSource.query(
      `SELECT t.id, t.status, h.status AS hold FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id`,
    )) as { id: string; status: string; hold: string }[];
    const holdOf = (name: string) => holds.find((row) => row.id === seeded[name]?.topUpId);
    expect(holdOf('dropped')).toMatchObject({ status: 'COMPLETED', hold: 'CAPTURED' });
    expect(holdOf('unknown')).toMatchObject({ status: 'COMPLETED', hold: 'CAPTURED' });
    expect(holdOf('reversed')).toMatchObject({ status: 'REVERSED', hold: 'REVERSED' });
    // a final status the provider contradicts is reported, never changed
    expect(holdOf('failedHere')).toMatchObject({ status: 'DECLINED', hold: 'VOIDED' });

    // held and never sent: reported with its account and held amount, needing attention, never settled
    expect(report['heldNeverSent']).toEqual([
      {
        topUpId: heldId,
        accountId: ACCOUNT,
        externalId: 'held-never-sent',
        status: 'CREATED',
        createdAt: expect.stringMatching(new RegExp(`^${world.date}T`)),
        held: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'USD' },
      },
    ]);
    expect(report.counts).toMatchObject({ heldNeverSent: 1 });
    const heldRows = (await world.db.dataSource.query(
      `SELECT t.status, h.status AS hold, (SELECT count(*)::int FROM top_up_attempts a WHERE a.top_up_id = t.id) AS attempts
       FROM top_ups t JOIN ledger_holds h ON h.transaction_id = t.id WHERE t.id = $1`,
      [heldId],
    )) as unknown[];
    expect(heldRows).toEqual([{ status: 'CREATED', hold: 'HELD', attempts: 0 }]);
    expect(outcome.stdout).toContain('  held and never sent 1');
    expect(outcome.stdout).toMatch(
      new RegExp(`  - top-up ${heldId} \\(external id held-never-sent, account ${ACCOUNT}\\), CREATED, holds USD `),
    );

    // the summary on stdout: each mismatch with both sides, each settlement with its reason
    expect(outcome.stdout).toContain('Outcome: MISMATCHES');
    expect(outcome.stdout).toContain(`STATUS_DIFFERS ${seeded['failedHere']?.providerExternalId}`);
    expect(outcome.stdout).toContain('ours:   none (we never sent it)');
    expect(outcome.stdout).toContain(`theirs: transaction ${neverSentId} COMPLETED`);
    expect(outcome.stdout).toMatch(/CONFIRMED -> COMPLETED by the reconciler \[APPLIED\]: provider reports COMPLETED/);
  });

  it('run again: changes nothing and reports the same, without its run part', async () => {
    const first = reportOf();
    const rowsBefore = await settlementRows(world.db);
    const outcome = await world.reconcile(['--date', world.date, '--json']);
    expect(outcome.code).toBe(1);
    const second = JSON.parse(outcome.stdout) as Report;
    expect(second.run).not.toEqual(first.run);
    expect(withoutRun(second)).toEqual(withoutRun(first));
    expect(withoutRun(reportOf())).toEqual(withoutRun(first));
    expect(await settlementRows(world.db)).toEqual(rowsBefore);
    expect(
      await world.db.dataSource.query(
        `SELECT count(*)::int AS runs FROM reconciliation_runs WHERE finished_at IS NOT NULL`,
      ),
    ).toEqual([{ runs: 2 }]);
  });
});
