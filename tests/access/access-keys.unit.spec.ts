import { AccessCommandCodec, accessDecider, AccessEventCodec } from '@ballast/domain';
import { deciderSpec } from '../support/decider-spec';

const accessSpec = deciderSpec(accessDecider, AccessCommandCodec as never, AccessEventCodec as never);
const T0 = Date.UTC(2026, 0, 1);
const HASH = 'a'.repeat(64);
const create = (keyId: string, at = T0, extra: Record<string, unknown> = {}) => ({
  type: 'CreateKey',
  at,
  keyId,
  principal: 'agent-1',
  role: 'agent',
  hash: HASH,
  ...extra,
});

describe('API keys (access-keys): created once, revoked once, never reused', () => {
  it('records a key with its hash, never a secret', () => {
    accessSpec
      .given([])
      .when(create('0123456789abcdef'))
      .then([{ type: 'KeyCreated', keyId: '0123456789abcdef', principal: 'agent-1', role: 'agent', hash: HASH }]);
  });

  it('KEY_EXISTS: an id is taken once, even after its key is revoked', () => {
    accessSpec
      .given([create('0123456789abcdef')])
      .when(create('0123456789abcdef', T0 + 1))
      .thenRejects('KEY_EXISTS');
    accessSpec
      .given([create('0123456789abcdef'), { type: 'RevokeKey', at: T0 + 1, keyId: '0123456789abcdef' }])
      .when(create('0123456789abcdef', T0 + 2))
      .thenRejects('KEY_EXISTS', { keyId: '0123456789abcdef' });
  });

  it('revokes a key once: KEY_NOT_FOUND for an unknown id, KEY_REVOKED for a revoked one', () => {
    accessSpec
      .given([create('0123456789abcdef')])
      .when({ type: 'RevokeKey', at: T0 + 1, keyId: '0123456789abcdef', reason: 'leaked' })
      .then([{ type: 'KeyRevoked', keyId: '0123456789abcdef', reason: 'leaked' }]);
    accessSpec.given([]).when({ type: 'RevokeKey', at: T0, keyId: 'ffffffffffffffff' }).thenRejects('KEY_NOT_FOUND');
    accessSpec
      .given([create('0123456789abcdef'), { type: 'RevokeKey', at: T0 + 1, keyId: '0123456789abcdef' }])
      .when({ type: 'RevokeKey', at: T0 + 2, keyId: '0123456789abcdef' })
      .thenRejects('KEY_REVOKED', { keyId: '0123456789abcdef', revokedAt: T0 + 1 });
  });

  it('TIME_WENT_BACKWARDS: a command older than the stream is refused', () => {
    accessSpec
      .given([create('0123456789abcdef', T0 + 10)])
      .when(create('1123456789abcdef', T0))
      .thenRejects('TIME_WENT_BACKWARDS');
  });

  it('refuses what is not a key: a role that does not exist, a hash that is not SHA-256 hex, a bad id', () => {
    expect(() => accessSpec.command(create('0123456789abcdef', T0, { role: 'root' }))).toThrow(/role/);
    expect(() => accessSpec.command(create('0123456789abcdef', T0, { hash: 'secret' }))).toThrow(/hash/);
    expect(() => accessSpec.command(create('ABC', T0))).toThrow(/key id/);
  });
});
