// Builds the published packages (@ballast/domain, @ballast/event-store, @ballast/engine) into their
// dist/ folders with tsup (tsup.packages.ts): ESM and CommonJS JavaScript plus type declarations.
// The workspace never needs this: Jest, tsx and tsc read the TypeScript sources. It is for packing
// (`pnpm pack`, scripts/pack-check.mjs) and for anyone who wants the JavaScript.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PUBLISHED = ['domain', 'event-store', 'engine'];
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
    if (!quiet) console.log(`@ballast/${name} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
};

// `node scripts/build-packages.mjs [domain|event-store|engine ...]`: all three when none is named.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2);
  buildPackages(names.length > 0 ? { names } : {});
}
