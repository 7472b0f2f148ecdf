import { complete, platformOf } from './complete-platform-binaries';

describe('lock file completion', () => {
  it('reads os, cpu and libc from platform package names', () => {
    expect(platformOf('@swc/core-darwin-arm64')).toEqual({ os: 'darwin', cpu: 'arm64', libc: undefined });
    expect(platformOf('@swc/core-linux-arm-gnueabihf')).toEqual({ os: 'linux', cpu: 'arm', libc: 'glibc' });
    expect(platformOf('@unrs/resolver-binding-linux-riscv64-musl')).toEqual({
      os: 'linux',
      cpu: 'riscv64',
      libc: 'musl',
    });
    expect(platformOf('@swc/core-win32-ia32-msvc')).toEqual({ os: 'win32', cpu: 'ia32', libc: undefined });
    expect(platformOf('@swc/helpers')).toBeUndefined();
  });

  it('adds only the missing platform binaries, skipped elsewhere by their os and cpu', () => {
    const lock = {
      packages: {
        '': { name: 'x' },
        'node_modules/@swc/core': {
          version: '1.0.0',
          dev: true,
          optionalDependencies: {
            '@swc/core-linux-x64-gnu': '1.0.0',
            '@swc/core-darwin-arm64': '1.0.0',
            '@swc/helpers': '0.5.0',
          },
        },
        'node_modules/@swc/core-linux-x64-gnu': { version: '1.0.0', optional: true },
      },
    };
    expect(complete(lock)).toEqual(['@swc/core-darwin-arm64@1.0.0']);
    expect(lock.packages).toMatchObject({
      'node_modules/@swc/core-darwin-arm64': {
        version: '1.0.0',
        dev: true,
        optional: true,
        os: ['darwin'],
        cpu: ['arm64'],
      },
    });
    expect(complete(lock)).toEqual([]);
  });
});
