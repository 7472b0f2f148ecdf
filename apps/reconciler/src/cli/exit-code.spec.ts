import { EXIT_CODES, exitCodeOf } from './exit-code.table';
import { RECONCILE_USAGE } from './reconcile-arguments.input';

describe('the exit status of a run', () => {
  it('is 0 matched, 1 mismatches, 2 bad arguments or configuration, 3 failed', () => {
    expect(exitCodeOf('MATCHED')).toBe(0);
    expect(exitCodeOf('MISMATCHES')).toBe(1);
    expect(exitCodeOf('INVALID')).toBe(2);
    expect(exitCodeOf('FAILED')).toBe(3);
  });

  it('is one distinct status per end, each told in the usage text', () => {
    const codes = Object.values(EXIT_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    expect(RECONCILE_USAGE).toMatch(
      /0 everything matches or was settled, 1 mismatches remain .*\n2 bad arguments or configuration, 3 the run failed/,
    );
  });
});
