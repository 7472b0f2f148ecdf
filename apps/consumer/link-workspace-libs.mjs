// After `tsc -p apps/consumer/tsconfig.app.json`, the libs are compiled beside the app under
// dist/apps/consumer/libs/, but the `@airtime/*` imports are tsconfig path aliases that plain node
// cannot resolve. This writes one tiny package per alias under dist/apps/consumer/node_modules/ that
// re-exports the compiled entry, and `dist/apps/consumer/main.js` that starts the app: `node dist/apps/consumer/main.js`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(workspaceRoot, 'dist/apps/consumer');
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
writeFileSync(path.join(outDir, 'main.js'), "require('./apps/consumer/src/main.js');\n");
console.log(`linked ${linked} workspace libs into ${path.relative(workspaceRoot, outDir)}/node_modules`);
