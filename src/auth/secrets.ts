// Random secrets and their stored form: only SHA-256 digests of tickets and tokens ever reach the database.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** 256 random bits, URL-safe, behind a SuperOffice-style prefix ("7T:" tickets, "8A:" access tokens). */
export const newSecret = (prefix = '') => prefix + randomBytes(32).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
