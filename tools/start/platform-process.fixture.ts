// `npm start` as a child process for the integration specs: its command
// from package.json (run by sh, as npm runs it) with the environment the
// spec gives, its output collected, waits on what it prints, the curl
// commands it prints read back into requests, and a graceful stop.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import type { ApiRequest } from './next-steps.format';

export const workspaceRoot = path.resolve(__dirname, '../..');

export interface RunningStart {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr. */
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** The `start` script of package.json. */
export const startScript = (): string => {
  const manifest = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const script = manifest.scripts['start'];
  if (script === undefined) throw new Error('package.json has no start script');
  return script;
};

/** A port free on 127.0.0.1 now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

/**
 * The environment of a run: this process's without DATABASE_URL and AMQP_URL
 * (jest's preset loads them from tmp/services.env), plus `environment`.
 */
export const startEnvironment = (environment: Readonly<Record<string, string>>): NodeJS.ProcessEnv => {
  const { DATABASE_URL: _database, AMQP_URL: _amqp, AMQP_TOPOLOGY_PREFIX: _prefix, ...rest } = process.env;
  return { ...rest, ...environment };
};

/** Runs `npm start`'s command in the workspace with `env`. */
export const runStart = (env: NodeJS.ProcessEnv): RunningStart => {
  const child = spawn('sh', ['-c', startScript()], { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
};

/** Waits until the output matches `pattern`; fails with the output when it exits or the time is up. */
export const waitFor = async (running: RunningStart, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = running.output().match(pattern);
    if (match !== null) return match;
    if (running.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} in the output (exit code ${running.child.exitCode}):\n${running.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** SIGTERM, then its exit code. */
export const stopStart = async (running: RunningStart): Promise<number | null> => {
  if (running.child.exitCode === null) running.child.kill('SIGTERM');
  return running.exited;
};

const unquoted = (word: string): string => word.slice(1, -1).split(`'\\''`).join("'");

/** The printed curl commands (continuation lines joined), in order, read back into requests. */
export const printedCurls = (output: string): readonly ApiRequest[] =>
  [
    ...output
      .replace(/ \\\n\s+/g, ' ')
      .matchAll(/^ {2}curl -sS( -X POST)? ('[^']*')((?: -[Hd] '(?:[^']|'\\'')*')*)$/gm),
  ].map((match) => {
    const options = [...(match[3] ?? '').matchAll(/ -([Hd]) ('(?:[^']|'\\'')*')/g)];
    const headers = Object.fromEntries(
      options
        .filter((option) => option[1] === 'H')
        .map((option) => {
          const header = unquoted(option[2] ?? "''");
          const colon = header.indexOf(': ');
          return [header.slice(0, colon), header.slice(colon + 2)];
        }),
    );
    const data = options.find((option) => option[1] === 'd');
    return {
      method: match[1] === undefined ? 'GET' : 'POST',
      url: unquoted(match[2] ?? "''"),
      headers,
      ...(data === undefined ? {} : { body: unquoted(data[2] ?? "''") }),
    };
  });
