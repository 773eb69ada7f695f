import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A key file that is not what an anchor needs: said in one line, with what would do. */
export class AnchorKeyError extends Error {
  override name = 'AnchorKeyError';
}

/** The first 16 hex digits of sha256 of the raw 32-byte Ed25519 public key: short, and enough to tell keys apart. */
export const keyIdOf = (publicKey: KeyObject): string => {
  const x = publicKey.export({ format: 'jwk' }).x;
  return createHash('sha256').update(Buffer.from(x!, 'base64url')).digest('hex').slice(0, 16);
};

export interface AnchorKeyPair {
  /** PKCS#8 PEM: the signing key. Keep it away from the store (see the README's Guarantees). */
  readonly privatePem: string;
  /** SPKI PEM: what a verifier trusts. */
  readonly publicPem: string;
  readonly keyId: string;
}

/** A new Ed25519 key pair from Node's own crypto (OpenSSL): no dependency to trust beside the runtime. */
export const generateAnchorKey = (): AnchorKeyPair => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
  };
};

const requireEd25519 = (key: KeyObject, what: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new AnchorKeyError(
      `${what} is a ${key.asymmetricKeyType ?? 'symmetric'} key; anchors are signed with Ed25519`,
    );
  return key;
};

/** The signing key from a PEM file's text (what `ballast anchor keygen` wrote). */
export const signingKeyOf = (pem: string, what = 'the signing key'): KeyObject => {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new AnchorKeyError(`${what} is not a private key in PEM form (ballast anchor keygen writes one)`);
  }
  return requireEd25519(key, what);
};

/**
 * The key a verifier trusts, from a public key's PEM. The anchor's own key id is never trusted: a
 * forger would put their own there.
 */
export const trustedKeyOf = (pem: string, what = 'the trusted key'): KeyObject => {
  // A signing key would do to check with, but whoever checks anchors must not hold it: refused.
  if (/-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.test(pem))
    throw new AnchorKeyError(
      `${what} is a private (signing) key; give its public half (KEY.pub): whoever checks anchors must not hold the signing key`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AnchorKeyError(`${what} is not a public key in PEM form (ballast anchor keygen writes KEY.pub)`);
  }
  return requireEd25519(key, what);
};
