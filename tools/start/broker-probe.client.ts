// npm start with AMQP_URL reaches RabbitMQ before it writes anything: the
// platform's own broker connection (`makeBrokerConnection`, as the API and
// the consumer open theirs) is started with START_BROKER_TIMEOUT_MS as its
// start timeout, then closed, so a broker that stays down stops the start
// with one line, as a database that is down does. Without it the API would
// reconnect for ever, never ready and never failing. A running platform that
// loses the broker later keeps reconnecting (the API's own connection does
// that).
import { makeBrokerConnection } from '@airtime/messaging-rabbitmq';
import { Effect, Either } from 'effect';

export interface BrokerProbe {
  /** AMQP_URL (it may hold a password: only its redacted form is ever shown). */
  readonly url: string;
  /** How long the broker is waited for in all, in ms (START_BROKER_TIMEOUT_MS; 0: one attempt). */
  readonly timeoutMs: number;
}

/** One attempt's longest wait, in ms (cut to what is left of `timeoutMs`). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Resolves once a connection to `url` opens (it is closed at once); rejects
 * with one line naming AMQP_URL (password masked) and the reason when a
 * refusal will not pass (a refused login, a missing vhost) or when
 * `timeoutMs` has passed since the first attempt (naming
 * START_BROKER_TIMEOUT_MS).
 */
export const waitForBroker = async (probe: BrokerProbe): Promise<void> => {
  const connection = makeBrokerConnection({
    url: probe.url,
    connectionName: 'airtime-npm-start-probe',
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    heartbeatSeconds: 30,
    reconnectMinDelayMs: 250,
    reconnectMaxDelayMs: 1_000,
    startTimeoutMs: probe.timeoutMs,
    startTimeoutVariable: 'START_BROKER_TIMEOUT_MS',
  });
  const started = await Effect.runPromise(Effect.either(connection.start));
  await connection.close();
  if (Either.isLeft(started)) throw new Error(started.left.reason);
};
