// A TypeScript file of this lib run as a child process for tests that kill
// it: node with tsx as a loader (not tsx's CLI, which would run the program
// in a grandchild that SIGKILL misses), the lib's tsconfig, a minimal
// environment plus the variables given, stdout and stderr piped.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const workspaceRoot = path.resolve(__dirname, '../../../../..');

/** Starts `file` (absolute) in one node process under tsx, with PATH, HOME, LANG and `env`. */
export const spawnTsxChild = (file: string, env: Readonly<Record<string, string>>): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: workspaceRoot,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      ...(process.env['LANG'] === undefined ? {} : { LANG: process.env['LANG'] }),
      TSX_TSCONFIG_PATH: path.join(workspaceRoot, 'libs/persistence-postgres/tsconfig.lib.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
