import * as net from 'node:net';
import type * as amqp from 'amqplib';
import { Effect, Either } from 'effect';
import {
  recordingLogger,
  startTcpProxy,
  testAmqpUrl,
  uniqueTopologyPrefix,
  type RecordingLogger,
  type TcpProxy,
} from '../../testing';
import { makeBrokerConnection, type BrokerConnection, type ConnectionStateChange } from './broker-connection.client';

const settings = {
  connectTimeoutMs: 2_000,
  heartbeatSeconds: 15,
  reconnectMinDelayMs: 20,
  reconnectMaxDelayMs: 200,
};

const brokerAddress = (): { host: string; port: number } => {
  const url = new URL(testAmqpUrl());
  return { host: url.hostname, port: Number(url.port || 5672) };
};

/** Resolves once `connection` reaches `state` (or fails the spec after `timeoutMs`). */
const reach = (connection: BrokerConnection, state: string, timeoutMs = 5_000): Promise<void> =>
  new Promise((resolve, reject) => {
    if (connection.state() === state) return resolve();
    const timer = setTimeout(() => reject(new Error(`state ${state} not reached`)), timeoutMs);
    const off = connection.onStateChange((change) => {
      if (change.to === state) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });

const until = async (condition: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('broker connection (RabbitMQ)', () => {
  let proxy: TcpProxy;
  let logger: RecordingLogger;
  const opened: BrokerConnection[] = [];
  const connect = (url: string, extra: Partial<Parameters<typeof makeBrokerConnection>[0]> = {}): BrokerConnection => {
    const connection = makeBrokerConnection({ url, connectionName: 'connection-spec', logger, ...settings, ...extra });
    opened.push(connection);
    return connection;
  };

  beforeEach(async () => {
    proxy = await startTcpProxy(brokerAddress());
    logger = recordingLogger();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await proxy.close();
  });

  it('connects, reports its state changes, and closes for good', async () => {
    const connection = connect(testAmqpUrl());
    const changes: ConnectionStateChange[] = [];
    connection.onStateChange((change) => changes.push(change));
    expect(connection.state()).toBe('idle');
    await Effect.runPromise(connection.start);
    expect(connection.state()).toBe('connected');
    await connection.close();
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual([
      'idle->connecting',
      'connecting->connected',
      'connected->closed',
    ]);
    const again = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(again) && again.left).toMatchObject({ _tag: 'BrokerUnavailable', retryable: false });
  });

  it('fails to start at once, not retryable, when the broker refuses the credentials, and never logs the password', async () => {
    const url = new URL(testAmqpUrl());
    url.password = 'not-the-Password-42';
    const connection = connect(url.toString(), { startAttempts: 10 });
    const result = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(result) && result.left).toMatchObject({
      _tag: 'BrokerUnavailable',
      code: 'BROKER_UNAVAILABLE',
      retryable: false,
    });
    expect(Either.isLeft(result) && result.left.reason).toMatch(/^ACCESS_REFUSED \(403\) at amqp:\/\/guest:\*\*\*@/);
    expect(Either.isLeft(result) && result.left.message).not.toContain('not-the-Password-42');
    expect(logger.text()).not.toContain('not-the-Password-42');
    expect(connection.state()).toBe('idle');
  });

  it('retries an unreachable broker with backoff, then gives up after the allowed start attempts', async () => {
    await proxy.close(); // nothing listens on its port any more
    const connection = connect(`amqp://guest:guest@127.0.0.1:${proxy.port}`, { startAttempts: 3 });
    const changes: ConnectionStateChange[] = [];
    connection.onStateChange((change) => changes.push(change));
    const result = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'BrokerUnavailable', retryable: true });
    expect(Either.isLeft(result) && result.left.reason).toMatch(/^ECONNREFUSED; gave up after 3 attempt\(s\)/);
    const retries = changes.filter((c) => c.nextAttemptInMs !== undefined);
    expect(retries.map((c) => c.attempt)).toEqual([1, 2]);
    for (const retry of retries) {
      expect(retry.reason).toBe('ECONNREFUSED');
      expect(retry.nextAttemptInMs).toBeGreaterThanOrEqual(settings.reconnectMinDelayMs);
      expect(retry.nextAttemptInMs).toBeLessThanOrEqual(settings.reconnectMaxDelayMs);
    }
    proxy = await startTcpProxy(brokerAddress()); // for afterEach
  });

  it('gives up on an unreachable broker once startTimeoutMs has passed, with one line naming AMQP_URL, password masked', async () => {
    const port = proxy.port;
    await proxy.close(); // nothing listens on its port any more
    const connection = connect(`amqp://guest:hunter2-secret@127.0.0.1:${port}`, { startTimeoutMs: 0 });
    const result = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'BrokerUnavailable', retryable: true });
    expect(Either.isLeft(result) && result.left.reason).toBe(
      `cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${port} (AMQP_URL) within 0 s (AMQP_START_TIMEOUT_MS): ` +
        'ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
    );
    expect(logger.text()).not.toContain('hunter2');
    expect(connection.state()).toBe('idle');
    proxy = await startTcpProxy(brokerAddress()); // for afterEach
  });

  it('names the variable that set the start timeout when given (npm start: START_BROKER_TIMEOUT_MS)', async () => {
    const port = proxy.port;
    await proxy.close(); // nothing listens on its port any more
    const connection = connect(`amqp://guest:guest@127.0.0.1:${port}`, {
      startTimeoutMs: 0,
      startTimeoutVariable: 'START_BROKER_TIMEOUT_MS',
    });
    const result = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(result) && result.left.reason).toBe(
      `cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:${port} (AMQP_URL) within 0 s (START_BROKER_TIMEOUT_MS): ` +
        'ECONNREFUSED; is RabbitMQ running? (npm run services starts a local one)',
    );
    proxy = await startTcpProxy(brokerAddress()); // for afterEach
  });

  it('cuts a start attempt to the start deadline: a broker address that accepts and never answers fails the start, not after a whole connect timeout', async () => {
    // a server that takes the TCP connection and never speaks AMQP: each attempt would wait its full connect timeout
    const silent = net.createServer(() => undefined);
    const sockets = new Set<net.Socket>();
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      // 10 minutes of connect timeout: the spec's own timeout fails it unless the attempt is cut to the deadline
      const connection = connect(`amqp://guest:guest@127.0.0.1:${port}`, {
        connectTimeoutMs: 600_000,
        startTimeoutMs: 300,
      });
      const result = await Effect.runPromise(Effect.either(connection.start));
      expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'BrokerUnavailable', retryable: true });
      expect(Either.isLeft(result) && result.left.reason).toMatch(
        new RegExp(
          `^cannot reach RabbitMQ at amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(AMQP_URL\\) within 0 s \\(AMQP_START_TIMEOUT_MS\\): `,
        ),
      );
      expect(sockets.size).toBeGreaterThanOrEqual(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('with startTimeoutMs, names AMQP_URL when the broker refuses the credentials', async () => {
    const url = new URL(testAmqpUrl());
    url.password = 'not-the-Password-42';
    const connection = connect(url.toString(), { startTimeoutMs: 60_000 });
    const result = await Effect.runPromise(Effect.either(connection.start));
    expect(Either.isLeft(result) && result.left).toMatchObject({ _tag: 'BrokerUnavailable', retryable: false });
    expect(Either.isLeft(result) && result.left.reason).toMatch(
      /^RabbitMQ at amqp:\/\/guest:\*\*\*@\S+ \(AMQP_URL\) refused the connection: ACCESS_REFUSED \(403\)$/,
    );
    expect(Either.isLeft(result) && result.left.message).not.toContain('not-the-Password-42');
  });

  it('waits for a broker that comes up after the start (no start attempt limit)', async () => {
    const port = proxy.port;
    await proxy.close();
    const connection = connect(`amqp://guest:guest@127.0.0.1:${port}`);
    const started = Effect.runPromise(connection.start);
    await until(() => logger.records.some((r) => r.fields['reason'] === 'ECONNREFUSED'));
    // the same port again, now forwarding to the broker
    const net = await import('node:net');
    const { host, port: brokerPort } = brokerAddress();
    const server = net.createServer((client) => {
      const upstream = net.connect(brokerPort, host);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await started;
      expect(connection.state()).toBe('connected');
      await connection.close();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      proxy = await startTcpProxy(brokerAddress());
    }
  });

  it('reconnects after the connection is cut, and reopens its managed channels (running their setup again)', async () => {
    const connection = connect(proxy.urlFor(testAmqpUrl()));
    await Effect.runPromise(connection.start);
    const setups: amqp.Channel[] = [];
    const channel = connection.openChannel<amqp.Channel>({
      name: 'spec',
      confirm: false,
      setup: async (ch) => {
        setups.push(ch);
      },
    });
    const first = await channel.ready(2_000);
    expect(first).toBeDefined();

    const changes: ConnectionStateChange[] = [];
    connection.onStateChange((change) => changes.push(change));
    proxy.dropAll();
    await reach(connection, 'reconnecting');
    await reach(connection, 'connected');
    const second = await channel.ready(2_000);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(setups).toEqual([first, second]);
    expect(changes[0]).toMatchObject({ from: 'connected', to: 'reconnecting', reason: 'socket closed by the peer' });
    expect(channel.lastFailure()).toBeUndefined();
    expect(logger.records.some((r) => r.message === 'amqp channel lost')).toBe(true);
    // the new channel works
    await expect(second?.checkExchange('amq.direct')).resolves.toBeDefined();
  });

  it('reopens a channel the broker closed (NOT_FOUND) while the connection stays up', async () => {
    const connection = connect(testAmqpUrl());
    await Effect.runPromise(connection.start);
    const channel = connection.openChannel<amqp.Channel>({ name: 'spec', confirm: false });
    const first = await channel.ready(2_000);
    await expect(first?.checkQueue(`${uniqueTopologyPrefix('missing')}.queue`)).rejects.toMatchObject({ code: 404 });
    await until(() => channel.current() !== undefined && channel.current() !== first);
    expect(connection.state()).toBe('connected');
    const lost = logger.records.find((r) => r.message === 'amqp channel lost');
    expect(lost?.fields['reason']).toBe('NOT_FOUND (404)');
    await channel.close();
    expect(channel.current()).toBeUndefined();
    expect(await channel.ready(10)).toBeUndefined();
  });

  it('keeps trying to open a channel whose setup fails, with backoff, and hands it out once the setup passes', async () => {
    const connection = connect(testAmqpUrl());
    await Effect.runPromise(connection.start);
    let failuresLeft = 2;
    const channel = connection.openChannel<amqp.Channel>({
      name: 'flaky',
      confirm: false,
      setup: async (ch) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          await ch.checkQueue(`${uniqueTopologyPrefix('absent')}.queue`);
        }
      },
    });
    const ready = await channel.ready(3_000);
    expect(ready).toBeDefined();
    expect(failuresLeft).toBe(0);
    const failures = logger.records.filter((r) => r.message === 'amqp channel open failed');
    expect(failures.map((r) => r.fields['reason'])).toEqual(['NOT_FOUND (404)', 'NOT_FOUND (404)']);
  });
});
