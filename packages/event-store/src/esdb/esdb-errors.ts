import { ErrorType, isCommandError } from '@eventstore/db-client';
import { StoreError } from '../store-error';

const NOTHING_THERE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;
/** What a TLS client reports when the other end does not speak TLS, or speaks it with a certificate it cannot trust. */
const TLS_CLIENT_FAILED = /ssl|tls|handshake|wrong version number|certificate/i;
/** What a plain-text client reports when the other end expects TLS. */
const PLAIN_CLIENT_FAILED = /failed to connect|protocol error|econnreset|socket hang up/i;

/**
 * Turns what the client throws into a StoreError that says what to do. The commonest mistake is
 * TLS: the client defaults to TLS and the development server in docker-compose.yml runs insecure
 * (or the reverse), and gRPC reports both as a bare UNAVAILABLE.
 */
export const esdbFailure = (address: string, secure: boolean, error: unknown, doing: string): StoreError => {
  if (error instanceof StoreError) return error;
  const message = (error as Error)?.message ?? String(error);
  const cause = { cause: error };
  if (isCommandError(error as Error)) {
    const type = (error as { type: ErrorType }).type;
    if (type === ErrorType.UNAVAILABLE || type === ErrorType.DEADLINE_EXCEEDED || type === ErrorType.TIMEOUT) {
      if (!NOTHING_THERE.test(message) && (secure ? TLS_CLIENT_FAILED : PLAIN_CLIENT_FAILED).test(message)) {
        return new StoreError(
          'TLS_MISMATCH',
          secure
            ? `EventStoreDB at ${address} did not complete a TLS handshake while ${doing}. ` +
                'If the server runs insecure (the docker-compose.yml service does), ' +
                'add ?tls=false to the connection string; ' +
                `if it uses TLS, check its certificate and give tlsCAFile for a self-signed one. (${message})`
            : `EventStoreDB at ${address} answered, but not as plain-text gRPC, while ${doing}: ` +
                'if the server uses TLS, drop ?tls=false (and give tlsCAFile for a self-signed certificate). ' +
                `(${message})`,
          [],
          cause,
        );
      }
      return new StoreError(
        'STORE_UNREACHABLE',
        `EventStoreDB at ${address} is unreachable while ${doing}: ` +
          `is the server running (docker compose up -d) and the address right? (${message})`,
        [],
        cause,
      );
    }
    if (type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
      return new StoreError(
        'APPEND_TOO_LARGE',
        `EventStoreDB at ${address} refused the append as larger than its MaxAppendSize (1 MiB by default); ` +
          "split the batch or raise the server's limit",
        [],
        cause,
      );
    }
  }
  return new StoreError('IO_FAILURE', `EventStoreDB at ${address} failed while ${doing}: ${message}`, [], cause);
};
