import type * as t from 'io-ts';
import { patternString } from './codecs/primitives';

// Ids are ASCII so they read the same in every store, log and URL; `$` is reserved (EventStoreDB
// system streams start with it) and whitespace never survives a copy-paste intact.
const ID_CHARS = 'letters, digits and _ . : - (starting with a letter or digit)';

export interface StreamIdBrand {
  readonly StreamId: unique symbol;
}
export type StreamId = t.Branded<string, StreamIdBrand>;
/** A stream name such as `treasury-alpha`; its category is the part before the first `-`. */
export const StreamIdCodec = patternString<StreamIdBrand>('StreamId', /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 128, ID_CHARS);

export interface CommandIdBrand {
  readonly CommandId: unique symbol;
}
export type CommandId = t.Branded<string, CommandIdBrand>;
/** Chosen by the caller, unique per intent: a retry reuses it, a new intent never does. */
export const CommandIdCodec = patternString<CommandIdBrand>(
  'CommandId',
  /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
  128,
  ID_CHARS,
);

export interface EventTypeBrand {
  readonly EventType: unique symbol;
}
export type EventType = t.Branded<string, EventTypeBrand>;
/** Event type names are PascalCase past-tense facts: `FundsDeposited`, `BetRejected`. */
export const EventTypeCodec = patternString<EventTypeBrand>(
  'EventType',
  /^[A-Z][A-Za-z0-9]*$/,
  64,
  'PascalCase letters and digits',
);

export interface ActorIdBrand {
  readonly ActorId: unique symbol;
}
export type ActorId = t.Branded<string, ActorIdBrand>;
/** Who asked: an agent, an operator or a process manager (`pm:rebalancer`). */
export const ActorIdCodec = patternString<ActorIdBrand>(
  'ActorId',
  /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/,
  128,
  'letters, digits and _ . : @ -',
);

/** The category of a stream (`treasury` for `treasury-alpha`), or the whole name when it has no `-`. */
export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
};
