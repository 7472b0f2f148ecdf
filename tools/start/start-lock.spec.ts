import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { claimStartLock, processIsAlive, START_LOCK_FILE } from './start-lock';

const base = mkdtempSync(path.join(tmpdir(), 'airtime-start-lock-'));
const children: ChildProcess[] = [];
let folders = 0;
const freshFolder = () => path.join(base, `case-${(folders += 1)}`, 'tmp', 'embedded-postgres');

/** A process that runs until it is killed. */
const liveProcess = (): ChildProcess => {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  children.push(child);
  return child;
};

/** The pid of a process that has ended. */
const deadPid = async (): Promise<number> => {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
};

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

describe('claimStartLock', () => {
  it('makes the missing folders, writes this pid, and removes the lock on release', async () => {
    const dataDir = freshFolder();
    const claim = await claimStartLock(dataDir);
    if (claim._tag !== 'Claimed') throw new Error(`not claimed: held by ${claim.pid}`);
    expect(claim.lock.file).toBe(path.join(dataDir, START_LOCK_FILE));
    expect(readFileSync(claim.lock.file, 'utf8')).toBe(`${process.pid}\n`);
    claim.lock.release();
    expect(existsSync(claim.lock.file)).toBe(false);
    expect(existsSync(dataDir)).toBe(true);
  });

  it('refuses while a live process holds the lock, and changes nothing', async () => {
    const dataDir = freshFolder();
    const holder = liveProcess().pid ?? 0;
    expect(processIsAlive(holder)).toBe(true);
    expect(await claimStartLock(dataDir, holder)).toMatchObject({ _tag: 'Claimed' });
    expect(await claimStartLock(dataDir)).toEqual({ _tag: 'HeldBy', pid: holder });
    expect(readFileSync(path.join(dataDir, START_LOCK_FILE), 'utf8')).toBe(`${holder}\n`);
  });

  it('takes over the lock of a process that has ended (killed, or the machine restarted)', async () => {
    const dataDir = freshFolder();
    const dead = await deadPid();
    expect(processIsAlive(dead)).toBe(false);
    expect(await claimStartLock(dataDir, dead)).toMatchObject({ _tag: 'Claimed' });
    expect(await claimStartLock(dataDir)).toMatchObject({ _tag: 'Claimed' });
    expect(readFileSync(path.join(dataDir, START_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('takes over an empty or unreadable lock once it stays so', async () => {
    const dataDir = freshFolder();
    await claimStartLock(dataDir, await deadPid());
    writeFileSync(path.join(dataDir, START_LOCK_FILE), 'not a pid');
    expect(await claimStartLock(dataDir)).toMatchObject({ _tag: 'Claimed' });
  });

  it('gives the folder to one of two starts claiming it at once', async () => {
    const dataDir = freshFolder();
    const other = liveProcess().pid ?? 0;
    const claims = await Promise.all([claimStartLock(dataDir), claimStartLock(dataDir, other)]);
    expect(claims.filter((claim) => claim._tag === 'Claimed')).toHaveLength(1);
    expect(claims.filter((claim) => claim._tag === 'HeldBy')).toHaveLength(1);
  });

  it('never removes a lock another process holds on release', async () => {
    const dataDir = freshFolder();
    const claim = await claimStartLock(dataDir);
    if (claim._tag !== 'Claimed') throw new Error('not claimed');
    const holder = liveProcess().pid ?? 0;
    writeFileSync(claim.lock.file, `${holder}\n`);
    claim.lock.release();
    expect(readFileSync(claim.lock.file, 'utf8')).toBe(`${holder}\n`);
  });
});
