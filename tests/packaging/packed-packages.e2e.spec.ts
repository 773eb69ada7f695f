/**
 * The published packages as a user gets them (scripts/pack-check.mjs): @ballast/domain,
 * @ballast/event-store, @ballast/engine and @ballast/client built with tsup, packed with `pnpm pack`,
 * installed from the tarballs into an empty project in a temporary folder outside the repository,
 * and used there by plain `node` as ESM and as CommonJS (the client against a node:http stand-in for
 * the server; its installed dependencies must hold no engine and no better-sqlite3) and by
 * `tsc --noEmit` (NodeNext and Bundler, strict).
 * The install reuses pnpm's store (the workspace's install fills it); with a cold store it compiles
 * better-sqlite3, so the budget is minutes.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const BUDGET_MS = 300_000;

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const packCheck = (): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts/pack-check.mjs')],
      { cwd: ROOT, encoding: 'utf8', timeout: BUDGET_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('the packed packages, installed outside the workspace', () => {
  it(
    'build, pack, install, run under node as ESM and CommonJS, and type-check under NodeNext and Bundler',
    async () => {
      const { code, stdout, stderr } = await packCheck();
      const lines = stdout.trim().split('\n');
      let summary: { ok?: boolean; step?: string } = {};
      try {
        summary = JSON.parse(lines[lines.length - 1] ?? '') as typeof summary;
      } catch {
        // no summary: the script died before it; the output below says why
      }
      if (code !== 0 || summary.ok !== true) {
        throw new Error(
          `scripts/pack-check.mjs failed (exit ${String(code)}, step ${summary.step ?? '?'}):\n${stderr}\n${stdout}`,
        );
      }
      expect(summary.ok).toBe(true);
    },
    BUDGET_MS + 30_000,
  );
});
