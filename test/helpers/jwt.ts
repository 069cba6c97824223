// A throw-away RS256 issuer for Bearer JWT tests: a key pair, its public JWKS in a temp file, and a signer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  issuer: string;
  /** Path of a JWKS file holding the public key, for PARLEY_JWKS_FILE. */
  jwksFile: string;
  /** Environment for startTestApp: issuer, JWKS file and user claim. */
  env: Record<string, string>;
  /** `expiresIn: null` leaves exp out, `audience: null` aud; `audience` defaults to the one in `env`. */
  sign(
    claims: JWTPayload,
    options?: { issuer?: string; audience?: string | null; expiresIn?: string | number | null; notBefore?: string | number },
  ): Promise<string>;
  remove(): void;
}

export const TEST_AUDIENCE = 'parley-test';

export async function createTestIssuer(issuer = 'https://id.test.example/'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-jwks-'));
  const jwksFile = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [jwk] }));
  return {
    issuer,
    jwksFile,
    env: { PARLEY_JWT_ISSUER: issuer, PARLEY_JWKS_FILE: jwksFile, PARLEY_JWT_USER_CLAIM: 'sub', PARLEY_JWT_AUDIENCE: TEST_AUDIENCE },
    async sign(claims, options = {}) {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuedAt()
        .setIssuer(options.issuer ?? issuer);
      if (options.audience !== null) jwt = jwt.setAudience(options.audience ?? TEST_AUDIENCE);
      if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
      if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
      return jwt.sign(privateKey);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A key pair the server does not know, to sign tokens whose signature must not verify. */
export async function foreignSigner(issuer: string) {
  const { privateKey } = await generateKeyPair('RS256');
  return (claims: JWTPayload) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuedAt()
      .setIssuer(issuer)
      .setAudience(TEST_AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
}
