// A RabbitMQ node of a test's own, for tests that stop, restart or kill the
// broker while other tests keep using the shared one on 5672: its own node
// name, AMQP and distribution ports, data and log folder, listening on
// 127.0.0.1 only, no plugins. Started with the installed `rabbitmq-server
// -detached`; as root through Debian's wrapper, which runs it as the rabbitmq
// user with that user's home, so it shares the system node's Erlang cookie
// (`rabbitmqctl -n <nodeName> ...` works as for the system node). Call
// `dispose()` in afterAll; a node left running is killed once the test process
// is gone.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as amqp from 'amqplib';

export interface OwnBrokerNode {
  /** `airtime-test-<hex>@localhost`, kept across restarts (a quorum queue belongs to its node name). */
  readonly nodeName: string;
  /** AMQP port on 127.0.0.1, the same after every restart. */
  readonly port: number;
  /** Erlang distribution port on 127.0.0.1. */
  readonly distPort: number;
  /** `amqp://guest:guest@127.0.0.1:<port>`. */
  readonly url: string;
  /** Holds the node's data (`mnesia/`), logs (`log/`), config and pid file. */
  readonly dataDir: string;
  /** Whether the node's process is alive. */
  readonly isRunning: () => boolean;
  /** Starts the node again (same port, same data: durable queues and persistent messages survive). */
  readonly start: () => Promise<void>;
  /** Graceful stop (SIGTERM, as `rabbitmqctl stop`), resolved once the process has exited. */
  readonly stop: () => Promise<void>;
  /**
   * SIGKILL, as a crash, resolved once the process is gone. Confirmed messages survive it, but RabbitMQ 3.10
   * keeps a new quorum queue's registration in a table saved on a graceful stop or about 3 minutes later: a
   * quorum queue declared since then comes back without a leader (basic.get and publishes time out). Declare
   * the topology, then `stop()` and `start()` once, before killing.
   */
  readonly kill: () => Promise<void>;
  /** Kills the node and removes its folder unless the caller passed `dataDir`. */
  readonly dispose: () => Promise<void>;
}

export interface OwnBrokerNodeOptions {
  /** A folder of the caller's (kept by `dispose`); a folder used before restarts the same node on the same ports. */
  readonly dataDir?: string | undefined;
  /** How long a start may take before it fails with the node's log tail (default 60 s). */
  readonly startTimeoutMs?: number | undefined;
}

interface NodeIdentity {
  readonly nodeName: string;
  readonly port: number;
  readonly distPort: number;
}

const DEBIAN_SCRIPTS = '/usr/lib/rabbitmq/bin';
const STOP_TIMEOUT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** uid and gid of the rabbitmq system user, when there is one. */
const rabbitmqUser = (): { uid: number; gid: number } | undefined => {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('rabbitmq:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid !== undefined && gid !== undefined ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
};

// As root, Debian's wrappers (on PATH) switch to the rabbitmq user; any other
// user runs the real scripts (the wrappers refuse it), with its own home and cookie.
const command = (name: 'rabbitmq-server' | 'rabbitmqctl'): string =>
  !isRoot() && existsSync(path.join(DEBIAN_SCRIPTS, name)) ? path.join(DEBIAN_SCRIPTS, name) : name;

// rabbitmqctl takes its own distribution port from 35672-35682; epmd has 4369
const RESERVED_PORTS = (port: number): boolean => port === 4369 || (port >= 35_672 && port <= 35_682);

const freePort = async (): Promise<number> => {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    if (port !== 0 && !RESERVED_PORTS(port)) return port;
  }
};

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // an exited process nobody has reaped yet is dead too
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

const waitForExit = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
};

const runDetached = (command: string, env: NodeJS.ProcessEnv): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, ['-detached'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} -detached exited with ${code}: ${stderr.trim()}`)),
    );
  });

// A node not disposed of (a test that failed before its afterAll, a killed
// test process) must not outlive the process that started it: a detached
// watcher kills it, and removes its folder when the folder is the fixture's, once
// that process is gone. (An 'exit' listener would not do: jest gives each
// test file a process object of its own whose 'exit' never fires.) It checks
// that the pid file's process is this node before killing it.
const WATCHER = `
parent=$1; dir=$2; remove=$3
while kill -0 "$parent" 2>/dev/null; do sleep 1; done
pid=$(cat "$dir/rabbitmq.pid" 2>/dev/null)
if [ -n "$pid" ] && tr '\\0' '\\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "RABBITMQ_PID_FILE=$dir/rabbitmq.pid"; then
  kill -9 "$pid"
  sleep 1
fi
if [ "$remove" = 1 ]; then rm -rf "$dir"; fi
`;

const startWatcher = (dataDir: string, removeDir: boolean): ChildProcess => {
  const watcher = spawn(
    'sh',
    ['-c', WATCHER, 'own-broker-watcher', String(process.pid), dataDir, removeDir ? '1' : '0'],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watcher.unref();
  return watcher;
};

/** Prepares a node of the test's own (see the file header) and starts it. */
export const startOwnBrokerNode = async (options: OwnBrokerNodeOptions = {}): Promise<OwnBrokerNode> => {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'airtime-broker-'));
  mkdirSync(dataDir, { recursive: true });
  const identityFile = path.join(dataDir, 'node.json');
  const identity: NodeIdentity = existsSync(identityFile)
    ? (JSON.parse(readFileSync(identityFile, 'utf8')) as NodeIdentity)
    : {
        nodeName: `airtime-test-${randomBytes(5).toString('hex')}@localhost`,
        port: await freePort(),
        distPort: await freePort(),
      };
  const { nodeName, port, distPort } = identity;
  const pidFile = path.join(dataDir, 'rabbitmq.pid');
  const logDir = path.join(dataDir, 'log');
  const files: Record<string, string> = {
    'node.json': `${JSON.stringify(identity)}\n`,
    'rabbitmq.conf': [
      `listeners.tcp.default = 127.0.0.1:${port}`,
      'loopback_users.guest = true',
      'log.console = false',
      'log.file.level = info',
      '',
    ].join('\n'),
    // no plugins (no management listener)
    enabled_plugins: '[].\n',
    // instead of /etc/rabbitmq/rabbitmq-env.conf, which names the system node
    'rabbitmq-env.conf': '',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dataDir, name), content);
  // the Debian wrapper runs the node as the rabbitmq user: the folder must be its
  const owner = isRoot() ? rabbitmqUser() : undefined;
  if (owner !== undefined) {
    for (const entry of [dataDir, ...Object.keys(files).map((name) => path.join(dataDir, name))])
      chownSync(entry, owner.uid, owner.gid);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: path.join(dataDir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: path.join(dataDir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dataDir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: path.join(dataDir, 'mnesia'),
    RABBITMQ_LOG_BASE: logDir,
    RABBITMQ_PID_FILE: pidFile,
    ERL_CRASH_DUMP: path.join(dataDir, 'erl_crash.dump'),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    ERL_FLAGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  let pid: number | undefined;

  const readPid = (): number | undefined => {
    try {
      const value = Number(readFileSync(pidFile, 'utf8').trim());
      return Number.isInteger(value) && value > 0 ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const logTail = (): string => {
    try {
      return readFileSync(path.join(logDir, `${nodeName}.log`), 'utf8')
        .split('\n')
        .slice(-15)
        .join('\n');
    } catch {
      return '(no log)';
    }
  };
  const isRunning = (): boolean => pid !== undefined && processAlive(pid);
  // a pid read from a file may be stale and reused: signal a process only when its environment names our pid file
  const isThisNode = (candidate: number): boolean => {
    try {
      return readFileSync(`/proc/${candidate}/environ`, 'utf8').split('\0').includes(`RABBITMQ_PID_FILE=${pidFile}`);
    } catch {
      return false;
    }
  };

  const start = async (): Promise<void> => {
    if (isRunning()) return;
    rmSync(pidFile, { force: true });
    pid = undefined;
    await runDetached(command('rabbitmq-server'), env);
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      pid ??= readPid();
      if (pid !== undefined && !processAlive(pid)) {
        pid = undefined;
        throw new Error(`RabbitMQ node ${nodeName} exited while starting:\n${logTail()}`);
      }
      if (pid !== undefined) {
        const connection = await amqp.connect(url, { timeout: 5_000 }).catch(() => undefined);
        if (connection !== undefined) {
          await connection.close().catch(() => undefined);
          return;
        }
      }
      if (Date.now() > deadline) {
        throw new Error(
          `RabbitMQ node ${nodeName} did not accept connections within ${startTimeoutMs} ms:\n${logTail()}`,
        );
      }
      await sleep(100);
    }
  };

  const signalAndWait = async (signal: NodeJS.Signals): Promise<void> => {
    const target = pid ?? readPid();
    pid = undefined;
    if (target === undefined || !processAlive(target) || !isThisNode(target)) return;
    process.kill(target, signal);
    if (await waitForExit(target, STOP_TIMEOUT_MS)) return;
    process.kill(target, 'SIGKILL');
    await waitForExit(target, STOP_TIMEOUT_MS);
  };

  const watcher = startWatcher(dataDir, ownsDir);
  const dispose = async (): Promise<void> => {
    watcher.kill('SIGKILL');
    await signalAndWait('SIGKILL');
    if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (error) {
    await dispose();
    throw error;
  }

  return {
    nodeName,
    port,
    distPort,
    url,
    dataDir,
    isRunning,
    start,
    stop: () => signalAndWait('SIGTERM'),
    kill: () => signalAndWait('SIGKILL'),
    dispose,
  };
};

/** Runs `rabbitmqctl -n <node.nodeName> ...args` and returns its output (for assertions on the node's state). */
export const ownNodeCtl = (node: Pick<OwnBrokerNode, 'nodeName'>, ...args: readonly string[]): string =>
  execFileSync(command('rabbitmqctl'), ['-n', node.nodeName, ...args], { encoding: 'utf8' });
