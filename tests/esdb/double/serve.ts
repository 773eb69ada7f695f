import { startProtocolDouble } from './start-double';

/**
 * Runs the protocol test double in the foreground, for trying the EventStoreDB code paths by hand
 * where Docker is absent: `pnpm esdb:double`, then `ballast simulate --store <printed url>`.
 * Not a database: everything is gone when it stops.
 */
const port = Number(process.argv[2] ?? 0);
void startProtocolDouble({ port }).then((double) => {
  process.stdout.write(`protocol test double (not a database) listening: ${double.url}\n`);
  const stop = () => void double.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
