import { InvalidInput, ReconcileProviderMismatch, ReconciliationWindowBusy } from '@airtime/application';
import { PersistenceFailure, ProviderRejected, ProviderUnavailable } from '@airtime/domain';
import { refusesOurCredentials } from '@airtime/application';
import { CREDENTIAL_VARIABLES, endOfFailure, EXIT_CODES, exitCodeOf } from './exit-code.table';
import { RECONCILE_USAGE } from './reconcile-arguments.input';

describe('the exit status of a run', () => {
  it('is 0 matched, 1 mismatches or unverified, 2 bad arguments, configuration or input, 3 busy or failed', () => {
    expect(exitCodeOf('MATCHED')).toBe(0);
    expect(exitCodeOf('MISMATCHES')).toBe(1);
    expect(exitCodeOf('UNVERIFIED')).toBe(1);
    expect(exitCodeOf('INVALID')).toBe(2);
    expect(exitCodeOf('BUSY')).toBe(3);
    expect(exitCodeOf('FAILED')).toBe(3);
  });

  it('only 0 says everything matched; every status is told in the usage text', () => {
    expect(Object.entries(EXIT_CODES).filter(([, code]) => code === 0)).toEqual([['MATCHED', 0]]);
    expect(RECONCILE_USAGE).toContain(
      [
        'Exit status: 0 everything matches or was settled,',
        '1 mismatches remain, or the provider cannot list its transactions (UNVERIFIED): see the report,',
        '2 bad arguments or configuration,',
        '3 another run of the window is in progress, or the run failed',
      ].join('\n'),
    );
  });

  it('of a failed run: 2 for input refused, 3 for a window another run holds, 3 for anything else', () => {
    const exitOf = (error: unknown) => exitCodeOf(endOfFailure(error));
    expect(exitOf(new InvalidInput({ field: 'from', reason: 'the window must start before it ends' }))).toBe(2);
    expect(exitOf(new ReconcileProviderMismatch({ requested: 'dtone', configured: 'simulator' }))).toBe(2);
    expect(endOfFailure(new ReconciliationWindowBusy({ windowKey: 'dtone/a/b' }))).toBe('BUSY');
    expect(exitOf(new ReconciliationWindowBusy({ windowKey: 'dtone/a/b' }))).toBe(3);
    expect(endOfFailure(new PersistenceFailure({ reason: 'connection lost', retryable: true }))).toBe('FAILED');
    expect(endOfFailure(new ProviderUnavailable({ provider: 'dtone', reason: 'down' }))).toBe('FAILED');
    expect(endOfFailure(new Error('a defect'))).toBe('FAILED');
  });

  it('of a run the provider refused our credentials: 2 (configuration: running it again changes nothing)', () => {
    const refusal = (providerCode: string) =>
      new ProviderRejected({ provider: 'dtone', providerCode, reason: 'HTTP 401', retryable: false });
    for (const code of ['1000401', 'HTTP_401', 'HTTP_403']) {
      expect(refusesOurCredentials(refusal(code))).toBe(true);
      expect(endOfFailure(refusal(code))).toBe('CREDENTIALS');
      expect(exitCodeOf(endOfFailure(refusal(code)))).toBe(2);
    }
    for (const error of [
      refusal('1000400'),
      refusal('HTTP_404'),
      new ProviderUnavailable({ provider: 'dtone', reason: 'HTTP 401' }),
    ]) {
      expect(refusesOurCredentials(error)).toBe(false);
      expect(endOfFailure(error)).toBe('FAILED');
    }
    expect(CREDENTIAL_VARIABLES['dtone']).toBe('DTONE_API_KEY/DTONE_API_SECRET');
  });
});
