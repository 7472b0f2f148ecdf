// The command line of topup:status: which top-up, --watch and its timeout;
// problems name flags, never values.
import { Either } from 'effect';
import { DEFAULT_WATCH_TIMEOUT_MS, describeLookup, parseStatusArguments } from './status-arguments.input';

const left = (argv: readonly string[]): string => {
  const parsed = parseStatusArguments(argv);
  if (Either.isRight(parsed)) throw new Error(`expected a refusal of ${argv.join(' ')}`);
  return parsed.left;
};

describe('parseStatusArguments', () => {
  it('reads a top-up by account and external id', () => {
    expect(parseStatusArguments(['--account', 'demo', '--external-id', 'demo-1'])).toEqual(
      Either.right({
        kind: 'show',
        lookup: { by: 'externalId', accountId: 'demo', externalId: 'demo-1' },
        watch: false,
        timeoutMs: DEFAULT_WATCH_TIMEOUT_MS,
      }),
    );
  });

  it('reads a top-up by id, with --watch and a timeout in seconds', () => {
    expect(parseStatusArguments(['--id', 'abc', '--watch', '--timeout', '90'])).toEqual(
      Either.right({ kind: 'show', lookup: { by: 'id', topUpId: 'abc' }, watch: true, timeoutMs: 90_000 }),
    );
    expect(parseStatusArguments(['--id=abc', '-w'])).toMatchObject({ right: { watch: true } });
  });

  it('answers help before anything else', () => {
    expect(parseStatusArguments(['--help'])).toEqual(Either.right({ kind: 'help' }));
    expect(parseStatusArguments(['-h', '--id', 'x'])).toEqual(Either.right({ kind: 'help' }));
  });

  it('refuses a lookup that is missing, half given or given twice', () => {
    expect(left([])).toBe('say which top-up: --id, or --account with --external-id');
    expect(left(['--account', 'demo'])).toBe('missing --external-id');
    expect(left(['--external-id', 'x'])).toBe('missing --account');
    expect(left(['--account', ' ', '--external-id', ''])).toBe('missing --account, --external-id');
    expect(left(['--id', 'a', '--account', 'demo'])).toMatch(/either --id, or --account/);
    expect(left(['--id', ''])).toBe('--id must not be empty');
  });

  it('refuses bad timeouts, a timeout without --watch, unknown flags and positionals, naming no value', () => {
    for (const bad of ['0', '-1', '1.5', 'soon', '86401']) {
      expect(left(['--id', 'a', '--watch', `--timeout=${bad}`])).toBe(
        '--timeout must be a whole number of seconds from 1 to 86400',
      );
    }
    expect(left(['--id', 'a', '--timeout', '5'])).toBe('--timeout goes with --watch');
    expect(left(['--id', 'a', '--phone', '+639171234100'])).not.toContain('639171234100');
    expect(left(['--id', 'a', '--phone', '+639171234100'])).toMatch(/--phone/);
    expect(left(['--id', 'a', '+639171234100'])).toBe('unexpected arguments: give every value after its flag');
  });
});

describe('describeLookup', () => {
  it('names the top-up as the user asked for it', () => {
    expect(describeLookup({ by: 'id', topUpId: 'abc' })).toBe('top-up abc');
    expect(describeLookup({ by: 'externalId', accountId: 'demo', externalId: 'demo-1' })).toBe(
      'top-up with external id demo-1 of account demo',
    );
  });
});
