import { Decimal } from '@ballast/domain';
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { emmettDeposit } from './deposits';
import { type Deposit, type EmmettPeer, openEmmettDefault, openEmmettPersistent } from './emmett-peer';

/**
 * Emmett's way to run a command: aggregate the stream (read every event, fold), decide, append at
 * the version read. It has no snapshots, so every command re-reads the whole stream. The state is
 * the balance as a Decimal, as Ballast keeps money.
 */
const evolve = (balance: Decimal, event: Deposit): Decimal => balance.plus(event.data.amount);

export const emmettDepositCommand = async (peer: EmmettPeer, stream: string, i: number): Promise<void> => {
  const { state, version } = await peer.aggregate(stream, new Decimal(0), evolve);
  if (state.isNegative()) throw new Error('emmett: a negative balance');
  await peer.append(stream, [emmettDeposit(i)], version);
};

/** One stream of `events` deposits, appended in batches of 1,000 over one connection. */
export const fillEmmettStream = async (file: string, stream: string, events: number): Promise<void> => {
  const peer = await openEmmettPersistent(file);
  try {
    for (let done = 0; done < events; done += 1000) {
      const n = Math.min(1000, events - done);
      await peer.append(
        stream,
        Array.from({ length: n }, (_, i) => emmettDeposit(done + i)),
        BigInt(done),
      );
    }
  } finally {
    await peer.close();
  }
};

/** Warm: the same connection for every command; returns each command's ms. */
export const emmettWarmCommands = async (file: string, stream: string, samples: number): Promise<number[]> => {
  const peer = await openEmmettPersistent(file);
  try {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = performance.now();
      await emmettDepositCommand(peer, stream, 1_000_000 + i);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await peer.close();
  }
};

/** Cold: a new Node process opens Emmett's default store and runs one command; ms from open to appended. */
export const emmettColdCommandInChild = (file: string, stream: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = fork(__filename, ['--emmett-cold', file, stream], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let ms: number | undefined;
    child.on('message', (m) => (ms = m as number));
    child.on('error', reject);
    child.on('exit', (code) =>
      ms === undefined ? reject(new Error(`emmett cold child exited with ${code}`)) : resolve(ms),
    );
  });

if (process.argv[2] === '--emmett-cold' && process.send) {
  const [file, stream] = process.argv.slice(3) as [string, string];
  (async () => {
    const t0 = performance.now();
    const peer = await openEmmettDefault(file);
    await emmettDepositCommand(peer, stream, 2_000_000 + process.pid);
    const ms = performance.now() - t0;
    await peer.close();
    return ms;
  })().then(
    (ms) => process.send!(ms, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
