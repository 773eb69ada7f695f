// Bundles the `ballast` command line into one file (better-sqlite3 stays external: it is native).
import { build } from 'esbuild';

await build({
  entryPoints: ['apps/cli/src/main.ts'],
  outfile: 'apps/cli/dist/ballast.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3'],
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'info',
});
