import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type * as t from 'io-ts';
import { type InvalidInput, invalidInput, toIssues } from './report';

/** Decodes a boundary value; on failure returns INVALID_INPUT naming every bad path. */
export const decodeInput =
  <A, O>(codec: t.Type<A, O, unknown>, what: string) =>
  (input: unknown): E.Either<InvalidInput, A> =>
    pipe(
      codec.decode(input),
      E.mapLeft((errors) => invalidInput(what, toIssues(errors))),
    );
