// Bundles a TypeScript entry file (an app's main.ts, a tool's script, a
// test's child program) with its workspace libs into one CommonJS file, so
// that tests can start it as a plain node process: node starts the bundle in
// well under a second, where tsx compiles for two to three (much longer on a
// loaded machine). Uses the esbuild tsx ships, which emits no decorator
// metadata: fine here, as nothing bundled uses decorators (the data source
// has no entities; the adapters speak SQL). It lives in this lib's testing
// entry, the lowest one that its users (this lib's kill -9 specs, the apps'
// fault fixtures through platform-runtime's testing entry, the tools) may
// all import.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The part of esbuild's API used here (esbuild is tsx's dependency, not ours: loaded from tsx's folder). */
interface Esbuild {
  readonly build: (options: Record<string, unknown>) => Promise<{ readonly errors: readonly unknown[] }>;
  /** Ends esbuild's service process (it would otherwise live as long as the test worker). */
  readonly stop: () => Promise<void> | void;
}

const workspaceRoot = path.resolve(__dirname, '../../../..');

const loadEsbuild = (): Esbuild => {
  const fromTsx = createRequire(require.resolve('tsx/package.json', { paths: [workspaceRoot] }));
  return fromTsx('esbuild') as Esbuild;
};

export interface BundledEntry {
  /** The bundle, run as `node <file> ...args`. */
  readonly file: string;
  /** Removes the bundle's temporary folder; idempotent. */
  readonly dispose: () => void;
}

/**
 * Bundles `entry` (a path relative to the workspace root) with the path
 * aliases of `tsconfig` (relative to the workspace root) into a temporary
 * folder named after `name`. About a second; the optional native pg driver
 * stays external.
 */
export const bundleEntry = async (options: {
  readonly entry: string;
  readonly tsconfig: string;
  readonly name: string;
}): Promise<BundledEntry> => {
  const outDir = mkdtempSync(path.join(tmpdir(), `airtime-${options.name}-bundle-`));
  const file = path.join(outDir, 'main.js');
  const esbuild = loadEsbuild();
  try {
    await esbuild.build({
      entryPoints: [path.join(workspaceRoot, options.entry)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile: file,
      tsconfig: path.join(workspaceRoot, options.tsconfig),
      // optional native drivers that pg and typeorm probe for with require()
      external: ['pg-native'],
      logLevel: 'error',
    });
  } finally {
    await esbuild.stop();
  }
  return { file, dispose: () => rmSync(outDir, { recursive: true, force: true }) };
};
