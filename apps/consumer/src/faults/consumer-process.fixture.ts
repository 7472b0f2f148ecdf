// Runs the consumer as a child process, as production does, so that fault
// specs and the benchmark can kill it (SIGKILL: no shutdown code runs),
// stop it (SIGTERM) and restart it. The process runs `main.ts` bundled once
// by esbuild (the one tsx ships; the app needs no decorator metadata), or
// tsc's build output, or tsx itself; it is configured only by environment
// variables, like the real one. Its pino lines are kept (the last ones) for
// the failure messages of a spec; readiness is its "consumer started" line.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleEntry } from '@airtime/platform-runtime/testing';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const consumerRoot = path.join(workspaceRoot, 'apps/consumer');

/** How to run the consumer: a node command line (without `node` itself). */
export interface ConsumerEntry {
  readonly kind: 'bundle' | 'build' | 'tsx';
  readonly args: readonly string[];
  /** Removes what the entry made (the bundle's folder); idempotent. */
  readonly dispose: () => void;
}

/**
 * Bundles `apps/consumer/src/main.ts` with its workspace libs into one file
 * in a temporary folder (about 1 s); node starts it in under a second,
 * where tsx needs two to three.
 */
export const bundledConsumerEntry = async (): Promise<ConsumerEntry> => {
  const bundle = await bundleEntry({
    entry: 'apps/consumer/src/main.ts',
    tsconfig: 'apps/consumer/tsconfig.app.json',
    name: 'consumer',
  });
  return { kind: 'bundle', args: [bundle.file], dispose: bundle.dispose };
};

/** tsc's build of the app (`npm run consumer:build`: dist/apps/consumer/main.js), when it is there. */
export const builtConsumerEntry = (): ConsumerEntry | undefined => {
  const main = path.join(workspaceRoot, 'dist/apps/consumer/main.js');
  return existsSync(main) ? { kind: 'build', args: [main], dispose: () => undefined } : undefined;
};

/** The sources through tsx (slow to start; no build step). */
export const tsxConsumerEntry = (): ConsumerEntry => ({
  kind: 'tsx',
  args: [
    require.resolve('tsx/cli', { paths: [workspaceRoot] }),
    '--tsconfig',
    path.join(consumerRoot, 'tsconfig.app.json'),
    path.join(consumerRoot, 'src/main.ts'),
  ],
  dispose: () => undefined,
});

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ConsumerProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the metrics URL once the consumer logged "consumer started"; rejects if it exits first or times out. */
  readonly ready: Promise<string>;
  readonly exited: Promise<ProcessExit>;
  readonly hasExited: () => boolean;
  /** SIGKILL (nothing of the consumer runs after it), resolved once the process is gone. */
  readonly kill: () => Promise<ProcessExit>;
  /** SIGTERM (graceful shutdown), then SIGKILL after `timeoutMs`. */
  readonly stop: (timeoutMs?: number) => Promise<ProcessExit>;
  /** Resident set size now, from /proc (Linux), in bytes. */
  readonly rssBytes: () => number | undefined;
  /** CPU time the process has used so far (user + system, from /proc), in seconds. */
  readonly cpuSeconds: () => number | undefined;
  /** The last lines the process wrote (stdout and stderr). */
  readonly lines: () => readonly string[];
  /** The kept lines that are pino records with this `msg`, parsed. */
  readonly records: (message: string) => readonly Record<string, unknown>[];
}

export interface ConsumerProcessOptions {
  readonly entry: ConsumerEntry;
  /** A name for failure messages, e.g. "seed 7 run 2". */
  readonly name: string;
  /** The consumer's settings (DATABASE_URL, AMQP_URL, AMQP_TOPOLOGY_PREFIX, PROVIDER, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** How long `ready` waits (default 90 s: a loaded 2-core machine in CI once took over 30 s to start one). */
  readonly readyTimeoutMs?: number | undefined;
  /** Lines kept (default 400). */
  readonly keepLines?: number | undefined;
  /** Extra node flags (e.g. `--max-old-space-size=256`). */
  readonly nodeArgs?: readonly string[] | undefined;
}

const started = new Set<ChildProcess>();

/** Linux's USER_HZ (sysconf(_SC_CLK_TCK)), 100 on every common kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Only what a child needs from the parent's environment; the consumer's own settings come from `env`. */
const baseEnvironment = (): Record<string, string> => {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  return Object.fromEntries(
    keep.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key] as string]])),
  );
};

const parse = (line: string): Record<string, unknown> | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Starts one consumer process. */
export const startConsumerProcess = (options: ConsumerProcessOptions): ConsumerProcess => {
  const keepLines = options.keepLines ?? 400;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...options.entry.args], {
    cwd: workspaceRoot,
    env: { ...baseEnvironment(), LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`consumer ${options.name}: could not be spawned`);
  const kept: string[] = [];
  let exit: ProcessExit | undefined;
  let onStarted: ((url: string) => void) | undefined;

  // only the last lines are kept, and only the start line is parsed here: a busy consumer logs a line per command
  const keep = (line: string): void => {
    kept.push(line);
    // trimmed in chunks: shifting a long array on every line would cost the test process O(lines kept) each time
    if (kept.length > 2 * keepLines) kept.splice(0, kept.length - keepLines);
    if (onStarted !== undefined && line.includes('"msg":"consumer started"')) {
      const url = parse(line)?.['metrics'];
      onStarted(typeof url === 'string' ? url : '');
      onStarted = undefined;
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (line.length > 0) keep(line);
    });
    stream?.on('end', () => {
      if (partial.length > 0) keep(partial);
      partial = '';
    });
  }

  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      started.delete(child);
      resolve(exit);
    });
  });

  const tail = (): string => kept.slice(-30).join('\n');
  const ready = new Promise<string>((resolve, reject) => {
    const timeoutMs = options.readyTimeoutMs ?? 90_000;
    const timer = setTimeout(
      () => reject(new Error(`consumer ${options.name}: not started after ${timeoutMs} ms\n${tail()}`)),
      timeoutMs,
    );
    onStarted = (url) => {
      clearTimeout(timer);
      resolve(url);
    };
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`consumer ${options.name}: exited before it started (${JSON.stringify(how)})\n${tail()}`));
    });
  });
  // a spec that kills the process before it is ready does not wait for `ready`
  ready.catch(() => undefined);

  const signal = (name: NodeJS.Signals): void => {
    if (exit === undefined) child.kill(name);
  };

  return {
    name: options.name,
    pid,
    ready,
    exited,
    hasExited: () => exit !== undefined,
    kill: () => {
      signal('SIGKILL');
      return exited;
    },
    stop: async (timeoutMs = 30_000) => {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    rssBytes: () => {
      if (exit !== undefined) return undefined;
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
        return match === null ? undefined : Number(match[1]) * 1024;
      } catch {
        return undefined;
      }
    },
    cpuSeconds: () => {
      if (exit !== undefined) return undefined;
      try {
        // fields after the command name (which may hold spaces): state is 3rd, utime 14th, stime 15th
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        const ticks = Number(fields[11]) + Number(fields[12]);
        return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : undefined;
      } catch {
        return undefined;
      }
    },
    lines: () => kept.slice(-keepLines),
    records: (message) =>
      kept.slice(-keepLines).flatMap((line) => {
        const record = parse(line);
        return record !== undefined && record['msg'] === message ? [record] : [];
      }),
  };
};

/** SIGKILLs every consumer process this module started that is still running (a spec's afterAll). */
export const killStartedConsumers = async (): Promise<void> => {
  const running = [...started];
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
};

/** A whole number in [min, max] drawn from `random`. */
export const between = (random: () => number, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
