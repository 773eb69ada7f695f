import { mkdirSync, writeFileSync } from 'node:fs';
import { median, rateOf } from './measure';
import { commandCostByStreamLength } from './engine-scenarios';
import { readScenarios, scenarios } from './scenarios';

// Ballast and the peer run alternately, REPEATS times each, so both see the same noise on a shared
// machine; quote the median ratio, not either absolute rate.
const REPEATS = Number(process.env.BALLAST_BENCH_REPEATS ?? 5);
const SCALE = Number(process.env.BALLAST_BENCH_SCALE ?? 1);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const main = async () => {
  const rows: { scenario: string; ballast: number; peer?: number; ratio?: number }[] = [];
  console.log(`SQLite store vs raw better-sqlite3 (WAL, synchronous=FULL); median of ${REPEATS} alternating runs; scale ${SCALE}`);
  for (const s of scenarios(SCALE)) {
    const ballastRates: number[] = [];
    const peerRates: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      ballastRates.push(rateOf(await s.ballast()));
      peerRates.push(rateOf(await s.peer()));
    }
    const ballast = median(ballastRates);
    const peer = median(peerRates);
    rows.push({ scenario: s.name, ballast, peer, ratio: ballast / peer });
    console.log(`${s.name}\n  ballast ${fmt(ballast)}   raw peer ${fmt(peer)}   ratio ${(ballast / peer).toFixed(2)}`);
  }
  for (const r of await readScenarios(100_000 * SCALE)) {
    rows.push({ scenario: r.name, ballast: r.rate });
    console.log(`${r.name}\n  ballast ${fmt(r.rate)}`);
  }
  console.log('one command (a deposit) on a treasury stream of N events, median ms: warm = engine snapshot, cold = full fold');
  const engine = await commandCostByStreamLength([1_000, 10_000, 50_000].map((n) => n * SCALE), 15);
  for (const e of engine) console.log(`  ${String(e.events).padStart(7)} events   warm ${e.warmMs.toFixed(3)} ms   cold ${e.coldMs.toFixed(2)} ms`);
  mkdirSync('out', { recursive: true });
  writeFileSync('out/bench.json', `${JSON.stringify({ repeats: REPEATS, scale: SCALE, rows, engine }, null, 2)}\n`);
  console.log('wrote out/bench.json');
};

void main();
