// What `npm start` prints once the API is ready: where each part runs, the
// demo account's API key and money, and one `curl` that sends a top-up (a
// sandbox number the simulator completes) and one that reads it; then the
// demo top-up's status lines as it moves. The request the curl shows is the
// one `topUpRequestOf` builds, which the demo sends too.

/** A Globe (Philippines) number ending in 100: the DVS sandbox completes it after about 3 s. */
export const DEMO_PHONE_NUMBER = '+639171234100';
export const DEMO_CURRENCY = 'PHP';
/** Globe sells 10, 15, 25 and 30 PHP in the simulator: 30 is chosen. */
export const DEMO_MAX_AMOUNT = '30';

/** Where the platform's database is. */
export type DatabaseDescription =
  | {
      readonly kind: 'embedded';
      readonly dataDir: string;
      readonly port: number;
      /** The file holding its URL (with the password) for the admin CLI, as the user's shell reaches it. */
      readonly urlFile: string;
    }
  | {
      readonly kind: 'postgres';
      /** The user's DATABASE_URL without its password (*** in its place). */
      readonly url: string;
      /** Whether the URL had a password, shown as ***. */
      readonly passwordHidden: boolean;
    };

export interface RunningPlatform {
  /** The API's base URL, e.g. http://127.0.0.1:8080. */
  readonly apiUrl: string;
  /** The demo account's API key made by this start (the earlier starts' keys are revoked). */
  readonly key: string;
  readonly account: {
    readonly accountId: string;
    readonly currency: string;
    /** Decimal text, e.g. "1000.00". */
    readonly available: string;
    readonly funded: string;
    /** Whether this start deposited the money (false: an earlier start did). */
    readonly depositedNow: boolean;
  };
  readonly simulatorUrl: string;
  readonly database: DatabaseDescription;
  readonly messaging: 'in-process' | 'rabbitmq';
  /** A fresh idempotency key for the printed curl. */
  readonly idempotencyKey: string;
}

/** An HTTP request as fetch sends it and curl shows it. */
export interface ApiRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON text of the body, if any. */
  readonly body?: string | undefined;
}

/** POST /v1/topups for the demo number, under `idempotencyKey`, with the key. */
export const topUpRequestOf = (apiUrl: string, key: string, idempotencyKey: string): ApiRequest => ({
  method: 'POST',
  url: `${apiUrl}/v1/topups`,
  headers: {
    Authorization: `Bearer ${key}`,
    'Content-Type': 'application/json',
    'Idempotency-Key': idempotencyKey,
  },
  body: JSON.stringify({ phone_number: DEMO_PHONE_NUMBER, currency: DEMO_CURRENCY, max_amount: DEMO_MAX_AMOUNT }),
});

/** GET /v1/topups?external_id=... (the top-up sent under that idempotency key), with the key. */
export const findTopUpRequestOf = (apiUrl: string, key: string, idempotencyKey: string): ApiRequest => ({
  method: 'GET',
  url: `${apiUrl}/v1/topups?external_id=${encodeURIComponent(idempotencyKey)}`,
  headers: { Authorization: `Bearer ${key}` },
});

/** A shell word in single quotes (the request's values hold no single quote; one would be escaped). */
const quoted = (text: string): string => `'${text.split("'").join(`'\\''`)}'`;

/** The request as a curl command, one option per line (joined with ` \` newlines). */
export const curlCommand = (request: ApiRequest): string =>
  [
    `curl -sS${request.method === 'GET' ? '' : ` -X ${request.method}`} ${quoted(request.url)}`,
    ...Object.entries(request.headers).map(([name, value]) => `-H ${quoted(`${name}: ${value}`)}`),
    ...(request.body === undefined ? [] : [`-d ${quoted(request.body)}`]),
  ].join(' \\\n      ');

/** A word for the shell: as it is when it is plain, else in single quotes. */
const shellWord = (text: string): string => (/^[A-Za-z0-9_./@%+=:,-]+$/.test(text) ? text : quoted(text));

/**
 * An admin CLI command that lists the account's API keys on this
 * platform's database: for the embedded PostgreSQL, with DATABASE_URL read
 * from its URL file by the shell (the password is never shown); for the
 * user's PostgreSQL, with DATABASE_URL given (the admin CLI run without it,
 * in another shell, would use tmp/services.env's database), its password
 * shown as *** for the user to put in.
 */
export const adminExample = (database: DatabaseDescription, accountId: string): string =>
  `${
    database.kind === 'embedded'
      ? `DATABASE_URL="$(cat ${shellWord(database.urlFile)})"`
      : `DATABASE_URL=${shellWord(database.url)}`
  } npm run admin -- key list --account ${shellWord(accountId)}`;

/** How the admin CLI's command reaches this platform's database. */
const adminDatabaseNote = (database: DatabaseDescription): string =>
  database.kind === 'embedded'
    ? ' (the URL file keeps the password off the screen)'
    : ` on this start's DATABASE_URL (without it, the admin CLI uses tmp/services.env's database)${
        database.passwordHidden ? ', its password in place of ***' : ''
      }`;

const databaseText = (database: DatabaseDescription): string =>
  database.kind === 'embedded'
    ? `embedded PostgreSQL on 127.0.0.1:${database.port}, data in ${database.dataDir}`
    : `PostgreSQL ${database.url}`;

/** The text printed once the API is ready. */
export const nextSteps = (platform: RunningPlatform): string => {
  const { account } = platform;
  const money = account.depositedNow
    ? `funded with ${account.currency} ${account.funded} now`
    : 'funded by an earlier start (nothing added)';
  return [
    '',
    '================================================================================',
    'The platform is running:',
    `  API             ${platform.apiUrl}  (docs: ${platform.apiUrl}/docs)`,
    `  console         ${platform.apiUrl}/console  (the transfer log in a browser: sign in with the API key below)`,
    `  API key         ${platform.key}`,
    `                  for account ${account.accountId}; shown only now (each npm start makes a new one and revokes the last)`,
    `  account         ${account.accountId}: ${money}; ${account.currency} ${account.available} available`,
    `  database        ${databaseText(platform.database)}`,
    `  messaging       ${
      platform.messaging === 'in-process'
        ? 'in-process bus, the workers in the API process'
        : 'RabbitMQ (AMQP_URL), the workers in the API process'
    }`,
    `  DVS simulator   ${platform.simulatorUrl}/v1 (credentials made for this run)`,
    '',
    'Send a top-up (the sandbox completes a number ending in 100 in about 3 s):',
    '',
    `  ${curlCommand(topUpRequestOf(platform.apiUrl, platform.key, platform.idempotencyKey))}`,
    '',
    'Then read it (the same Idempotency-Key again answers the same top-up):',
    '',
    `  ${curlCommand(findTopUpRequestOf(platform.apiUrl, platform.key, platform.idempotencyKey))}`,
    '',
    `Operators' tasks (accounts, deposits, credit limits, API keys) with the admin CLI${adminDatabaseNote(platform.database)}:`,
    '',
    `  ${adminExample(platform.database, account.accountId)}`,
    '',
    'The last three digits of the number choose what the sandbox does: 100',
    'completes, 102 is declined for an invalid number, 104 is retried while the',
    'operator is "unavailable"; 20X numbers take 20 s, 30X numbers 5 min. Every',
    `route, with its fields and errors: ${platform.apiUrl}/docs.`,
    '',
    `Ctrl-C stops the API (it finishes what it is doing), the simulator${
      platform.database.kind === 'embedded' ? ' and the embedded PostgreSQL' : ''
    }; a second Ctrl-C kills the API.`,
    '================================================================================',
    '',
  ].join('\n');
};

/** One line of the demo top-up's progress. */
export const demoStatusLine = (topUp: {
  readonly id: string;
  readonly statusId: string;
  readonly statusClass: string;
  readonly elapsedMs: number;
}): string => {
  const detail = topUp.statusId === topUp.statusClass ? '' : ` (${topUp.statusId})`;
  return `demo top-up ${topUp.id}: ${topUp.statusClass}${detail} after ${(topUp.elapsedMs / 1000).toFixed(1)} s`;
};
