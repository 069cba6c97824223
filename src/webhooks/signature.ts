// Webhook signatures as SuperOffice makes them: the shared secret (UTF-8) keys an HMAC-SHA256 of the exact
// request body, and the digest goes base64-encoded into X-SuperOffice-Signature.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-SuperOffice-Signature';

/** The X-SuperOffice-Signature value for `body` (the bytes sent, not a re-serialized copy). */
export function sign(body: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/** True when `signature` is the one `secret` gives for `body`; compared in constant time. */
export function verifySignature(body: string | Uint8Array, secret: string, signature: string | undefined | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A new shared secret: 256 random bits, URL-safe base64 (43 characters). */
export const generateSecret = (): string => randomBytes(32).toString('base64url');
