// The reconciler's entry point: one run over the window of the arguments
// (yesterday, UTC, by default), then exit with its status (0 matched, 1
// mismatches remain, 2 bad arguments or configuration, 3 the run failed).
// No decorators: every inversify binding is a factory or a constant, so any
// emitter runs it (`npm run reconcile` runs tsc's build in dist/ with plain
// node; the specs run an esbuild bundle of this file).
import 'reflect-metadata';
import { runReconciler } from './reconciler-app.runner';

void runReconciler({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: () => new Date(),
}).then((code) => {
  process.exitCode = code;
});
