import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { firstFolderClosedToOthers, makeDataFolder } from './data-folder.check';

describe('data folder reachable by other users', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'airtime-data-folder-'));
  beforeAll(() => chmodSync(root, 0o711));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('answers nothing when every folder down to it may be entered', async () => {
    const open = path.join(root, 'open', 'data');
    mkdirSync(open, { recursive: true, mode: 0o755 });
    chmodSync(path.join(root, 'open'), 0o755);
    expect(await firstFolderClosedToOthers(open)).toBeUndefined();
  });

  it('names the first folder from the top that others may not enter', async () => {
    const closed = path.join(root, 'closed');
    mkdirSync(path.join(closed, 'inner'), { recursive: true });
    chmodSync(path.join(closed, 'inner'), 0o700);
    chmodSync(closed, 0o750);
    expect(await firstFolderClosedToOthers(path.join(closed, 'inner'))).toBe(closed);
    chmodSync(closed, 0o751);
    expect(await firstFolderClosedToOthers(path.join(closed, 'inner'))).toBe(path.join(closed, 'inner'));
  });

  it('makes missing folders above the data folder open to others (a fresh clone has no tmp/), the data folder closed', async () => {
    const previous = process.umask(0o022);
    try {
      const data = path.join(root, 'fresh', 'tmp', 'embedded-postgres');
      await makeDataFolder(data);
      expect(statSync(path.join(root, 'fresh')).mode & 0o777).toBe(0o755);
      expect(statSync(path.join(root, 'fresh', 'tmp')).mode & 0o777).toBe(0o755);
      expect(statSync(data).mode & 0o777).toBe(0o700);
      chmodSync(data, 0o711);
      expect(await firstFolderClosedToOthers(data)).toBeUndefined();
    } finally {
      process.umask(previous);
    }
  });
});
