// The one tsup setup for the published packages (@ballast/domain, @ballast/event-store,
// @ballast/engine, @ballast/client): each package's tsup.config.ts is `export default
// packageConfig()`, and `pnpm build:packages` (scripts/build-packages.mjs) runs tsup in each package
// folder, so the package's own package.json decides what stays external: every dependency
// (decimal.js, fp-ts, io-ts, rxjs, eventsource-parser, better-sqlite3, @eventstore/db-client and the
// other @ballast packages) is imported at run time, never bundled; a type-only import (the client's
// of @ballast/domain) is not imported at all.
//
// Output in the package's dist/: index.mjs + index.d.mts (ESM) and index.cjs + index.d.ts
// (CommonJS: the packages have no "type": "module", so TypeScript reads a .d.ts there as CommonJS,
// matching index.cjs). The workspace itself never reads dist/: package.json points `main`/`types`
// at src/index.ts for Jest, tsx and tsc, and `publishConfig` swaps in dist/ and the `exports` map
// when pnpm packs.
//
// Declarations are emitted by the TypeScript compiler file by file first (emitDeclarations below),
// and tsup only bundles those .d.ts files. tsup's own declaration build compiles with
// noEmitOnError, so one internal helper whose inferred type cannot be named in a declaration (today
// `prepareWrites` in event-store's sqlite-statements.ts, which infers better-sqlite3's unexported
// `BetterSqlite3.Statement`) fails the whole package even though nothing public refers to it. Here
// such a file is reported and skipped, and scripts/build-packages.mjs checks the bundle afterwards: a
// bundled declaration that still imports a relative path (a skipped file it needed) fails the build.
import { mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import type { Options } from 'tsup';

// tsup runs in packages/<name>; the repository root is two folders up.
const ROOT = resolve(process.cwd(), '../..');
const TSCONFIG = join(ROOT, 'tsconfig.build.json');

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => '\n',
};

/** Emits the declarations of the package in `packageDir` into `outDir`; returns the index.d.ts. */
const emitDeclarations = (packageDir: string, outDir: string): string => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    TSCONFIG,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.formatDiagnostics([diagnostic], formatHost));
      },
    },
  );
  if (!parsed) throw new Error(`cannot read ${TSCONFIG}`);
  const sourceDir = join(packageDir, 'src');
  const program = ts.createProgram([join(sourceDir, 'index.ts')], {
    ...parsed.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    declarationMap: false,
    // The other @ballast packages resolve to their sources (the workspace way); only this
    // package's files are emitted, so the common root is packages/ and the entry lands at
    // <outDir>/<package>/src/index.d.ts.
    rootDir: join(ROOT, 'packages'),
    outDir,
  });
  const own = program.getSourceFiles().filter((file) => resolve(file.fileName).startsWith(`${sourceDir}/`));
  const errors = [...program.getOptionsDiagnostics(), ...own.flatMap((file) => program.getSemanticDiagnostics(file))];
  if (errors.length > 0)
    throw new Error(`type errors in ${relative(ROOT, packageDir)}:\n${ts.formatDiagnostics(errors, formatHost)}`);
  for (const file of own) {
    const { diagnostics } = program.emit(file, undefined, undefined, true);
    if (diagnostics.length > 0) {
      console.warn(
        `DTS no declaration for ${relative(ROOT, file.fileName)} (skipped; the bundle check below fails if a public type needs it):\n` +
          ts.formatDiagnostics(diagnostics, formatHost),
      );
    }
  }
  return join(outDir, relative(join(ROOT, 'packages'), sourceDir), 'index.d.ts');
};

/**
 * fp-ts 2 has no `exports` map: `fp-ts/Either` is a folder with a package.json, which require()
 * follows and Node's ESM loader refuses (ERR_UNSUPPORTED_DIR_IMPORT). Both builds import the file
 * itself, `fp-ts/lib/Either.js` (CommonJS, whose named exports Node's ESM loader detects), so ESM
 * and CommonJS users share one fp-ts instance too.
 */
const fpTsFiles: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'fp-ts-files',
  setup(build) {
    build.onResolve({ filter: /^fp-ts\/[A-Za-z]+$/ }, ({ path }) => ({
      path: `fp-ts/lib/${path.slice('fp-ts/'.length)}.js`,
      external: true,
    }));
  },
};

export const packageConfig = () => (): Options => {
  const packageDir = process.cwd();
  const distDir = join(packageDir, 'dist');
  // Not under node_modules: the declaration bundler treats anything there as an external library.
  const typesDir = join(packageDir, '.dts');
  rmSync(distDir, { recursive: true, force: true });
  rmSync(typesDir, { recursive: true, force: true });
  mkdirSync(typesDir, { recursive: true });
  const declarations = emitDeclarations(packageDir, typesDir);
  return {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    outDir: 'dist',
    outExtension: ({ format }) => (format === 'esm' ? { js: '.mjs' } : { js: '.cjs' }),
    dts: { entry: { index: relative(packageDir, declarations) } },
    tsconfig: TSCONFIG,
    platform: 'node',
    target: 'node20',
    splitting: false,
    sourcemap: false,
    clean: false, // dist/ was emptied above
    shims: false,
    removeNodeProtocol: false, // keep `node:crypto` as written
    // tsup's own plugin marks dependencies external before any of ours runs; leave fp-ts's
    // folders to fpTsFiles, which marks them external under their file names.
    noExternal: [/^fp-ts\/[A-Za-z]+$/],
    esbuildPlugins: [fpTsFiles],
  };
};
