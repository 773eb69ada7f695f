import type { AccessState, Role } from '@ballast/domain';
import type { Ballast, CommandFailure } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { randomUUID } from 'node:crypto';
import { generateApiKey } from './api-keys';

/** The one stream of API keys: `access-keys`. */
export const ACCESS_ID = 'keys';

/** The access stream's state with its revision, to order concurrent loads. */
export const loadAccessAt = (ballast: Ballast): Promise<{ state: AccessState; revision: number }> =>
  ballast.access.load(ACCESS_ID);

export const loadAccess = async (ballast: Ballast): Promise<AccessState> => (await loadAccessAt(ballast)).state;

export interface CreatedKey {
  readonly keyId: string;
  readonly principal: string;
  readonly role: Role;
  /** Shown once; only its hash is stored. */
  readonly key: string;
}

/**
 * Creates a key for a principal: the secret is generated here and only its SHA-256 goes into the
 * event, so neither the store nor any log ever holds it. Used by `POST /v1/keys` and `ballast keys create`.
 */
export const createKey = async (
  ballast: Ballast,
  request: { principal: string; role: string },
  context: { actor: string; commandId?: string },
): Promise<E.Either<CommandFailure, CreatedKey>> => {
  const key = generateApiKey();
  const result = await ballast.access.executeJson(
    ACCESS_ID,
    { type: 'CreateKey', keyId: key.keyId, principal: request.principal, role: request.role, hash: key.hash },
    { commandId: context.commandId ?? `key.${key.keyId}`, actor: context.actor },
  );
  if (E.isLeft(result)) return result;
  return E.right({ keyId: key.keyId, principal: request.principal, role: request.role as Role, key: key.token });
};

export const revokeKey = (ballast: Ballast, keyId: string, reason: string | undefined, actor: string) =>
  ballast.access.executeJson(
    ACCESS_ID,
    { type: 'RevokeKey', keyId, ...(reason === undefined ? {} : { reason }) },
    // A command id of its own each time: a second revocation is refused as KEY_REVOKED, not answered as a retry of
    // the first (or as COMMAND_ID_REUSED when the reason differs).
    { commandId: `revoke.${keyId}.${randomUUID()}`, actor },
  );
