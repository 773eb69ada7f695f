import { createHash } from 'node:crypto';

/**
 * How Ballast's streams are named inside a shared EventStoreDB: every data stream gets the
 * namespace prefix (so a `$all` subscription can filter server-side on it, and other applications'
 * streams are never read as Ballast's), and every command id gets a claim stream and every data
 * stream a snapshot stream beside them, whose prefixes do not match the data filter: a namespace has
 * no `-`, so `<ns>-command.` and `<ns>-snapshot.` never start with any namespace's `<ns>.`.
 */
export interface EsdbNames {
  readonly dataPrefix: string;
  readonly commandPrefix: string;
  readonly snapshotPrefix: string;
  toEsdb(streamId: string): string;
  /** The Ballast stream id of an EventStoreDB stream, or undefined if it is not one of ours. */
  fromEsdb(name: string): string | undefined;
  commandStream(commandId: string): string;
  /** Where a data stream's snapshots go: readable by name, invisible to every data read. */
  snapshotStream(streamId: string): string;
}

export const esdbNames = (namespace: string): EsdbNames => {
  const dataPrefix = `${namespace}.`;
  const commandPrefix = `${namespace}-command.`;
  const snapshotPrefix = `${namespace}-snapshot.`;
  return {
    dataPrefix,
    commandPrefix,
    snapshotPrefix,
    toEsdb: (streamId) => `${dataPrefix}${streamId}`,
    fromEsdb: (name) => (name.startsWith(dataPrefix) ? name.slice(dataPrefix.length) : undefined),
    // Hashed: command ids may be long; the claim stream name only has to be stable and unique.
    commandStream: (commandId) => `${commandPrefix}${createHash('sha256').update(commandId, 'utf8').digest('hex')}`,
    snapshotStream: (streamId) => `${snapshotPrefix}${streamId}`,
  };
};
