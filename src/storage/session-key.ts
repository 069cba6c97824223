// How a session key is kept: its SHA-256 digest (hex). Keys are 256 random bits, so a plain digest cannot be
// reversed by guessing; looking a key up compares digests, exactly.
import { createHash } from 'node:crypto';

export const sessionKeyDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');
