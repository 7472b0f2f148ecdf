// Checks of the embedded server's data folder before PostgreSQL is started:
// PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` user, which must be able to reach the folder through every
// folder above it.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The first folder from the root down to `folder` (included) that other
 * users may not enter (no `o+x`), or undefined when every one of them may
 * be entered. As root, the `postgres` user is such an "other" user of the
 * folders root owns.
 */
export const firstFolderClosedToOthers = async (folder: string): Promise<string | undefined> => {
  const absolute = path.resolve(folder);
  const chain: string[] = [];
  for (let current = absolute; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const entry of chain) {
    const info = await stat(entry);
    if ((info.mode & 0o001) === 0) return entry;
  }
  return undefined;
};

/**
 * Makes the data folder and any missing folder above it: the ones above
 * with mode 0755 (so the postgres user can pass through them when PostgreSQL
 * runs as postgres under root; `mkdir -p` with one mode would close them
 * all, e.g. a fresh clone's `tmp/`), the data folder itself with 0700.
 * Folders that exist keep their mode.
 */
export const makeDataFolder = async (folder: string): Promise<void> => {
  const absolute = path.resolve(folder);
  await mkdir(path.dirname(absolute), { recursive: true, mode: 0o755 });
  await mkdir(absolute, { recursive: true, mode: 0o700 });
};
