import type { EventStore } from '../port';
import { createEventStore } from '../store-facade';
import { memoryBackend } from './memory-backend';

/** A fresh, empty in-memory store with the same rules and hash chain as the durable ones. */
export const openMemoryStore = (): EventStore => createEventStore(memoryBackend());
