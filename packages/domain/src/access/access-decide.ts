import * as E from 'fp-ts/Either';
import { type Decider, type Rejection, type RejectionDetail, rejection } from '../decider';
import type { AccessCommand, AccessEvent, Role } from './access-codecs';

export const ACCESS_REJECTION_CODES = ['KEY_EXISTS', 'KEY_NOT_FOUND', 'KEY_REVOKED', 'TIME_WENT_BACKWARDS'] as const;
export type AccessRejectionCode = (typeof ACCESS_REJECTION_CODES)[number];
export type AccessRejection = Rejection<AccessRejectionCode, AccessEvent>;

export interface AccessKey {
  readonly keyId: string;
  readonly principal: string;
  readonly role: Role;
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

/** Every key ever created, revoked ones kept (a revoked id is never reused). */
export interface AccessState {
  readonly keys: Readonly<Record<string, AccessKey>>;
  readonly lastAt: number;
}

export const initialAccessState: AccessState = { keys: {}, lastAt: 0 };

const reject = (
  code: AccessRejectionCode,
  message: string,
  details: Record<string, RejectionDetail> = {},
): E.Either<AccessRejection, never> => E.left(rejection(code, message, details));

export const evolveAccess = (s: AccessState, e: AccessEvent): AccessState => {
  switch (e.type) {
    case 'KeyCreated':
      return {
        keys: {
          ...s.keys,
          [e.keyId]: { keyId: e.keyId, principal: e.principal, role: e.role, hash: e.hash, createdAt: e.at },
        },
        lastAt: e.at,
      };
    case 'KeyRevoked': {
      const key = s.keys[e.keyId];
      return { keys: key === undefined ? s.keys : { ...s.keys, [e.keyId]: { ...key, revokedAt: e.at } }, lastAt: e.at };
    }
  }
};

/** API keys: created once per id, revoked once; a revoked key stays on record and never comes back. */
export const decideAccess = (c: AccessCommand, s: AccessState): E.Either<AccessRejection, readonly AccessEvent[]> => {
  if (c.at < s.lastAt)
    return reject('TIME_WENT_BACKWARDS', `command time ${c.at} is before the stream's last event at ${s.lastAt}`, {
      at: c.at,
      lastAt: s.lastAt,
    });
  const key = s.keys[c.keyId];
  switch (c.type) {
    case 'CreateKey':
      if (key !== undefined) return reject('KEY_EXISTS', `key ${c.keyId} already exists`, { keyId: c.keyId });
      return E.right([
        { type: 'KeyCreated', at: c.at, keyId: c.keyId, principal: c.principal, role: c.role, hash: c.hash },
      ]);
    case 'RevokeKey':
      if (key === undefined) return reject('KEY_NOT_FOUND', `no key ${c.keyId}`, { keyId: c.keyId });
      if (key.revokedAt !== undefined)
        return reject('KEY_REVOKED', `key ${c.keyId} was already revoked`, {
          keyId: c.keyId,
          revokedAt: key.revokedAt,
        });
      return E.right([{ type: 'KeyRevoked', at: c.at, keyId: c.keyId, reason: c.reason ?? '' }]);
  }
};

export const accessDecider: Decider<AccessCommand, AccessEvent, AccessState, AccessRejection> = {
  initialState: initialAccessState,
  evolve: evolveAccess,
  decide: decideAccess,
};
