// After `tsc -p apps/<app>/tsconfig.app.json`, the libs are compiled beside the app under
// dist/apps/<app>/libs/, but the `@airtime/*` imports are tsconfig path aliases that plain node
// cannot resolve. This writes one tiny package per alias under dist/apps/<app>/node_modules/ that
// re-exports the compiled entry, and `dist/apps/<app>/main.js` that starts the app: `node dist/apps/<app>/main.js`.
// Usage: node tools/build/link-workspace-libs.mjs <app> (consumer, api).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.argv[2];
if (!app || !/^[a-z][a-z-]*$/.test(app) || !existsSync(path.join(workspaceRoot, 'apps', app))) {
  console.error('usage: node tools/build/link-workspace-libs.mjs <app>   (an app under apps/)');
  process.exit(2);
}
const outDir = path.join(workspaceRoot, 'dist/apps', app);
const { compilerOptions } = JSON.parse(readFileSync(path.join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

let linked = 0;
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  const compiled = path.join(outDir, target.replace(/\.ts$/, '.js'));
  if (!existsSync(compiled)) continue; // not part of the app (testing entries, unused libs)
  const packageDir = path.join(outDir, 'node_modules', alias);
  mkdirSync(packageDir, { recursive: true });
  const relative = path.relative(packageDir, compiled).split(path.sep).join('/');
  writeFileSync(path.join(packageDir, 'index.js'), `module.exports = require('${relative}');\n`);
  linked += 1;
}
writeFileSync(path.join(outDir, 'main.js'), `require('./apps/${app}/src/main.js');\n`);
console.log(`linked ${linked} workspace libs into ${path.relative(workspaceRoot, outDir)}/node_modules`);
