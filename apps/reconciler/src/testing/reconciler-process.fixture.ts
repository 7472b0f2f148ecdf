// Runs the reconciler as a child process, as a scheduler (cron, a
// Kubernetes CronJob) does, so that a spec can kill it with SIGKILL mid-run
// (no shutdown code runs). The process runs `main.ts` bundled once by
// esbuild (platform-runtime's bundleEntry: node starts it in well under a
// second) and is configured only by its environment and arguments.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { type BundledEntry, bundleEntry } from '@airtime/platform-runtime/testing';

const workspaceRoot = path.resolve(__dirname, '../../../..');

/** `apps/reconciler/src/main.ts` bundled with its workspace libs (about a second). */
export const bundleReconciler = (): Promise<BundledEntry> =>
  bundleEntry({
    entry: 'apps/reconciler/src/main.ts',
    tsconfig: 'apps/reconciler/tsconfig.app.json',
    name: 'reconciler',
  });

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ReconcilerProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  /** SIGKILL; resolves once the process is gone. */
  readonly kill: () => Promise<ProcessExit>;
}

const started = new Set<ChildProcess>();

/** Only what a child needs from the parent's environment; the reconciler's settings come from `env`. */
const baseEnvironment = (): Record<string, string> =>
  Object.fromEntries(
    ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'].flatMap((key) =>
      process.env[key] === undefined ? [] : [[key, process.env[key] as string]],
    ),
  );

/** Starts `node <bundle> ...argv` with `env` (plus PATH, HOME, TMPDIR, LANG, TZ). */
export const startReconcilerProcess = (
  bundle: BundledEntry,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): ReconcilerProcess => {
  const child = spawn(process.execPath, [bundle.file, ...argv], {
    cwd: workspaceRoot,
    env: { ...baseEnvironment(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the reconciler could not be spawned');
  started.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => {
      started.delete(child);
      resolve({ code, signal, ...output });
    });
  });
  return {
    pid: child.pid,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
};

/** SIGKILLs every reconciler process this module started that is still running (a spec's afterAll). */
export const killStartedReconcilers = async (): Promise<void> => {
  await Promise.all(
    [...started].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
};
