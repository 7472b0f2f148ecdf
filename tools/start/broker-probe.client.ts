// npm start with AMQP_URL reaches RabbitMQ before it writes anything: one
// connection opened (and closed at once), tried again until
// START_BROKER_TIMEOUT_MS has passed, as a database that is down stops the
// start with one line. Without it the API would reconnect for ever, never
// ready and never failing. A running platform that loses the broker later
// keeps reconnecting (the API's own connection does that).
import { describeAmqpFailure, redactAmqpUrl } from '@airtime/messaging-rabbitmq';
import * as amqp from 'amqplib';

/** An open connection, as far as the probe needs it. */
export interface ProbeConnection {
  readonly close: () => Promise<void>;
}

export interface BrokerProbe {
  /** AMQP_URL (it may hold a password: only its redacted form is ever shown). */
  readonly url: string;
  /** How long one connection attempt may take (AMQP_CONNECT_TIMEOUT_MS). */
  readonly connectTimeoutMs: number;
  /** How long the broker is waited for in all (START_BROKER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** The pause between two attempts (default 1 s). */
  readonly retryDelayMs?: number;
  /** Opens a connection (default: amqplib's connect). */
  readonly connect?: (url: string, timeoutMs: number) => Promise<ProbeConnection>;
}

const amqplibConnect = async (url: string, timeoutMs: number): Promise<ProbeConnection> => {
  const model = await amqp.connect(url, {
    timeout: timeoutMs,
    clientProperties: { connection_name: 'airtime-npm-start-probe' },
  });
  return { close: () => model.close() };
};

/**
 * Resolves once a connection to `url` opens (it is closed at once); rejects
 * with one line naming AMQP_URL (password masked) and the reason when a
 * refusal will not pass (a refused login, a missing vhost) or when
 * `timeoutMs` has passed since the first attempt.
 */
export const waitForBroker = async (probe: BrokerProbe): Promise<void> => {
  const connect = probe.connect ?? amqplibConnect;
  const shown = redactAmqpUrl(probe.url);
  const masked = (text: string): string => text.split(probe.url).join(shown);
  const deadline = Date.now() + probe.timeoutMs;
  for (;;) {
    const remaining = Math.max(deadline - Date.now(), 0);
    try {
      const connection = await connect(probe.url, Math.max(Math.min(probe.connectTimeoutMs, remaining), 100));
      await connection.close().catch(() => undefined);
      return;
    } catch (error) {
      const failure = describeAmqpFailure(error);
      if (!failure.retryable) {
        throw new Error(`RabbitMQ at ${shown} (AMQP_URL) refused the connection: ${masked(failure.reason)}`);
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `cannot reach RabbitMQ at ${shown} (AMQP_URL) within ${Math.round(probe.timeoutMs / 1000)} s ` +
            `(START_BROKER_TIMEOUT_MS): ${masked(failure.reason)}; is RabbitMQ running? (npm run services starts a local one)`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(probe.retryDelayMs ?? 1_000, remaining)));
  }
};
