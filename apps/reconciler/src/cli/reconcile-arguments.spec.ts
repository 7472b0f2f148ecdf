import { Either } from 'effect';
import { parseReconcileArguments, type ReconcileCommand, utcDayStart, yesterdayOf } from './reconcile-arguments.input';

const NOW = new Date('2026-12-01T03:15:00.000Z');

const run = (argv: readonly string[]): ReconcileCommand => Either.getOrThrow(parseReconcileArguments(argv, NOW));

const problem = (argv: readonly string[]): string => {
  const result = parseReconcileArguments(argv, NOW);
  if (Either.isRight(result)) throw new Error(`expected ${argv.join(' ')} to be refused`);
  return result.left;
};

describe('parseReconcileArguments', () => {
  it('reconciles yesterday (UTC) by default, with the configured provider and report folder, the summary printed', () => {
    expect(run([])).toEqual({
      kind: 'run',
      from: new Date('2026-11-30T00:00:00.000Z'),
      to: new Date('2026-12-01T00:00:00.000Z'),
      providerId: undefined,
      reportDir: undefined,
      json: false,
    });
  });

  it('reads --date as the UTC day [00:00, 24:00), and every other flag', () => {
    expect(run(['--date', '2026-02-28', '--provider', 'dtone', '--report-dir', 'out/reports', '--json'])).toEqual({
      kind: 'run',
      from: new Date('2026-02-28T00:00:00.000Z'),
      to: new Date('2026-03-01T00:00:00.000Z'),
      providerId: 'dtone',
      reportDir: 'out/reports',
      json: true,
    });
    expect(run(['--date=2024-02-29'])).toMatchObject({ from: new Date('2024-02-29T00:00:00Z') });
  });

  it('reads --from/--to as instants with their offsets', () => {
    expect(run(['--from', '2026-11-30T06:00:00+02:00', '--to', '2026-11-30T12:30Z'])).toMatchObject({
      from: new Date('2026-11-30T04:00:00.000Z'),
      to: new Date('2026-11-30T12:30:00.000Z'),
    });
  });

  it('answers help for --help and -h, whatever else is given', () => {
    expect(run(['--help'])).toEqual({ kind: 'help' });
    expect(run(['--date', '2026-11-30', '-h'])).toEqual({ kind: 'help' });
  });

  it('refuses bad days and instants, naming the flag and never the value', () => {
    for (const date of ['2026-02-30', '2026-13-01', '30/11/2026', '2026-11-30T00:00Z', '1999-12-31']) {
      expect(problem(['--date', date])).toBe('--date: expected a calendar day YYYY-MM-DD (UTC), from 2000');
    }
    for (const instant of ['2026-11-30', '2026-11-30T00:00:00', 'yesterday', '2026-11-31T00:00Z']) {
      expect(problem(['--from', instant, '--to', '2026-12-01T00:00Z'])).toMatch(
        /^--from: expected an ISO 8601 instant/,
      );
      expect(problem(['--from', '2026-11-29T00:00Z', '--to', instant])).toMatch(/^--to: expected an ISO 8601 instant/);
    }
  });

  it('refuses instants finer than the millisecond, rather than cut them', () => {
    expect(problem(['--from', '2026-11-30T00:00:00.0001Z', '--to', '2026-12-01T00:00Z'])).toBe(
      '--from: at most milliseconds (e.g. 2026-11-30T00:00:00.123Z)',
    );
    expect(problem(['--from', '2026-11-30T00:00Z', '--to', '2026-11-30T23:59:59.999999999Z'])).toBe(
      '--to: at most milliseconds (e.g. 2026-11-30T00:00:00.123Z)',
    );
    // trailing zeros say nothing finer
    expect(run(['--from', '2026-11-30T00:00:00.123000Z', '--to', '2026-12-01T00:00Z'])).toMatchObject({
      from: new Date('2026-11-30T00:00:00.123Z'),
    });
  });

  it('refuses windows that are empty, too long, half given, mixed with --date, or in the future', () => {
    expect(problem(['--from', '2026-11-30T00:00Z', '--to', '2026-11-30T00:00Z'])).toBe(
      '--to: expected an instant after --from',
    );
    expect(problem(['--from', '2026-10-01T00:00Z', '--to', '2026-11-01T00:00:00.001Z'])).toBe(
      '--from/--to: expected a window of at most 31 days',
    );
    expect(run(['--from', '2026-10-01T00:00Z', '--to', '2026-11-01T00:00Z'])).toMatchObject({ kind: 'run' });
    expect(problem(['--from', '2026-11-30T00:00Z'])).toBe('give both --from and --to');
    expect(problem(['--to', '2026-11-30T00:00Z'])).toBe('give both --from and --to');
    expect(problem(['--date', '2026-11-30', '--from', '2026-11-30T00:00Z'])).toBe(
      'give --date or --from/--to, not both',
    );
    expect(problem(['--date', '2026-12-02'])).toBe('the window starts in the future');
    // today is allowed: a window that has begun (its end is later)
    expect(run(['--date', '2026-12-01'])).toMatchObject({ kind: 'run' });
  });

  it('refuses unknown, repeated and valueless flags, stray arguments, bad provider ids and empty folders', () => {
    // our words, one line (not node's advice about positionals, with its unbalanced quote)
    expect(problem(['--dry-run'])).toBe(
      'unknown flag --dry-run; the flags are --date, --from, --to, --provider, --report-dir, --json, --help',
    );
    expect(problem(['-x'])).toMatch(/^unknown flag -x; the flags are /);
    expect(problem(['--verbose=yes'])).toMatch(/^unknown flag --verbose; the flags are /);
    expect(problem(['--provider'])).toBe('--provider: expected a value');
    expect(problem(['--date'])).toBe('--date: expected a value');
    expect(problem(['--json=yes'])).toBe('--json: takes no value');
    expect(problem(['--date', '2026-11-29', '--date', '2026-11-30'])).toBe('--date is given more than once');
    expect(problem(['2026-11-30'])).toBe('unexpected arguments: every value goes after its flag');
    expect(problem(['--provider', 'DT One'])).toMatch(/^--provider: expected a provider id/);
    expect(problem(['--report-dir', ' '])).toBe('--report-dir: expected a folder path');
    // one line each
    expect(problem(['--dry-run'])).not.toContain('\n');
  });
});

describe('utcDayStart and yesterdayOf', () => {
  it('are midnights, UTC', () => {
    expect(utcDayStart('2026-11-30')).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(utcDayStart('2026-11-31')).toBeUndefined();
    expect(yesterdayOf(new Date('2026-12-01T00:00:00.000Z'))).toEqual({
      from: new Date('2026-11-30T00:00:00Z'),
      to: new Date('2026-12-01T00:00:00Z'),
    });
    expect(yesterdayOf(new Date('2026-11-30T23:59:59.999Z'))).toEqual({
      from: new Date('2026-11-29T00:00:00Z'),
      to: new Date('2026-11-30T00:00:00Z'),
    });
  });
});
