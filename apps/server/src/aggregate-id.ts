import { describeValue, StreamIdCodec } from '@ballast/domain';
import { AGGREGATE_KINDS, type KindName, streamIdOf } from '@ballast/engine';
import { badRequest, type HttpFailure } from './http-failures';

const ID_RULE = 'letters, digits and _ . : - (starting with a letter or digit), at most 100 characters';

/**
 * A 400 for an id in a URL that no stream can have (a character or a length the store refuses), before anything reads
 * the store with it: the store throws on such a stream name (INVALID_READ), which answered 500. Ids the store takes
 * are left to the routes (a 404 for one that was never used).
 */
export const invalidAggregateId = (kindName: KindName, id: string): HttpFailure | undefined =>
  StreamIdCodec.is(streamIdOf(AGGREGATE_KINDS[kindName], id))
    ? undefined
    : badRequest(`no ${kindName} can have the id ${describeValue(id)}: an id is ${ID_RULE}`, [
        { path: 'id', message: `${describeValue(id)} is not valid: ${ID_RULE}` },
      ]);
