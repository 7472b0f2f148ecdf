// An HTTP proxy in front of the provider (the DVS simulator) that can hold
// the calls a test chooses, for integration specs that need a request to be
// caught in the middle of its provider call: a gate matches a call by its
// method, path and body; the call is forwarded only once the gate is
// released, and `held` resolves as soon as a matching call has arrived. The
// target is set after the API started (the simulator is started with it).
import { createServer, type IncomingMessage, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A held call: `held` resolves when one arrives, `release` lets every held (and later) match through. */
export interface ProviderGate {
  readonly held: Promise<string>;
  readonly release: () => void;
}

export interface GatedProviderProxy {
  /** e.g. http://127.0.0.1:40123 (no trailing slash): give `${url}/v1` as DTONE_BASE_URL. */
  readonly url: string;
  /** Where calls go, e.g. the simulator's url (no trailing slash). */
  readonly setTarget: (url: string) => void;
  /** Holds every call whose `METHOD path body` contains `text`, until released. */
  readonly hold: (text: string) => ProviderGate;
  readonly close: () => Promise<void>;
}

interface Gate {
  readonly text: string;
  readonly open: Promise<void>;
  readonly arrived: (call: string) => void;
}

const bodyOf = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });

export const startGatedProviderProxy = async (): Promise<GatedProviderProxy> => {
  let target: URL | undefined;
  const gates: Gate[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await bodyOf(incoming);
      const call = `${incoming.method ?? ''} ${incoming.url ?? ''} ${body.toString('utf8')}`;
      for (const gate of gates.filter((one) => call.includes(one.text))) {
        gate.arrived(call);
        await gate.open;
      }
      if (target === undefined) {
        outgoing.writeHead(502).end();
        return;
      }
      const forwarded = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: target.host },
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on('error', () => outgoing.destroy());
      forwarded.end(body);
    })().catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setTarget: (url) => {
      target = new URL(url);
    },
    hold: (text) => {
      let release = (): void => undefined;
      let arrived = (_call: string): void => undefined;
      const open = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held = new Promise<string>((resolve) => {
        arrived = resolve;
      });
      gates.push({ text, open, arrived });
      return { held, release };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
