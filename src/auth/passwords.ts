// Password hashing with Argon2id (memory-hard), at OWASP's recommended minimum cost.
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never authenticates
  }
}

/** A fixed hash to verify against when the user does not exist, so timing does not reveal user names. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword('parley-decoy-password'));
