// What `npm start` prints once the platform runs: where each part is, the
// demo account's money, and the exact commands to publish a top-up and
// follow it, with the sandbox numbers that choose its outcome.

export interface RunningPlatform {
  readonly databaseUrl: string;
  readonly simulatorUrl: string;
  /** The consumer's `/metrics` and `/healthz` base URL, when its start line told it. */
  readonly metricsUrl: string | undefined;
  readonly consumerPid: number | undefined;
  readonly account: {
    readonly accountId: string;
    readonly currency: string;
    /** Decimal text, e.g. "1000.00". */
    readonly available: string;
    readonly funded: string;
    /** Whether this start deposited the money (false: deposited by an earlier start). */
    readonly depositedNow: boolean;
  };
  /** A fresh external id for the example. */
  readonly externalId: string;
  /** Variables the commands need because this run set them (e.g. AMQP_TOPOLOGY_PREFIX). */
  readonly commandEnvironment: Readonly<Record<string, string>>;
  /** Variables only the status command needs because this run set them (DATABASE_URL, see `statusEnvironmentOf`). */
  readonly statusEnvironment: Readonly<Record<string, string>>;
}

/** A Globe (Philippines) number ending in 100: the DVS sandbox completes it after 3 s. */
export const DEMO_PHONE_NUMBER = '+639171234100';
export const DEMO_CURRENCY = 'PHP';
/** Globe sells 10, 15, 25 and 30 PHP in the simulator: 30 is chosen. */
export const DEMO_MAX_AMOUNT = '30';

/** What the status command prints in place of a DATABASE_URL with a password (never printed). */
export const DATABASE_URL_PLACEHOLDER = '<your DATABASE_URL>';

const hasPassword = (url: string): boolean => {
  try {
    return new URL(url).password !== '';
  } catch {
    return true; // not readable as a URL: it may hold one
  }
};

/**
 * The DATABASE_URL the status command needs: none when this run uses the
 * database the tools find by themselves (tmp/services.env's, else the
 * default), the URL itself when it has no password, else a placeholder.
 */
export const statusEnvironmentOf = (databaseUrl: string, toolsDatabaseUrl: string): Record<string, string> =>
  databaseUrl === toolsDatabaseUrl
    ? {}
    : { DATABASE_URL: hasPassword(databaseUrl) ? DATABASE_URL_PLACEHOLDER : databaseUrl };

const withEnvironment = (environment: Readonly<Record<string, string>>, command: string): string => {
  const assignments = Object.entries(environment).map(([name, value]) => `${name}=${value}`);
  return [...assignments, command].join(' ');
};

export const publishCommand = (platform: Pick<RunningPlatform, 'account' | 'externalId' | 'commandEnvironment'>) =>
  withEnvironment(
    platform.commandEnvironment,
    `npm run topup:publish -- --account ${platform.account.accountId} --phone ${DEMO_PHONE_NUMBER} --currency ${DEMO_CURRENCY} --max ${DEMO_MAX_AMOUNT} --external-id ${platform.externalId}`,
  );

export const statusCommand = (
  platform: Pick<RunningPlatform, 'account' | 'externalId' | 'commandEnvironment' | 'statusEnvironment'>,
) =>
  withEnvironment(
    { ...platform.commandEnvironment, ...platform.statusEnvironment },
    `npm run topup:status -- --account ${platform.account.accountId} --external-id ${platform.externalId} --watch`,
  );

/** The text printed once the consumer has started. */
export const nextSteps = (platform: RunningPlatform): string => {
  const { account } = platform;
  const money = account.depositedNow
    ? `funded with ${account.currency} ${account.funded} now`
    : `funded by an earlier start (nothing added)`;
  return [
    '',
    '================================================================================',
    'The platform is running:',
    `  consumer        ${platform.consumerPid === undefined ? 'running' : `pid ${platform.consumerPid}`}${
      platform.metricsUrl === undefined ? '' : `, ${platform.metricsUrl}/metrics and /healthz`
    }`,
    `  DVS simulator   ${platform.simulatorUrl}/v1 (credentials made for this run)`,
    `  database        ${platform.databaseUrl}`,
    `  account         ${account.accountId}: ${money}; ${account.currency} ${account.available} available`,
    '',
    'In another terminal, ask for a top-up, then follow it until it is final:',
    '',
    `  ${publishCommand(platform)}`,
    `  ${statusCommand(platform)}`,
    '',
    'The last three digits of the number choose what the sandbox does: 100 completes',
    '(about 3 s, then settled by a status query after 5 s), 102 is declined for an',
    'invalid number, 104 is retried while the operator is "unavailable" (1, 2, 5, 30,',
    '60, 120 min); 20X numbers take 20 s, 30X numbers 5 min. Each new --external-id is',
    'a new top-up; the same one again is the same top-up.',
    '',
    'Ctrl-C stops the consumer (it finishes what it is doing) and the simulator.',
    '================================================================================',
    '',
  ].join('\n');
};
