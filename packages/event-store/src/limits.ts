/** Hard limits on what one call may ask of a store; each refusal names the limit it hit. */
export const MAX_EVENTS_PER_APPEND = 1000;
/** Canonical data plus metadata of one event. */
export const MAX_EVENT_BYTES = 64 * 1024;
/** All events of one append together. */
export const MAX_APPEND_BYTES = 4 * 1024 * 1024;
/** Reads stream in pages of this many events, so memory stays bounded whatever the stream's length. */
export const READ_PAGE_SIZE = 512;
/** Appends that arrive together are committed in one transaction, up to this many. */
export const MAX_GROUP_COMMIT_APPENDS = 256;
/**
 * Stream heads the SQLite writer keeps in memory (about 200 bytes each), so an append to a recently
 * written stream reads nothing back; beyond it the least recently written are dropped and re-read.
 */
export const WRITER_HEAD_CACHE_STREAMS = 100_000;
/**
 * The largest snapshot state a store accepts (UTF-8 bytes of stateJson): a snapshot is one row read
 * whole on a cold start; a state beyond this belongs in a read model, not a fold.
 */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
