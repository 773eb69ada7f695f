import type { StreamHead } from '../port';

/** Streams whose heads one writer remembers; the oldest is forgotten first. */
const MAX_CACHED_HEADS = 4096;

/**
 * The last head this writer saw of each stream it writes, so the common append (the next one after
 * its own) plans its rows and claims its place without reading the head first. A stale entry costs
 * nothing but a round trip: the append is made at that exact revision, so the server refuses it if
 * another writer got there first, and the entry is dropped. A revision's hash never changes, so an
 * entry that still matches the stream's head is right.
 */
export const headCache = () => {
  const heads = new Map<string, StreamHead>();
  return {
    get: (streamId: string): StreamHead | undefined => heads.get(streamId),
    remember: (streamId: string, head: StreamHead | undefined): void => {
      heads.delete(streamId);
      if (head === undefined) return;
      heads.set(streamId, head);
      if (heads.size > MAX_CACHED_HEADS) heads.delete(heads.keys().next().value!);
    },
    forget: (streamId: string): void => {
      heads.delete(streamId);
    },
  };
};
