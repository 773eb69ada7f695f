import { createHash } from 'node:crypto';

/**
 * How Ballast's streams are named inside a shared EventStoreDB: every data stream gets the
 * namespace prefix (so a `$all` subscription can filter server-side on it, and other applications'
 * streams are never read as Ballast's), and every command id gets a claim stream beside them whose
 * prefix does not match the data filter.
 */
export interface EsdbNames {
  readonly dataPrefix: string;
  readonly commandPrefix: string;
  toEsdb(streamId: string): string;
  /** The Ballast stream id of an EventStoreDB stream, or undefined if it is not one of ours. */
  fromEsdb(name: string): string | undefined;
  commandStream(commandId: string): string;
}

export const esdbNames = (namespace: string): EsdbNames => {
  const dataPrefix = `${namespace}.`;
  const commandPrefix = `${namespace}-command.`;
  return {
    dataPrefix,
    commandPrefix,
    toEsdb: (streamId) => `${dataPrefix}${streamId}`,
    fromEsdb: (name) => (name.startsWith(dataPrefix) ? name.slice(dataPrefix.length) : undefined),
    // Hashed: command ids may be long; the claim stream name only has to be stable and unique.
    commandStream: (commandId) => `${commandPrefix}${createHash('sha256').update(commandId, 'utf8').digest('hex')}`,
  };
};
