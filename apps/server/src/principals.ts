import type { AccessState, Role } from '@ballast/domain';
import { keyIdOf, tokenMatches } from './api-keys';
import { own } from './own';

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
  private revision: number;

  constructor(state: AccessState, revision: number) {
    this.state = state;
    this.revision = revision;
  }

  /**
   * Takes a newer fold of the access stream. Loads after concurrent key changes may finish in any
   * order: an older one (a lower revision) never replaces a newer one, so a revocation cannot be
   * undone in memory by a slower load that started before it.
   */
  update(state: AccessState, revision: number): void {
    if (revision < this.revision) return;
    this.state = state;
    this.revision = revision;
  }

  /** Folds the access stream again and takes it if it is newer. */
  async refresh(load: () => Promise<{ state: AccessState; revision: number }>): Promise<void> {
    const { state, revision } = await load();
    this.update(state, revision);
  }

  /** Whether a key exists and is not revoked: open live streams ask before every page. */
  isActive(keyId: string): boolean {
    const key = own(this.state.keys, keyId);
    return key !== undefined && key.revokedAt === undefined;
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
    const key = own(this.state.keys, keyId);
    if (key === undefined || !tokenMatches(token, key.hash))
      return fail('KEY_UNKNOWN', `no such API key (key id ${keyId})`);
    if (key.revokedAt !== undefined)
      return fail('KEY_REVOKED', `key ${keyId} was revoked at ${new Date(key.revokedAt).toISOString()}`);
    return { keyId, id: key.principal, role: key.role };
  }
}

export const isAuthFailure = (x: Principal | AuthFailure): x is AuthFailure => 'status' in x;
