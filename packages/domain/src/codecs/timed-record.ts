import * as t from 'io-ts';
import { InstantCodec } from '../instant';
import { strict } from './strict';

/**
 * The shape of every command and event: a `type` literal, the event time `at`, then its own fields,
 * strict (unknown fields refused) and named after its type so a tagged union can find it.
 */
export const timedRecord = <T extends string, P extends t.Props, O extends t.Props = Record<never, never>>(
  type: T,
  props: P,
  optional?: O,
) => strict({ type: t.literal(type), at: InstantCodec, ...props }, (optional ?? {}) as O, type);
