import { mkdirSync, writeFileSync } from 'node:fs';
import { median, rateOf, type Sample } from './measure';
import { commandCostByStreamLength } from './engine-scenarios';
import { esdbScenarios } from './esdb-scenarios';
import { readScenarios, scenarios } from './scenarios';

// Ballast and the peer run alternately, REPEATS times each, so both see the same noise on a shared
// machine; quote the median ratio, not either absolute rate.
const REPEATS = Number(process.env.BALLAST_BENCH_REPEATS ?? 5);
const SCALE = Number(process.env.BALLAST_BENCH_SCALE ?? 1);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Row {
  scenario: string;
  ballast: number;
  peer?: number;
  ratio?: number;
}

const compare = async (name: string, peerName: string, ballastRun: () => Promise<Sample>, peerRun: () => Promise<Sample>): Promise<Row> => {
  const ballastRates: number[] = [];
  const peerRates: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    ballastRates.push(rateOf(await ballastRun()));
    peerRates.push(rateOf(await peerRun()));
  }
  const ballast = median(ballastRates);
  const peer = median(peerRates);
  console.log(`${name}\n  ballast ${fmt(ballast)}   ${peerName} ${fmt(peer)}   ratio ${(ballast / peer).toFixed(2)}`);
  return { scenario: name, ballast, peer, ratio: ballast / peer };
};

const main = async () => {
  const rows: Row[] = [];
  console.log(`SQLite store vs raw better-sqlite3 (WAL, synchronous=FULL); median of ${REPEATS} alternating runs; scale ${SCALE}`);
  for (const s of scenarios(SCALE)) rows.push(await compare(s.name, 'raw peer', s.ballast, s.peer));
  for (const r of await readScenarios(100_000 * SCALE)) {
    rows.push({ scenario: r.name, ballast: r.rate });
    console.log(`${r.name}\n  ballast ${fmt(r.rate)}`);
  }
  console.log('one command (a deposit) on a treasury stream of N events, median ms: warm = engine snapshot, cold = full fold');
  const engine = await commandCostByStreamLength([1_000, 10_000, 50_000].map((n) => n * SCALE), 15);
  for (const e of engine) console.log(`  ${String(e.events).padStart(7)} events   warm ${e.warmMs.toFixed(3)} ms   cold ${e.coldMs.toFixed(2)} ms`);
  const esdb = await esdbScenarios(500 * SCALE);
  console.log(`EventStoreDB adapter vs the bare client, against ${esdb.target}; median of ${REPEATS} alternating runs`);
  for (const s of esdb.scenarios) rows.push(await compare(`esdb: ${s.name}`, 'bare client', s.ballast, s.peer));
  await esdb.close();
  mkdirSync('out', { recursive: true });
  writeFileSync('out/bench.json', `${JSON.stringify({ repeats: REPEATS, scale: SCALE, rows, engine }, null, 2)}\n`);
  console.log('wrote out/bench.json');
};

void main();
