import { boundedInt, decodeInput, strict, StreamIdCodec } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { MAX_SNAPSHOT_BYTES } from './limits';
import type { SnapshotSlots, StoredSnapshot } from './port';
import { checkStreamId } from './read-options';
import { StoreError } from './store-error';

const StoredSnapshotCodec = strict(
  {
    streamId: StreamIdCodec,
    foldVersion: boundedInt('fold version', 0, Number.MAX_SAFE_INTEGER),
    revision: boundedInt('revision', 0, Number.MAX_SAFE_INTEGER),
    stateJson: t.string,
  },
  {},
  'StoredSnapshot',
);

/** Checks a snapshot before it reaches a backend: a bad one throws INVALID_SNAPSHOT and saves nothing. */
export const checkSnapshot = (snapshot: unknown): StoredSnapshot => {
  const decoded = decodeInput(StoredSnapshotCodec, 'snapshot')(snapshot);
  if (E.isLeft(decoded)) throw new StoreError('INVALID_SNAPSHOT', decoded.left.message, decoded.left.issues);
  const bytes = Buffer.byteLength(decoded.right.stateJson);
  if (bytes > MAX_SNAPSHOT_BYTES) {
    throw new StoreError(
      'INVALID_SNAPSHOT',
      `snapshot: stateJson is ${bytes} bytes; at most ${MAX_SNAPSHOT_BYTES} are allowed`,
      [{ path: 'stateJson', message: `is ${bytes} bytes; at most ${MAX_SNAPSHOT_BYTES} are allowed` }],
    );
  }
  return decoded.right;
};

/** The port's snapshot slots over a backend's: open-store check and input checks at the boundary. */
export const guardSnapshotSlots = (slots: SnapshotSlots, ensureOpen: () => void): SnapshotSlots => ({
  load: async (streamId) => {
    ensureOpen();
    return slots.load(checkStreamId(streamId));
  },
  save: async (snapshot) => {
    ensureOpen();
    return slots.save(checkSnapshot(snapshot));
  },
});
