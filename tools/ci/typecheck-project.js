// `tsc --noEmit` for one project's tsconfig files, reporting what tsc
// reports (config, syntax, options, global, semantic and, with
// `declaration`, declaration diagnostics) for the files each config
// includes or imports from its own folder, not for the other projects'
// sources the path aliases (or relative imports) pull in.
// Those are checked by their own project's typecheck under the same
// compiler options; checking them again in every project that imports them
// was most of the typecheck's time. The configs of one run share parsed
// source files. Usage: node tools/ci/typecheck-project.js <tsconfig>...
// (paths relative to the working directory); exit 1 on any error.
const path = require('node:path');
const ts = require('typescript');

const formatHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => process.cwd(),
  getNewLine: () => ts.sys.newLine,
};

/** Parsed source files by path, language version and the options that shape parsing and binding, shared by the programs of this run. */
const sourceFiles = new Map();

/**
 * The compiler options a parsed and bound source file depends on: TypeScript's
 * own list (what its builder compares before it reuses a file). Configs that
 * differ in any of them share no file; without the list, none share.
 */
const BINDING_OPTIONS = ts.sourceFileAffectingCompilerOptions ?? [];

const hostFor = (options) => {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const binding = JSON.stringify(
    // each option's effective value (strict turns alwaysStrict on), as TypeScript compares them
    BINDING_OPTIONS.length === 0
      ? options
      : BINDING_OPTIONS.map((option) => ts.getCompilerOptionValue(options, option) ?? null),
  );
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const version =
      typeof languageVersionOrOptions === 'object'
        ? JSON.stringify(languageVersionOrOptions)
        : String(languageVersionOrOptions);
    const key = `${binding}\u0000${version}\u0000${fileName}`;
    if (!shouldCreate && sourceFiles.has(key)) return sourceFiles.get(key);
    const file = getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate);
    if (file !== undefined) sourceFiles.set(key, file);
    return file;
  };
  return host;
};

/** The diagnostics `tsc -p <configPath> --noEmit` gives, for the config's own files only. */
const check = (configPath) => {
  const configDiagnostics = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.resolve(configPath),
    { noEmit: true },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic) => configDiagnostics.push(diagnostic) },
  );
  if (parsed === undefined) return configDiagnostics;
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
    host: hostFor(parsed.options),
  });
  // the config's files, and the files of its folder it imports (the .js files `allowJs` pulls in)
  const folder = path.dirname(path.resolve(configPath)) + path.sep;
  const included = new Set(parsed.fileNames.map((fileName) => path.resolve(fileName)));
  const own = program.getSourceFiles().filter((file) => {
    const fileName = path.resolve(file.fileName);
    return (
      included.has(fileName) ||
      (fileName.startsWith(folder) && !fileName.includes(`${path.sep}node_modules${path.sep}`))
    );
  });
  const each = (diagnosticsOf) => own.flatMap((file) => diagnosticsOf(file));
  // the order and the early stops of tsc's emitFilesAndReportErrors
  const diagnostics = [...program.getConfigFileParsingDiagnostics()];
  const before = diagnostics.length;
  diagnostics.push(...each((file) => program.getSyntacticDiagnostics(file)));
  if (diagnostics.length !== before) return diagnostics;
  diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
  if (diagnostics.length === before) diagnostics.push(...each((file) => program.getSemanticDiagnostics(file)));
  if (ts.getEmitDeclarations(parsed.options) && diagnostics.length === before) {
    diagnostics.push(...each((file) => program.getDeclarationDiagnostics(file)));
  }
  return diagnostics;
};

const configs = process.argv.slice(2);
if (configs.length === 0) {
  process.stderr.write('usage: node tools/ci/typecheck-project.js <tsconfig>...\n');
  process.exit(2);
}
let errors = 0;
for (const config of configs) {
  const diagnostics = check(config);
  errors += diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error).length;
  if (diagnostics.length > 0) {
    const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    process.stdout.write(`${config}:\n${format(diagnostics, formatHost)}\n`);
  }
}
if (errors > 0) {
  process.stdout.write(`${errors} type error(s)\n`);
  process.exit(1);
}
