import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { type InvalidInput, invalidInput, toIssues } from './report';

/** Decodes a boundary value; on failure returns INVALID_INPUT naming every bad path. */
export const decodeInput =
  <A, O>(codec: t.Type<A, O, unknown>, what: string) =>
  (input: unknown): E.Either<InvalidInput, A> => {
    // Checked by hand rather than through pipe/mapLeft: every stored event read passes here.
    const decoded = codec.decode(input);
    return E.isRight(decoded) ? decoded : E.left(invalidInput(what, toIssues(decoded.left)));
  };
