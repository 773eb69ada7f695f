import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

/** The domain and the simulator must replay exactly: no wall clock, no ambient randomness, no I/O. */
const FORBIDDEN = [
  /\bDate\.now\s*\(/,
  /\bnew Date\(\s*\)/,
  /\bMath\.random\s*\(/,
  /from 'node:(fs|net|http|https|child_process|worker_threads)'/,
  /from '(better-sqlite3|@ballast\/event-store|@ballast\/engine)'/,
  /\bprocess\.(env|argv|hrtime)\b/,
  /\bperformance\.now\s*\(/,
];

describe('purity of packages/domain and packages/sim', () => {
  it.each(['packages/domain/src', 'packages/sim/src'])(
    '%s reads no clock, draws no ambient randomness and does no I/O',
    (dir) => {
      const offences = sources(join(ROOT, dir)).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            line.trimStart().startsWith('*') || line.trimStart().startsWith('//')
              ? []
              : FORBIDDEN.filter((re) => re.test(line)).map(
                  () => `${file.slice(ROOT.length + 1)}:${i + 1}: ${line.trim()}`,
                ),
          ),
      );
      expect(offences).toEqual([]);
    },
  );

  it('covers the agents’ behaviour the simulator and the backtest execute: agent-hour.ts and defi-agent.ts', () => {
    const files = sources(join(ROOT, 'packages/sim/src')).map((f) => f.slice(ROOT.length + 1).replace(/\\/g, '/'));
    expect(files).toEqual(expect.arrayContaining(['packages/sim/src/agent-hour.ts', 'packages/sim/src/defi-agent.ts']));
  });
});
