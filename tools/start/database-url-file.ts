// The embedded PostgreSQL's URL for the operator's tools: npm start writes it
// to `<START_DATA_DIR>/database.url` (mode 0600: it holds the password; the
// folder is 0711, so no one else can list or read it) on every start (the
// port may change between starts), so that the admin CLI reaches the
// running server with `DATABASE_URL="$(cat <dir>/database.url)" npm run
// admin -- ...` without the password ever being printed. Removed when the
// server stops.
import { rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file's name inside the data folder. */
export const DATABASE_URL_FILE = 'database.url';

/** The file of `dataDir`. */
export const databaseUrlFileOf = (dataDir: string): string => path.join(path.resolve(dataDir), DATABASE_URL_FILE);

/**
 * Writes `url` (with its password) and a newline to `dataDir`'s
 * database.url, a new file made with mode 0600 (one left there, whatever its
 * mode, is removed first: the password is never in a file others may read);
 * answers the file's absolute path.
 */
export const writeDatabaseUrlFile = async (dataDir: string, url: string): Promise<string> => {
  const file = databaseUrlFileOf(dataDir);
  await rm(file, { force: true });
  await writeFile(file, `${url}\n`, { mode: 0o600, flag: 'wx' });
  return file;
};

/** Removes `dataDir`'s database.url, if any. Synchronous; never throws. */
export const removeDatabaseUrlFile = (dataDir: string): void => {
  rmSync(databaseUrlFileOf(dataDir), { force: true });
};
