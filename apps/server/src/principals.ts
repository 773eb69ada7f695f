import type { AccessState, Role } from '@ballast/domain';
import { keyIdOf, tokenMatches } from './api-keys';

/** Who is calling: found from the API key, never from anything in a request body. */
export interface Principal {
  readonly keyId: string;
  /** The agent id (its treasury's id) or the operator's or service's name. */
  readonly id: string;
  readonly role: Role;
}

export interface AuthFailure {
  readonly status: 401;
  readonly code: 'KEY_MISSING' | 'KEY_MALFORMED' | 'KEY_UNKNOWN' | 'KEY_REVOKED';
  readonly message: string;
}

const fail = (code: AuthFailure['code'], message: string): AuthFailure => ({ status: 401, code, message });

/** The keys of the access stream, by id, as of the last fold the server has seen. */
export class KeyIndex {
  private state: AccessState;

  constructor(state: AccessState) {
    this.state = state;
  }

  update(state: AccessState): void {
    this.state = state;
  }

  keys(): AccessState['keys'] {
    return this.state.keys;
  }

  /** `Authorization: Bearer bk_…`. Every failure says which of four things went wrong, never the key. */
  authenticate(authorization: string | undefined): Principal | AuthFailure {
    if (authorization === undefined || authorization === '')
      return fail('KEY_MISSING', 'send an API key: Authorization: Bearer bk_…');
    const match = /^Bearer (\S+)$/.exec(authorization);
    const token = match?.[1];
    const keyId = token === undefined ? undefined : keyIdOf(token);
    if (token === undefined || keyId === undefined)
      return fail('KEY_MALFORMED', 'the Authorization header must be "Bearer bk_<key id>_<secret>"');
    const key = this.state.keys[keyId];
    if (key === undefined || !tokenMatches(token, key.hash))
      return fail('KEY_UNKNOWN', `no such API key (key id ${keyId})`);
    if (key.revokedAt !== undefined)
      return fail('KEY_REVOKED', `key ${keyId} was revoked at ${new Date(key.revokedAt).toISOString()}`);
    return { keyId, id: key.principal, role: key.role };
  }
}

export const isAuthFailure = (x: Principal | AuthFailure): x is AuthFailure => 'status' in x;
