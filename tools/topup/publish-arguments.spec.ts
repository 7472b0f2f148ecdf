import { Either } from 'effect';
import { commandsFromJsonLines, parsePublishArguments, withFlags } from './publish-arguments.input';

const parse = (...argv: string[]) => parsePublishArguments(argv, { newExternalId: () => 'cli-generated' });
const problem = (...argv: string[]): string => {
  const result = parse(...argv);
  if (Either.isRight(result)) throw new Error('expected a problem');
  return result.left;
};
const one = ['--account', 'acme', '--phone', '+639171234567', '--currency', 'PHP', '--max', '100'];

describe('topup:publish arguments', () => {
  it('reads one command from flags, with a generated external id by default', () => {
    expect(parse(...one)).toEqual(
      Either.right({
        kind: 'one',
        command: {
          external_id: 'cli-generated',
          account_id: 'acme',
          phone_number: '+639171234567',
          currency: 'PHP',
          max_amount: '100',
        },
        messageId: undefined,
        concurrency: 200,
      }),
    );
  });

  it('reads every optional flag', () => {
    const result = parse(
      ...one,
      '--desired',
      '50',
      '--product',
      'globe-50',
      '--exact',
      '--external-id',
      'order-42',
      '--callback-url',
      'https://acme.example/cb',
      '--metadata',
      '{"order":42}',
      '--message-id',
      'msg-1',
    );
    expect(Either.isRight(result) && result.right).toEqual({
      kind: 'one',
      command: {
        external_id: 'order-42',
        account_id: 'acme',
        phone_number: '+639171234567',
        currency: 'PHP',
        max_amount: '100',
        desired_amount: '50',
        product_id: 'globe-50',
        exact_amount: true,
        callback_url: 'https://acme.example/cb',
        metadata: { order: 42 },
      },
      messageId: 'msg-1',
      concurrency: 200,
    });
  });

  it('reads the file form and its concurrency', () => {
    expect(parse('--file', 'commands.jsonl', '--concurrency', '50')).toEqual(
      Either.right({ kind: 'file', path: 'commands.jsonl', concurrency: 50 }),
    );
    expect(parse('--help')).toEqual(Either.right({ kind: 'help' }));
  });

  it('refuses bad input with a message naming the flags, never a value', () => {
    expect(problem('--account', 'acme')).toBe('missing --phone, --currency, --max (or give --file)');
    expect(problem('--file', 'x.jsonl', '--max', '5')).toBe('--file cannot be combined with --max');
    expect(problem('--bogus')).toMatch(/Unknown option '--bogus'/);
    expect(problem(...one, 'stray')).toMatch(/unexpected arguments/);
    expect(problem(...one, '--concurrency', '0')).toBe('--concurrency must be a whole number from 1 to 10000');
    expect(problem(...one, '--metadata', '{not json')).toBe('--metadata must be a JSON object');
    const amount = problem('--account', 'acme', '--phone', '+639171234567', '--currency', 'PHP', '--max', 'ten');
    expect(amount).toMatch(/^invalid command: --max \(max_amount\)/);
    expect(amount).not.toContain('ten');
    const metadata = problem(...one, '--metadata', '[1,2]');
    expect(metadata).toMatch(/--metadata \(metadata\)/);
    expect(problem(...one, '--max')).toMatch(/--max/);
    // the consumer's field rules too, before connecting: PHP has 2 decimals, a callback must be https
    expect(problem(...one.slice(0, -1), '10.555')).toMatch(/^invalid command: --max \(max_amount\): PHP has 2 decimal/);
    expect(problem(...one, '--callback-url', 'http://acme.example/hook')).toBe(
      'invalid command: --callback-url (callback_url): expected an https URL',
    );
    // a zero amount (the consumer dead-lettered it): refused here, naming the flag
    for (const zero of ['0', '0.00']) {
      expect(problem(...one.slice(0, -1), zero)).toBe('invalid command: --max (max_amount): must be greater than zero');
    }
    expect(problem(...one, '--desired', '0')).toBe(
      'invalid command: --desired (desired_amount): must be greater than zero',
    );
  });

  it('tells a reason with the flags that set its fields', () => {
    expect(withFlags('max_amount is missing; desired_amount is malformed or out of range')).toBe(
      '--max (max_amount) is missing; --desired (desired_amount) is malformed or out of range',
    );
  });

  it('names a field’s flag once, where the field first appears', () => {
    expect(problem('--account', 'acme', '--phone', '+639171234567', '--currency', 'XYZ', '--max', '100')).toBe(
      'invalid command: --currency (currency): unknown currency: not an ISO 4217 code with a known number of minor units',
    );
  });

  it('leaves words that are names of built-ins as they are', () => {
    const reason = 'has a key named __proto__; constructor, toString and hasOwnProperty are not fields';
    expect(withFlags(reason)).toBe(reason);
  });
});

describe('commandsFromJsonLines', () => {
  const line = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      external_id: 'order-1',
      account_id: 'acme',
      phone_number: '+639171234567',
      currency: 'PHP',
      max_amount: '100',
      ...extra,
    });

  it('reads one command per line, skipping blank lines, keeping line numbers', () => {
    const { commands, problems } = commandsFromJsonLines(`${line()}\n\n${line({ external_id: 'order-2' })}\r\n`);
    expect(problems).toEqual([]);
    expect(commands.map((c) => [c.line, c.command['external_id']])).toEqual([
      [1, 'order-1'],
      [3, 'order-2'],
    ]);
  });

  it('names each bad line and the fields, never the values', () => {
    const { problems } = commandsFromJsonLines(
      [line(), '{oops', '[1]', line({ max_amount: 'ten', phone_number: 639171234567 })].join('\n'),
    );
    expect(problems.slice(0, 2)).toEqual(['line 2: not JSON', 'line 3: not a JSON object']);
    expect(problems[2]).toMatch(/^line 4: .*phone_number/);
    expect(problems.join()).not.toMatch(/ten|639171234567/);
    expect(commandsFromJsonLines(line({ phone_number: '+1' })).problems).toEqual([
      'line 1: phone_number: expected E.164: "+" then 7 to 15 digits',
    ]);
    expect(commandsFromJsonLines(line({ max_amount: 0 })).problems).toEqual([
      'line 1: max_amount: must be greater than zero',
    ]);
    expect(commandsFromJsonLines('\n \n').problems).toEqual(['the file holds no command']);
  });
});
