// npm run topup:status — shows a top-up read from PostgreSQL (DATABASE_URL):
// status, amounts and quote, attempts with their provider exchanges, ledger
// movements, events and callbacks. `--watch` polls until it is final.
// `npm run topup:status -- --help` tells the flags. Reads only.
import { FINAL_CLASSES, type TopUp } from '@airtime/domain';
import { databaseConfigFrom, makeDataSource, redactUrl } from '@airtime/persistence-postgres';
import { Effect, Either, Option } from 'effect';
import type { DataSource } from 'typeorm';
import { describeLookup, parseStatusArguments, STATUS_USAGE, type TopUpLookup } from './status-arguments.input';
import { statusChangeLine, statusReport } from './status-report.format';
import { findTopUp, loadStatusView } from './status-view.queries';

const POLL_INTERVAL_MS = 1_000;

const fail = (message: string, code: number): void => {
  process.stderr.write(`topup:status: ${message}\n`);
  process.exitCode = code;
};

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isFinal = (topUp: TopUp): boolean => FINAL_CLASSES.includes(topUp.status.class);

const deadLetterQueue = (): string => `${process.env['AMQP_TOPOLOGY_PREFIX'] || 'airtime'}.dead-letters`;

/** Why a top-up may be missing, for the not-found message. */
const notFoundHint = (): string =>
  'A command the consumer refused (malformed, no product for the amount, ...) makes no top-up: it is in the ' +
  `dead-letter queue ${deadLetterQueue()} with its reason in the x-dead-letter-reason header, and the ` +
  "consumer's log names it. A command not consumed yet waits in the commands queue (is the consumer running?).";

/** Prints the report; the exit status for it. */
const show = async (dataSource: DataSource, lookup: TopUpLookup): Promise<number> => {
  const view = await Effect.runPromise(loadStatusView(dataSource, lookup));
  if (Option.isNone(view)) {
    fail(`no ${describeLookup(lookup)}. ${notFoundHint()}`, 1);
    return 1;
  }
  process.stdout.write(`${statusReport(view.value)}\n`);
  return 0;
};

/** Polls until the top-up is final (printing each change), then prints the report. */
const watch = async (dataSource: DataSource, lookup: TopUpLookup, timeoutMs: number): Promise<number> => {
  const deadline = Date.now() + timeoutMs;
  let seen: string | undefined;
  let announcedWait = false;
  for (;;) {
    const found = await Effect.runPromise(findTopUp(dataSource, lookup));
    if (Option.isSome(found)) {
      const { topUp, version } = found.value;
      const key = `${version}`;
      if (key !== seen) {
        seen = key;
        process.stdout.write(`${statusChangeLine(topUp, new Date())}\n`);
      }
      if (isFinal(topUp)) {
        process.stdout.write('\n');
        return show(dataSource, lookup);
      }
    } else if (!announcedWait) {
      announcedWait = true;
      process.stdout.write(`waiting for the consumer to create the ${describeLookup(lookup)}...\n`);
    }
    if (Date.now() >= deadline) {
      if (Option.isNone(found)) {
        fail(`no ${describeLookup(lookup)} after ${Math.round(timeoutMs / 1_000)} s. ${notFoundHint()}`, 1);
        return 1;
      }
      process.stdout.write('\n');
      await show(dataSource, lookup);
      fail(`not final after ${Math.round(timeoutMs / 1_000)} s`, 3);
      return 3;
    }
    await pause(POLL_INTERVAL_MS);
  }
};

const main = async (): Promise<void> => {
  const plan = parseStatusArguments(process.argv.slice(2));
  if (Either.isLeft(plan)) return fail(`${plan.left}\n\n${STATUS_USAGE}`, 2);
  if (plan.right.kind === 'help') {
    process.stdout.write(`${STATUS_USAGE}\n`);
    return;
  }
  const config = databaseConfigFrom(process.env);
  if (Either.isLeft(config)) return fail(config.left.message, 2);
  const dataSource = makeDataSource({ ...config.right, poolSize: 4 });
  try {
    await dataSource.initialize();
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(config.right.url, redactUrl(config.right.url)) : '';
    return fail(`cannot open ${redactUrl(config.right.url)}${reason === '' ? '' : `: ${reason}`}`, 1);
  }
  try {
    const { lookup, watch: watching, timeoutMs } = plan.right;
    process.exitCode = watching ? await watch(dataSource, lookup, timeoutMs) : await show(dataSource, lookup);
  } finally {
    await dataSource.destroy();
  }
};

void main().catch((error: unknown) => {
  fail(`unexpected failure: ${error instanceof Error ? error.message : 'unknown'}`, 1);
});
