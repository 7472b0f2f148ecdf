import { makeRunMetrics, recordRun, type RunFacts } from './run-metrics';

const facts: RunFacts = {
  providerId: 'dtone',
  outcome: 'MISMATCHES',
  counts: {
    ours: 12,
    theirs: 13,
    matched: 9,
    inFlight: 1,
    settled: 2,
    awaitingDecision: 0,
    mismatches: {
      MISSING_HERE: 1,
      MISSING_AT_PROVIDER: 0,
      STATUS_DIFFERS: 2,
      AMOUNT_DIFFERS: 0,
      DUPLICATE_AT_PROVIDER: 1,
      CONFLICTING_LISTINGS: 1,
    },
    balanceMismatches: 1,
    heldNeverSent: 3,
  },
  phaseSeconds: new Map([
    ['settle', 0.5],
    ['match', 1.25],
  ]),
  runSeconds: 2,
  window: { from: new Date('2026-11-30T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
  finishedAt: new Date('2026-12-01T02:00:02Z'),
};

describe('the run metrics', () => {
  it('tell what the run found, how long each phase took and its outcome, in the Prometheus text format', async () => {
    const metrics = makeRunMetrics();
    recordRun(metrics, facts);
    const text = await metrics.registry.metrics();
    for (const line of [
      'airtime_reconcile_mismatches{provider="dtone",kind="MISSING_HERE"} 1',
      'airtime_reconcile_mismatches{provider="dtone",kind="MISSING_AT_PROVIDER"} 0',
      'airtime_reconcile_mismatches{provider="dtone",kind="STATUS_DIFFERS"} 2',
      'airtime_reconcile_mismatches{provider="dtone",kind="DUPLICATE_AT_PROVIDER"} 1',
      'airtime_reconcile_mismatches{provider="dtone",kind="CONFLICTING_LISTINGS"} 1',
      'airtime_reconcile_matched{provider="dtone"} 9',
      'airtime_reconcile_in_flight{provider="dtone"} 1',
      'airtime_reconcile_settled{provider="dtone"} 2',
      'airtime_reconcile_awaiting_decision{provider="dtone"} 0',
      'airtime_reconcile_balance_mismatches{provider="dtone"} 1',
      'airtime_reconcile_held_never_sent{provider="dtone"} 3',
      'airtime_reconcile_transactions{provider="dtone",side="ours"} 12',
      'airtime_reconcile_transactions{provider="dtone",side="theirs"} 13',
      'airtime_reconcile_phase_duration_seconds{provider="dtone",phase="settle"} 0.5',
      'airtime_reconcile_phase_duration_seconds{provider="dtone",phase="match"} 1.25',
      'airtime_reconcile_duration_seconds{provider="dtone"} 2',
      'airtime_reconcile_outcome{provider="dtone",outcome="MATCHED"} 0',
      'airtime_reconcile_outcome{provider="dtone",outcome="MISMATCHES"} 1',
      'airtime_reconcile_outcome{provider="dtone",outcome="UNVERIFIED"} 0',
      'airtime_reconcile_outcome{provider="dtone",outcome="FAILED"} 0',
      'airtime_reconcile_window_start_timestamp_seconds{provider="dtone"} 1795996800',
      'airtime_reconcile_finished_timestamp_seconds{provider="dtone"} 1796090402',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });

  it('tell a failed run by its outcome, durations and times only: no count (a zero would clear an alert)', async () => {
    const metrics = makeRunMetrics();
    recordRun(metrics, {
      ...facts,
      outcome: 'FAILED',
      counts: undefined,
      phaseSeconds: new Map([['settle', 0.25]]),
    });
    const text = await metrics.registry.metrics();
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples).toEqual([
      'airtime_reconcile_phase_duration_seconds{provider="dtone",phase="settle"} 0.25',
      'airtime_reconcile_duration_seconds{provider="dtone"} 2',
      'airtime_reconcile_outcome{provider="dtone",outcome="MATCHED"} 0',
      'airtime_reconcile_outcome{provider="dtone",outcome="MISMATCHES"} 0',
      'airtime_reconcile_outcome{provider="dtone",outcome="UNVERIFIED"} 0',
      'airtime_reconcile_outcome{provider="dtone",outcome="FAILED"} 1',
      'airtime_reconcile_window_start_timestamp_seconds{provider="dtone"} 1795996800',
      'airtime_reconcile_finished_timestamp_seconds{provider="dtone"} 1796090402',
    ]);
    // not even the names of the counts: a Pushgateway group replaced by this one loses them
    expect(text).not.toMatch(/airtime_reconcile_(mismatches|matched|in_flight|settled|awaiting|balance|transactions)/);
  });

  it('tell an unverified run (the provider cannot list): its own outcome, no provider side', async () => {
    const metrics = makeRunMetrics();
    recordRun(metrics, { ...facts, outcome: 'UNVERIFIED', counts: facts.counts && { ...facts.counts, theirs: null } });
    const lines = (await metrics.registry.metrics()).split('\n');
    expect(lines).toContain('airtime_reconcile_outcome{provider="dtone",outcome="UNVERIFIED"} 1');
    expect(lines).toContain('airtime_reconcile_outcome{provider="dtone",outcome="MISMATCHES"} 0');
    expect(lines.filter((line) => line.includes('side="theirs"'))).toEqual([]);
  });
});
