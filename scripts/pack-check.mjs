// Checks the published packages the way a user gets them: builds @ballast/domain,
// @ballast/event-store, @ballast/engine and @ballast/client (scripts/build-packages.mjs), packs each
// with `pnpm pack`, installs the four tarballs into an empty project in a fresh temporary folder
// outside the repository, and there
//   1. runs tests/packaging/consumer/example.mjs under plain `node` (ESM, `import`),
//   2. runs tests/packaging/consumer/example.cjs under plain `node` (CommonJS, `require`),
//   3. checks that @ballast/client's installed dependencies (all the way down) hold no engine, no
//      event store and no better-sqlite3: the client needs @ballast/domain, rxjs and
//      eventsource-parser only,
//   4. runs client-example.mjs and client-example.cjs under plain `node`, each against
//      fake-server.cjs, a node:http stand-in for `ballast serve` on a local port (a command, a
//      refusal, one event of a live stream),
//   5. `tsc --noEmit` over tests/packaging/consumer/typed-consumer.ts.txt, as consumer.mts and
//      consumer.cts with module/moduleResolution NodeNext and as consumer.ts with Bundler, strict.
// Both engine examples open a real SQLite file, execute treasury commands under a fixed clock and
// print one JSON line; the two must agree, digest included. The client examples print one JSON line
// each, the same but for `format`. Exit 0 when everything holds; otherwise exit 1 with the step that
// failed and its output. The last stdout line is a JSON summary with timings.
//
//   node scripts/pack-check.mjs [--no-build] [--keep]
//
// --no-build packs the dist/ folders as they are; --keep leaves the temporary folder in place (it is
// always kept, and named, when a step fails). The install uses pnpm's default store, so the
// workspace's own install has usually fetched every package and built better-sqlite3 already
// (pnpm's side-effects cache); with a cold store it compiles better-sqlite3 (1.5-3 minutes here).
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildPackages, PUBLISHED, ROOT } from './build-packages.mjs';

const args = new Set(process.argv.slice(2));
const FIXTURES = join(ROOT, 'tests/packaging/consumer');
const EXPECTED = {
  deposited: true,
  replayed: true,
  bet: 'NEGATIVE_EDGE',
  status: 'ACTIVE',
  buckets: 'reserve 400, trading 350, casino 150, referral 100',
  auditOk: true,
};
/** What client-example.mjs and .cjs must print (besides `format`). */
const EXPECTED_CLIENT = {
  executed: '201 Deposited at 1',
  replayed: false,
  refused: '404 NOT_FOUND',
  followed: '1 treasury-a Deposited',
  sent: 'Bearer bk_example dep-1 application/json {"type":"Deposit","amount":"1"}',
  streamRefusedIsError: true,
};
/** Never in @ballast/client's dependencies, direct or not: it talks HTTP and needs no store. */
const NOT_FOR_THE_CLIENT = ['@ballast/engine', '@ballast/event-store', 'better-sqlite3', '@eventstore/db-client'];

const timings = {};
const work = mkdtempSync(join(tmpdir(), 'ballast-pack-check-'));
let step = 'start';

/** The environment for child pnpm/node/tsc: without the npm_* settings of a pnpm that runs us (`pnpm test`). */
const childEnv = () => {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) {
    if (/^(npm|pnpm)_/i.test(key) && !/^npm_config_(registry|store_dir|cache)$/i.test(key)) delete env[key];
  }
  return env;
};

const run = (command, commandArgs, cwd, { timeoutMs = 240_000 } = {}) => {
  const result = spawnSync(command, commandArgs, {
    cwd,
    env: childEnv(),
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    const why = result.error
      ? result.error.message
      : `exit ${result.status}${result.signal ? ` (${result.signal})` : ''}`;
    throw new Error(
      `${step}: \`${[command, ...commandArgs].join(' ')}\` in ${cwd} failed: ${why}\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
};

const timed = (name, action) => {
  step = name;
  const started = Date.now();
  const value = action();
  timings[name] = Number(((Date.now() - started) / 1000).toFixed(1));
  console.log(`pack-check: ${name} ${timings[name]} s`);
  return value;
};

/** pnpm as the workspace pins it: the one running us when there is one, else through npx. */
const PNPM = (() => {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return [process.execPath, execPath];
  const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return ['npx', '--yes', packageManager];
})();
const pnpm = (pnpmArgs, cwd, options) => run(PNPM[0], [...PNPM.slice(1), ...pnpmArgs], cwd, options);

/** The version of `name` the workspace installed for the package in `fromDir`. */
const versionIn = (name, fromDir = ROOT) =>
  JSON.parse(readFileSync(createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`), 'utf8'))
    .version;

/** The packed package.json and file list must be what a registry user would get. */
const checkTarball = (name, tarball) => {
  const listing = run('tar', ['-tzf', tarball], work).split('\n').filter(Boolean).sort();
  for (const file of [
    'package/package.json',
    'package/README.md',
    'package/dist/index.mjs',
    'package/dist/index.cjs',
    'package/dist/index.d.mts',
    'package/dist/index.d.ts',
  ]) {
    if (!listing.includes(file)) throw new Error(`${tarball} lacks ${file}; it holds ${listing.join(', ')}`);
  }
  const stray = listing.filter((file) => !/^package\/(package\.json|README\.md|dist\/.+)$/.test(file));
  if (stray.length > 0) throw new Error(`${tarball} holds files outside dist/ and README.md: ${stray.join(', ')}`);
  const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work));
  const problems = [];
  if (manifest.name !== `@ballast/${name}`) problems.push(`name ${manifest.name}`);
  if (manifest.private) problems.push('"private": true');
  if (!/^\d+\.\d+\.\d+/.test(manifest.version ?? '')) problems.push(`version ${manifest.version}`);
  if (manifest.main !== './dist/index.cjs' || manifest.types !== './dist/index.d.ts')
    problems.push(`main ${manifest.main}, types ${manifest.types}`);
  if (!manifest.exports?.['.']?.import || !manifest.exports?.['.']?.require) problems.push('no import/require exports');
  if (/workspace:/.test(JSON.stringify(manifest.dependencies ?? {})))
    problems.push(`dependencies ${JSON.stringify(manifest.dependencies)}`);
  if (name === 'client') {
    const declared = Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
      ...manifest.peerDependencies,
    });
    const heavy = declared.filter((dependency) => NOT_FOR_THE_CLIENT.includes(dependency));
    if (heavy.length > 0) problems.push(`the client depends on ${heavy.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`${tarball}: packed package.json is wrong: ${problems.join('; ')}`);
  return manifest;
};

/** The folder of package `name` as Node finds it from `fromDir` (node_modules up the tree), real path. */
const packageDir = (fromDir, name) => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} is not installed where ${fromDir} can find it`);
  }
};

/** Every package installing `name` in `project` brings (dependencies and optional ones, all the way down). */
const dependencyClosure = (project, name) => {
  const found = new Map();
  const visit = (fromDir, dependency) => {
    const dir = packageDir(fromDir, dependency);
    if (found.has(dependency)) return;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    found.set(dependency, manifest.version);
    for (const next of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      try {
        visit(dir, next);
      } catch (error) {
        // An optional dependency for another platform is not installed; a missing required one is an error.
        if (!(next in (manifest.optionalDependencies ?? {}))) throw error;
      }
    }
  };
  visit(project, name);
  return found;
};

/** The client examples' JSON line: what EXPECTED_CLIENT says, and the format. */
const parseClientResult = (output, format) => {
  const line = output.trim().split('\n').pop() ?? '';
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    throw new Error(`${format} client example printed no JSON result:\n${output}`);
  }
  const wrong = Object.entries({ ...EXPECTED_CLIENT, format }).filter(([key, value]) => result[key] !== value);
  if (wrong.length > 0) {
    const mismatches = wrong
      .map(([key, value]) => `${key} ${JSON.stringify(result[key])}, expected ${JSON.stringify(value)}`)
      .join('; ');
    throw new Error(`${format} client example: ${mismatches}\n${output}`);
  }
  return result;
};

const parseResult = (output, format) => {
  const line = output.trim().split('\n').pop() ?? '';
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    throw new Error(`${format} example printed no JSON result:\n${output}`);
  }
  const wrong = Object.entries({ ...EXPECTED, format }).filter(([key, value]) => result[key] !== value);
  if (wrong.length > 0 || !/^[0-9a-f]{64}$/.test(result.totalDigest ?? '')) {
    const mismatches = wrong
      .map(([key, value]) => `${key} ${JSON.stringify(result[key])}, expected ${JSON.stringify(value)}`)
      .join('; ');
    throw new Error(`${format} example: ${mismatches || `totalDigest ${result.totalDigest}`}\n${output}`);
  }
  return result;
};

try {
  if (!args.has('--no-build')) timed('build', () => buildPackages({ quiet: true }));

  const packs = join(work, 'packs');
  mkdirSync(packs);
  const tarballs = timed('pack', () =>
    Object.fromEntries(
      PUBLISHED.map((name) => {
        const before = new Set(readdirSync(packs));
        pnpm(['pack', '--pack-destination', packs], join(ROOT, 'packages', name));
        const made = readdirSync(packs).filter((file) => !before.has(file) && file.endsWith('.tgz'));
        if (made.length !== 1) throw new Error(`pnpm pack for @ballast/${name} made ${made.join(', ') || 'nothing'}`);
        const tarball = join(packs, made[0]);
        checkTarball(name, tarball);
        return [`@ballast/${name}`, `file:${tarball}`];
      }),
    ),
  );

  // An empty project, as a user would start one: the four tarballs, fp-ts for the examples' own
  // Either checks, and TypeScript with Node's types for the type check. The overrides make the
  // engine's and the store's dependencies on @ballast/* take the tarballs, not a registry.
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'ballast-pack-check-consumer',
        version: '0.0.0',
        private: true,
        dependencies: { ...tarballs, 'fp-ts': versionIn('fp-ts', join(ROOT, 'packages/domain')) },
        devDependencies: { typescript: versionIn('typescript'), '@types/node': versionIn('@types/node') },
        pnpm: { overrides: tarballs, onlyBuiltDependencies: ['better-sqlite3'] },
      },
      null,
      2,
    )}\n`,
  );
  timed('install', () =>
    pnpm(['install', '--no-frozen-lockfile', '--reporter', 'append-only'], project, { timeoutMs: 270_000 }),
  );

  copyFileSync(join(FIXTURES, 'example.mjs'), join(project, 'example.mjs'));
  copyFileSync(join(FIXTURES, 'example.cjs'), join(project, 'example.cjs'));
  const esm = timed('run ESM example', () => parseResult(run(process.execPath, ['example.mjs'], project), 'esm'));
  const cjs = timed('run CJS example', () => parseResult(run(process.execPath, ['example.cjs'], project), 'cjs'));
  if (esm.totalDigest !== cjs.totalDigest) {
    throw new Error(`the ESM and CommonJS builds wrote different histories: ${esm.totalDigest} vs ${cjs.totalDigest}`);
  }

  const clientDependencies = timed('client dependencies', () => {
    const closure = dependencyClosure(project, '@ballast/client');
    const heavy = NOT_FOR_THE_CLIENT.filter((dependency) => closure.has(dependency));
    if (heavy.length > 0) {
      throw new Error(
        `installing @ballast/client brings ${heavy.join(', ')}: ${[...closure.keys()].sort().join(', ')}`,
      );
    }
    return [...closure.keys()].filter((dependency) => dependency !== '@ballast/client').sort();
  });
  for (const file of ['fake-server.cjs', 'client-example.mjs', 'client-example.cjs']) {
    copyFileSync(join(FIXTURES, file), join(project, file));
  }
  timed('run ESM client example', () =>
    parseClientResult(run(process.execPath, ['client-example.mjs'], project, { timeoutMs: 60_000 }), 'esm'),
  );
  timed('run CJS client example', () =>
    parseClientResult(run(process.execPath, ['client-example.cjs'], project, { timeoutMs: 60_000 }), 'cjs'),
  );

  const typed = readFileSync(join(FIXTURES, 'typed-consumer.ts.txt'), 'utf8');
  for (const file of ['consumer.mts', 'consumer.cts', 'consumer.ts']) writeFileSync(join(project, file), typed);
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2022',
    lib: ['ES2022'],
    types: ['node'],
  };
  writeFileSync(
    join(project, 'tsconfig.nodenext.json'),
    JSON.stringify({
      compilerOptions: { ...strict, module: 'NodeNext', moduleResolution: 'NodeNext' },
      files: ['consumer.mts', 'consumer.cts'],
    }),
  );
  writeFileSync(
    join(project, 'tsconfig.bundler.json'),
    JSON.stringify({
      compilerOptions: { ...strict, module: 'ESNext', moduleResolution: 'Bundler' },
      files: ['consumer.ts'],
    }),
  );
  const tsc = join(project, 'node_modules/typescript/bin/tsc');
  timed('tsc NodeNext', () => run(process.execPath, [tsc, '-p', 'tsconfig.nodenext.json'], project));
  timed('tsc Bundler', () => run(process.execPath, [tsc, '-p', 'tsconfig.bundler.json'], project));

  if (!args.has('--keep')) rmSync(work, { recursive: true, force: true });
  else console.log(`pack-check: kept ${work}`);
  console.log(JSON.stringify({ ok: true, timings, digest: esm.totalDigest, clientDependencies }));
} catch (error) {
  console.error(
    `pack-check FAILED at "${step}" (files kept in ${work}):\n${error instanceof Error ? error.message : String(error)}`,
  );
  console.log(JSON.stringify({ ok: false, step, timings, work }));
  process.exitCode = 1;
}
