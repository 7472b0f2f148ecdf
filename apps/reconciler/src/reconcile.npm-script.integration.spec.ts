// `npm run --silent reconcile -- ...` as the README gives it: the build's
// output (nx, tsc, the linking of the workspace libs) goes to stderr, so
// stdout holds only what the reconciler prints (`--json > report.json` is
// the report). Builds the app with tsc into dist/ (about 20 s).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { RECONCILE_USAGE } from './cli/reconcile-arguments.input';

const workspaceRoot = path.resolve(__dirname, '../../..');

describe('npm run --silent reconcile', () => {
  it('leaves stdout to the reconciler: the build is told on stderr', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '--silent', 'reconcile', '--', '--help'], {
      cwd: workspaceRoot,
      // no colours (nx's output under nx test carries them otherwise)
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
      maxBuffer: 10_000_000,
    });
    expect(stdout).toBe(`${RECONCILE_USAGE}\n`);
    expect(stderr).toContain('nx run reconciler:build');
  });
});
