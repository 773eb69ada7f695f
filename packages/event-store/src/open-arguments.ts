import { decodeInput, type InputIssue, invalidInput } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { StoreError, type StoreErrorCode } from './store-error';

/**
 * Checks the arguments of an open call at the boundary and refuses them all at once: the issue with
 * what to open (a path, a connection string) first, then every bad option, each path named.
 */
export const checkOpenArguments = <A>(
  call: string,
  code: StoreErrorCode,
  target: InputIssue | undefined,
  optionsCodec: t.Type<A, unknown, unknown>,
  options: unknown,
): void => {
  const decoded = decodeInput(optionsCodec, 'options')(options);
  const optionIssues = E.isLeft(decoded)
    ? decoded.left.issues.map((i) => ({ path: i.path === '' ? 'options' : `options.${i.path}`, message: i.message }))
    : [];
  const issues = target === undefined ? optionIssues : [target, ...optionIssues];
  if (issues.length > 0) throw new StoreError(code, invalidInput(`${call} arguments`, issues).message, issues);
};
