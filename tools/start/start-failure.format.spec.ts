// npm start's one-line failures of a setting: a port or an address that
// cannot be listened on names the variable to change (API_HOST for an
// address not of this machine, API_PORT for a port in use), and a data
// folder that cannot be made names START_DATA_DIR and why, never node's
// raw `EEXIST: file already exists, mkdir ...`.
import { dataDirFailure, listenFailure } from './start-failure.format';

const errno = (code: string, message = `${code}: raw node message`): NodeJS.ErrnoException =>
  Object.assign(new Error(message), { code });

const api = { hostSetting: 'API_HOST', portSetting: 'API_PORT', host: '127.0.0.1', port: 18159 };

describe('listenFailure', () => {
  it('names the port setting for a port in use or closed to this user', () => {
    expect(listenFailure('EADDRINUSE', api)).toBe(
      'port 18159 is in use (another npm start, or the API?): set API_PORT to another port, or 0 for any free one',
    );
    expect(listenFailure('EACCES', { ...api, port: 80 })).toBe(
      'port 80 cannot be opened by this user (a port below 1024 needs privileges): set API_PORT to another port, or 0 for any free one',
    );
  });

  it('names the host setting for an address that is not of this machine, never the port', () => {
    for (const code of ['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']) {
      const text = listenFailure(code, { ...api, host: '8.8.8.8' });
      expect(text).toBe(
        'API_HOST 8.8.8.8 is not an address of this machine: set API_HOST to one (127.0.0.1, 0.0.0.0, ::)',
      );
      expect(text).not.toContain('API_PORT');
    }
    expect(
      listenFailure('EADDRNOTAVAIL', {
        hostSetting: 'SIMULATOR_HOST',
        portSetting: 'SIMULATOR_PORT',
        host: '192.0.2.1',
        port: 8089,
      }),
    ).toBe(
      'SIMULATOR_HOST 192.0.2.1 is not an address of this machine: set SIMULATOR_HOST to one (127.0.0.1, 0.0.0.0, ::)',
    );
  });

  it('names both settings with the code for anything else', () => {
    expect(listenFailure('EINVAL', api)).toBe('cannot listen on 127.0.0.1:18159 (EINVAL): check API_HOST and API_PORT');
    expect(listenFailure(undefined, api)).toBe(
      'cannot listen on 127.0.0.1:18159 (unknown error): check API_HOST and API_PORT',
    );
  });
});

describe('dataDirFailure', () => {
  const dir = '/etc/passwd/x';

  it('names START_DATA_DIR and says a part of the path is a file', () => {
    for (const code of ['EEXIST', 'ENOTDIR']) {
      const text = dataDirFailure(dir, errno(code, `${code}: file already exists, mkdir '/etc/passwd'`));
      expect(text).toBe(
        `START_DATA_DIR ${dir} cannot be made: a part of that path is a file, not a folder (${code}); set START_DATA_DIR to a folder path`,
      );
      expect(text).not.toContain('mkdir');
    }
  });

  it('says why for a folder closed to this user, a read-only file system, or anything else', () => {
    expect(dataDirFailure(dir, errno('EACCES'))).toBe(
      `START_DATA_DIR ${dir} cannot be made: permission denied (EACCES); set START_DATA_DIR to a folder path`,
    );
    expect(dataDirFailure(dir, errno('EPERM'))).toBe(
      `START_DATA_DIR ${dir} cannot be made: permission denied (EPERM); set START_DATA_DIR to a folder path`,
    );
    expect(dataDirFailure(dir, errno('EROFS'))).toBe(
      `START_DATA_DIR ${dir} cannot be made: the file system is read-only (EROFS); set START_DATA_DIR to a folder path`,
    );
    expect(dataDirFailure(dir, errno('ENOSPC'))).toBe(
      `START_DATA_DIR ${dir} cannot be made: no space left on the device (ENOSPC); set START_DATA_DIR to a folder path`,
    );
    expect(dataDirFailure(dir, errno('ELOOP'))).toBe(
      `START_DATA_DIR ${dir} cannot be made (ELOOP); set START_DATA_DIR to a folder path`,
    );
    expect(dataDirFailure(dir, new Error('odd'))).toBe(
      `START_DATA_DIR ${dir} cannot be made (odd); set START_DATA_DIR to a folder path`,
    );
  });
});
