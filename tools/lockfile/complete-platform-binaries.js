#!/usr/bin/env node
// Completes package-lock.json with the platform binaries this machine's
// registry does not serve (e.g. @swc/core-darwin-arm64). npm then leaves
// them out of the lock, and `npm ci` refuses the lock as out of sync
// ("Missing: @swc/core-darwin-arm64@ from lock file"). Each missing optional
// dependency gets an entry with its os/cpu/libc read from its name, so that
// npm ci skips it on every other platform, as it would with a full lock.
// Run after any `npm install` that changes the lock: `npm run lockfile:complete`.
const fs = require('node:fs');
const path = require('node:path');

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];

/** os, cpu and libc from a platform package name such as `core-linux-arm-gnueabihf` or `binding-linux-x64-musl`. */
const platformOf = (name) => {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((part) => OS.includes(part));
  const cpu = parts.find((part) => CPU.includes(part));
  if (!os || !cpu) return undefined;
  const libc = parts.some((part) => part.startsWith('musl'))
    ? 'musl'
    : os === 'linux' && parts.some((part) => part.startsWith('gnu'))
      ? 'glibc'
      : undefined;
  return { os, cpu, libc };
};

const complete = (lock) => {
  const added = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
      const target = `node_modules/${name}`;
      const nested = location ? `${location}/node_modules/${name}` : target;
      if (lock.packages[target] || lock.packages[nested]) continue;
      const platform = platformOf(name);
      if (!platform) continue;
      lock.packages[target] = {
        version,
        ...(entry.dev ? { dev: true } : {}),
        optional: true,
        os: [platform.os],
        cpu: [platform.cpu],
        ...(platform.libc ? { libc: [platform.libc] } : {}),
      };
      added.push(`${name}@${version}`);
    }
  }
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
  );
  return added;
};

module.exports = { complete, platformOf };

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? 'package-lock.json');
  const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  const added = complete(lock);
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(added.length ? `added ${added.length} platform entries: ${added.join(', ')}` : 'lock already complete');
}
