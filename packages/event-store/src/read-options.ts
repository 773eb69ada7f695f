import { boundedInt, CommandIdCodec, decodeInput, strict, StreamIdCodec } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { StoreError } from './store-error';

const Count = boundedInt('count', 1, Number.MAX_SAFE_INTEGER);
const NonNegative = boundedInt('position', 0, Number.MAX_SAFE_INTEGER);

const ReadStreamArgs = strict(
  {
    streamId: StreamIdCodec,
    options: strict(
      {},
      {
        from: t.union([t.literal('start'), t.literal('end'), boundedInt('revision', 0, Number.MAX_SAFE_INTEGER)]),
        direction: t.union([t.literal('forwards'), t.literal('backwards')]),
        maxCount: Count,
      },
      'ReadStreamOptions',
    ),
  },
  {},
  'ReadStream',
);

const ReadAllOptions = strict({}, { fromPosition: NonNegative, maxCount: Count }, 'ReadAllOptions');
const SubscribeOptions = strict({}, { fromPosition: NonNegative }, 'SubscribeOptions');

const orThrow = <A>(
  result: E.Either<{ message: string; issues: readonly { path: string; message: string }[] }, A>,
): A => {
  if (E.isLeft(result)) throw new StoreError('INVALID_READ', result.left.message, result.left.issues);
  return result.right;
};

/** Reads with bad arguments throw at the call, before any I/O, with every bad path named. */
export const checkReadStream = (streamId: unknown, options: unknown) =>
  orThrow(decodeInput(ReadStreamArgs, 'readStream')({ streamId, options: options ?? {} }));
export const checkReadAll = (options: unknown) => orThrow(decodeInput(ReadAllOptions, 'readAll')(options ?? {}));
export const checkSubscribe = (options: unknown) => orThrow(decodeInput(SubscribeOptions, 'subscribe')(options ?? {}));
export const checkStreamId = (streamId: unknown) => orThrow(decodeInput(StreamIdCodec, 'stream id')(streamId));
export const checkCommandId = (commandId: unknown) => orThrow(decodeInput(CommandIdCodec, 'command id')(commandId));
