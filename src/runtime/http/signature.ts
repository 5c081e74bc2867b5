import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * Discord signs every request to an interactions endpoint with the application's Ed25519 key:
 * the signature (X-Signature-Ed25519, hex) covers the timestamp header followed by the raw body.
 */

/** The DER header of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** How far a request's timestamp may be from now before it counts as a replay. */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;

/** The key Node can verify with, from the 64 hex characters the Developer Portal shows. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('An Ed25519 public key is 64 hex characters.');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** The 64 hex characters of a public key: the inverse of `publicKeyFromHex`. */
export function publicKeyToHex(key: KeyObject): string {
  return key.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Checks a request's signature and that its timestamp is recent (a captured request replayed
 * later is refused even though its signature is valid). `nowMs` is injectable for tests.
 */
export function checkSignature(options: {
  publicKey: KeyObject;
  signature: string | undefined;
  timestamp: string | undefined;
  body: Buffer;
  nowMs?: number;
}): SignatureCheck {
  const { signature, timestamp } = options;
  if (!signature || !timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^[0-9a-f]{128}$/i.test(signature)) return { ok: false, reason: 'malformed signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const skewSeconds = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (skewSeconds > MAX_TIMESTAMP_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), options.body]);
  const valid = verify(null, signed, options.publicKey, Buffer.from(signature, 'hex'));
  return valid ? { ok: true } : { ok: false, reason: 'invalid signature' };
}
