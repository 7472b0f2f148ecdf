// A TCP proxy between a client and the broker that a spec controls, to
// inject network faults the broker cannot be asked for: drop every
// connection (as a broken network or a killed broker would), or freeze one
// direction (bytes are held, nothing is closed, as on a stalled link).
import * as net from 'node:net';

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** `url` (an amqp:// URL of the broker) with its host and port replaced by the proxy's. */
  readonly urlFor: (url: string) => string;
  /** Connections open now. */
  readonly connections: () => number;
  /** Destroys every open connection on both sides (new connections are still accepted). */
  readonly dropAll: () => void;
  /** Stops (true) or resumes (false) forwarding broker-to-client bytes; held bytes are sent on resume. */
  readonly freezeDownstream: (frozen: boolean) => void;
  /** Stops (true) or resumes (false) reading client-to-broker bytes: the client's socket buffer fills up. */
  readonly freezeUpstream: (frozen: boolean) => void;
  readonly close: () => Promise<void>;
}

interface Pair {
  readonly client: net.Socket;
  readonly broker: net.Socket;
  readonly held: Buffer[];
}

/** Starts a proxy on an ephemeral port of 127.0.0.1 forwarding to `target`. */
export const startTcpProxy = async (target: { readonly host: string; readonly port: number }): Promise<TcpProxy> => {
  const pairs = new Set<Pair>();
  let downstreamFrozen = false;
  let upstreamFrozen = false;

  const server = net.createServer((client) => {
    const broker = net.connect(target.port, target.host);
    const pair: Pair = { client, broker, held: [] };
    pairs.add(pair);
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      broker.destroy();
    };
    client.on('error', end);
    broker.on('error', end);
    client.on('close', end);
    broker.on('close', end);
    client.on('data', (chunk: Buffer) => {
      broker.write(chunk);
    });
    broker.on('data', (chunk: Buffer) => {
      if (downstreamFrozen) pair.held.push(chunk);
      else client.write(chunk);
    });
    if (upstreamFrozen) client.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    port,
    urlFor: (url) => {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    connections: () => pairs.size,
    dropAll: () => {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.destroy();
        pair.broker.destroy();
      }
    },
    freezeDownstream: (frozen) => {
      downstreamFrozen = frozen;
      if (!frozen) {
        for (const pair of pairs) {
          for (const chunk of pair.held.splice(0)) pair.client.write(chunk);
        }
      }
    },
    freezeUpstream: (frozen) => {
      upstreamFrozen = frozen;
      for (const pair of pairs) {
        if (frozen) pair.client.pause();
        else pair.client.resume();
      }
    },
    close: async () => {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.broker.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
