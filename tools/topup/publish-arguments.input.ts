// The command line of `npm run topup:publish`, read into a plan: one command
// from flags, or many from a JSON-lines file. Every problem is a message for
// people that names flags, lines and fields, never a value (a phone number).
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { encodeTopUpCommand } from '@airtime/application';
import { Either } from 'effect';

export const USAGE = `Publishes top-up commands (schema v1) to RabbitMQ, with publisher confirms.

One command:
  npm run topup:publish -- --account ACCOUNT --phone +639171234567 --currency PHP --max 100
                           [--desired 50] [--product ID] [--exact] [--external-id ID]
                           [--callback-url https://...] [--metadata '{"order":42}'] [--message-id ID]
Many commands, one JSON object per line (the command's fields: external_id, account_id,
phone_number, currency, max_amount, desired_amount, product_id, exact_amount, callback_url, metadata):
  npm run topup:publish -- --file commands.jsonl [--concurrency 200]

--external-id defaults to a fresh "cli-<uuid>". The broker comes from AMQP_URL and the
other AMQP_* settings (see libs/messaging-rabbitmq/README.md); the topology is declared first.
Exit status: 0 when every command was confirmed, 1 when some were not, 2 for bad input.`;

/** What to do. */
export type PublishPlan =
  | { readonly kind: 'help' }
  | {
      readonly kind: 'one';
      readonly command: Readonly<Record<string, unknown>>;
      readonly messageId?: string | undefined;
      readonly concurrency: number;
    }
  | { readonly kind: 'file'; readonly path: string; readonly concurrency: number };

/** A command read from a line of the file. */
export interface LineCommand {
  readonly line: number;
  readonly command: Readonly<Record<string, unknown>>;
}

/** Flags of the one-command form, by the command field they fill. */
const FIELD_FLAGS: ReadonlyMap<string, string> = new Map([
  ['external_id', '--external-id'],
  ['account_id', '--account'],
  ['phone_number', '--phone'],
  ['currency', '--currency'],
  ['max_amount', '--max'],
  ['desired_amount', '--desired'],
  ['product_id', '--product'],
  ['exact_amount', '--exact'],
  ['callback_url', '--callback-url'],
  ['metadata', '--metadata'],
]);

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  file: { type: 'string' },
  concurrency: { type: 'string' },
  account: { type: 'string' },
  phone: { type: 'string' },
  currency: { type: 'string' },
  max: { type: 'string' },
  desired: { type: 'string' },
  product: { type: 'string' },
  exact: { type: 'boolean' },
  'external-id': { type: 'string' },
  'callback-url': { type: 'string' },
  metadata: { type: 'string' },
  'message-id': { type: 'string' },
} as const;

/** A reason about command fields, told with the flags that set them (each field's flag named once, where it first appears). */
export const withFlags = (reason: string): string => {
  const named = new Set<string>();
  return reason.replace(/\b([a-z_]+)\b/g, (field: string) => {
    const flag = FIELD_FLAGS.get(field);
    if (flag === undefined || named.has(field)) return field;
    named.add(field);
    return `${flag} (${field})`;
  });
};

const concurrencyOf = (value: string | undefined): Either.Either<number, string> => {
  if (value === undefined) return Either.right(200);
  return /^[1-9][0-9]{0,4}$/.test(value) && Number(value) <= 10_000
    ? Either.right(Number(value))
    : Either.left('--concurrency must be a whole number from 1 to 10000');
};

const readFlags = (argv: readonly string[]) => {
  try {
    return Either.right(parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (error) {
    // node's messages name the flag, never a value
    // (not `instanceof Error`: node's errors may come from another realm, as under jest)
    const message = (error as { readonly message?: unknown } | null)?.message;
    return Either.left(typeof message === 'string' ? message : 'unreadable arguments');
  }
};

const newExternalId = (): string => `cli-${randomUUID()}`;

/**
 * Reads the arguments (after `--`). The one-command form is checked as the
 * consumer will read it, so a bad amount is refused before connecting.
 */
export const parsePublishArguments = (
  argv: readonly string[],
  options: { readonly newExternalId?: () => string } = {},
): Either.Either<PublishPlan, string> => {
  const parsed = readFlags(argv);
  if (Either.isLeft(parsed)) return Either.left(parsed.left);
  const { values, positionals } = parsed.right;
  if (values.help === true) return Either.right({ kind: 'help' });
  if (positionals.length > 0) return Either.left('unexpected arguments: give every value after its flag');

  const concurrency = concurrencyOf(values.concurrency);
  if (Either.isLeft(concurrency)) return Either.left(concurrency.left);

  const single = Object.entries(values).filter(
    ([name]) => name !== 'help' && name !== 'file' && name !== 'concurrency',
  );
  if (values.file !== undefined) {
    if (single.length > 0) {
      return Either.left(`--file cannot be combined with ${single.map(([name]) => `--${name}`).join(', ')}`);
    }
    if (values.file === '') return Either.left('--file needs a path');
    return Either.right({ kind: 'file', path: values.file, concurrency: concurrency.right });
  }

  const missing = (['account', 'phone', 'currency', 'max'] as const).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    return Either.left(`missing ${missing.map((name) => `--${name}`).join(', ')} (or give --file)`);
  }
  let metadata: unknown;
  if (values.metadata !== undefined) {
    try {
      metadata = JSON.parse(values.metadata);
    } catch {
      return Either.left('--metadata must be a JSON object');
    }
  }
  const command: Record<string, unknown> = {
    external_id: values['external-id'] ?? (options.newExternalId ?? newExternalId)(),
    account_id: values.account,
    phone_number: values.phone,
    currency: values.currency,
    max_amount: values.max,
    ...(values.desired === undefined ? {} : { desired_amount: values.desired }),
    ...(values.product === undefined ? {} : { product_id: values.product }),
    ...(values.exact === true ? { exact_amount: true } : {}),
    ...(values['callback-url'] === undefined ? {} : { callback_url: values['callback-url'] }),
    ...(metadata === undefined ? {} : { metadata }),
  };
  const checked = encodeTopUpCommand(command);
  if (Either.isLeft(checked)) return Either.left(`invalid command: ${withFlags(checked.left.reason)}`);
  if (values['message-id'] === '') return Either.left('--message-id must not be empty');
  return Either.right({ kind: 'one', command, messageId: values['message-id'], concurrency: concurrency.right });
};

/**
 * Reads a JSON-lines file: one command object per line, blank lines
 * skipped. Every line is checked as the consumer will read it; the problems
 * name the line and the fields, never a value.
 */
export const commandsFromJsonLines = (
  text: string,
): { readonly commands: readonly LineCommand[]; readonly problems: readonly string[] } => {
  const commands: LineCommand[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`line ${line}: not JSON`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`line ${line}: not a JSON object`);
      return;
    }
    const checked = encodeTopUpCommand(value);
    if (Either.isLeft(checked)) problems.push(`line ${line}: ${checked.left.reason}`);
    else commands.push({ line, command: value as Record<string, unknown> });
  });
  if (commands.length === 0 && problems.length === 0) problems.push('the file holds no command');
  return { commands, problems };
};
