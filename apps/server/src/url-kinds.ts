import { AGGREGATE_KINDS, type KindName } from '@ballast/engine';

/**
 * The aggregate kinds served under `/v1/<facade>/:id` (commands, reads, live streams), by their
 * facade name, derived from the engine's registry so a new kind needs no list here. API keys have
 * routes of their own (`/v1/keys`).
 */
export const URL_KINDS: Readonly<Record<string, KindName>> = Object.fromEntries(
  Object.values(AGGREGATE_KINDS)
    .filter((kind) => kind.category !== 'access')
    .map((kind) => [kind.facade, kind.category as KindName]),
);
