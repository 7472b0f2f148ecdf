// The lock of `npm start` on its data folder: the launcher's pid in
// `<START_DATA_DIR>/npm-start.pid`, made with O_EXCL, removed when the
// launcher exits. A second start on the same folder whose lock holder is
// alive is refused before it touches anything (it would otherwise stop the
// first one's live PostgreSQL as "left running"); a lock whose holder is
// gone (killed, the machine restarted) is taken over, and the embedded
// PostgreSQL it left running is stopped as before.
import { readFileSync, unlinkSync } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { makeDataFolder } from '@airtime/persistence-postgres';

/** The lock file's name inside the data folder. */
export const START_LOCK_FILE = 'npm-start.pid';

/** A lock held by this process. */
export interface StartLock {
  readonly file: string;
  /** Removes the lock file if it still holds this process's pid. Synchronous (it runs on `exit`); never throws. */
  readonly release: () => void;
}

/** The outcome of a claim: the lock, or the pid of the live process that holds it. */
export type StartLockClaim =
  { readonly _tag: 'Claimed'; readonly lock: StartLock } | { readonly _tag: 'HeldBy'; readonly pid: number };

/** Whether process `pid` runs (signal 0; EPERM: it runs, as another user). */
export const processIsAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const pidIn = (text: string | undefined): number | undefined => {
  const pid = Number((text ?? '').trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
};

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** How often an empty lock file (a start writing its pid right now) is read again before it counts as stale. */
const EMPTY_LOCK_READS = 20;
const EMPTY_LOCK_WAIT_MS = 50;

/**
 * Claims `dataDir` for process `pid` (default: this one): makes the folder
 * when missing (see `makeDataFolder`), then the lock file (mode 0644) with
 * the pid. A lock file of a live process other than `pid` answers `HeldBy`
 * and changes nothing; one of a dead process (or unreadable after about a
 * second) is removed and claimed. Rejects on file-system errors other than
 * the lock's own races.
 */
export const claimStartLock = async (dataDir: string, pid: number = process.pid): Promise<StartLockClaim> => {
  const file = path.join(path.resolve(dataDir), START_LOCK_FILE);
  await makeDataFolder(path.dirname(file));
  let emptyReads = 0;
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        await handle.writeFile(`${pid}\n`);
      } finally {
        await handle.close();
      }
      return { _tag: 'Claimed', lock: { file, release: () => releaseStartLock(file, pid) } };
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
    const text = await readFile(file, 'utf8').catch((error: unknown) => {
      if (codeOf(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) continue;
    const holder = pidIn(text);
    if (holder === undefined && emptyReads < EMPTY_LOCK_READS) {
      emptyReads += 1;
      await new Promise((resolve) => setTimeout(resolve, EMPTY_LOCK_WAIT_MS));
      continue;
    }
    if (holder !== undefined && holder !== pid && processIsAlive(holder)) return { _tag: 'HeldBy', pid: holder };
    await unlink(file).catch((error: unknown) => {
      if (codeOf(error) !== 'ENOENT') throw error;
    });
  }
};

/** Removes `file` when it holds `pid`. Never throws. */
const releaseStartLock = (file: string, pid: number): void => {
  try {
    if (pidIn(readFileSync(file, 'utf8')) === pid) unlinkSync(file);
  } catch {
    // gone already, or unreadable: nothing of ours to remove
  }
};
