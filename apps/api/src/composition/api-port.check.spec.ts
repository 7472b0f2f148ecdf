import { createServer, type AddressInfo, type Server } from 'node:net';
import { checkApiPort, listenFailure } from './api-port.check';

const listening = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`listen ${code}`), { code });

describe('the API port check', () => {
  it('names API_PORT for a port in use or not allowed, API_HOST for an address not of this machine, keeping the cause', () => {
    const inUse = errno('EADDRINUSE');
    expect(listenFailure(inUse, '127.0.0.1', 8080)).toEqual(
      new Error(
        'port 8080 of 127.0.0.1 is in use (another API, or npm start?): set API_PORT to another port, or 0 for any free one',
      ),
    );
    expect((listenFailure(inUse, '127.0.0.1', 8080) as Error).cause).toBe(inUse);
    expect(listenFailure(errno('EACCES'), '0.0.0.0', 80)).toEqual(
      new Error(
        'port 80 of 0.0.0.0 cannot be opened by this user (a port below 1024 needs privileges): set API_PORT to another port, or 0 for any free one',
      ),
    );
    expect(listenFailure(errno('EADDRNOTAVAIL'), '10.9.9.9', 8080)).toEqual(
      new Error('API_HOST 10.9.9.9 is not an address of this machine: set API_HOST to one (127.0.0.1, 0.0.0.0, ::)'),
    );
    const other = errno('EMFILE');
    expect(listenFailure(other, '127.0.0.1', 8080)).toBe(other);
  });

  it('refuses a port in use, accepts a free one (it stays free) and port 0', async () => {
    const occupied = await listening();
    const { port } = occupied.address() as AddressInfo;
    await expect(checkApiPort('127.0.0.1', port)).rejects.toThrow(/^port \d+ of 127\.0\.0\.1 is in use .*API_PORT/);
    await new Promise((resolve) => occupied.close(resolve));
    await expect(checkApiPort('127.0.0.1', port)).resolves.toBeUndefined();
    // the check let it go: the API can listen on it
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
    await expect(checkApiPort('127.0.0.1', 0)).resolves.toBeUndefined();
  });
});
