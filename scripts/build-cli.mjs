// Bundles the `ballast` command line into apps/cli/dist/, a folder that runs when copied elsewhere.
//
// Everything is bundled into ballast.cjs except better-sqlite3: it is a native addon, found at run
// time by `bindings` walking up from its own JS file, so it cannot live inside a bundle. Beside the
// bundle we copy the parts of it that run (its JS, the compiled better_sqlite3.node and its runtime
// dependencies) into dist/node_modules. The addon is built for this platform, CPU and Node major
// (its ABI), so the folder runs on the same kind of machine; elsewhere `npm install` in the folder
// fetches or builds a matching one (dist/package.json names the version).
import { build } from 'esbuild';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'apps/cli');
// `--outdir DIR` builds elsewhere (the bundle test does, to leave apps/cli/dist alone).
const outdirAt = process.argv.indexOf('--outdir');
const DIST = outdirAt > 0 ? resolve(process.argv[outdirAt + 1]) : join(CLI, 'dist');
const ADDON = 'better-sqlite3';
// Needed only to install the addon (it downloads a prebuilt binary), never when it runs.
const INSTALL_TIME_ONLY = new Set(['prebuild-install']);
// What of better-sqlite3 runs: its sources (src/, deps/ ~10 MB) are for building, not running.
const ADDON_FILES = ['package.json', 'LICENSE', 'lib', 'build/Release/better_sqlite3.node'];

// A stale node_modules from an older build must not survive; a folder named by --outdir that holds
// anything else is never emptied.
if (existsSync(DIST) && !existsSync(join(DIST, 'ballast.cjs')) && readdirSync(DIST).length > 0) {
  throw new Error(`${DIST} is not empty and holds no ballast.cjs: choose an empty or new folder`);
}
rmSync(DIST, { recursive: true, force: true });

await build({
  entryPoints: [join(CLI, 'src/main.ts')],
  outfile: join(DIST, 'ballast.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: [ADDON],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'info',
});
chmodSync(join(DIST, 'ballast.cjs'), 0o755);

/** The folder of `name` as resolved from `fromDir` (pnpm keeps each package's own dependencies beside it). */
const packageDir = (name, fromDir) =>
  dirname(createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`));

const copied = new Map();
/** Copies a package (only `files` of it when given) and, recursively, its runtime dependencies. */
const copyPackage = (name, fromDir, files) => {
  const source = packageDir(name, fromDir);
  const { version, dependencies = {} } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  if (copied.has(name)) {
    if (copied.get(name) !== version)
      throw new Error(`two versions of ${name} needed (${copied.get(name)}, ${version})`);
    return version;
  }
  copied.set(name, version);
  const target = join(DIST, 'node_modules', name);
  for (const file of files ?? ['.']) {
    if (!existsSync(join(source, file)))
      throw new Error(`${name}: ${file} is missing (was the addon built? run pnpm install)`);
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(source, file), join(target, file), {
      recursive: true,
      filter: (path) => !path.includes(`${source}/node_modules`),
    });
  }
  for (const dependency of Object.keys(dependencies)) {
    if (!INSTALL_TIME_ONLY.has(dependency)) copyPackage(dependency, source, undefined);
  }
  return version;
};

// The operator's dashboard that `ballast serve` serves: its files beside the bundle, with uPlot's two in vendor/.
const SERVER = join(ROOT, 'apps/server');
cpSync(join(SERVER, 'dashboard'), join(DIST, 'dashboard'), {
  recursive: true,
  filter: (path) => !path.endsWith('tsconfig.json'),
});
const UPLOT = join(packageDir('uplot', SERVER), 'dist');
mkdirSync(join(DIST, 'dashboard', 'vendor'), { recursive: true });
cpSync(join(UPLOT, 'uPlot.iife.min.js'), join(DIST, 'dashboard', 'vendor', 'uplot.min.js'));
cpSync(join(UPLOT, 'uPlot.min.css'), join(DIST, 'dashboard', 'vendor', 'uplot.min.css'));

const PLATFORM = `${process.platform}-${process.arch}, Node ${process.versions.node.split('.')[0]} (ABI ${process.versions.modules})`;
const addonVersion = copyPackage(ADDON, CLI, ADDON_FILES);
writeFileSync(
  join(DIST, 'package.json'),
  `${JSON.stringify(
    {
      name: 'ballast-cli',
      version: JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')).version,
      private: true,
      description: `ballast.cjs with ${ADDON} built for ${PLATFORM}`,
      bin: { ballast: 'ballast.cjs' },
      // The addon loads only here: npm refuses the folder elsewhere instead of failing at the first command.
      os: [process.platform],
      cpu: [process.arch],
      engines: { node: `${process.versions.node.split('.')[0]}.x` },
      dependencies: { [ADDON]: addonVersion },
    },
    null,
    2,
  )}\n`,
);
console.log(
  `  ${join(DIST, 'node_modules')}  ${[...copied].map(([name, version]) => `${name}@${version}`).join(', ')}` +
    ` (${PLATFORM})`,
);
