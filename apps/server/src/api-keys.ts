import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `bk_<key id>_<secret>`: the id is public (logs, events, `keys list`), the
 * secret is 32 random bytes shown once at creation. The store keeps only SHA-256 of the whole key:
 * with 256 bits of entropy a slow password hash adds nothing but latency to every request.
 */
export interface NewApiKey {
  readonly keyId: string;
  /** The whole key, to give to its holder once; never logged, never stored. */
  readonly token: string;
  readonly hash: string;
}

const TOKEN = /^bk_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/;

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const generateApiKey = (): NewApiKey => {
  const keyId = randomBytes(8).toString('hex');
  const token = `bk_${keyId}_${randomBytes(32).toString('base64url')}`;
  return { keyId, token, hash: hashToken(token) };
};

/** The key id of a well-formed key, or undefined: a malformed key is refused before any lookup. */
export const keyIdOf = (token: string): string | undefined => TOKEN.exec(token)?.[1];

/** Constant-time comparison of a presented key with the stored hash. */
export const tokenMatches = (token: string, storedHash: string): boolean => {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
};
