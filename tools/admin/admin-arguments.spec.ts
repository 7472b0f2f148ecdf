// The command line of npm run admin: each command and its flags, help, and the
// problems (unknown command, missing, repeated, empty or unknown flags, stray
// arguments), which name commands and flags, never values.
import { Either } from 'effect';
import { ADMIN_USAGE, parseAdminArguments } from './admin-arguments.input';

const left = (argv: readonly string[]): string => {
  const parsed = parseAdminArguments(argv);
  if (Either.isRight(parsed)) throw new Error(`expected a refusal of ${argv.join(' ')}`);
  return parsed.left;
};

/** Top-up ids as the platform makes them (UUID v7, lower case). */
const TOP_UP_1 = '01a22f3d-0a3a-757f-b386-627882829940';
const TOP_UP_2 = '01a22f3d-0a3a-757f-b386-627882829941';

const BAD_TOP_UP_ID =
  'top-up settle: TOP_UP_ID must be a top-up id: a UUID, 32 hexadecimal digits in groups of 8-4-4-4-12 (any letter case)';

describe('parseAdminArguments', () => {
  it('reads account create, deposit (with and without a deposit id) and credit-limit', () => {
    expect(parseAdminArguments(['account', 'create', '--id', 'acme', '--name', 'Acme Ltd'])).toEqual(
      Either.right({ kind: 'account-create', accountId: 'acme', name: 'Acme Ltd' }),
    );
    expect(parseAdminArguments(['account', 'deposit', '--id=acme', '--currency', 'USD', '--amount', '100.00'])).toEqual(
      Either.right({
        kind: 'account-deposit',
        accountId: 'acme',
        currency: 'USD',
        amount: '100.00',
        depositId: undefined,
      }),
    );
    expect(
      parseAdminArguments([
        'account',
        'deposit',
        '--id',
        'acme',
        '--currency',
        'USD',
        '--amount',
        '5',
        '--deposit-id',
        'd-1',
      ]),
    ).toMatchObject({ right: { depositId: 'd-1' } });
    expect(
      parseAdminArguments(['account', 'credit-limit', '--id', 'acme', '--currency', 'KES', '--limit', '0']),
    ).toEqual(Either.right({ kind: 'account-credit-limit', accountId: 'acme', currency: 'KES', creditLimit: '0' }));
  });

  it('reads key create with one or more accounts, key revoke and key list', () => {
    expect(parseAdminArguments(['key', 'create', '--account', 'acme', '--label', 'billing'])).toEqual(
      Either.right({ kind: 'key-create', accountIds: ['acme'], label: 'billing' }),
    );
    expect(
      parseAdminArguments(['key', 'create', '--account', 'acme', '--label', 'ops', '--account', 'acme-eu']),
    ).toEqual(Either.right({ kind: 'key-create', accountIds: ['acme', 'acme-eu'], label: 'ops' }));
    expect(parseAdminArguments(['key', 'revoke', '--key-id', 'k-1'])).toEqual(
      Either.right({ kind: 'key-revoke', keyId: 'k-1' }),
    );
    expect(parseAdminArguments(['key', 'list', '--account', 'acme'])).toEqual(
      Either.right({ kind: 'key-list', accountId: 'acme' }),
    );
  });

  it('reads account callback-secret, with --rotate as a switch', () => {
    expect(parseAdminArguments(['account', 'callback-secret', '--id', 'acme'])).toEqual(
      Either.right({ kind: 'account-callback-secret', accountId: 'acme', rotate: false }),
    );
    expect(parseAdminArguments(['account', 'callback-secret', '--rotate', '--id=acme'])).toEqual(
      Either.right({ kind: 'account-callback-secret', accountId: 'acme', rotate: true }),
    );
  });

  it('refuses account callback-secret without --id, with a value given to --rotate, or a stray argument', () => {
    expect(left(['account', 'callback-secret'])).toBe('account callback-secret: missing --id');
    expect(left(['account', 'callback-secret', '--rotate'])).toBe('account callback-secret: missing --id');
    expect(left(['account', 'callback-secret', '--id', 'acme', '--id', 'globex'])).toBe(
      'account callback-secret: --id is given more than once',
    );
    const valued = left(['account', 'callback-secret', '--id', 'acme', '--rotate=s3cr3t-value']);
    expect(valued).toMatch(/^account callback-secret: .*--rotate/);
    expect(valued).not.toContain('s3cr3t-value');
    // a secret is made, never given
    expect(left(['account', 'callback-secret', '--id', 'acme', '--secret', 's3cr3t-value'])).toMatch(
      /^account callback-secret: .*--secret/,
    );
    expect(left(['account', 'callback-secret', '--rotate', 'acme'])).toBe(
      'account callback-secret: unexpected arguments: give every value after its flag',
    );
    expect(left(['account', 'callback-secret', '--id', '--rotate'])).toMatch(/^account callback-secret: .*--id/);
  });

  it('reads top-up settle: the top-up id, the status, the reason, and the operator when given', () => {
    expect(
      parseAdminArguments([
        'top-up',
        'settle',
        TOP_UP_1,
        '--status',
        'COMPLETED',
        '--reason',
        'confirmed by AT support',
      ]),
    ).toEqual(
      Either.right({
        kind: 'top-up-settle',
        topUpId: TOP_UP_1,
        status: 'COMPLETED',
        reason: 'confirmed by AT support',
        operator: undefined,
        force: false,
      }),
    );
    expect(
      parseAdminArguments([
        'top-up',
        'settle',
        '--operator',
        'amina',
        '--status',
        'DECLINED',
        TOP_UP_2,
        '--reason',
        'x',
      ]),
    ).toMatchObject({ right: { topUpId: TOP_UP_2, status: 'DECLINED', operator: 'amina', force: false } });
    expect(
      parseAdminArguments(['top-up', 'settle', TOP_UP_1, '--force', '--status', 'DECLINED', '--reason', 'x']),
    ).toMatchObject({ right: { topUpId: TOP_UP_1, force: true } });
    // a UUID pasted in capitals is the stored (lower-case) id
    expect(
      parseAdminArguments([
        'top-up',
        'settle',
        ' 01A22F3D-0A3A-757F-B386-627882829940 ',
        '--status',
        'DECLINED',
        '--reason',
        'x',
      ]),
    ).toMatchObject({ right: { topUpId: '01a22f3d-0a3a-757f-b386-627882829940' } });
  });

  it('refuses a TOP_UP_ID that is no UUID: one line naming it and its shape, never the text given', () => {
    // before: read as given, then 'no top-up with this id' (exit 3, a refusal) for a mistyped argument
    for (const given of [
      'abc',
      'Order-X',
      '01a22f3d-0a3a-757f-b386-62788282994g',
      '01a22f3d0a3a757fb386627882829940',
      '01a22f3d-0a3a-757f-b386-6278828299401',
      '{01a22f3d-0a3a-757f-b386-627882829940}',
      'x'.repeat(300),
    ]) {
      const problem = left(['top-up', 'settle', given, '--status', 'COMPLETED', '--reason', 'x']);
      expect({ given, problem }).toEqual({ given, problem: BAD_TOP_UP_ID });
    }
    // the argument's shape is told first, whatever else is wrong
    expect(left(['top-up', 'settle', 'abc'])).toBe(BAD_TOP_UP_ID);
  });

  it('refuses top-up settle without its top-up id, with two, or without a status or reason', () => {
    expect(left(['top-up', 'settle', '--status', 'COMPLETED', '--reason', 'x'])).toBe(
      'top-up settle: missing TOP_UP_ID',
    );
    expect(left(['top-up', 'settle', ' ', '--status', 'COMPLETED', '--reason', 'x'])).toBe(
      'top-up settle: missing TOP_UP_ID',
    );
    expect(left(['top-up', 'settle', '', '--status', 'COMPLETED', '--reason', 'x'])).toBe(
      'top-up settle: missing TOP_UP_ID',
    );
    expect(left(['top-up', 'settle', TOP_UP_1, TOP_UP_2, '--status', 'COMPLETED', '--reason', 'x'])).toBe(
      'top-up settle: unexpected arguments: give every value after its flag',
    );
    expect(left(['top-up', 'settle', TOP_UP_1])).toBe('top-up settle: missing --status, --reason');
    expect(left(['top-up', 'settle', TOP_UP_1, '--status', 'COMPLETED', '--reason', ''])).toBe(
      'top-up settle: --reason is empty',
    );
    expect(left(['top-up', 'settle', TOP_UP_1, '--status', 'X', '--status', 'Y', '--reason', 'r'])).toBe(
      'top-up settle: --status is given more than once',
    );
  });

  it('answers help for no arguments, help, --help and -h anywhere in a command', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h'], ['key', 'create', '--help'], ['account', 'create', '-h']])
      expect(parseAdminArguments(argv)).toEqual(Either.right({ kind: 'help' }));
  });

  it('refuses an unknown or incomplete command, listing the commands', () => {
    expect(left(['account'])).toMatch(/^unknown or incomplete command: give one of account create, account deposit/);
    expect(left(['account', '--id', 'x'])).toMatch(/^unknown or incomplete command/);
    expect(left(['account', 'delete', '--id', 'x'])).toMatch(
      /^unknown command: give one of .*key list, top-up settle$/,
    );
    expect(left(['wallet', 'create'])).toMatch(/^unknown command/);
  });

  it('names every missing flag of the command', () => {
    expect(left(['account', 'create'])).toBe('account create: missing --id, --name');
    expect(left(['account', 'deposit', '--id', 'acme'])).toBe('account deposit: missing --currency, --amount');
    expect(left(['key', 'create', '--label', 'ops'])).toBe('key create: missing --account');
    expect(left(['key', 'create'])).toBe('key create: missing --account, --label');
    expect(left(['key', 'revoke'])).toBe('key revoke: missing --key-id');
  });

  it('refuses a single flag given twice, an empty value, a stray argument and an unknown flag, quoting no value', () => {
    expect(left(['account', 'create', '--id', 'a', '--id', 'b', '--name', 'n'])).toBe(
      'account create: --id is given more than once',
    );
    expect(left(['account', 'create', '--id', ' ', '--name', 'n'])).toBe('account create: --id is empty');
    expect(left(['key', 'create', '--account', 'a', '--account', '', '--label', 'l'])).toBe(
      'key create: --account is empty',
    );
    expect(left(['key', 'list', '--account', 'a', 'extra'])).toBe(
      'key list: unexpected arguments: give every value after its flag',
    );
    const unknown = left(['key', 'list', '--account', 'a', '--phone', '+639171234100']);
    expect(unknown).toMatch(/^key list: .*--phone/);
    expect(unknown).not.toContain('639171234100');
    expect(left(['key', 'revoke', '--key-id'])).toMatch(/^key revoke: .*--key-id/);
  });
});

describe('ADMIN_USAGE', () => {
  const text = ADMIN_USAGE.replace(/\s+/g, ' ');

  it('says a callback_url for an account without a signing secret is refused, not sent without a callback', () => {
    expect(text).not.toContain('no callback is sent');
    expect(text).toContain(
      'until the account has one, a request naming a callback_url for it is refused (CALLBACK_SECRET_MISSING)',
    );
  });

  it('says the account must be created first (npm run ledger:fund makes no account record)', () => {
    expect(text).toContain(
      'account deposit, account credit-limit, account callback-secret and key create need the account made by account create first (npm run ledger:fund makes none)',
    );
  });
});
