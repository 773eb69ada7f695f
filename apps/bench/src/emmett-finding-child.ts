import { emmettConcurrentFirstAppends } from './emmett-finding';

/**
 * One trial of the finding in a process of its own (`emmett-finding-child.ts <calls>`), printing one
 * JSON line: closing Emmett's connection under calls still running is unsafe for the sqlite3
 * driver, and a crash it causes later must not take the benchmark run with it.
 */
const calls = Number(process.argv[2] ?? 64);
void emmettConcurrentFirstAppends(calls).then((trial) => console.log(JSON.stringify(trial)));
