// Checks of the embedded server's data folder before PostgreSQL is started:
// PostgreSQL refuses to run as root, so as root the server runs as the
// `postgres` user, which must be able to reach the folder through every
// folder above it.
import { stat } from 'node:fs/promises';
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
