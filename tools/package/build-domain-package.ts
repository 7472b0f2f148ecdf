// Builds the publishable @airtime/domain package (`nx build airtime-domain`,
// or `tsx tools/package/build-domain-package.ts [out-dir]`): the TypeScript
// compiler run twice over libs/airtime-domain/tsconfig.build.json, into
// cjs/ (CommonJS) and esm/ (ES modules, relative imports given their `.js`
// by a transformer, as Node requires), each with declarations, source maps
// (sources inlined) and a package.json giving its module type; then the
// package.json, README.md, CHANGELOG.md and testing/package.json.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { distRoot, libRoot, type Manifest, packageManifestOf, testingRedirect, workspaceRoot } from './domain-package';

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** `./x` -> `./x.js`, `./dir` -> `./dir/index.js`; bare and already-suffixed specifiers are kept. */
const withJsExtension = (specifier: string, fromFile: string): string => {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return specifier;
  if (/\.(?:js|mjs|cjs|json)$/.test(specifier)) return specifier;
  const target = path.resolve(path.dirname(fromFile), specifier);
  if (existsSync(`${target}.ts`)) return `${specifier}.js`;
  if (existsSync(path.join(target, 'index.ts'))) return `${specifier}/index.js`;
  throw new Error(`cannot resolve ${specifier} from ${fromFile}`);
};

/** A transformer that rewrites the relative specifiers of imports, exports and `import("…")` types. */
const esmSpecifiers =
  (context: ts.TransformationContext) =>
  <T extends ts.SourceFile | ts.Bundle>(root: T): T => {
    if (!ts.isSourceFile(root)) return root;
    const { factory } = context;
    const fromFile = root.fileName;
    const rewrite = (literal: ts.StringLiteral): ts.StringLiteral =>
      factory.createStringLiteral(withJsExtension(literal.text, fromFile));
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          rewrite(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (
        ts.isExportDeclaration(node) &&
        node.moduleSpecifier !== undefined &&
        ts.isStringLiteral(node.moduleSpecifier)
      ) {
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          rewrite(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        return factory.updateImportTypeNode(
          node,
          factory.updateLiteralTypeNode(node.argument, rewrite(node.argument.literal)),
          node.attributes,
          node.qualifier,
          node.typeArguments,
          node.isTypeOf,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context) as T;
  };

/**
 * A source map's `sources` made independent of where the package is built:
 * each names its file as if the lib's `src/` sat at the package's root
 * (`../../src/lib/money/money.ts`); the text itself is inlined.
 */
const relocatedMap = (mapFile: string, text: string, packageDir: string): string => {
  const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
  const sources = map.sources.map((source) => {
    const original = path.resolve(path.dirname(mapFile), map.sourceRoot ?? '', source);
    const inLib = path.relative(path.join(libRoot, 'src'), original);
    if (inLib.startsWith('..')) throw new Error(`${mapFile} maps a file outside the lib: ${original}`);
    return path
      .relative(path.dirname(mapFile), path.join(packageDir, 'src', inLib))
      .split(path.sep)
      .join('/');
  });
  return JSON.stringify({ ...map, sourceRoot: '', sources });
};

const describeDiagnostics = (diagnostics: readonly ts.Diagnostic[]): string =>
  ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => workspaceRoot,
    getNewLine: () => '\n',
  });

/** One compilation of the lib's build config into `outDir` as `format`; throws with the diagnostics on any error. */
const compile = (outDir: string, format: 'cjs' | 'esm', host: ts.CompilerHost): void => {
  const configFile = path.join(libRoot, 'tsconfig.build.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    { outDir, ...(format === 'esm' ? { module: ts.ModuleKind.ES2022 } : {}) },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => Error(describeDiagnostics([d])) },
  );
  if (parsed === undefined || parsed.errors.length > 0) {
    throw new Error(`cannot read ${configFile}:\n${describeDiagnostics(parsed?.errors ?? [])}`);
  }
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
  const transformers = format === 'esm' ? { after: [esmSpecifiers], afterDeclarations: [esmSpecifiers] } : {};
  const packageDir = path.dirname(outDir);
  const writeFile: ts.WriteFileCallback = (fileName, text, writeByteOrderMark) =>
    ts.sys.writeFile(
      fileName,
      fileName.endsWith('.map') ? relocatedMap(fileName, text, packageDir) : text,
      writeByteOrderMark,
    );
  const result = program.emit(undefined, writeFile, undefined, false, transformers);
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (result.emitSkipped || diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) {
    throw new Error(`the ${format} build of @airtime/domain failed:\n${describeDiagnostics(diagnostics)}`);
  }
  writeFileSync(
    path.join(outDir, 'package.json'),
    `${JSON.stringify({ type: format === 'esm' ? 'module' : 'commonjs' }, null, 2)}\n`,
  );
};

const writeJson = (file: string, value: unknown): void => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};

/**
 * Builds the package into `outDir` (emptied first; default
 * dist/libs/airtime-domain) and answers its package.json. Throws an Error
 * with the compiler's diagnostics when the lib does not compile.
 */
export const buildDomainPackage = (outDir: string = distRoot): Record<string, unknown> => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const host = ts.createCompilerHost({});
  const parsedFiles = new Map<string, ts.SourceFile | undefined>();
  const getSourceFile = host.getSourceFile.bind(host);
  // both compilations read the same files: parse each once
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    if (!parsedFiles.has(key)) parsedFiles.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
    return parsedFiles.get(key);
  };
  compile(path.join(outDir, 'cjs'), 'cjs', host);
  compile(path.join(outDir, 'esm'), 'esm', host);
  const manifest = packageManifestOf(
    readJson(path.join(libRoot, 'package.json')),
    readJson(path.join(workspaceRoot, 'package.json')),
  );
  writeJson(path.join(outDir, 'package.json'), manifest);
  writeJson(path.join(outDir, 'testing', 'package.json'), testingRedirect);
  for (const file of ['README.md', 'CHANGELOG.md']) cpSync(path.join(libRoot, file), path.join(outDir, file));
  return manifest;
};

if (require.main === module) {
  const started = Date.now();
  const outDir = path.resolve(process.argv[2] ?? distRoot);
  try {
    const manifest = buildDomainPackage(outDir);
    console.log(
      `built ${String(manifest['name'])}@${String(manifest['version'])} into ${path.relative(process.cwd(), outDir) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
