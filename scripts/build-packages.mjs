// Builds the published packages (@ballast/domain, @ballast/event-store, @ballast/engine and
// @ballast/client) into their dist/ folders with tsup (tsup.packages.ts): ESM and CommonJS JavaScript plus type declarations.
// The workspace never needs this: Jest, tsx and tsc read the TypeScript sources. It is for packing
// (`pnpm pack`, scripts/pack-check.mjs) and for anyone who wants the JavaScript.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLISHED = ['domain', 'event-store', 'engine', 'client'];
const TSUP = join(ROOT, 'node_modules/.bin/tsup');
const OUTPUTS = ['index.mjs', 'index.cjs', 'index.d.mts', 'index.d.ts'];

/**
 * Makes the bundled declarations resolve the same under moduleResolution NodeNext (ESM and CommonJS)
 * and Bundler:
 * - fp-ts 2 has no `exports` map, so under NodeNext an ESM file must name its files with the
 *   extension: `fp-ts/Either` and `fp-ts/lib/Either` become `fp-ts/lib/Either.js`, the file the
 *   JavaScript imports too (tsup.packages.ts).
 * - decimal.js ships one CommonJS-format declaration file for both conditions, so in an ESM file its
 *   default import is the whole module (TS2709 "Cannot use namespace as a type"); its named export
 *   `Decimal` is the same class in both.
 */
const fixDeclarations = (name) => {
  for (const output of ['index.d.ts', 'index.d.mts']) {
    const file = join(ROOT, 'packages', name, 'dist', output);
    const text = readFileSync(file, 'utf8')
      .replace(/(from\s+|import\(\s*)'fp-ts\/(?:lib\/)?([A-Za-z]+)'/g, "$1'fp-ts/lib/$2.js'")
      .replace(/^import (\w+) from 'decimal\.js';$/gm, "import { Decimal as $1 } from 'decimal.js';");
    writeFileSync(file, text);
  }
};

/** Fails when a bundled declaration imports a relative path (a file the bundle lacks) or another package's file. */
const checkOutputs = (name) => {
  const dist = join(ROOT, 'packages', name, 'dist');
  for (const output of OUTPUTS) {
    if (!existsSync(join(dist, output))) throw new Error(`@ballast/${name}: dist/${output} was not built`);
  }
  for (const output of ['index.d.ts', 'index.d.mts']) {
    const text = readFileSync(join(dist, output), 'utf8');
    const relativeImports = [...text.matchAll(/\bfrom\s+['"](\.[^'"]*)['"]|import\(\s*['"](\.[^'"]*)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2],
    );
    if (relativeImports.length > 0) {
      throw new Error(
        `@ballast/${name}: dist/${output} imports ${relativeImports.join(', ')}; a declaration it needs was not emitted`,
      );
    }
    // A type another package does not export is named by its file (`@ballast/domain/src/...`),
    // which the packed package does not have: export it from that package's index instead.
    const deepImports = [...text.matchAll(/['"](@ballast\/[^'"/]+\/[^'"]+)['"]/g)].map((m) => m[1]);
    if (deepImports.length > 0) {
      throw new Error(
        `@ballast/${name}: dist/${output} imports ${[...new Set(deepImports)].join(', ')}; export what it needs from that package's index`,
      );
    }
  }
};

/** The package a bare specifier names: `fp-ts/lib/Either.js` is fp-ts, `@scope/name/x` is @scope/name. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** The packages (and node: built-ins) the built JavaScript of `name` imports at run time, ESM and CommonJS. */
export const runtimeImports = (name) => {
  const found = new Set();
  for (const output of ['index.mjs', 'index.cjs']) {
    const text = readFileSync(join(ROOT, 'packages', name, 'dist', output), 'utf8');
    for (const m of text.matchAll(
      /\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/gm,
    )) {
      const specifier = m[1] ?? m[2] ?? m[3];
      if (!specifier.startsWith('.')) found.add(specifier.startsWith('node:') ? specifier : packageOf(specifier));
    }
  }
  return [...found].sort();
};

/**
 * Fails when the JavaScript imports at run time a package its package.json does not list under
 * `dependencies` (node: built-ins aside). So @ballast/client, whose imports of @ballast/domain are
 * types only, is caught if it ever loads the engine (and with it the native better-sqlite3).
 */
const checkRuntimeImports = (name) => {
  const { dependencies = {} } = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'));
  const undeclared = runtimeImports(name).filter(
    (dependency) => !dependency.startsWith('node:') && !(dependency in dependencies),
  );
  if (undeclared.length > 0) {
    throw new Error(`@ballast/${name}: dist/ imports ${undeclared.join(', ')} at run time, not among its dependencies`);
  }
};

/** Builds each published package; throws naming the package whose build failed. */
export const buildPackages = ({ quiet = false, names = PUBLISHED } = {}) => {
  if (!existsSync(TSUP)) throw new Error(`${TSUP} is missing: run pnpm install`);
  for (const name of names) {
    if (!PUBLISHED.includes(name)) throw new Error(`@ballast/${name} is not published (${PUBLISHED.join(', ')})`);
    const started = Date.now();
    const result = spawnSync(TSUP, [], {
      cwd: join(ROOT, 'packages', name),
      encoding: 'utf8',
      stdio: quiet ? 'pipe' : 'inherit',
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (result.status !== 0) {
      throw new Error(
        `tsup failed for @ballast/${name} (exit ${result.status})\n${result.stdout ?? ''}${result.stderr ?? ''}`,
      );
    }
    fixDeclarations(name);
    checkOutputs(name);
    checkRuntimeImports(name);
    if (!quiet) console.log(`@ballast/${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
};

// `node scripts/build-packages.mjs [domain|event-store|engine|client ...]`: all four when none is named.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  buildPackages(names.length > 0 ? { names } : {});
}
