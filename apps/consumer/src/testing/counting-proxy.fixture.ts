// An HTTP proxy in front of the provider's API that counts how many requests
// to one path were in flight at once: whether a consumer's calls to the
// provider overlap (concurrent) or follow one another (serialised).
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:40123. */
  readonly origin: string;
  /** Where requests go (an origin); requests arriving before it is set wait for it. */
  readonly forwardTo: (origin: string) => void;
  /** The most requests whose path ends with the counted suffix that were in flight at once. */
  readonly mostInFlight: () => number;
  /** How many such requests there were. */
  readonly counted: () => number;
  readonly close: () => Promise<void>;
}

export const startCountingProxy = async (countedPathSuffix: string): Promise<CountingProxy> => {
  let resolveTarget: (origin: string) => void = () => undefined;
  const target = new Promise<string>((resolve) => (resolveTarget = resolve));
  let inFlight = 0;
  let most = 0;
  let counted = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const isCounted = (incoming.url ?? '').split('?')[0]?.endsWith(countedPathSuffix) === true;
    if (isCounted) {
      counted += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
    }
    let done = false;
    const finish = () => {
      if (isCounted && !done) inFlight -= 1;
      done = true;
    };
    void target.then((origin) => {
      const { host: _host, ...headers } = incoming.headers;
      const forwarded = request(
        new URL(incoming.url ?? '/', origin),
        { method: incoming.method, headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on('end', finish);
        },
      );
      forwarded.on('error', () => {
        finish();
        outgoing.destroy();
      });
      incoming.pipe(forwarded);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    forwardTo: (origin) => resolveTarget(origin),
    mostInFlight: () => most,
    counted: () => counted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
