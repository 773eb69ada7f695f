import type { Answer } from './answers';
import { segment, type Http } from './http';

export type Role = 'agent' | 'operator' | 'service';

/** A key just created: `key` is the secret, shown this once. */
export interface CreatedKey {
  readonly keyId: string;
  readonly principal: string;
  readonly role: Role;
  readonly key: string;
}

export interface KeyInfo {
  readonly keyId: string;
  readonly principal: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt?: string;
  readonly [field: string]: unknown;
}

/** Key management; an operator key only. */
export interface Keys {
  create(request: { principal: string; role: Role }): Promise<Answer<CreatedKey>>;
  list(): Promise<Answer<{ keys: readonly KeyInfo[] }>>;
  revoke(keyId: string, options?: { reason?: string }): Promise<Answer<{ keyId: string; revoked: true }>>;
}

export const keys = (h: Http): Keys => ({
  create: (request) => h.json('POST', '/v1/keys', { body: request }),
  list: () => h.json('GET', '/v1/keys'),
  revoke: (keyId, options = {}) =>
    h.json('POST', `/v1/keys/${segment(keyId)}/revoke`, {
      body: options.reason === undefined ? {} : { reason: options.reason },
    }),
});
