import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolLog } from './protocol-log';
import { streamsService } from './streams-service';

export interface ProtocolDouble {
  /** A single-node connection string for the real client (insecure, or trusting the test CA). */
  readonly url: string;
  readonly port: number;
  readonly log: ProtocolLog;
  close(): Promise<void>;
}

/**
 * Serves EventStoreDB's Streams gRPC service (from the client package's own generated definitions)
 * over a ProtocolLog on a free local port, insecure. ServerFeatures is left unserved, so the client
 * gets UNIMPLEMENTED and uses classic Append, as it does against servers before 21.10.
 */
export interface DoubleOptions {
  readonly log?: ProtocolLog;
  readonly port?: number;
  /** Serve TLS with the test certificate in tests/esdb/tls (for checking TLS mistakes). */
  readonly tls?: boolean;
}

const TLS_DIR = join(__dirname, '..', 'tls');
export const TEST_CA_FILE = join(TLS_DIR, 'localhost-cert.pem');

export const startProtocolDouble = async ({
  log = new ProtocolLog(),
  port = 0,
  tls = false,
}: DoubleOptions = {}): Promise<ProtocolDouble> => {
  const server = new grpc.Server();
  const credentials = tls
    ? grpc.ServerCredentials.createSsl(null, [
        { cert_chain: readFileSync(TEST_CA_FILE), private_key: readFileSync(join(TLS_DIR, 'localhost-key.pem')) },
      ])
    : grpc.ServerCredentials.createInsecure();
  server.addService(StreamsService, streamsService(log));
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${tls ? 'localhost' : '127.0.0.1'}:${port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: tls ? `esdb://localhost:${bound}?tlsCAFile=${TEST_CA_FILE}` : `esdb://127.0.0.1:${bound}?tls=false`,
    port: bound,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        // Subscriptions never end on their own; a graceful shutdown would wait for them forever.
        server.forceShutdown();
        resolve();
      }),
  };
};
