import * as t from 'io-ts';
import { patternString } from '../codecs/primitives';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';

/**
 * Who a key speaks for. An agent acts on its own treasury, escrows and pool memberships only; an
 * operator runs the system (opens treasuries, resumes breakers, settles, manages keys); a service
 * only reads (read models, the event log, live streams) for downstream systems.
 */
export const RoleCodec = t.keyof({ agent: null, operator: null, service: null }, 'role');
export type Role = t.TypeOf<typeof RoleCodec>;

/** The public half of an API key: what logs, events and `ballast keys list` may show. */
export interface KeyIdBrand {
  readonly KeyId: unique symbol;
}
export const KeyIdCodec = patternString<KeyIdBrand>(
  'key id',
  /^[a-z0-9]{8,32}$/,
  32,
  '8 to 32 lowercase letters and digits',
);
/** SHA-256 of the key's secret, hex: the store never holds a secret, only this. */
export interface KeyHashBrand {
  readonly KeyHash: unique symbol;
}
export const KeyHashCodec = patternString<KeyHashBrand>(
  'key hash',
  /^[0-9a-f]{64}$/,
  64,
  '64 lowercase hex digits (SHA-256)',
);

const command = timedRecord;

/** Records a new key for a principal. The caller generates the secret and sends only its hash. */
export const CreateKey = command('CreateKey', {
  keyId: KeyIdCodec,
  principal: ActorIdCodec,
  role: RoleCodec,
  hash: KeyHashCodec,
});
export const RevokeKey = command('RevokeKey', { keyId: KeyIdCodec }, { reason: t.string });
export const AccessCommandCodec = taggedUnion('AccessCommand', [CreateKey, RevokeKey] as const);
export type AccessCommand = t.TypeOf<typeof AccessCommandCodec>;

export const KeyCreated = timedRecord('KeyCreated', {
  keyId: KeyIdCodec,
  principal: ActorIdCodec,
  role: RoleCodec,
  hash: KeyHashCodec,
});
export const KeyRevoked = timedRecord('KeyRevoked', { keyId: KeyIdCodec, reason: t.string });
export const AccessEventCodec = taggedUnion('AccessEvent', [KeyCreated, KeyRevoked] as const);
export type AccessEvent = t.TypeOf<typeof AccessEventCodec>;
